import type { Locator, Page } from 'playwright-core';

export type ProviderRow = { id: string; model: string; health: string };

/** The integration edits, by what each makes appear (web-app/src/ai/README.md has the code). */
const INTEGRATION = [
  ['settings-open', 'header.tsx: render <SettingsButton /> (from ./settings-panel)'],
  ['ai-bulk-describe', 'selection-bar.tsx: render <AiBulkDescribeButton /> (from ./ai-bulk-describe)'],
  [
    'ai-panel',
    'detail-panel.tsx: render <AiDescribePanel fileId={id} sample={sample} /> (from ./ai-describe-panel)',
  ],
] as const;

/** Page object for the AI features: settings/account dialog, the detail panel's AI section, bulk describe. */
export class AiPage {
  constructor(readonly page: Page) {}

  private t(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  /**
   * Which integration edits are missing, with a sample focused (the AI section is lazy: it gets
   * a few seconds to load). Empty when the app mounts all three components.
   */
  async missingIntegration(): Promise<string[]> {
    const missing: string[] = [];
    for (const [id, edit] of INTEGRATION) {
      const present = await this.t(id)
        .first()
        .waitFor({ state: 'attached', timeout: id === 'ai-panel' ? 10_000 : 2_000 })
        .then(() => true)
        .catch(() => false);
      if (!present) missing.push(edit);
    }
    return missing;
  }

  // --- settings and account -------------------------------------------------------------------

  async openSettings(): Promise<void> {
    await this.t('settings-open').click();
    await this.t('settings').waitFor();
  }

  async closeSettings(): Promise<void> {
    await this.t('settings-dialog').locator('[data-testid="dialog-close"]').click();
    await this.t('settings-dialog').waitFor({ state: 'detached' });
  }

  /** Types a server address and presses Connect, without waiting for the outcome. */
  async submitConnect(url: string): Promise<void> {
    await this.t('settings-server-url').fill(url);
    await this.t('settings-server-connect').click();
  }

  async connect(url: string): Promise<void> {
    await this.submitConnect(url);
    await this.t('settings-server').waitFor();
  }

  async signUp(user: { email: string; username: string; password: string }): Promise<void> {
    await this.t('settings-mode-sign-up').click();
    await this.t('settings-email').fill(user.email);
    await this.t('settings-login').fill(user.username);
    await this.t('settings-password').fill(user.password);
    await this.t('settings-submit').click();
    await this.t('settings-signed-in').waitFor();
  }

  /** Fills and submits the sign-in form without waiting for the outcome. */
  async submitSignIn(login: string, password: string): Promise<void> {
    await this.t('settings-mode-sign-in').click();
    await this.t('settings-login').fill(login);
    await this.t('settings-password').fill(password);
    await this.t('settings-submit').click();
  }

  async signIn(login: string, password: string): Promise<void> {
    await this.submitSignIn(login, password);
    await this.t('settings-signed-in').waitFor();
  }

  async signOut(): Promise<void> {
    await this.t('settings-sign-out').click();
    await this.t('settings-signed-in').waitFor({ state: 'detached' });
  }

  async signedInAs(): Promise<string | null> {
    await this.t('settings-account').waitFor();
    if (!(await this.t('settings-signed-in').count())) return null;
    await this.page.waitForFunction(
      () => document.querySelector('[data-testid="settings-username"]')?.textContent !== '…',
    );
    return this.t('settings-username').textContent();
  }

  settingsError(): Locator {
    return this.t('settings-error');
  }

  /** The provider list in settings, once loaded. */
  async providers(): Promise<ProviderRow[]> {
    await this.t('ai-providers')
      .or(this.t('ai-providers-empty'))
      .or(this.t('ai-providers-error'))
      .first()
      .waitFor();
    return this.t('ai-providers')
      .locator('li')
      .evaluateAll((lis) =>
        lis.map((li) => ({
          id: li.querySelector('b')?.textContent ?? '',
          model: li.querySelector('b + span')?.textContent ?? '',
          health: (li as HTMLElement).dataset.health ?? '',
        })),
      );
  }

  async reloadProviders(): Promise<void> {
    await this.t('ai-providers-reload').click();
    await this.page.waitForFunction(
      () => document.querySelector('[data-testid="ai-providers-reload"]')?.textContent === 'Refresh',
    );
  }

  async chooseProvider(value: string): Promise<void> {
    await this.t('ai-provider-select').selectOption(value);
  }

  // --- one sample -----------------------------------------------------------------------------

  panel(): Locator {
    return this.t('ai-panel');
  }

  describeButton(): Locator {
    return this.t('ai-describe');
  }

  async hint(): Promise<string> {
    await this.t('ai-hint').waitFor();
    return (await this.t('ai-hint').textContent()) ?? '';
  }

  /**
   * Clicks "Describe with AI" and waits for the stored result. Returns every text the streaming
   * line showed on the way (sampled each animation frame), so a spec can see it grow.
   */
  async describe(): Promise<string[]> {
    await this.panel().waitFor();
    await this.page.evaluate(() => {
      const texts: string[] = [];
      (globalThis as { __aiStreamTexts?: string[] }).__aiStreamTexts = texts;
      const tick = () => {
        const t = document.querySelector('[data-testid="ai-streaming"]')?.textContent;
        if (t && texts[texts.length - 1] !== t) texts.push(t);
        if ((globalThis as { __aiStreamTexts?: string[] }).__aiStreamTexts === texts)
          requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await this.describeButton().click();
    await this.t('ai-result').or(this.t('ai-error')).first().waitFor({ timeout: 60_000 });
    return this.page.evaluate(() => {
      const g = globalThis as { __aiStreamTexts?: string[] };
      const texts = g.__aiStreamTexts ?? [];
      g.__aiStreamTexts = undefined;
      return texts;
    });
  }

  async error(): Promise<string | null> {
    return (await this.t('ai-error').count()) ? this.t('ai-error').textContent() : null;
  }

  async description(): Promise<string> {
    await this.t('ai-description').waitFor();
    return (await this.t('ai-description').textContent()) ?? '';
  }

  async meta(): Promise<string> {
    return (await this.t('ai-meta').textContent()) ?? '';
  }

  /** Suggested tags: name and whether the sample already has it. */
  async suggestedTags(): Promise<{ name: string; applied: boolean }[]> {
    await this.t('ai-tags').waitFor();
    return this.t('ai-tags')
      .locator('.ai-tag')
      .evaluateAll((els) =>
        els.map((el) => ({
          name: (el as HTMLElement).dataset.testid!.replace(/^ai-tag-/, ''),
          applied: el.getAttribute('aria-pressed') === 'true',
        })),
      );
  }

  async applyTag(name: string): Promise<void> {
    const chip = this.t(`ai-tag-${name}`);
    await chip.click();
    await this.page.waitForFunction(
      (n) => document.querySelector(`[data-testid="ai-tag-${n}"]`)?.getAttribute('aria-pressed') === 'true',
      name,
    );
  }

  async guesses(kind: 'genres' | 'moods'): Promise<string> {
    return (await this.t(`ai-${kind}`).textContent()) ?? '';
  }

  // --- bulk -----------------------------------------------------------------------------------

  async openBulk(): Promise<void> {
    await this.t('ai-bulk-describe').click();
    await this.t('ai-bulk-dialog').waitFor();
  }

  /** How many sounds the dialog would send, once counted. */
  async bulkTodo(): Promise<number> {
    await this.t('ai-bulk-todo').waitFor();
    return Number(await this.t('ai-bulk-todo').textContent());
  }

  async bulkSummary(): Promise<string> {
    return (await this.t('ai-bulk-summary').textContent()) ?? '';
  }

  async setBulkRedo(on: boolean): Promise<void> {
    const box = this.t('ai-bulk-redo');
    if ((await box.isChecked()) !== on) await box.click();
  }

  async startBulk(): Promise<void> {
    await this.t('ai-bulk-start').click();
    await this.t('ai-bulk-run').waitFor();
  }

  bulkState(): Promise<string | null> {
    return this.t('ai-bulk-run').getAttribute('data-state');
  }

  async waitBulkFinished(timeout = 60_000): Promise<string> {
    await this.page.waitForFunction(
      () =>
        ['done', 'cancelled', 'stopped'].includes(
          document.querySelector('[data-testid="ai-bulk-run"]')?.getAttribute('data-state') ?? '',
        ),
      undefined,
      { timeout },
    );
    return (await this.bulkState())!;
  }

  async bulkCount(): Promise<string> {
    return ((await this.t('ai-bulk-count').textContent()) ?? '').trim();
  }

  async bulkStatus(): Promise<string> {
    return (await this.t('ai-bulk-status').textContent()) ?? '';
  }

  async bulkFailures(): Promise<string[]> {
    if (!(await this.t('ai-bulk-failures').count())) return [];
    return this.t('ai-bulk-failures').locator('li').allTextContents();
  }

  async cancelBulk(): Promise<void> {
    await this.t('ai-bulk-cancel').click();
  }

  async applyBulkTags(): Promise<string> {
    await this.t('ai-bulk-apply-tags').click();
    await this.t('ai-bulk-tagged').waitFor();
    return (await this.t('ai-bulk-tagged').textContent()) ?? '';
  }

  async closeBulk(): Promise<void> {
    await this.t('ai-bulk-dialog').locator('[data-testid="dialog-close"]').click();
    await this.t('ai-bulk-dialog').waitFor({ state: 'detached' });
  }

  /** AI descriptions stored in the app's IndexedDB database ('samplemind', table 'descriptions'). */
  storedDescriptions(): Promise<{ contentHash: string; description: string }[]> {
    return this.page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('samplemind');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('descriptions')) {
              db.close();
              resolve([]);
              return;
            }
            const req = db.transaction('descriptions').objectStore('descriptions').getAll();
            req.onsuccess = () => {
              db.close();
              resolve(
                (req.result as { contentHash: string; analysis: { description: string } }[]).map((r) => ({
                  contentHash: r.contentHash,
                  description: r.analysis.description,
                })),
              );
            };
            req.onerror = () => reject(req.error);
          };
        }),
    );
  }
}
