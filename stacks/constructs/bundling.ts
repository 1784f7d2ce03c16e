import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/**
 * How every function of the app is bundled, by the local esbuild (never Docker): minified CommonJS for
 * Lambda's Node.js 24 runtime, with source maps, and the AWS SDK bundled, so its versions are the pinned
 * ones and only the code a function uses is loaded (ADR 0005). The benchmarks (bench/bundle.ts), the demo
 * (scripts/demo/bundles.ts) and the permissions scan (test/helpers/sdk-operations.ts) bundle with the same
 * options, through {@link esbuildOptionsOf}.
 */
export const FUNCTION_BUNDLING: BundlingOptions = {
  minify: true,
  // Prefer each package's ES module build: esbuild can drop what a function never imports from it (the
  // AWS SDK clients' unused commands and schemas). With the default (`main` first, the CommonJS build)
  // every command of every client is bundled: the checker was 1.25 MB, it is about 0.93 MB this way.
  mainFields: ['module', 'main'],
  sourceMap: true,
  target: 'node24',
  format: OutputFormat.CJS,
  externalModules: [],
  forceDockerBundling: false,
};

/** The bundling options {@link esbuildOptionsOf} knows how NodejsFunction passes to esbuild. */
const MIRRORED_OPTIONS: ReadonlySet<string> = new Set([
  'minify',
  'mainFields',
  'sourceMap',
  'target',
  'format',
  'externalModules',
  'forceDockerBundling',
]);

/**
 * The esbuild options NodejsFunction runs with the local esbuild for `bundling` (without the entry point
 * and output file): one translation, so what is measured, scanned or run outside CDK is the code that is
 * deployed. NodejsFunction leaves the AWS SDK out only when `externalModules` is undefined.
 * @throws Error on a bundling option it does not mirror (it could change what goes into the bundle)
 */
export function esbuildOptionsOf(bundling: BundlingOptions): BuildOptions {
  const unknown = Object.keys(bundling).filter((k) => !MIRRORED_OPTIONS.has(k));
  if (unknown.length > 0) {
    throw new Error(`esbuildOptionsOf: bundling option(s) ${unknown.join(', ')} not mirrored`);
  }
  return {
    bundle: true,
    platform: 'node',
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    ...(bundling.target === undefined ? {} : { target: bundling.target }),
    format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs',
    ...(bundling.mainFields === undefined ? {} : { mainFields: [...bundling.mainFields] }),
    external: [...(bundling.externalModules ?? ['@aws-sdk/*'])],
  };
}
