import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { FindingStore, type Finding } from '../../functions/core/finding-store';
import { StoreUnavailableError } from '../../functions/core/finding-errors';
import {
  FINDINGS_TABLE_NAME,
  FINDING_SEVERITIES,
  type FindingSeverity,
} from '../../functions/contract/findings';
import { ConfigError, parseConfig } from '../../stacks/config';
import { CONFIG_ENV, CONFIG_OPTION, UsageError, configLine, parseCommandLine, resolveConfig } from '../cli';
import { formatJson, formatTable } from './format';
import type { AccountCanaryState } from './canary';
import type { ReleaseIo } from './release';
import type { SuppressIo } from './suppress';

/** `npm run findings -- --help`. */
export const USAGE = `Usage: npm run findings -- [options]

Lists the open findings of org-mfa-watch (users without MFA, root without MFA, accounts not covered),
most severe first. Needs credentials of the security account (AWS_PROFILE, aws sso login).

Options:
  --json               print JSON (one object per finding) instead of a table
  --account <id>       only this 12-digit account
  --severity <level>   only CRITICAL, HIGH or MEDIUM
  --all                include recently resolved findings
  --config <file>      your configuration file (for the region), or ORG_MFA_WATCH_CONFIG=<file>;
                       the example organization of cdk.json is refused
  --region <region>    region of the central stack (overrides the configuration's homeRegion)
  --table <name>       table name (default ${FINDINGS_TABLE_NAME})
  --endpoint <url>     DynamoDB endpoint, for a local DynamoDB (testing)
  -h, --help           this help

Accepting a finding until a day (suppress --help for details):
  npm run findings -- suppress <finding id> --reason "..." --until YYYY-MM-DD
  npm run findings -- unsuppress <finding id>

When the real-time path was last proven, per account (canary --help for details):
  npm run findings -- canary [--account <id>] [--json]
Releasing a quarantined user by hand (enforcement; release --help for details):
  npm run findings -- release <finding id> --reason "..."
`;

/** Parsed command line. */
export interface CliOptions {
  readonly help: boolean;
  readonly json: boolean;
  readonly all: boolean;
  readonly account?: string;
  readonly severity?: FindingSeverity;
  readonly table: string;
  readonly region?: string;
  readonly config?: string;
  readonly endpoint?: string;
}

/**
 * Parse and validate the command line. Pure.
 * @throws UsageError naming the bad option
 */
export function parseOptions(argv: readonly string[]): CliOptions {
  const { values } = parseCommandLine(argv, {
    ...CONFIG_OPTION,
    help: { type: 'boolean', short: 'h', default: false },
    json: { type: 'boolean', default: false },
    all: { type: 'boolean', default: false },
    account: { type: 'string' },
    severity: { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
  });
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new UsageError(`--account: expected a 12-digit account id, got "${values.account}"`);
  }
  let severity: FindingSeverity | undefined;
  if (values.severity !== undefined) {
    severity = FINDING_SEVERITIES.find((s) => s === values.severity?.toUpperCase());
    if (severity === undefined) {
      throw new UsageError(
        `--severity: expected one of ${FINDING_SEVERITIES.join(', ')}, got "${values.severity}"`,
      );
    }
  }
  if (values.region !== undefined && !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(values.region)) {
    throw new UsageError(`--region: expected a region name such as us-east-1, got "${values.region}"`);
  }
  if (values.endpoint !== undefined && !/^https?:\/\/\S+$/.test(values.endpoint)) {
    throw new UsageError(`--endpoint: expected an http(s) URL, got "${values.endpoint}"`);
  }
  if (values.table !== undefined && !/^[\w.-]{3,255}$/.test(values.table)) {
    throw new UsageError(`--table: expected a DynamoDB table name, got "${values.table}"`);
  }
  return {
    help: values.help,
    json: values.json,
    all: values.all,
    table: values.table ?? FINDINGS_TABLE_NAME,
    ...(values.account === undefined ? {} : { account: values.account }),
    ...(severity === undefined ? {} : { severity }),
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
  };
}

/**
 * The region of the central stack: `--region`, else the `homeRegion` of `--config` (or of
 * ORG_MFA_WATCH_CONFIG, or of the file cdk.json names). Undefined when there is no cdk.json and no file
 * named: the SDK's own chain decides. The line naming the configuration goes to `err`.
 * @throws UsageError when the configuration is unreadable or invalid, or is the example organization
 */
