import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, it } from 'vitest';
import { esbuildOptionsOf, FUNCTION_BUNDLING } from '../../stacks/constructs/bundling';

// The benchmarks, the demo and the permissions scan bundle through esbuildOptionsOf (issue 21, item 5):
// it must say what NodejsFunction runs for the stack's options, and refuse an option it does not mirror.
describe('esbuildOptionsOf', () => {
  it("gives esbuild the stack's options as NodejsFunction does: minified CJS for node24, linked source maps, ES module builds first, the SDK bundled", () => {
    expect(esbuildOptionsOf(FUNCTION_BUNDLING)).toEqual({
      bundle: true,
      platform: 'node',
      minify: true,
      sourcemap: true,
      target: 'node24',
      format: 'cjs',
      mainFields: ['module', 'main'],
      external: [],
    });
  });

  it('leaves the AWS SDK out when externalModules is not set, as NodejsFunction does', () => {
    expect(esbuildOptionsOf({ format: OutputFormat.ESM }).external).toEqual(['@aws-sdk/*']);
    expect(esbuildOptionsOf({ format: OutputFormat.ESM }).format).toBe('esm');
  });

  it('refuses a bundling option it does not mirror, naming it', () => {
    expect(() => esbuildOptionsOf({ ...FUNCTION_BUNDLING, define: { X: '1' } })).toThrow(
      'bundling option(s) define not mirrored',
    );
  });
});
