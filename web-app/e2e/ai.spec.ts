// AI descriptions in the app, against a real server-lite whose providers are the wire-protocol stub.
// Needs the integration edits listed at the top of web-app/src/ai/README.md: the first test checks
// them and every later test fails at once (with the same message) while they are missing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AppSession, openApp } from './browser';
import { GOOD, LOOPS } from './fixtures';
import { AiPage } from './pages/ai-page';
import { startTestServer, type TestServer } from './pages/ai-server';
import type { LibraryPage } from './pages/library-page';

let server: TestServer;
let s: AppSession;
let app: LibraryPage;
let ai: AiPage;
let missing: string[] | null = null;

const user = {
  email: `producer${Date.now()}@example.com`,
  username: `producer${Date.now()}`,
  password: 'correct horse battery',
};

beforeAll(async () => {
  [server, s] = await Promise.all([
    startTestServer({ providers: ['openai'], env: { AI_MAX_BATCH: '2' } }),
    openApp(),
  ]);
  app = s.app;
  ai = new AiPage(s.page);
  await app.drop([GOOD.kick, GOOD.hat, GOOD.tone, LOOPS.groove]);
  await app.waitForImportIdle();
});
afterAll(async () => {
  await s?.close();
  await server?.stop();
});
beforeEach(() => {
  server.stub!.reset();
});

/** Later tests fail fast, naming the missing edits, instead of timing out on absent elements. */
async function requireIntegration() {
  if (missing === null) {
    await app.select('Big Kick.wav');
    missing = await ai.missingIntegration();
  }
  if (missing.length) throw new Error(`AI integration missing: ${missing.join('; ')}`);
}

const rowsWithTag = async (tag: string) => {
  await app.page.locator(`[data-testid="tag-${tag}"]`).click();
  const names = (await app.rowNames()).sort();
  await app.page.locator(`[data-testid="tag-${tag}"]`).click();
  await app.settle();
  return names;
};

