// Sync between devices (issue 6 §4): two real browser profiles (own IndexedDB each), the built app,
// a real server-lite in its own process with real Redis. Device A imports and tags samples, device
// B signs in and gets them (shown as "not on this device", searchable, with their tags), edits go
// both ways, and a third user C never sees any of it, in the app or through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD, LOOPS } from './fixtures';
import { newUser, SyncApi } from './pages/sync-api';
import { type SampleView, SyncDevice } from './pages/sync-device';
import { type SyncServer, startSyncServer } from './pages/sync-server';

const NAMES = ['Big Kick.wav', 'Closed Hat.wav', 'Groove 120.wav', 'Pluck A3.wav'];
const userA = newUser('producer');
const userC = newUser('other');

let server: SyncServer;
let a: SyncDevice;
let b: SyncDevice;
let c: SyncDevice | null = null;

beforeAll(async () => {
  [server, a, b] = await Promise.all([startSyncServer(), SyncDevice.open('A'), SyncDevice.open('B')]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), c?.close()]);
  await server?.stop();
});

/** Everything each sample shows, by name (the "not on this device" badge left out). */
async function views(d: SyncDevice): Promise<Record<string, Omit<SampleView, 'notOnDevice'>>> {
  const out: Record<string, Omit<SampleView, 'notOnDevice'>> = {};
  for (const n of NAMES) {
    const { notOnDevice: _, ...v } = await d.view(n);
    out[n] = v;
  }
  return out;
}

describe('sync between two devices', () => {
  it('device A uploads its library, and what A changes after signing in', async () => {
    // Two samples exist before the account does: signing in must upload the existing library.
    await a.app.drop([GOOD.kick, GOOD.hat]);
    await a.app.waitForImportIdle();
    await a.signUp(server.url, userA);
    const t = Date.now();
    await a.app.drop([GOOD.tone, LOOPS.groove]);
    await a.app.waitForImportIdle();
    await a.addTag(['Big Kick.wav', 'Closed Hat.wav'], 'drums');
    await a.toggleFavourite('Big Kick.wav');
    const doubled = await a.scaleBpm('Groove 120.wav', 'double');
    await a.setKey('Pluck A3.wav', 'Cm (5A)');
    await a.waitSynced(t);

    const api = await new SyncApi(server.url, userA).signIn();
    const live = await api.liveSamples();
    expect(live.map((s) => s.name).sort()).toEqual([...NAMES].sort());
    const byName = new Map(live.map((s) => [s.name, s]));
    expect(byName.get('Big Kick.wav')!.tags).toEqual(['drums']);
    expect(byName.get('Closed Hat.wav')!.tags).toEqual(['drums']);
    expect(byName.get('Big Kick.wav')!.favorite).toBe(true);
    expect(byName.get('Groove 120.wav')!.bpm).toBeCloseTo(Number(doubled), 0);
    expect(byName.get('Pluck A3.wav')!.key).toEqual({ tonic: 'C', scale: 'minor' });
    // Audio never syncs: the server has analyses, keyed by content hash, and no file bytes.
    for (const s of live) expect(s.id).toBe(s.analysis!.contentHash);
  });

  it('device B signs in and sees every sample, not on this device, with tags and edits, searchable', async () => {
    await b.signIn(server.url, userA);
    await b.waitForLibrarySize(NAMES.length);
    await b.waitSynced(0);

    expect((await b.app.rowNames()).sort()).toEqual([...NAMES].sort());
    for (const n of NAMES) {
      expect(await b.isNotOnDevice(n), `${n} on B`).toBe(true);
      expect(await a.isNotOnDevice(n), `${n} on A`).toBe(false);
    }
    expect(await views(b)).toEqual(await views(a));

    // Searchable by name and by tag; the tag filter lists the synced tag.
    expect(await b.searchNames('pluck')).toEqual(['Pluck A3.wav']);
    expect(await b.searchNames('drums')).toEqual(['Big Kick.wav', 'Closed Hat.wav']);
    await b.page.locator('[data-testid="tag-drums"]').click();
    expect((await b.app.rowNames()).sort()).toEqual(['Big Kick.wav', 'Closed Hat.wav']);
    await b.page.locator('[data-testid="tag-drums"]').click();
  });

  it('a sample that is not on this device cannot be played, dragged out or drawn', async () => {
    const remote = await b.detailAffordances('Big Kick.wav');
    expect(remote).toEqual({ badge: true, playDisabled: true, waveform: false });
    expect(await b.isDraggable('Big Kick.wav')).toBe(false);
    // Double-click (audition) plays nothing and says why.
    await b.app.row('Big Kick.wav').dblclick();
    await b.page.locator('[data-testid="notice-info"]', { hasText: 'not on this device' }).waitFor();
    expect(await b.app.isPlaying()).toBe(false);

    const local = await a.detailAffordances('Big Kick.wav');
    expect(local).toEqual({ badge: false, playDisabled: false, waveform: true });
    expect(await a.isDraggable('Big Kick.wav')).toBe(true);
  });

  it('edits go both ways while both are online', async () => {
    const t0 = Date.now();
    await a.addTag(['Big Kick.wav'], 'punchy');
    await b.toggleFavourite('Closed Hat.wav');
    await b.setType('Pluck A3.wav', 'bass');
    // "No key": the pluck had a key correction (Cm) that B shows; A now says it has none.
    expect((await b.app.rowValues('Pluck A3.wav')).key).toBe('Cm');
    await a.setKey('Pluck A3.wav', 'none');
    await Promise.all([a.waitSynced(t0), b.waitSynced(t0)]);
    await expect.poll(() => b.tagsOf('Big Kick.wav'), { timeout: 15_000 }).toEqual(['drums', 'punchy']);
    await expect
      .poll(() => a.view('Closed Hat.wav').then((v) => v.favourite), { timeout: 15_000 })
      .toBe(true);
    await expect
      .poll(() => a.app.rowValues('Pluck A3.wav').then((v) => v.type), { timeout: 15_000 })
      .toBe('bass');
    await expect.poll(() => b.app.rowValues('Pluck A3.wav').then((v) => v.key), { timeout: 15_000 }).toBe('');
    expect(await views(b)).toEqual(await views(a));
  });
});

