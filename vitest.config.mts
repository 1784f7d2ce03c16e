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
    // One SDK warning per worker (releases after January 2027 need Node.js 22) would bury the results;
    // @aws-sdk/core reads this switch. CI runs the function and stack tests on Node.js 24 as well.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
