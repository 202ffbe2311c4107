import { defineConfig } from 'vitest/config';

// Each workspace owns its test setup (services, browsers); the root only lists them.
export default defineConfig({
  test: {
    projects: ['contract', 'src-workers', 'server-lite', 'web-app', 'web-app/vitest.e2e.config.ts'],
  },
});
