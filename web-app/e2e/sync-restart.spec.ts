// The server dies in the middle of a push (issue 6 §4): killed (SIGKILL) once after committing a
// push but before its answer left, once as a push arrived (never applied). After a restart nothing
// is lost and nothing applied twice: the server's counter for the device equals the number of
// mutations the device made, each resent mutation is the same one (same id, clock and change) and
// the server answers it "duplicate", and both devices and the server hold each sample exactly once.
import type { Mutation, PushResponse } from '@samplemind/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD, LOOPS } from './fixtures';
import { newUser, SyncApi } from './pages/sync-api';
import { SyncDevice } from './pages/sync-device';
import { type PushRecord, type SyncProxy, startSyncProxy } from './pages/sync-proxy';
import { type SyncServer, startSyncServer } from './pages/sync-server';

const user = newUser('restart');

let server: SyncServer;
let proxy: SyncProxy;
let a: SyncDevice;
let b: SyncDevice;
let api: SyncApi;

beforeAll(async () => {
  [server, a, b] = await Promise.all([startSyncServer(), SyncDevice.open('A'), SyncDevice.open('B')]);
  proxy = await startSyncProxy(server.port);
  await a.signUp(proxy.url, user);
  const t = Date.now();
  await a.app.drop([GOOD.kick, GOOD.hat, GOOD.tone, LOOPS.groove]);
  await a.app.waitForImportIdle();
  await a.waitSynced(t);
  await b.signIn(proxy.url, user);
  await b.waitForLibrarySize(4);
  await b.waitSynced(0);
  api = await new SyncApi(server.url, user).signIn();
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await proxy?.close();
  await server?.stop();
});

const mutationsOf = (p: PushRecord): Mutation[] =>
  (JSON.parse(p.request) as { mutations: Mutation[] }).mutations;

/**
 * Exactly-once, from what crossed the wire: per device, mutation ids run 1..n without gaps; every
 * resend of an id carries the same mutation; the server never answered "applied" twice for one id;
 * and the server's counter for the device is n.
 */
async function checkExactlyOnce() {
  const byKey = new Map<string, string>();
  const applied = new Map<string, number>();
  const maxId = new Map<string, number>();
  for (const p of proxy.pushes) {
    for (const m of mutationsOf(p)) {
      const key = `${m.clientId}#${m.mutationId}`;
      const text = JSON.stringify({ hlc: m.hlc, name: m.name, args: m.args });
      if (byKey.has(key)) expect(text, `resend of ${key} changed`).toBe(byKey.get(key));
      byKey.set(key, text);
      maxId.set(m.clientId, Math.max(maxId.get(m.clientId) ?? 0, m.mutationId));
    }
    if (p.response) {
      const body = JSON.parse(p.response) as PushResponse;
      for (const r of body.results)
        if (r.status === 'applied') {
          const key = `${r.clientId}#${r.mutationId}`;
          applied.set(key, (applied.get(key) ?? 0) + 1);
        }
    }
  }
  for (const [key, n] of applied) expect(n, `${key} applied ${n} times`).toBe(1);
  const lib = await api.library();
  for (const [clientId, n] of maxId) {
    for (let id = 1; id <= n; id++)
      expect(byKey.has(`${clientId}#${id}`), `${clientId} skipped ${id}`).toBe(true);
    expect(lib.clients[clientId], `server counter of ${clientId}`).toBe(n);
  }
  return lib;
}

/** Names of the rows a device lists, each once. */
async function expectEachOnce(d: SyncDevice, names: string[]) {
  const shown = await d.app.rowNames();
  expect(shown.length).toBe(new Set(shown).size);
  expect([...shown].sort()).toEqual([...names].sort());
}

describe('server killed mid-push', () => {
  it('after committing, before answering: the resend is a duplicate and nothing is lost', async () => {
    const trap = proxy.trapNextPush('after', () => server.kill());
    await a.addTag(['Big Kick.wav', 'Closed Hat.wav'], 'trap');
    const held = await trap;
    expect(held.status).toBe(200);
    const trapped = (JSON.parse(held.request) as { mutations: Mutation[] }).mutations;
    expect(trapped.length).toBeGreaterThan(0);

    // The server is gone: the app goes on, and what follows waits on the device.
    await a.toggleFavourite('Groove 120.wav');
    await a.addTag(['Pluck A3.wav'], 'later');
    await expect.poll(async () => (await a.status()).pending, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(['offline', 'error', 'syncing']).toContain((await a.status()).state);

    const t = Date.now();
    await server.start();
    await a.waitSynced(t, 90_000);

    // The held-back push was resent as it was and answered "duplicate".
    const resent = proxy.pushes.slice(proxy.pushes.findIndex((p) => p.request === held.request) + 1);
    const answers = resent
      .filter((p) => p.response)
      .flatMap((p) => (JSON.parse(p.response!) as PushResponse).results);
    for (const m of trapped) {
      const r = answers.find((x) => x.clientId === m.clientId && x.mutationId === m.mutationId);
      expect(r?.status, `resend of ${m.name} #${m.mutationId}`).toBe('duplicate');
    }

    const lib = await checkExactlyOnce();
    const live = [...lib.samples.values()].filter((s) => s.analysis && !s.deleted);
    expect(live.length).toBe(4);
    const byName = new Map(live.map((s) => [s.name, s]));
    expect(byName.get('Big Kick.wav')!.tags).toEqual(['trap']);
    expect(byName.get('Closed Hat.wav')!.tags).toEqual(['trap']);
    expect(byName.get('Pluck A3.wav')!.tags).toEqual(['later']);
    expect(byName.get('Groove 120.wav')!.favorite).toBe(true);

    // B (whose event stream died with the server) reconnects and gets everything, once.
    await expect.poll(() => b.tagsOf('Pluck A3.wav'), { timeout: 60_000 }).toEqual(['later']);
    expect(await b.tagsOf('Big Kick.wav')).toEqual(['trap']);
    expect((await b.view('Groove 120.wav')).favourite).toBe(true);
    await expectEachOnce(b, [...byName.keys()].map(String));
    expect(await b.app.librarySize()).toBe(4);
  });

  it('as a push arrives (never applied): the device resends it and nothing is lost or doubled', async () => {
    const trap = proxy.trapNextPush('before', () => server.kill());
    // New samples: their analyses are the push that dies.
    await a.app.dropGenerated(6, 0.3);
    const held = await trap;
    const trapped = (JSON.parse(held.request) as { mutations: Mutation[] }).mutations;
    expect(trapped.some((m) => m.name === 'sample.upsertAnalysis')).toBe(true);
    await a.app.waitForImportIdle();
    await a.addTag(['gen-0000.wav'], 'fresh');

    const t = Date.now();
    await server.start();
    await a.waitSynced(t, 90_000);

    const lib = await checkExactlyOnce();
    const live = [...lib.samples.values()].filter((s) => s.analysis && !s.deleted);
    expect(live.length).toBe(10);
    expect(new Set(live.map((s) => s.id)).size).toBe(10);
    expect(live.find((s) => s.name === 'gen-0000.wav')!.tags).toEqual(['fresh']);

    await b.waitForLibrarySize(10, 60_000);
    await expectEachOnce(
      b,
      live.map((s) => s.name!),
    );
    expect(await b.tagsOf('gen-0000.wav')).toEqual(['fresh']);
    expect(await b.isNotOnDevice('gen-0003.wav')).toBe(true);
    await expectEachOnce(
      a,
      live.map((s) => s.name!),
    );
  });
});
