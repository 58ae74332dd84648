import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'web/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // One embedded PostgreSQL per test run (src/test-support/test-db.ts gives each file its own database).
    globalSetup: ['src/test-support/global-setup.ts'],
  },
});
