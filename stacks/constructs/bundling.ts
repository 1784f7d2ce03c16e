import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function of the app is bundled, by the local esbuild (never Docker): minified CommonJS for
 * Lambda's Node.js 24 runtime, with source maps, and the AWS SDK bundled, so its versions are the pinned
 * ones and only the code a function uses is loaded (ADR 0005). bench/bundle.ts measures with the same
 * options.
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
