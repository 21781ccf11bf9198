import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests, and integration tests that share one real redis-server started by
// test/helpers/redis-global-setup.ts (each test still uses its own random key prefix / queue name). The workspace
// packages' own tests (packages/*/test) run in the same two projects, so `npm test` covers the engines too.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['test/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts'],
          globalSetup: ['test/helpers/redis-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
