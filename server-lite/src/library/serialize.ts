import fastJson from 'fast-json-stringify';
import { z } from 'zod';

type Json = Record<string, unknown>;

/**
 * zod renders `T | null` as anyOf [T, null]; fast-json-stringify handles anyOf by validating each
 * branch at run time, which is slow. Fold the simple cases into `type: [T, 'null']`.
 */
function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (node === null || typeof node !== 'object') return node;
  const o = Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, simplify(v)])) as Json;
  const any = o.anyOf as Json[] | undefined;
  if (Array.isArray(any) && any.length === 2) {
    const nul = any.findIndex((s) => s.type === 'null' && Object.keys(s).length === 1);
    const other = any[1 - nul];
    if (nul >= 0 && typeof other?.type === 'string') {
      const { anyOf: _, ...rest } = o;
      return { ...rest, ...other, type: [other.type, 'null'] };
    }
  }
  return o;
}

export function jsonSchemaOf(schema: z.ZodType): Json {
  const js = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as Json;
  delete js.$schema;
  return simplify(js) as Json;
}

/** Compiles a zod schema into a fast-json-stringify serializer (unknown fields are dropped). */
export function compileSerializer<T>(schema: z.ZodType<T>): (value: T) => string {
  return fastJson(jsonSchemaOf(schema) as never) as (value: T) => string;
}
