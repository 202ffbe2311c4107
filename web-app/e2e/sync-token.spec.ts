// Access tokens expiring while devices sync (issue 6 §4): the server issues 10-second access tokens
// (ACCESS_TOKEN_TTL_SEC, its minimum), so a few rounds of edits span several lifetimes. Sync must
// refresh them transparently: every edit arrives, the status never shows an error, and nobody is
// asked to sign in again. Also the token that expired while the device was offline, and one that
// expired on its way (device A talks through a forwarder that can hold a request back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD } from './fixtures';
import { newUser } from './pages/sync-api';
import { SyncDevice } from './pages/sync-device';
import { type SyncProxy, startSyncProxy } from './pages/sync-proxy';
import { type SyncServer, startSyncServer } from './pages/sync-server';

const TTL_SEC = 10;
const REFRESH = '/api/v1/auth/refresh';
const user = newUser('tokens');

let server: SyncServer;
let proxy: SyncProxy;
let a: SyncDevice;
let b: SyncDevice;

beforeAll(async () => {
  [server, a, b] = await Promise.all([
    startSyncServer({ env: { ACCESS_TOKEN_TTL_SEC: String(TTL_SEC) } }),
    SyncDevice.open('A'),
    SyncDevice.open('B'),
  ]);
  proxy = await startSyncProxy(server.port);
  await a.signUp(proxy.url, user);
  const t = Date.now();
  await a.app.drop([GOOD.kick, GOOD.hat]);
  await a.app.waitForImportIdle();
  await a.waitSynced(t);
  await b.signIn(server.url, user);
  await b.waitForLibrarySize(2);
  await b.waitSynced(0);
  await Promise.all([a.recordStates(), b.recordStates()]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await proxy?.close();
  await server?.stop();
});

async function expectNoErrorShown(d: SyncDevice) {
  const { states, errors } = await d.recordedStates();
  expect(states, `${d.label} showed: ${states.join(' → ')}`).not.toContain('error');
  expect(errors).toEqual([]);
}

describe('access token expiry during sync', () => {
  it('keeps syncing across several token lifetimes, with no error and no new sign-in', async () => {
    const t0 = Date.now();
    let i = 0;
    // Edits both ways for 3.5 token lifetimes.
    while (Date.now() - t0 < 3.5 * TTL_SEC * 1000) {
      const tag = `take${i++}`;
      const [from, to] = i % 2 ? [a, b] : [b, a];
      await from.addTag(['Big Kick.wav'], tag);
      await expect
        .poll(() => to.tagsOf('Big Kick.wav'), { timeout: 20_000, message: `${tag} on ${to.label}` })
        .toContain(tag);
      await a.page.waitForTimeout(1500);
    }
    expect(i).toBeGreaterThanOrEqual(4);
    // Both devices refreshed more than once, and both ended with every edit.
    expect(a.requestsTo(REFRESH, t0)).toBeGreaterThanOrEqual(2);
    expect(b.requestsTo(REFRESH, t0)).toBeGreaterThanOrEqual(2);
    const tagsA = await a.tagsOf('Big Kick.wav');
    expect(tagsA).toHaveLength(i);
    expect(await b.tagsOf('Big Kick.wav')).toEqual(tagsA);
    await expectNoErrorShown(a);
    await expectNoErrorShown(b);
    expect(await a.sessionEnded()).toBe(false);
    expect(await b.signedInAs()).toBe(user.username);
  });

  it('refreshes a token that expired while the device was offline, then uploads what waited', async () => {
    await a.setOffline(true);
    await a.waitForState(['offline']);
    await a.addTag(['Closed Hat.wav'], 'asleep');
    await expect.poll(async () => (await a.status()).pending).toBeGreaterThan(0);
    // Longer than a token lives: the stored access token is dead when the network returns.
    await a.page.waitForTimeout((TTL_SEC + 2) * 1000);
    const t = Date.now();
    await a.setOffline(false);
    await a.waitSynced(t, 60_000);
    expect(a.requestsTo(REFRESH, t)).toBeGreaterThanOrEqual(1);
    await expect.poll(() => b.tagsOf('Closed Hat.wav'), { timeout: 20_000 }).toEqual(['asleep']);
    await expectNoErrorShown(a);
    await expectNoErrorShown(b);
    expect(await a.signedInAs()).toBe(user.username);
  });

  it('retries with a fresh token when the one it sent expired on the way', async () => {
    const t = Date.now();
    // A's next pull waits in the network longer than a token lives.
    const held = proxy.delayNext('/api/v1/sync/pull', (TTL_SEC + 1) * 1000);
    await b.addTag(['Closed Hat.wav'], 'slow-network');
    await held;
    await expect.poll(() => a.tagsOf('Closed Hat.wav'), { timeout: 30_000 }).toContain('slow-network');
    const seen = proxy.log.filter((r) => r.at >= t);
    const rejected = seen.find((r) => r.path === '/api/v1/sync/pull' && r.status === 401);
    expect(rejected, 'the held pull was answered 401').toBeDefined();
    expect(seen.some((r) => r.path === '/api/v1/sync/pull' && r.status === 200 && r.at >= rejected!.at)).toBe(
      true,
    );
    expect(a.requestsTo(REFRESH, t)).toBeGreaterThanOrEqual(1);
    await expectNoErrorShown(a);
    expect(await a.signedInAs()).toBe(user.username);
  });
});
