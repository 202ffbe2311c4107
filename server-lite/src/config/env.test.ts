import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env';

const dir = mkdtempSync(join(tmpdir(), 'sm-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ SAMPLEMIND_DATA_DIR: dir, ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('configuration from the environment', () => {
  it('needs nothing in development: embedded stores and a generated, persisted secret', () => {
    const a = loadConfig({ SAMPLEMIND_DATA_DIR: dir });
    expect(a.backends).toEqual({ documents: 'sqlite', cache: 'memory', vectors: 'memory' });
    expect(a.JWT_SECRET).toHaveLength(64);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(a.JWT_SECRET);
    expect(loadConfig({ SAMPLEMIND_DATA_DIR: dir }).JWT_SECRET).toBe(a.JWT_SECRET);
    expect(a.CORS_ORIGINS).toBe(true);
  });

  it('refuses production without a strong secret', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^JWT_SECRET: required in production/),
    ]);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'change-me' })[0]).toMatch(/default or short/);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(20) })[0]).toMatch(/default or short/);
    expect(
      problems({ NODE_ENV: 'production', JWT_SECRET: 'replace-me-with-at-least-32-random-characters' })[0],
    ).toMatch(/default/);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'k'.repeat(40), CORS_ORIGINS: '*' })[0]).toMatch(
      /CORS_ORIGINS/,
    );
    const ok = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'k'.repeat(40),
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(ok.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('lists every bad setting at once, naming the variable and the value', () => {
    const p = problems({
      PORT: 'eighty',
      REDIS_URL: 'http://localhost:6379',
      CHROMA_URL: 'not a url',
      PASSWORD_SCRYPT_N: '1000',
    });
    expect(p).toHaveLength(4);
    expect(p.find((x) => x.startsWith('PORT:'))).toMatch(/"eighty"/);
    expect(p.find((x) => x.startsWith('REDIS_URL:'))).toMatch(/redis:\/\//);
    expect(p.find((x) => x.startsWith('CHROMA_URL:'))).toBeDefined();
    expect(p.find((x) => x.startsWith('PASSWORD_SCRYPT_N:'))).toMatch(/power of two/);
  });

  it('chooses each backend from its URL; empty values count as unset', () => {
    const c = loadConfig({
      SAMPLEMIND_DATA_DIR: dir,
      REDIS_URL: 'redis://127.0.0.1:6379',
      CHROMA_URL: 'http://127.0.0.1:8001',
      MONGODB_URL: '',
    });
    expect(c.backends).toEqual({ documents: 'sqlite', cache: 'redis', vectors: 'chroma' });
    const m = loadConfig({ SAMPLEMIND_DATA_DIR: dir, MONGODB_URL: 'mongodb://db:27017/?replicaSet=rs0' });
    expect(m.backends.documents).toBe('mongo');
  });
});
