import { defineProject } from 'vitest/config';

// Fast unit tests only (pure logic, Dexie on fake-indexeddb). Browser specs: vitest.e2e.config.ts.
export default defineProject({
  test: {
    name: 'web-app',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
