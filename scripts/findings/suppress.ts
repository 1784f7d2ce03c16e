import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Finding } from '../../functions/core/finding-store';
import {
  FindingNotFoundError,
  FindingSuppressions,
  InvalidSuppressionError,
  SuppressionStateError,
  checkFindingId,
  checkSuppression,
} from '../../functions/core/finding-suppression';
import { MAX_SUPPRESSION_DAYS } from '../../functions/core/suppression';
import { FINDINGS_TABLE_NAME } from '../../functions/contract/findings';
import { UsageError } from '../cli';
import { describeFailure, resolveRegion, type CliOptions } from './cli';

/** `npm run findings -- suppress --help`. */
export const SUPPRESS_USAGE = `Usage: npm run findings -- suppress <finding id> --reason "..." --until YYYY-MM-DD [options]
       npm run findings -- unsuppress <finding id> [options]

Accepts an open finding until a day (UTC, at most ${MAX_SUPPRESSION_DAYS} days ahead): no alert is sent for it
meanwhile, by the event checker or the sweep; the day after, the next event or sweep that sees it
alerts again. Who did it (your AWS identity) and why are recorded on the finding. unsuppress ends it now.
For a permanent exception, add an exemption to the configuration instead (reviewed, versioned).

Options:
  --reason <text>      why the finding is accepted (suppress; one line, required)
  --until <date>       last day it is accepted, YYYY-MM-DD (suppress; required)
  --config <file>      your configuration file (for the region); default: the orgMfaWatch context of cdk.json
  --region <region>    region of the central stack (overrides the configuration's homeRegion)
  --table <name>       table name (default ${FINDINGS_TABLE_NAME})
  --endpoint <url>     DynamoDB endpoint, for a local DynamoDB (testing)
  -h, --help           this help
`;

/** A parsed `suppress` or `unsuppress` command. */
export interface SuppressCommand {
  readonly action: 'suppress' | 'unsuppress';
  readonly help: boolean;
  readonly findingId: string;
  readonly until?: string;
  readonly reason?: string;
  /** Where the table is (the listing's options, reused for the region). */
  readonly where: CliOptions;
}

/**
 * Parse and validate `suppress <id> --reason ... --until ...` or `unsuppress <id>`. Pure.
 * @throws UsageError naming the bad argument
 */
export function parseSuppressCommand(argv: readonly string[], now: Date): SuppressCommand {
  const [action, ...rest] = argv;
  if (action !== 'suppress' && action !== 'unsuppress')
    throw new UsageError('expected suppress or unsuppress');
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        reason: { type: 'string' },
        until: { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        config: { type: 'string' },
        endpoint: { type: 'string' },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new UsageError(`${action}: ${message} (see ${action} --help)`);
  }
  const { values, positionals } = parsed;
  const where: CliOptions = {
    help: false,
    json: false,
    all: false,
    table: values.table ?? FINDINGS_TABLE_NAME,
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
  };
  if (values.help) return { action, help: true, findingId: '', where };
  if (positionals.length !== 1) {
    throw new UsageError(`${action}: expected exactly one finding id (npm run findings lists them)`);
  }
  const findingId = positionals[0] ?? '';
  try {
    if (action === 'unsuppress') {
      if (values.reason !== undefined || values.until !== undefined) {
        throw new UsageError('unsuppress: --reason and --until only go with suppress');
      }
      checkFindingId(findingId);
      return { action, help: false, findingId, where };
    }
    const checked = checkSuppression({ findingId, until: values.until, reason: values.reason, now });
    return { action, help: false, findingId, until: checked.until, reason: checked.reason, where };
  } catch (error) {
    if (error instanceof InvalidSuppressionError) throw new UsageError(`${action}: ${error.message}`);
    throw error;
  }
}

/** Where the command writes, and its AWS calls; injectable for tests. */
export interface SuppressIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now?: () => Date;
  readonly readText?: (path: string) => string;
  /** The caller's ARN (sts:GetCallerIdentity). */
  readonly callerArn?: (region: string | undefined) => Promise<string>;
  /** The store's suppressions; default: a real DynamoDB client with the default credential chain. */
  readonly suppressions?: (command: SuppressCommand, region: string | undefined) => FindingSuppressions;
}

/** The caller's ARN from sts:GetCallerIdentity (default credential chain). */
export async function callerArnFromSts(region: string | undefined): Promise<string> {
  const sts = new STSClient({ ...(region === undefined ? {} : { region }), maxAttempts: 3 });
  try {
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}));
    if (Arn === undefined) throw new Error('sts:GetCallerIdentity returned no Arn');
    return Arn;
  } finally {
    sts.destroy();
  }
}

function dynamoSuppressions(command: SuppressCommand, region: string | undefined): FindingSuppressions {
  const client = new DynamoDBClient({
    ...(region === undefined ? {} : { region }),
    ...(command.where.endpoint === undefined ? {} : { endpoint: command.where.endpoint }),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
  return new FindingSuppressions({ client, tableName: command.where.table });
}

function describeFinding(f: Finding): string {
  const subject = f.kind === 'USER_NO_MFA' ? `"${f.subject}"` : f.subject;
  return `${f.findingId} (${f.kind} ${subject} in ${f.accountId})`;
}

/** `npm run findings -- suppress | unsuppress`: 0 done, 1 AWS failure, 2 bad arguments or finding. */
export async function runSuppress(argv: readonly string[], io: SuppressIo): Promise<number> {
  const now = (io.now ?? (() => new Date()))();
  let command: SuppressCommand;
  let region: string | undefined;
  try {
    command = parseSuppressCommand(argv, now);
    if (command.help) {
      io.out(SUPPRESS_USAGE);
      return 0;
    }
    region = resolveRegion(command.where, io.readText ?? ((path) => readFileSync(path, 'utf8')));
  } catch (error) {
    io.err(`findings: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    const store = (io.suppressions ?? dynamoSuppressions)(command, region);
    if (command.action === 'unsuppress') {
      const finding = await store.unsuppress({ findingId: command.findingId });
      io.out(`unsuppressed ${describeFinding(finding)}: alerts resume with its next change\n`);
      return 0;
    }
    const by = await (io.callerArn ?? callerArnFromSts)(region);
    const finding = await store.suppress({
      findingId: command.findingId,
      until: command.until ?? '',
      reason: command.reason ?? '',
      by,
      now,
    });
    io.out(
      `suppressed ${describeFinding(finding)} until ${command.until ?? ''} by ${by}: ${command.reason ?? ''}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof FindingNotFoundError || error instanceof SuppressionStateError) {
      io.err(`findings: ${error.message}\n`);
      return 2;
    }
    io.err(`findings: ${describeFailure(error, { table: command.where.table, region })}\n`);
    return 1;
  }
}
