import { defineConfig } from 'vitest/config';

// `npm run test:e2e`: against a real AWS sandbox, never part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
