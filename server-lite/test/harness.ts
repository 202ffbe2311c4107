import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app';
import { type Config, loadConfig } from '../src/config/env';
import { createStores } from '../src/stores';
import type { Stores } from '../src/stores/types';

export type Variant = { name: string; env: () => Record<string, string>; skip?: string };

const MONGO = process.env.MONGODB_URL;

/** The store combinations every contract and route test runs against. */
export const VARIANTS: Variant[] = [
  { name: 'embedded (sqlite + memory)', env: () => ({}) },
  {
    name: 'scale-out (sqlite + redis + chroma)',
    env: () => ({ REDIS_URL: inject('redisUrl'), CHROMA_URL: inject('chromaUrl') }),
  },
  {
    name: 'scale-out (mongo + redis + chroma)',
    env: () => ({
      MONGODB_URL: MONGO ?? '',
      MONGODB_DB: `smtest_${randomBytes(4).toString('hex')}`,
      REDIS_URL: inject('redisUrl'),
      CHROMA_URL: inject('chromaUrl'),
    }),
    skip: MONGO
      ? undefined
      : 'MONGODB_URL is not set (no mongod on this machine); set it to run the MongoDB variant',
  },
];

const silent = { warn() {}, info() {}, error() {} };
const tmpDirs: string[] = [];

/** A test configuration: own data dir, own Redis key prefix and Chroma collection, cheap scrypt. */
export function testConfig(env: Record<string, string> = {}): Config {
  const dir = mkdtempSync(join(tmpdir(), 'sm-test-'));
  tmpDirs.push(dir);
  const tag = randomBytes(4).toString('hex');
  return loadConfig({
    NODE_ENV: 'test',
    SAMPLEMIND_DATA_DIR: dir,
    JWT_SECRET: `test-secret-${tag}-0123456789abcdef`,
    PASSWORD_SCRYPT_N: '1024',
    REDIS_KEY_PREFIX: `t${tag}:`,
    CHROMA_COLLECTION: `t-${tag}`,
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: join(dir, 'no-web-app'),
    ...env,
  });
}

export async function testStores(env: Record<string, string>): Promise<{ stores: Stores; config: Config }> {
  const config = testConfig(env);
  return { stores: await createStores(config, silent), config };
}

export async function testApp(env: Record<string, string> = {}, overrides: Record<string, string> = {}) {
  const config = testConfig({ ...env, ...overrides });
  const app = await buildApp({ config, logger: false });
  await app.ready();
  return { app, config };
}

export function cleanupTmp() {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

let userCounter = 0;
/** Registers and logs in a fresh user; returns the bearer header and tokens. */
export async function newUser(app: FastifyInstance, name?: string) {
  const username = name ?? `user${++userCounter}_${randomBytes(3).toString('hex')}`;
  const password = 'correct horse battery';
  const reg = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email: `${username}@example.com`, username, password },
  });
  if (reg.statusCode !== 201) throw new Error(`register failed: ${reg.statusCode} ${reg.body}`);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const tokens = login.json() as { access_token: string; refresh_token: string };
  return {
    id: (reg.json() as { id: string }).id,
    username,
    password,
    tokens,
    headers: { authorization: `Bearer ${tokens.access_token}` },
  };
}
