import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/env';
import { SERVER_DIR } from './services';

const ROOT = join(SERVER_DIR, '..');
// merge: compose resolves YAML merge keys (<<: *anchor), so the test must too.
const compose = parse(readFileSync(join(ROOT, 'docker/docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');

/** There is no Docker engine here: check the files' structure instead. */
describe('docker/docker-compose.yml', () => {
  // biome-ignore lint/suspicious/noExplicitAny: free-form YAML
  const services = compose.services as Record<string, any>;

  it('has server-lite, MongoDB, Redis and ChromaDB, each with a health check and resource limits', () => {
    expect(Object.keys(services).sort()).toEqual(['chroma', 'mongodb', 'redis', 'server-lite']);
    for (const [name, s] of Object.entries(services)) {
      expect(s.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      expect(s.healthcheck.interval, `${name} interval`).toMatch(/^\d+s$/);
      const limits = s.deploy?.resources?.limits;
      expect(limits?.cpus, `${name} cpu limit`).toBeDefined();
      expect(limits?.memory, `${name} memory limit`).toMatch(/^\d+[MG]$/);
    }
  });

  it('starts server-lite after the stores are healthy, wired to them by URL', () => {
    const s = services['server-lite'];
    expect(s.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    for (const dep of ['mongodb', 'redis', 'chroma'])
      expect(s.depends_on[dep].condition).toBe('service_healthy');
    const env = s.environment as Record<string, string>;
    expect(env.NODE_ENV).toBe('production');
    expect(env.MONGODB_URL).toMatch(/^mongodb:\/\/mongodb:27017\/.*replicaSet=rs0/);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.CHROMA_URL).toBe('http://chroma:8000');
    expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/); // compose refuses to start without it
    expect(s.healthcheck.test.join(' ')).toContain('/health/ready');
  });

  it('passes an environment that server-lite accepts in production (every name is a real setting)', () => {
    const env = Object.fromEntries(
      Object.entries(services['server-lite'].environment as Record<string, string>).map(([k, v]) => [
        k,
        // Resolve ${VAR:-default} to its default and ${VAR:?msg} to a stand-in value.
        String(v).replace(/\$\{(\w+):([-?])([^}]*)\}/g, (_m, name, op, rest) =>
          op === '-' ? rest : name === 'JWT_SECRET' ? 'k'.repeat(48) : 'x',
        ),
      ]),
    );
    const config = loadConfig(env);
    expect(config.backends).toEqual({ documents: 'mongo', cache: 'redis', vectors: 'chroma' });
    expect(config.NODE_ENV).toBe('production');
  });

  it("carries the seed's tuning: WiredTiger cache and snappy, a replica set, Redis maxmemory with allkeys-lru", () => {
    const mongo = (services.mongodb.command as string[]).join(' ');
    expect(mongo).toMatch(/--replSet rs0/);
    expect(mongo).toMatch(/--wiredTigerCacheSizeGB \d/);
    expect(mongo).toMatch(/--wiredTigerCollectionBlockCompressor snappy/);
    expect(services.mongodb.healthcheck.test.join(' ')).toContain('rs.initiate');
    const redis = (services.redis.command as string[]).join(' ');
    expect(redis).toMatch(/--maxmemory \d+mb/);
    expect(redis).toMatch(/--maxmemory-policy allkeys-lru/);
    expect(services.chroma.image).toMatch(/^chromadb\/chroma:/);
    for (const v of ['server-data', 'mongo-data', 'chroma-data']) expect(compose.volumes).toHaveProperty(v);
  });
});

describe('docker/Dockerfile and .dockerignore', () => {
  it('is multi-stage, slim and runs as a non-root user with a health check', () => {
    const froms = dockerfile.match(/^FROM .+$/gm) ?? [];
    expect(froms.length).toBeGreaterThanOrEqual(3);
    expect(froms.at(-1)).toMatch(/slim/);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK /m);
    expect(runtime).toMatch(/COPY --from=web .*web-app\/dist/);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).not.toMatch(/g\+\+|python3/);
  });

  it('starts the server with the same Node flags as npm start', () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    const start = (
      JSON.parse(readFileSync(join(ROOT, 'server-lite/package.json'), 'utf8')) as {
        scripts: { start: string };
      }
    ).scripts.start.split(' ');
    expect(start).toContain('--no-memory-reducer');
    expect(cmd).toEqual(start.map((a) => (a === 'src/main.ts' ? 'server-lite/src/main.ts' : a)));
  });

  it('keeps secrets, git and local state out of the build context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['.git', '**/node_modules', '.env', '**/.data']) expect(ignore).toContain(p);
  });
});
