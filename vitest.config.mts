import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    // Stack tests bundle the function with esbuild and synthesize whole apps: give them room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
