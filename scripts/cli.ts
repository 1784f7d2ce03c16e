import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, parseConfig, type AppConfig } from '../stacks/config';
import { awsFailureLine } from './aws-failure';

// The SDK's notice that its releases after January 2027 need Node.js 22 speaks to developers, not to an
// operator reading a tool's answer; @aws-sdk/core reads this switch when a client is created, after every
// tool has imported this module. An explicit value set by the operator is kept.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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

/**
 * Environment variable naming the configuration file for every tool, as `--config` does (the flag wins).
 * For a shell or CI job that runs several tools on one organization: `export ORG_MFA_WATCH_CONFIG=my-org.json`.
 */
export const CONFIG_ENV = 'ORG_MFA_WATCH_CONFIG';

/** Where a tool's configuration comes from, in the order the tools look. */
export type ConfigSource =
  /** `--config FILE` on the command line. */
  | { readonly kind: 'option'; readonly file: string }
  /** The file named by {@link CONFIG_ENV}. */
  | { readonly kind: 'environment'; readonly file: string }
  /** The file named by `configFile` in the context of cdk.json (what `cdk synth` reads). */
  | { readonly kind: 'context-file'; readonly file: string }
  /** The example organization under the `orgMfaWatch` context of cdk.json (quick trials only). */
  | { readonly kind: 'example' };

function readJsonFile(path: string, label: string, readText: (path: string) => string): unknown {
  try {
    return JSON.parse(readText(path)) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([`${label} ${path}: ${reason}`]);
  }
}

/** The label of a source in messages ("--config my.json"). */
function sourceLabel(source: ConfigSource): string {
  switch (source.kind) {
    case 'option':
      return '--config';
    case 'environment':
      return CONFIG_ENV;
    case 'context-file':
      return 'configFile';
    case 'example':
      return 'cdk.json';
  }
}

/**
 * The configuration's source and raw content: `--config`, else {@link CONFIG_ENV}, else the file named
 * by `configFile` in the context of cdk.json, else the `orgMfaWatch` context of cdk.json (the example).
 * @throws ConfigError when a file is missing or not JSON
 */
export function resolveConfig(
  file: string | undefined,
  readText: (path: string) => string = (p) => readFileSync(resolve(p), 'utf8'),
  env: NodeJS.ProcessEnv = process.env,
): { readonly source: ConfigSource; readonly raw: unknown } {
  const fromEnv = env[CONFIG_ENV];
  const named: ConfigSource | undefined =
    file !== undefined
      ? { kind: 'option', file }
      : fromEnv !== undefined && fromEnv !== ''
        ? { kind: 'environment', file: fromEnv }
        : undefined;
  if (named !== undefined) {
    return { source: named, raw: readJsonFile(named.file, sourceLabel(named), readText) };
  }
  const cdk = readJsonFile('cdk.json', 'cannot read', readText) as { context?: Record<string, unknown> };
  const contextFile = cdk.context?.[CONFIG_FILE_CONTEXT_KEY];
  if (typeof contextFile === 'string' && contextFile !== '') {
    return {
      source: { kind: 'context-file', file: contextFile },
      raw: readJsonFile(contextFile, 'configFile', readText),
    };
  }
  return { source: { kind: 'example' }, raw: cdk.context?.[CONFIG_CONTEXT_KEY] };
}

/**
 * The raw configuration, found the way `cdk synth` finds it (see resolveConfig).
 * @throws ConfigError when a file is missing or not JSON
 */
export function readRawConfig(
  file: string | undefined,
  readText: (path: string) => string = (p) => readFileSync(resolve(p), 'utf8'),
  env: NodeJS.ProcessEnv = process.env,
): unknown {
  return resolveConfig(file, readText, env).raw;
}

/**
 * The validated configuration (see resolveConfig), without the line naming it: for tests and helpers.
 * Tools use {@link loadToolConfig}.
 * @throws ConfigError
 */
export function loadConfig(file: string | undefined): AppConfig {
  return parseConfig(readRawConfig(file));
}

/** Where a configuration comes from, as the one line every tool prints names it. Pure. */
export function describeConfigSource(source: ConfigSource): string {
  return source.kind === 'example'
    ? 'the example organization of cdk.json (context orgMfaWatch)'
    : `${source.file} (${source.kind === 'context-file' ? 'configFile in cdk.json' : sourceLabel(source)})`;
}

/** The one stderr line naming the configuration a tool uses. Pure. */
export function configLine(tool: string, source: ConfigSource, config?: AppConfig): string {
  const what = config
    ? `: organization ${config.organizationId}, security account ${config.securityAccountId}, home region ${config.homeRegion}`
    : '';
  return `${tool}: configuration ${describeConfigSource(source)}${what}`;
}

/** How a tool loads its configuration. */
export interface ToolConfigOptions {
  /** The tool calls AWS with the operator's credentials: it refuses the example organization. */
  readonly touchesAws: boolean;
  readonly readText?: (path: string) => string;
  readonly env?: NodeJS.ProcessEnv;
  /** Where the line naming the configuration goes. @default stderr */
  readonly err?: (text: string) => void;
}

/**
 * The validated configuration for a tool, after one stderr line naming it. A tool that touches AWS
 * refuses the example organization of cdk.json: acting on it would judge real accounts against an
 * organization, bus and exemptions that are not theirs, or fail in ways that look like a real outage.
 * @throws ConfigError, or UsageError for the example organization when `touchesAws`
 */
export function loadToolConfig(
  tool: string,
  file: string | undefined,
  options: ToolConfigOptions,
): AppConfig {
  const err = options.err ?? ((text: string) => process.stderr.write(text));
  const { source, raw } = resolveConfig(file, options.readText, options.env);
  let config: AppConfig;
  try {
    config = parseConfig(raw);
  } catch (error) {
    err(`${configLine(tool, source)}\n`);
    throw error;
  }
  err(`${configLine(tool, source, config)}\n`);
  if (options.touchesAws && source.kind === 'example') {
    throw new UsageError(
      `refusing to act on AWS with the example organization of cdk.json (${config.organizationId}): name your configuration with --config FILE or ${CONFIG_ENV}=FILE`,
    );
  }
  return config;
}

/**
 * Run a tool's main function: a UsageError or ConfigError becomes its message on stderr (one line per
 * problem, no stack trace) with exit code 2; AWS that cannot be reached or refuses the credentials is one
 * line with exit code 1; anything else is a bug and keeps its stack trace.
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
    const failure = awsFailureLine(error);
    if (failure !== undefined) {
      process.stderr.write(`${name}: ${failure}\n`);
      return 1;
    }
    throw error;
  }
}
