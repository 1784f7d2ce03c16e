import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, parseConfig, type AppConfig } from '../stacks/config';

/**
 * Shared command-line plumbing of the operator tools (doctor, preview, bench, e2e): one option name for
 * the configuration, strict option parsing, and one-line errors with exit code 2 instead of stack traces.
 */

/** The option every tool takes for the configuration file (CDK's own CLI takes `-c configFile=`). */
export const CONFIG_OPTION = { config: { type: 'string' } } as const;

/** Exit code for bad usage (unknown option, bad value, unusable input file): the shell convention. */
export const USAGE_EXIT_CODE = 2;

/** A mistake in how a tool was called or in the file it was given; printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `parseArgs` in strict mode, with its multi-line messages turned into one short line: an unknown
 * option or a typo is an error, never silently ignored.
 * @throws UsageError
 */
export function parseCommandLine<T extends Options>(argv: readonly string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`unexpected argument "${parsed.positionals[positionals] ?? ''}"`);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    const option = /'(--?[^' <]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${option}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && /ambiguous/.test(message)) {
      // parseArgs refuses `--grace -1` (the value looks like an option): say which value was refused.
      const value = argv[argv.indexOf(option) + 1] ?? '';
      throw new UsageError(`${option} "${value}" is not an accepted value`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${option} needs a value`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const argument = /'([^']*)'/.exec(message)?.[1] ?? '';
      throw new UsageError(`unexpected argument "${argument}" (a configuration file goes after --config)`);
    }
    throw error;
  }
}

/** Context key of the inline example configuration in cdk.json (bin/app.ts reads the same). */
const CONFIG_CONTEXT_KEY = 'orgMfaWatch';
/** Context key naming a JSON configuration file (`cdk synth -c configFile=./my-org.json`). */
const CONFIG_FILE_CONTEXT_KEY = 'configFile';

function readJsonFile(path: string, label: string, readText: (path: string) => string): unknown {
  try {
    return JSON.parse(readText(path)) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`${label} ${path}: ${reason}`]);
  }
}

/**
 * The raw configuration, found the way `cdk synth` finds it: the file given with `--config`, else the
 * file named by `configFile` in the context of cdk.json, else the `orgMfaWatch` context of cdk.json.
 * @throws ConfigError when a file is missing or not JSON
 */
export function readRawConfig(
  file: string | undefined,
  readText: (path: string) => string = (p) => readFileSync(resolve(p), 'utf8'),
): unknown {
  if (file !== undefined) return readJsonFile(file, '--config', readText);
  const cdk = readJsonFile('cdk.json', 'cannot read', readText) as { context?: Record<string, unknown> };
  const named = cdk.context?.[CONFIG_FILE_CONTEXT_KEY];
  if (typeof named === 'string' && named !== '') return readJsonFile(named, 'configFile', readText);
  return cdk.context?.[CONFIG_CONTEXT_KEY];
}

/**
 * The validated configuration for a tool (see readRawConfig).
 * @throws ConfigError
 */
export function loadConfig(file: string | undefined): AppConfig {
  return parseConfig(readRawConfig(file));
}

/**
 * Run a tool's main function: a UsageError or ConfigError becomes its message on stderr (one line per
 * problem, no stack trace) with exit code 2; anything else is a bug and keeps its stack trace.
 */
export async function runTool(
  name: string,
  main: () => number | Promise<number>,
  usageHint: string,
): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (error instanceof UsageError) {
      // One line, whatever the message quotes (a JSON parse error repeats the file's first line).
      process.stderr.write(`${name}: ${error.message.replace(/\s*\n\s*/g, ' ')}. ${usageHint}\n`);
      return USAGE_EXIT_CODE;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return USAGE_EXIT_CODE;
    }
    throw error;
  }
}