export function resolveRegion(
  options: CliOptions,
  readText: (path: string) => string,
  err: (text: string) => void = () => undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (options.region !== undefined) {
    err(`findings: configuration not read (--region ${options.region} given)\n`);
    return options.region;
  }
  let resolved: ReturnType<typeof resolveConfig>;
  try {
    resolved = resolveConfig(options.config, readText, env);
  } catch (error) {
    const named = options.config ?? env[CONFIG_ENV];
    if (named === undefined || named === '') return undefined; // no cdk.json here: no opinion
    // resolveConfig already names the flag and the file in its one problem line.
    if (error instanceof ConfigError && error.problems[0] !== undefined)
      throw new UsageError(error.problems[0]);
    throw new UsageError(`--config ${named}: ${firstLine(error)}`);
  }
  const { source, raw } = resolved;
  if (raw === undefined && source.kind === 'example') return undefined;
  let config;
  try {
    config = parseConfig(raw);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    err(`${configLine('findings', source)}\n`);
    const where = 'file' in source ? source.file : 'cdk.json (context orgMfaWatch)';
    throw new UsageError(`invalid configuration in ${where}: ${error.problems.join('; ')}`);
  }
  err(`${configLine('findings', source, config)}\n`);
  if (source.kind === 'example') {
    throw new UsageError(
      `refusing to read findings with the example organization of cdk.json (${config.organizationId}): name your configuration with --config FILE or ${CONFIG_ENV}=FILE, or pass --region`,
    );
  }
  return config.homeRegion;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** One line saying why listing failed and what to do, for an operator (never a stack trace). Pure. */
export function describeFailure(
  error: unknown,
  where: { table: string; region: string | undefined },
): string {
  const cause = error instanceof StoreUnavailableError ? error.cause : error;
  const name = cause instanceof Error ? cause.name : '';
  const message = firstLine(cause);
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  const region = where.region ?? 'the default region';
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return 'no AWS credentials found: sign in with security-account credentials (AWS_PROFILE, aws sso login) and retry';
  }
  if (/region is missing/i.test(message)) {
    return 'no AWS region: pass --region <region> or --config <file> (its homeRegion)';
  }
  if (name === 'ResourceNotFoundException') {
    return `table ${where.table} not found in ${region}: deploy OrgMfaWatch-Central there, or pass --region / --table`;
  }
  if (name === 'AccessDeniedException') {
    return `access denied to table ${where.table} in ${region}: use security-account credentials allowed dynamodb:Scan and dynamodb:Query on it and kms:Decrypt on its key`;
  }
  if (/^(UnrecognizedClient|InvalidSignature|ExpiredToken|InvalidClientTokenId)/.test(name)) {
    return `AWS rejected the credentials (${name}): refresh them (aws sso login) and retry`;
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH'].includes(code) ||
    name === 'TimeoutError'
  ) {
    return `cannot reach DynamoDB in ${region} (${code || name}): check the network, the region or --endpoint`;
  }
  return `${name ? `${name}: ` : ''}${message}`;
}

/** Where the CLI writes and what it lists from (and, for suppress, its AWS calls). Injectable for tests. */
export interface CliIo
  extends Pick<SuppressIo, 'callerArn' | 'suppressions'>, Pick<ReleaseIo, 'findById' | 'invokeWorker'> {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now?: () => Date;
  readonly readText?: (path: string) => string;
  /** List findings; default: a real DynamoDB client with the default credential chain. */
  readonly list?: (options: CliOptions, region: string | undefined) => Promise<Finding[]>;
  /** Read the canary states (`canary`); default: a real DynamoDB client, as `list`. */
  readonly canaryStates?: (options: CliOptions, region: string | undefined) => Promise<AccountCanaryState[]>;
}

async function listFromDynamo(options: CliOptions, region: string | undefined): Promise<Finding[]> {
  const client = new DynamoDBClient({
    ...(region === undefined ? {} : { region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    maxAttempts: 3,
    // Fail in seconds, not minutes, when AWS cannot be reached.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
  try {
    return await new FindingStore({ client, tableName: options.table }).listFindings({
      state: options.all ? 'ALL' : 'OPEN',
      ...(options.account === undefined ? {} : { accountId: options.account }),
      ...(options.severity === undefined ? {} : { severity: options.severity }),
    });
  } finally {
    client.destroy();
  }
}

/** `npm run findings`: returns the exit code (0 listed, 1 AWS failure, 2 bad options). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'suppress' || argv[0] === 'unsuppress') {
    // Accepting a finding until a day (scripts/findings/suppress.ts).
    const { runSuppress } = await import('./suppress');
    return runSuppress(argv, io);
  }
  // When the real-time path was last proven, per account (scripts/findings/canary.ts).
  if (argv[0] === 'canary') return (await import('./canary')).runCanary(argv.slice(1), io);
  if (argv[0] === 'release') {
    // Releasing a quarantined user by hand, through the sweep worker (scripts/findings/release.ts).
    const { runRelease } = await import('./release');
    return runRelease(argv, io);
  }
  let options: CliOptions;
  let region: string | undefined;
  try {
    options = parseOptions(argv);
    if (options.help) {
      io.out(USAGE);
      return 0;
    }
    region = resolveRegion(options, io.readText ?? ((path) => readFileSync(path, 'utf8')), io.err);
  } catch (error) {
    const hint =
      error instanceof UsageError ? '. Usage: npm run findings -- [options]; --help lists the options' : '';
    io.err(`findings: ${firstLine(error)}${hint}\n`);
    return 2;
  }
  let findings: Finding[];
  try {
    findings = await (io.list ?? listFromDynamo)(options, region);
  } catch (error) {
    io.err(`findings: ${describeFailure(error, { table: options.table, region })}\n`);
    return 1;
  }
  const now = (io.now ?? (() => new Date()))();
  io.out(options.json ? formatJson(findings, now) : formatTable(findings, now, { all: options.all }));
  return 0;
}
