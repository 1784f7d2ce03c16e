import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    // One stack test bundles the four functions with esbuild and synthesizes a whole app for real
    // (test/stacks/bundle.test.ts); on shared cores that can take a minute: give it room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker less than the cores: a single worker on a 2-core machine, every
    // file in turn. Test files wait on child processes, local servers and timers as much as on the CPU,
    // so one worker per core keeps both cores busy (measured: docs/benchmarks.md, "npm test").
    maxWorkers: Math.max(2, availableParallelism()),
    env: {
      // One SDK warning per worker (releases after January 2027 need Node.js 22) would bury the results;
      // @aws-sdk/core reads this switch. CI runs the function and stack tests on Node.js 24 as well.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // aws-cdk-lib warns once per process about a deprecated property it sets itself (the event bus
      // policy's `principal`): noise in every stack test's log. jsii's runtime reads this switch.
      JSII_DEPRECATED: 'quiet',
    },
  },
});
