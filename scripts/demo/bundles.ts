import type { Context } from 'aws-lambda';
import { build, type BuildOptions } from 'esbuild';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { esbuildOptionsOf, FUNCTION_BUNDLING } from '../../stacks/constructs/bundling';
import type { DeployedFunction } from './deployment';
import { setEnvironment } from './environment';
import { DemoAbortError } from './errors';

/**
 * The functions as Lambda runs them: each handler bundled by esbuild with the stack's own bundling
 * options (FUNCTION_BUNDLING), loaded once (a warm container: module-scope clients and caches live
 * across invocations) with the environment variables the stack sets, and invoked with a Lambda context.
 */

/** The Lambda context of an async handler (the callback-era `done`, `fail`, `succeed` are not offered). */
export type LambdaContext = Omit<Context, 'done' | 'fail' | 'succeed'>;

/** A loaded function's entry point. */
export type LambdaHandler = (event: unknown, context: LambdaContext) => Promise<unknown>;

/** esbuild's options for the stack's bundling options (what NodejsFunction passes to the local esbuild). Pure. */
export function esbuildOptions(bundling: BundlingOptions, entry: string, outfile: string): BuildOptions {
  return { ...esbuildOptionsOf(bundling), entryPoints: [entry], outfile, logLevel: 'silent' };
}

/** Bundle each entry (an absolute path) into `<outDir>/<name>/index.js`, in parallel. Returns the bundle paths by name. */
export async function bundleFunctions<N extends string>(
  entries: Readonly<Record<N, string>>,
  outDir: string,
): Promise<Record<N, string>> {
  const names = Object.keys(entries) as N[];
  const paths = await Promise.all(
    names.map(async (name) => {
      const outfile = join(outDir, name, 'index.js');
      await build(esbuildOptions(FUNCTION_BUNDLING, entries[name], outfile));
      return [name, outfile] as const;
    }),
  );
  return Object.fromEntries(paths) as Record<N, string>;
}

/**
 * Load a bundle with `environment` set while its module initializes (where the handlers read it), and
 * the previous environment restored afterwards.
 */
export function loadHandler(
  bundlePath: string,
  environment: Readonly<Record<string, string>>,
): LambdaHandler {
  const restore = setEnvironment(environment);
  try {
    const loaded = createRequire(bundlePath)(bundlePath) as { handler?: unknown };
    if (typeof loaded.handler !== 'function') throw new Error(`${bundlePath} exports no handler`);
    return loaded.handler as LambdaHandler;
  } finally {
    restore();
  }
}

/** The function ran past its timeout (Lambda would have stopped it). */
export class FunctionTimeoutError extends DemoAbortError {
  constructor(name: string, seconds: number) {
    super(`${name} did not finish within ${seconds} s`);
    this.name = 'FunctionTimeoutError';
  }
}

/** A Lambda context for one invocation of `fn`, whose remaining time counts down from its timeout. */
export function lambdaContext(fn: DeployedFunction, timeoutMs: number): LambdaContext {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: fn.arn,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: 'demo',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/**
 * Invoke a handler as Lambda would, bounded by `limitMs` (at most the function's timeout): a function
 * that hangs fails the demo with its name instead of stalling it.
 */
export async function invoke(
  handler: LambdaHandler,
  fn: DeployedFunction,
  event: unknown,
  limitMs: number,
): Promise<unknown> {
  const timeoutMs = Math.min(limitMs, fn.timeoutSeconds * 1000);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new FunctionTimeoutError(fn.name, timeoutMs / 1000));
    }, timeoutMs);
  });
  try {
    return await Promise.race([handler(event, lambdaContext(fn, fn.timeoutSeconds * 1000)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