describe('several tabs on one device', () => {
  it('one tab syncs, the other follows it; edits made in either reach the other device', async () => {
    const tab = await a.openTab('A2');
    try {
      // Exactly one of A's tabs leads; the other shows that it follows.
      const states = [
        await a.waitForState(['idle', 'follower']),
        await tab.waitForState(['idle', 'follower']),
      ];
      expect(states.sort()).toEqual(['follower', 'idle']);
      const t = Date.now();
      await tab.addTag(['Groove 120.wav'], 'from-tab-two');
      await expect.poll(() => b.tagsOf('Groove 120.wav'), { timeout: 20_000 }).toContain('from-tab-two');
      await expect.poll(() => a.tagsOf('Groove 120.wav'), { timeout: 20_000 }).toContain('from-tab-two');
      await Promise.all([a.waitSynced(t), tab.waitSynced(t)]);
      // The follower's count of what waits follows the queue too.
      expect((await tab.status()).pending).toBe(0);
    } finally {
      await tab.close();
    }
    // The remaining tab takes over (or keeps) the lead and goes on syncing.
    expect(await a.waitForState(['idle'])).toBe('idle');
    await b.addTag(['Groove 120.wav'], 'after-tab-closed');
    await expect.poll(() => a.tagsOf('Groove 120.wav'), { timeout: 20_000 }).toContain('after-tab-closed');
  });
});

describe('another user', () => {
  it('user C never sees A’s samples, tags or devices, in the app or through the API', async () => {
    c = await SyncDevice.open('C');
    await c.signUp(server.url, userC);
    await c.waitSynced(0);
    expect(await c.app.librarySize()).toBe(0);
    // The same audio as A's kick (same content hash), tagged by C: still C's own sample.
    const t0 = Date.now();
    await c.app.drop([GOOD.kick]);
    await c.app.waitForImportIdle();
    await c.addTag(['Big Kick.wav'], 'mine');
    await c.waitSynced(t0);
    expect(await c.app.librarySize()).toBe(1);
    const kickC = await c.view('Big Kick.wav');
    expect(kickC.tags).toEqual(['mine']);
    expect(kickC.favourite).toBe(false);
    expect(await c.searchNames('drums')).toEqual([]);
    expect(await c.searchNames('hat')).toEqual([]);

    const apiA = await new SyncApi(server.url, userA).signIn();
    const apiC = await new SyncApi(server.url, userC).signIn();
    const libA = await apiA.library();
    const libC = await apiC.library();
    const kickHash = [...libA.samples.values()].find((s) => s.name === 'Big Kick.wav')!.id;
    expect([...libC.samples.keys()]).toEqual([kickHash]);
    expect(libC.samples.get(kickHash)!.tags).toEqual(['mine']);
    expect(libC.samples.get(kickHash)!.favorite).toBe(false);
    // No device of A's is listed for C, and none of C's for A.
    const devicesA = Object.keys(libA.clients);
    const devicesC = Object.keys(libC.clients);
    expect(devicesA.length).toBeGreaterThanOrEqual(2);
    expect(devicesC.length).toBe(1);
    expect(devicesC.filter((id) => devicesA.includes(id))).toEqual([]);

    // C writing to A's sample ids through the API only ever changes C's library.
    const hatHash = [...libA.samples.values()].find((s) => s.name === 'Closed Hat.wav')!.id;
    const pushed = await apiC.push([
      {
        clientId: 'intruder-c-0001',
        mutationId: 1,
        hlc: `${Date.now() + 60_000}-0000`,
        name: 'sample.addTags',
        args: { id: hatHash, tags: ['stolen'] },
      },
      {
        clientId: 'intruder-c-0001',
        mutationId: 2,
        hlc: `${Date.now() + 60_000}-0001`,
        name: 'sample.setField',
        args: { id: kickHash, field: 'favorite', value: false },
      },
    ]);
    expect(pushed.status).toBe(200);
    const after = await apiA.library();
    expect(after.samples.get(hatHash)!.tags).toEqual(['drums']);
    expect(after.samples.get(kickHash)!.favorite).toBe(true);
    expect(after.samples.get(kickHash)!.tags.sort()).toEqual(['drums', 'punchy']);
    expect(Object.keys(after.clients)).not.toContain('intruder-c-0001');
    // C's own (still unlisted: no analysis) entry for the hat is C's alone.
    expect((await apiC.liveSamples()).map((s) => s.id)).toEqual([kickHash]);

    // And A's devices, after syncing again (A reopens the app, B asks for a sync), show none of C's.
    const t = Date.now();
    await a.app.reload();
    await b.syncNow();
    await Promise.all([a.waitSynced(t), b.waitSynced(t)]);
    for (const d of [a, b]) {
      expect(await d.tagsOf('Big Kick.wav')).toEqual(['drums', 'punchy']);
      expect(await d.tagsOf('Groove 120.wav')).toEqual(['after-tab-closed', 'from-tab-two']);
      expect(await d.tagsOf('Closed Hat.wav')).toEqual(['drums']);
      expect((await d.view('Big Kick.wav')).favourite).toBe(true);
    }
  });
});
