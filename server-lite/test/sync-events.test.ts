import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { push, type User } from './api-helpers';
import { clientMutations, fakeAnalysis, randomHash } from './fixtures';
import { cleanupTmp, newUser, testApp } from './harness';
import { type EventStream, openEventStream } from './sync-events';

/**
 * A push on one device pokes the others' event streams: in process, and across instances that
 * share SQLite and a real Redis (pub/sub). Latency figures belong to the sync benchmark; here the
 * poke must simply arrive, once per push burst, only for the pushing user.
 */
async function pushOne(app: FastifyInstance, user: User, m: ReturnType<typeof clientMutations>) {
  const h = randomHash();
  const r = await push(app, user, [
    m('sample.upsertAnalysis', { id: h, analysis: fakeAnalysis({ hash: h }) }),
  ]);
  expect(r.statusCode).toBe(200);
}

describe('change pokes', () => {
  const apps: FastifyInstance[] = [];
  const streams: EventStream[] = [];
  afterAll(async () => {
    for (const s of streams) s.close();
    for (const a of apps) await a.close();
    cleanupTmp();
  });

  it('in process: the listening device hears each push of its user, not of others', async () => {
    const { app } = await testApp();
    apps.push(app);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const alice = await newUser(app);
    const bob = await newUser(app);
    const aliceEvents = await openEventStream(base, alice.tokens.access_token);
    const bobEvents = await openEventStream(base, bob.tokens.access_token);
    streams.push(aliceEvents, bobEvents);
    await aliceEvents.next('ready');
    await bobEvents.next('ready');
    const m = clientMutations('poke-laptop');
    for (let i = 0; i < 3; i++) {
      await pushOne(app, alice, m);
      await aliceEvents.next('poke');
    }
    // A push that changes nothing (a duplicate) pokes nobody; bob never heard alice's pushes.
    const dup = await push(app, alice, [
      {
        clientId: 'poke-laptop',
        mutationId: 1,
        hlc: '0000000000001-0000',
        name: 'sample.delete',
        args: { id: randomHash() },
      },
    ]);
    expect(dup.json().results[0].status).toBe('duplicate');
    await pushOne(app, bob, clientMutations('poke-bob-phone'));
    await bobEvents.next('poke');
    expect(bobEvents.raw().match(/event: poke/g)).toHaveLength(1);
    expect(aliceEvents.raw().match(/event: poke/g)).toHaveLength(3);
  });

  describe('across instances through real Redis pub/sub', () => {
    let a: FastifyInstance;
    let b: FastifyInstance;
    let baseB: string;
    let user: User;

    beforeAll(async () => {
      const first = await testApp({ REDIS_URL: inject('redisUrl') });
      a = first.app;
      apps.push(a);
      // The second instance shares the first one's SQLite file, Redis key prefix and token secret.
      const second = await testApp(
        { REDIS_URL: inject('redisUrl') },
        {
          SAMPLEMIND_DATA_DIR: first.config.SAMPLEMIND_DATA_DIR,
          REDIS_KEY_PREFIX: first.config.REDIS_KEY_PREFIX,
          JWT_SECRET: first.config.JWT_SECRET,
        },
      );
      b = second.app;
      apps.push(b);
      expect(a.stores.pokes.constructor.name).toBe('RedisPokes');
      baseB = await b.listen({ port: 0, host: '127.0.0.1' });
      user = await newUser(a);
    });

    it('a push on instance A pokes a stream held by instance B', async () => {
      const events = await openEventStream(baseB, user.tokens.access_token);
      streams.push(events);
      await events.next('ready');
      const m = clientMutations('redis-poke-laptop');
      for (let i = 0; i < 5; i++) {
        await pushOne(a, user, m);
        await events.next('poke');
      }
      // And the data is there for B's pull once the poke arrived.
      const pulled = await b.inject({
        method: 'GET',
        url: '/api/v1/sync/pull?view=compact',
        headers: user.headers,
      });
      expect(pulled.json().samples).toHaveLength(5);
    });
  });
});
