import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Mutation, mutationSchema, pullResponseSchema } from '@samplemind/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTmp, testApp, testConfig } from './harness';
import { SERVER_DIR } from './services';
import { emptyCounts, libraryMutations } from './sync-library';

describe('synthetic sync library', () => {
  it('is made of mutations the push endpoint accepts as they are (the seed bypasses HTTP validation)', () => {
    const counts = emptyCounts();
    const batches = [
      ...libraryMutations({ count: 400, clientId: 'seed-check-1', collections: 3 }, 97, counts),
    ];
    const all = batches.flat();
    expect(batches.slice(0, -1).every((b) => b.length === 97)).toBe(true);
    expect(all.map((m) => m.mutationId)).toEqual(all.map((_, i) => i + 1));
    for (const m of all) {
      // Parsing changes nothing: no field stripped, trimmed or lower-cased.
      expect(mutationSchema.parse(m)).toEqual(m);
    }
    const names = new Set(all.map((m: Mutation) => m.name));
    expect([...names].sort()).toEqual([
      'collection.addMembers',
      'collection.upsert',
      'sample.addTags',
      'sample.setField',
      'sample.upsertAnalysis',
    ]);
    expect(counts).toMatchObject({ samples: 400, collections: 3, mutations: all.length });
    expect(counts.tagged).toBeGreaterThan(250);
    expect(counts.corrections).toBeGreaterThan(5);
  });
});

describe('scripts/seed-sync-library.ts', () => {
  afterAll(() => cleanupTmp());

  it('seeds a user the server can sign in and pull, and prints the counts as JSON', async () => {
    const config = testConfig();
    const run = promisify(execFile);
    const args = [
      '--import',
      'tsx',
      join(SERVER_DIR, 'scripts/seed-sync-library.ts'),
      '--count',
      '300',
      '--collections',
      '2',
      '--user-email',
      'Seeded@Example.com',
      '--password',
      'seeded password',
      '--data-dir',
      config.SAMPLEMIND_DATA_DIR,
    ];
    const env = {
      ...process.env,
      JWT_SECRET: config.JWT_SECRET,
      PASSWORD_SCRYPT_N: '1024',
      NODE_ENV: 'test',
    };
    const { stdout } = await run(process.execPath, args, { cwd: SERVER_DIR, env });
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      email: 'seeded@example.com',
      username: 'Seeded',
      createdUser: true,
      counts: { samples: 300, collections: 2 },
      stores: { documents: 'sqlite', cache: 'memory' },
    });

    const { app } = await testApp(
      {},
      { SAMPLEMIND_DATA_DIR: config.SAMPLEMIND_DATA_DIR, JWT_SECRET: config.JWT_SECRET },
    );
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'seeded@example.com', password: 'seeded password' },
      });
      expect(login.statusCode).toBe(200);
      const headers = { authorization: `Bearer ${login.json().access_token}` };
      const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
      expect(me.json().id).toBe(out.userId);
      const pull = await app.inject({
        method: 'GET',
        url: '/api/v1/sync/pull?view=compact&limit=5000',
        headers,
      });
      const page = pullResponseSchema.parse(pull.json());
      expect(page.samples).toHaveLength(300);
      expect(page.collections).toHaveLength(2);
      expect(page.clients).toEqual({ [out.clientId]: out.counts.mutations });
      expect(page.samples.filter((s) => s.bpm !== null || s.key !== null || s.type !== null)).toHaveLength(
        out.counts.corrections,
      );

      // Again for the same account: reused only with its password.
      const wrong = await run(
        process.execPath,
        [
          ...args.slice(0, -6),
          '--user-email',
          'seeded@example.com',
          '--password',
          'not the password',
          '--data-dir',
          config.SAMPLEMIND_DATA_DIR,
        ],
        { cwd: SERVER_DIR, env },
      ).catch((e: { code: number; stderr: string }) => e);
      expect(wrong).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/exists and --password does not match/),
      });
    } finally {
      await app.close();
    }
  });
});
