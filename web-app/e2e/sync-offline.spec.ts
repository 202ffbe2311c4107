// Offline edits on two devices, then both reconnect (issue 6 §4): the app stays usable offline,
// keeps what waits to upload, and both devices end equal to each other and to the server, per the
// conflict rule (server-lite/docs/sync.md): each field is a last-writer-wins register settled by
// the edit's clock, so the later edit wins whichever device reconnects first; tags are an add/remove
// set per tag, so adds from both sides survive and a remove beats an older add.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD, LOOPS } from './fixtures';
import { newUser, SyncApi } from './pages/sync-api';
import { type SampleView, SyncDevice } from './pages/sync-device';
import { type SyncServer, startSyncServer } from './pages/sync-server';

const NAMES = ['Big Kick.wav', 'Closed Hat.wav', 'Groove 120.wav', 'Pluck A3.wav'];
const user = newUser('offline');

let server: SyncServer;
let a: SyncDevice;
let b: SyncDevice;
let measuredGrooveBpm = 0;

beforeAll(async () => {
  [server, a, b] = await Promise.all([startSyncServer(), SyncDevice.open('A'), SyncDevice.open('B')]);
  await a.signUp(server.url, user);
  const t = Date.now();
  await a.app.drop([GOOD.kick, GOOD.hat, GOOD.tone, LOOPS.groove]);
  await a.app.waitForImportIdle();
  await a.addTag(['Big Kick.wav', 'Closed Hat.wav'], 'drums');
  measuredGrooveBpm = Number((await a.app.rowValues('Groove 120.wav')).bpm);
  await a.waitSynced(t);
  await b.signIn(server.url, user);
  await b.waitForLibrarySize(NAMES.length);
  await b.waitSynced(0);
  // Reopened under the service worker (so it can reopen offline), each device syncs on start: let
  // that finish, so going offline below is not raced by a sync already on its way.
  const t1 = Date.now();
  await Promise.all([a.reopenUnderServiceWorker(), b.reopenUnderServiceWorker()]);
  await Promise.all([a.waitSynced(t1), b.waitSynced(t1)]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await server?.stop();
});

async function views(d: SyncDevice): Promise<Record<string, Omit<SampleView, 'notOnDevice'>>> {
  const out: Record<string, Omit<SampleView, 'notOnDevice'>> = {};
  for (const n of NAMES) {
    const { notOnDevice: _, ...v } = await d.view(n);
    out[n] = v;
  }
  return out;
}

const fmt = (bpm: number) =>
  Math.abs(bpm - Math.round(bpm)) < 0.05 ? String(Math.round(bpm)) : bpm.toFixed(1);

describe('both devices edit offline, then reconnect', () => {
  it('stays usable offline and counts what waits to upload', async () => {
    await Promise.all([a.setOffline(true), b.setOffline(true)]);
    expect(await a.waitForState(['offline'])).toBe('offline');
    expect(await b.waitForState(['offline'])).toBe('offline');

    // A edits first…
    await a.addTag(['Big Kick.wav'], 'punchy');
    await a.removeTag('Big Kick.wav', 'drums');
    await a.setType('Closed Hat.wav', 'cymbal');
    await a.scaleBpm('Groove 120.wav', 'double');
    await a.setKey('Pluck A3.wav', 'Am (8A)');
    // …then B, later on the clock: same fields on the hat, the groove and the pluck, new ones on the kick.
    await b.page.waitForTimeout(20);
    await b.addTag(['Big Kick.wav'], 'dark');
    await b.toggleFavourite('Big Kick.wav');
    await b.setType('Closed Hat.wav', 'percussion');
    await b.scaleBpm('Groove 120.wav', 'half');
    await b.setKey('Pluck A3.wav', 'Cm (5A)');

    // Offline, each device shows its own edits at once and keeps them queued.
    expect(await a.tagsOf('Big Kick.wav')).toEqual(['punchy']);
    expect((await a.app.rowValues('Closed Hat.wav')).type).toBe('cymbal');
    expect((await b.app.rowValues('Closed Hat.wav')).type).toBe('percussion');
    // (The count follows the queue within moments of each change.)
    await expect.poll(async () => (await a.status()).pending).toBeGreaterThan(0);
    await expect.poll(async () => (await b.status()).pending).toBeGreaterThan(0);
    const [sa, sb] = [await a.status(), await b.status()];
    expect(sa.state).toBe('offline');
    expect(sb.state).toBe('offline');

    // The queue survives a reload while still offline (the app itself comes from the service worker).
    await b.app.reload();
    expect((await b.status()).pending).toBe(sb.pending);
    expect((await b.app.rowValues('Closed Hat.wav')).type).toBe('percussion');
  });

  it('converges per field by the edit clock, whichever device reconnects first', async () => {
    // The later edits (B's) reach the server first; A's older ones arrive after and must lose.
    const t = Date.now();
    await b.setOffline(false);
    await b.waitSynced(t);
    await a.setOffline(false);
    await a.waitSynced(t);
    // B hears of A's push (poke) and pulls; ask both once more to be sure nothing is in flight.
    const t2 = Date.now();
    await Promise.all([a.syncNow(), b.syncNow()]);
    await Promise.all([a.waitSynced(t2), b.waitSynced(t2)]);

    const expected = {
      'Big Kick.wav': { tags: ['dark', 'punchy'], favourite: true },
      'Closed Hat.wav': { tags: ['drums'], type: 'percussion' },
      'Groove 120.wav': { bpm: fmt(measuredGrooveBpm / 2) },
      'Pluck A3.wav': { key: 'Cm' },
    };
    const va = await views(a);
    const vb = await views(b);
    expect(vb).toEqual(va);
    expect(va['Big Kick.wav']).toMatchObject(expected['Big Kick.wav']);
    expect(va['Closed Hat.wav']).toMatchObject(expected['Closed Hat.wav']);
    expect(va['Groove 120.wav']).toMatchObject(expected['Groove 120.wav']);
    expect(va['Pluck A3.wav']).toMatchObject(expected['Pluck A3.wav']);

    // The server holds the same.
    const lib = await (await new SyncApi(server.url, user).signIn()).liveSamples();
    const byName = new Map(lib.map((s) => [s.name, s]));
    expect([...byName.get('Big Kick.wav')!.tags].sort()).toEqual(['dark', 'punchy']);
    expect(byName.get('Big Kick.wav')!.favorite).toBe(true);
    expect(byName.get('Closed Hat.wav')!.type).toBe('percussion');
    expect(byName.get('Closed Hat.wav')!.tags).toEqual(['drums']);
    expect(byName.get('Groove 120.wav')!.bpm).toBeCloseTo(measuredGrooveBpm / 2, 1);
    expect(byName.get('Pluck A3.wav')!.key).toEqual({ tonic: 'C', scale: 'minor' });
  });

  it('stays converged after both reopen the app', async () => {
    const before = await views(a);
    const t = Date.now();
    await Promise.all([a.app.reload(), b.app.reload()]);
    await Promise.all([a.waitSynced(t), b.waitSynced(t)]);
    expect(await views(a)).toEqual(before);
    expect(await views(b)).toEqual(before);
  });
});
