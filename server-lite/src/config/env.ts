import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { type AiConfig, AiConfigError, loadAiConfig } from '../ai/config';

const here = dirname(fileURLToPath(import.meta.url));
export const SERVER_ROOT = resolve(here, '../..');

/** Secrets that ship in examples or docs: a production start refuses them. */
export const KNOWN_DEFAULT_SECRETS = new Set([
  'change-me',
  'changeme',
  'secret',
  'jwt-secret',
  'your-secret-key',
  'replace-me-with-at-least-32-random-characters',
  'dev-secret-change-me-dev-secret-change-me',
]);

const optionalUrl = (schemes: string[]) =>
  z
    .url({
      protocol: new RegExp(`^(${schemes.join('|').replaceAll('+', '\\+')})$`),
      error: `must be a URL starting with ${schemes.join(':// or ')}://`,
    })
    .optional();

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const flag = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .optional()
    .transform((v) => (v === undefined ? def : v === 'true' || v === '1' || v === 'yes'));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SAMPLEMIND_DATA_DIR: z.string().default(join(SERVER_ROOT, '.data')),
  JWT_SECRET: z.string().optional(),
  ACCESS_TOKEN_TTL_SEC: int(900, 10),
  REFRESH_TOKEN_TTL_SEC: int(30 * 24 * 3600, 60),
  PASSWORD_SCRYPT_N: z.coerce
    .number()
    .int()
    .refine((n) => n >= 1024 && (n & (n - 1)) === 0, 'must be a power of two >= 1024')
    .default(1 << 15),
  MONGODB_URL: optionalUrl(['mongodb', 'mongodb+srv']),
  MONGODB_DB: z.string().default('samplemind'),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{0,64}$/)
    .default('sm:'),
  CHROMA_URL: optionalUrl(['http', 'https']),
  CHROMA_COLLECTION: z.string().default('samplemind-samples'),
  CORS_ORIGINS: z.string().default(''),
  TRUST_PROXY: flag(false),
  WEB_DIST_DIR: z.string().default(resolve(SERVER_ROOT, '../web-app/dist')),
  BODY_LIMIT_MB: z.coerce.number().positive().default(8),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(100),
  ANALYSIS_WORKERS: int(Math.max(1, cpus().length - 1), 1),
  RATE_LIMIT_MAX: int(6000),
  RATE_LIMIT_WINDOW_MS: int(60_000, 1000),
  AUTH_RATE_LIMIT_IP: int(30),
  AUTH_RATE_LIMIT_ACCOUNT: int(10),
  AUTH_RATE_LIMIT_WINDOW_MS: int(15 * 60_000, 1000),
  CACHE_TTL_SEC: int(60, 1),
  SESSION_LOCAL_CACHE_MS: int(2000),
  METRICS_ENABLED: flag(true),
  DOCS_ENABLED: flag(true),
  // AI provider settings are validated by loadAiConfig (src/ai/config.ts), folded in below.
});

export type Env = z.infer<typeof envSchema>;

export type Config = Omit<Env, 'JWT_SECRET' | 'CORS_ORIGINS'> & {
  JWT_SECRET: string;
  /** true = reflect any origin (development only). */
  CORS_ORIGINS: string[] | true;
  /** AI providers and limits (server-lite/docs/ai.md); a provider without a key is absent. */
  ai: AiConfig;
  /** Which backend serves each part. */
  backends: { documents: 'sqlite' | 'mongo'; cache: 'memory' | 'redis'; vectors: 'memory' | 'chroma' };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws ConfigError listing every problem at once. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset so `FOO=` in an .env file does not become a value.
  const env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(env);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.');
      problems.push(`${name}: ${issue.message} (got ${JSON.stringify(source[name] ?? null)})`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const secret = resolveJwtSecret(e, problems);
  if (e.NODE_ENV === 'production' && e.CORS_ORIGINS.trim() === '*') {
    problems.push('CORS_ORIGINS: "*" is not allowed in production; list the origins, comma-separated');
  }
  let ai: AiConfig | undefined;
  try {
    ai = loadAiConfig(source);
  } catch (err) {
    if (!(err instanceof AiConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const origins = e.CORS_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    ...e,
    JWT_SECRET: secret!,
    ai: ai!,
    CORS_ORIGINS:
      origins.includes('*') || (origins.length === 0 && e.NODE_ENV !== 'production') ? true : origins,
    backends: {
      documents: e.MONGODB_URL ? 'mongo' : 'sqlite',
      cache: e.REDIS_URL ? 'redis' : 'memory',
      vectors: e.CHROMA_URL ? 'chroma' : 'memory',
    },
  };
}

function resolveJwtSecret(e: Env, problems: string[]): string | undefined {
  const given = e.JWT_SECRET;
  if (e.NODE_ENV === 'production') {
    if (!given) {
      problems.push(
        'JWT_SECRET: required in production (at least 32 random characters, e.g. `openssl rand -hex 32`)',
      );
    } else if (KNOWN_DEFAULT_SECRETS.has(given.toLowerCase()) || given.length < 32) {
      problems.push(
        'JWT_SECRET: refusing a default or short secret in production (need >= 32 random characters)',
      );
    }
    return given;
  }
  if (given) {
    if (given.length < 16) problems.push('JWT_SECRET: at least 16 characters');
    return given;
  }
  // Development: a random secret kept in the data dir, so `npm start` needs no setup and tokens
  // survive restarts.
  const file = join(e.SAMPLEMIND_DATA_DIR, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(e.SAMPLEMIND_DATA_DIR, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
