import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { type Mutation, pullResponseSchema } from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { push, type User } from './api-helpers';
import { clientMutations } from './fixtures';
import { cleanupTmp, newUser, testApp } from './harness';
import { openEventStream } from './sync-events';
import { syntheticSample } from './sync-library';

describe('sync responses are compressed by Accept-Encoding; the event stream is not', () => {
  let app: FastifyInstance;
  let alice: User;
  let identity: string;

  const pull = (user: User, headers: Record<string, string>, query = 'view=compact&limit=5000') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/sync/pull?${query}`,
      headers: { ...user.headers, ...headers },
    });

  beforeAll(async () => {
    ({ app } = await testApp());
    alice = await newUser(app);
    const m = clientMutations('compress-laptop');
    const muts: Mutation[] = Array.from({ length: 40 }, (_, i) => {
      const s = syntheticSample(i, 7);
      return m('sample.upsertAnalysis', { id: s.id, analysis: s.analysis, name: s.name, path: s.path });
    });
    expect((await push(app, alice, muts)).statusCode).toBe(200);
    const plain = await pull(alice, {});
    expect(plain.statusCode).toBe(200);
    identity = plain.body;
    expect(identity.length).toBeGreaterThan(20_000);
  });
  afterAll(async () => {
    await app?.close();
    cleanupTmp();
  });

  it('sends brotli when asked for it (first choice), the same JSON once decoded', async () => {
    const r = await pull(alice, { 'accept-encoding': 'gzip, deflate, br' });
    expect(r.headers['content-encoding']).toBe('br');
    expect(String(r.headers.vary)).toMatch(/accept-encoding/i);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const decoded = brotliDecompressSync(r.rawPayload).toString();
    expect(decoded).toBe(identity);
    expect(r.rawPayload.length).toBeLessThan(identity.length / 3);
    pullResponseSchema.parse(JSON.parse(decoded));
  });

  it('sends gzip to clients without brotli, or that rank it lower', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip', 'gzip;q=1, br;q=0.5']) {
      const r = await pull(alice, { 'accept-encoding': accept });
      expect(r.headers['content-encoding'], accept).toBe('gzip');
      expect(gunzipSync(r.rawPayload).toString()).toBe(identity);
    }
  });

  it('sends plain JSON with no Accept-Encoding, identity, an encoding it does not offer, or x-no-compression', async () => {
    const cases: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'deflate' },
      { 'accept-encoding': 'br', 'x-no-compression': '1' },
    ];
    for (const headers of cases) {
      const r = await pull(alice, headers);
      expect(r.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(r.body).toBe(identity);
    }
  });

  it('leaves answers under 1 KB alone', async () => {
    const bob = await newUser(app);
    const r = await pull(bob, { 'accept-encoding': 'br, gzip' });
    expect(r.statusCode).toBe(200);
    expect(r.body.length).toBeLessThan(1024);
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.json()).toMatchObject({ samples: [], hasMore: false });
  });

  it('streams events uncompressed and unbuffered even when the client accepts br and gzip', async () => {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const events = await openEventStream(base, alice.tokens.access_token, { 'accept-encoding': 'br, gzip' });
    try {
      expect(events.headers['content-encoding']).toBeUndefined();
      expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
      // The first event arrives on its own, as text: nothing holds it back to fill a compression block.
      await events.next('ready');
      const s = syntheticSample(99, 7);
      const m = clientMutations('compress-phone');
      await push(app, alice, [m('sample.upsertAnalysis', { id: s.id, analysis: s.analysis })]);
      await events.next('poke');
      expect(events.raw()).toMatch(/^event: ready\ndata: \{\}\n\nevent: poke\ndata: \{"at":\d+\}\n\n$/);
    } finally {
      events.close();
    }
  });
});
