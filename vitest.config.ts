import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,src-workers,server-lite,web-app}/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
