import { defineConfig } from 'vitest/config';

export default defineConfig({
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
