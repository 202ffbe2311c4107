import { type Mutation, mutationSchema } from '@samplemind/contract';

/**
 * Whether a mutation fails the shared contract. A module of its own, loaded only when the server
 * refuses an upload: the schemas bring zod, which the main bundle otherwise does without.
 */
export const failsContract = (m: Mutation): boolean => !mutationSchema.safeParse(m).success;
