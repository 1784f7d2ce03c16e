import { defineConfig } from 'vitest/config';

// Only for test/scripts/test-summary.test.ts: runs the runner fixtures, one of which fails on purpose.
export default defineConfig({
  test: {
    include: ['test/fixtures/runner/*.fixture.ts'],
    environment: 'node',
    pool: 'forks',
  },
});
