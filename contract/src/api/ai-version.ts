/**
 * Version of the AI prompt and answer shape. Part of the server's cache key and of the app's
 * local key for stored descriptions: bump it when either changes. Zod-free, so the app can import
 * it without pulling schemas into its main bundle.
 */
export const AI_PROMPT_VERSION = 'sm-ai-1';