describe('AI in the app', () => {
  it('is mounted: settings button in the header, AI section in the detail panel, bulk action in the selection bar', async () => {
    await app.select('Big Kick.wav');
    missing = await ai.missingIntegration();
    expect(
      missing,
      `The lead's integration edits (web-app/src/ai/README.md) are not applied yet:\n  ${missing.join('\n  ')}`,
    ).toEqual([]);
  });

  it('says plainly that AI needs a server, before anything is set up', async () => {
    await requireIntegration();
    await app.select('Big Kick.wav');
    expect(await ai.hint()).toContain('Connect a SampleMind server in Settings to use AI');
    expect(await ai.describeButton().isDisabled()).toBe(true);
  });

  it('connects, signs up, lists the providers, and refuses a wrong password plainly', async () => {
    await requireIntegration();
    await ai.openSettings();
    await ai.submitConnect('127.0.0.1:1');
    // Nothing listens there: the address is not accepted.
    await ai.settingsError().waitFor();
    expect(await ai.settingsError().textContent()).toMatch(/Can't reach/);
    await ai.connect(server.url);
    await ai.signUp(user);
    expect(await ai.signedInAs()).toBe(user.username);
    expect(await ai.providers()).toEqual([{ id: 'openai', model: 'openai-stub-model', health: 'unknown' }]);

    await ai.signOut();
    await ai.submitSignIn(user.username, 'wrong password');
    await ai.settingsError().waitFor();
    expect(await ai.settingsError().textContent()).toMatch(/wrong username\/email or password/i);
    await ai.signIn(user.email, user.password);
    expect(await ai.signedInAs()).toBe(user.username);
    await ai.closeSettings();
  });

  it('describes a sample with the text streaming in, applies a suggested tag, and keeps it all offline', async () => {
    await requireIntegration();
    const { page, context } = s;
    server.stub!.setDefault('openai', { chunkDelayMs: 30 });
    await app.select('Big Kick.wav');
    const streamed = (await ai.describe()).filter((t) => t !== 'Describing…');
    expect(await ai.error()).toBeNull();
    const description = await ai.description();
    expect(description).toContain('Big Kick.wav');
    // The description grew in front of the user before the validated one replaced it.
    expect(streamed.length).toBeGreaterThan(1);
    for (let i = 1; i < streamed.length; i++) expect(streamed[i].startsWith(streamed[i - 1])).toBe(true);
    expect(description.startsWith(streamed[0])).toBe(true);
    expect(await ai.meta()).toMatch(/^openai · openai-stub-model · new answer/);
    expect(await ai.guesses('genres')).toMatch(/techno/);
    expect(await ai.guesses('moods')).toMatch(/energetic/);

    const tags = await ai.suggestedTags();
    expect(tags).toContainEqual({ name: 'punchy', applied: false });
    await ai.applyTag('punchy');
    expect(await rowsWithTag('punchy')).toEqual(['Big Kick.wav']);

    // The provider list now shows it healthy.
    await ai.openSettings();
    expect((await ai.providers())[0].health).toBe('ok');
    await ai.closeSettings();

    // Offline, served by the service worker, the server unreachable: description and tag remain.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await app.reload();
    await context.setOffline(true);
    await context.route('**/*', (route) => route.abort('internetdisconnected'));
    try {
      await app.reload();
      await app.select('Big Kick.wav');
      expect(await ai.description()).toBe(description);
      expect(await ai.suggestedTags()).toContainEqual({ name: 'punchy', applied: true });
      // Still signed in (the tokens are stored), so the action stays available for when the network is back.
      await ai.openSettings();
      expect(await ai.signedInAs()).toBe(user.username);
      await ai.closeSettings();
    } finally {
      await context.unroute('**/*');
      await context.setOffline(false);
    }
    expect((await ai.storedDescriptions()).map((d) => d.description)).toEqual([description]);
  });

  it('describes a selection in batches with progress, lists failures, cancels, and adds the tags', async () => {
    await requireIntegration();
    const others = ['Closed Hat.wav', 'Pluck A3.wav', 'Groove 120.wav'];
    await app.select('Big Kick.wav');
    for (const name of others) await app.select(name, ['Control']);

    await ai.openBulk();
    expect(await ai.bulkTodo()).toBe(3);
    expect(await ai.bulkSummary()).toMatch(/4 selected: 3 to describe, 1 already described/);
    await ai.startBulk();
    expect(await ai.waitBulkFinished()).toBe('done');
    expect(await ai.bulkCount()).toBe('3 / 3');
    expect(await ai.bulkFailures()).toEqual([]);
    // AI_MAX_BATCH=2 on the server: two requests, two provider calls.
    expect(server.stub!.requests.map((r) => r.userTexts.join('').match(/^\[s\d+\]/gm)?.length)).toEqual([
      2, 1,
    ]);
    expect(await ai.applyBulkTags()).toMatch(/Tagged 3 files/);
    await ai.closeBulk();
    expect(await rowsWithTag('tight')).toEqual(others.slice().sort());
    expect((await ai.storedDescriptions()).length).toBe(4);

    // Again, everything: the first batch fails at the provider, the second goes through.
    server.stub!.script('openai', { status: 500, errorMessage: 'provider exploded' });
    await ai.openBulk();
    expect(await ai.bulkTodo()).toBe(0);
    await ai.setBulkRedo(true);
    await expect.poll(() => ai.bulkTodo()).toBe(4);
    await ai.startBulk();
    expect(await ai.waitBulkFinished()).toBe('done');
    const failures = await ai.bulkFailures();
    expect(failures).toHaveLength(2);
    expect(failures.join('\n')).toMatch(/No AI provider could answer/);
    expect(failures.join('\n')).not.toMatch(/exploded/);
    expect(await ai.bulkStatus()).toMatch(/2 described, 2 failed/);
    await ai.closeBulk();

    // A slow provider, and the user cancels mid-run.
    server.stub!.setDefault('openai', { delayMs: 5000 });
    await ai.openBulk();
    await ai.setBulkRedo(true);
    await expect.poll(() => ai.bulkTodo()).toBe(4);
    await ai.startBulk();
    await expect.poll(() => ai.bulkState()).toBe('running');
    await ai.cancelBulk();
    expect(await ai.waitBulkFinished(10_000)).toBe('cancelled');
    expect(await ai.bulkStatus()).toMatch(/Cancelled: 0 described/);
    await ai.closeBulk();
  });

  it('after signing out, says so and still shows the stored description', async () => {
    await requireIntegration();
    await ai.openSettings();
    await ai.signOut();
    await ai.closeSettings();
    await app.select('Pluck A3.wav');
    expect(await ai.hint()).toContain('Sign in to your SampleMind server in Settings to use AI');
    expect(await ai.description()).toContain('Pluck A3.wav');
  });
});
