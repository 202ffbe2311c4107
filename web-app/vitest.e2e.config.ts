import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser specs: the BUILT app served by `vite preview`, driven in the system Chromium through
// playwright-core with real IndexedDB and service workers. One spec file at a time (2 cores).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    name: 'web-app-e2e',
    include: ['e2e/**/*.spec.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    maxWorkers: 1,
    // Within the root run, start after the unit-test projects (their own group, one file at a time).
    sequence: { groupOrder: 2 },
  },
});
