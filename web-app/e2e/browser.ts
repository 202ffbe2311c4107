import type { BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchApp } from '../scripts/app-browser';
import { LibraryPage } from './pages/library-page';

export type AppSession = { context: BrowserContext; page: Page; app: LibraryPage; close(): Promise<void> };

/** A fresh profile (empty IndexedDB) with the app open. */
export async function openApp(query = ''): Promise<AppSession> {
  const { context, close } = await launchApp();
  const page = context.pages()[0] ?? (await context.newPage());
  const app = new LibraryPage(page, inject('baseUrl'));
  await app.open(query);
  return { context, page, app, close };
}
