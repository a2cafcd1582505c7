import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web UI's alias for the admin API contract (ui/vite.config.ts), for its unit tests.
  resolve: {
    alias: { '@contracts': fileURLToPath(new URL('./src/admin/admin-contract.ts', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'ui/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One throwaway Redis and PostgreSQL for the whole run (test/support/README.md).
    globalSetup: ['test/support/global-services.ts'],
  },
});
