import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server-lite',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Starts one real Redis and one real Chroma for the run (see test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // Files that kill and restart their own services or spawn servers are heavy: two at a time.
    maxWorkers: 2,
    // Runs after the other projects (which use the default worker count), as vitest requires.
    sequence: { groupOrder: 1 },
    env: { LOG_LEVEL: 'silent' },
  },
});
