import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function of the app is bundled, by the local esbuild (never Docker): minified CommonJS for
 * Lambda's Node.js 24 runtime, with source maps, and the AWS SDK bundled, so its versions are the pinned
 * ones and only the code a function uses is loaded (ADR 0005).
 */
export const FUNCTION_BUNDLING: BundlingOptions = {
  minify: true,
  sourceMap: true,
  target: 'node24',
  format: OutputFormat.CJS,
  externalModules: [],
  forceDockerBundling: false,
};
