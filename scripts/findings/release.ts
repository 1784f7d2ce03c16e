import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FINDINGS_TABLE_NAME } from '../../functions/contract/findings';
import type { ReleaseInvocation, ReleaseResponse } from '../../functions/contract/release';
import { FindingStore, type Finding } from '../../functions/core/finding-store';
import { MAX_TRANSITION_REASON_LENGTH } from '../../functions/core/quarantine-store';
import { NAMES } from '../../stacks/names';
import { UsageError } from '../cli';
import { describeFailure, resolveRegion, type CliOptions } from './cli';
import type { SuppressIo } from './suppress';

/** `npm run findings -- release --help`. */
export const RELEASE_USAGE = `Usage: npm run findings -- release <finding id> --reason "..." [options]

Releases a quarantined user by hand (enforcement, docs/operations.md "Releasing a user by hand"): the
sweep worker detaches the quarantine policy in the user's account, records who you are (your AWS
identity) and why on the finding, and sends a notice. The next sweeps do not quarantine the user again
for enforcement.afterHours. Needs security-account credentials allowed lambda:InvokeFunction on the
function ${NAMES.sweepWorkerFunction} (the operator statement in docs/operations.md).

Options:
  --reason <text>      why (one line, required; quoted in the notice)
  --config <file>      your configuration file (for the region), or ORG_MFA_WATCH_CONFIG=<file>;
                       the example organization of cdk.json is refused
  --region <region>    region of the central stack (overrides the configuration's homeRegion)
  --table <name>       table name (default ${FINDINGS_TABLE_NAME})
  --function <name>    the sweep worker function (default ${NAMES.sweepWorkerFunction})
  --endpoint <url>     DynamoDB endpoint, for a local DynamoDB (testing)
  -h, --help           this help
`;

/** A parsed `release` command. */
export interface ReleaseCommand {
  readonly help: boolean;
  readonly findingId: string;
  readonly reason: string;
  readonly functionName: string;
  /** Where the table is (the listing's options, reused for the region). */
  readonly where: CliOptions;
}

/**
 * Parse and validate `release <finding id> --reason "..."`. Pure.
 * @throws UsageError naming the bad argument
 */
export function parseReleaseCommand(argv: readonly string[]): ReleaseCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        reason: { type: 'string' },
        table: { type: 'string' },
        region: { type: 'string' },
        config: { type: 'string' },
        endpoint: { type: 'string' },
        function: { type: 'string' },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new UsageError(`release: ${message} (see release --help)`);
  }
  const { values, positionals } = parsed;
  const where: CliOptions = {
    help: false,
    json: false,
    all: true,
    table: values.table ?? FINDINGS_TABLE_NAME,
    ...(values.region === undefined ? {} : { region: values.region }),
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
  };
  const functionName = values.function ?? NAMES.sweepWorkerFunction;
  if (values.help) return { help: true, findingId: '', reason: '', functionName, where };
  if (positionals.length !== 1) {
    throw new UsageError('release: expected exactly one finding id (npm run findings lists them)');
  }
  const findingId = positionals[0] ?? '';
  if (!/^f-[0-9a-f]{20}$/.test(findingId)) {
    throw new UsageError(`release: expected a finding id such as f-0123456789abcdef0123, got "${findingId}"`);
  }
  const reason = values.reason?.trim() ?? '';
  if (reason === '' || reason.length > MAX_TRANSITION_REASON_LENGTH || /[\r\n]/.test(reason)) {
    throw new UsageError(
      `release: --reason: expected one line of 1-${MAX_TRANSITION_REASON_LENGTH} characters saying why`,
    );
  }
  if (!/^[\w-]{1,64}$/.test(functionName)) {
    throw new UsageError(`release: --function: expected a Lambda function name, got "${functionName}"`);
  }
  return { help: false, findingId, reason, functionName, where };
}

/** Where the command writes, and its AWS calls; injectable for tests. */
export interface ReleaseIo extends Pick<SuppressIo, 'out' | 'err' | 'readText' | 'callerArn'> {
  /** The finding with this id (any state); default: the store, with the default credential chain. */
  readonly findById?: (command: ReleaseCommand, region: string | undefined) => Promise<Finding | undefined>;
  /** Invoke the sweep worker with a release; default: Lambda Invoke (RequestResponse). */
  readonly invokeWorker?: (
    payload: ReleaseInvocation,
    command: ReleaseCommand,
    region: string | undefined,
  ) => Promise<ReleaseResponse>;
}

/** The worker function answered with an error (its code threw, or Lambda failed to run it). */
export class WorkerInvokeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerInvokeError';
  }
}

async function findInStore(
  command: ReleaseCommand,
  region: string | undefined,
): Promise<Finding | undefined> {
  const client = new DynamoDBClient({
    ...(region === undefined ? {} : { region }),
    ...(command.where.endpoint === undefined ? {} : { endpoint: command.where.endpoint }),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
  try {
    const all = await new FindingStore({ client, tableName: command.where.table }).listFindings({
      state: 'ALL',
    });
    return all.find((f) => f.findingId === command.findingId);
  } finally {
    client.destroy();
  }
}

async function invokeLambda(
  payload: ReleaseInvocation,
  command: ReleaseCommand,
  region: string | undefined,
): Promise<ReleaseResponse> {
  // No SDK retries: a release that timed out on the client may still have run; the operator re-runs it
  // after reading the finding (a second release of a released user is refused, not repeated).
  const lambda = new LambdaClient({ ...(region === undefined ? {} : { region }), maxAttempts: 1 });
  try {
    const out = await lambda.send(
      new InvokeCommand({
        FunctionName: command.functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
    const text = out.Payload === undefined ? '' : new TextDecoder().decode(out.Payload);
    if (out.FunctionError !== undefined) {
      let message = text;
      try {
        const body = JSON.parse(text) as { errorType?: string; errorMessage?: string };
        message = `${body.errorType ?? 'Error'}: ${body.errorMessage ?? text}`;
      } catch {
        // not JSON: keep the raw text
      }
      throw new WorkerInvokeError(`the sweep worker failed (${out.FunctionError}): ${message}`);
    }
    return JSON.parse(text) as ReleaseResponse;
  } finally {
    lambda.destroy();
  }
}

/** One line for an AWS failure of the Invoke, or the store's. */
function describeInvokeFailure(error: unknown, command: ReleaseCommand, region: string | undefined): string {
  if (error instanceof WorkerInvokeError) return error.message;
  const name = error instanceof Error ? error.name : '';
  const where = region ?? 'the default region';
  if (name === 'AccessDeniedException') {
    return `access denied to invoke ${command.functionName} in ${where}: your role needs the operator statement of docs/operations.md ("Releasing a user by hand": lambda:InvokeFunction on the sweep worker)`;
  }
  if (name === 'ResourceNotFoundException') {
    return `function ${command.functionName} not found in ${where}: deploy OrgMfaWatch-Central there, or pass --region / --function`;
  }
  return describeFailure(error, { table: command.where.table, region });
}

const who = (f: Finding) =>
  `"${f.subject}" in ${f.accountId}${f.accountAlias === undefined ? '' : ` (${f.accountAlias})`}`;

/** The finding, checked for a release; or the refusal line. */
function refusalOf(finding: Finding | undefined, findingId: string): string | undefined {
  if (finding === undefined)
    return `no finding ${findingId} in the store (npm run findings -- --all lists them)`;
  if (finding.kind !== 'USER_NO_MFA') {
    return `${findingId} is a ${finding.kind} finding: only a user (USER_NO_MFA) can be quarantined`;
  }
  if (finding.quarantine?.quarantined === undefined) {
    const last = finding.quarantine?.released;
    return `user ${who(finding)} is not quarantined${last === undefined ? '' : ` (released ${last.at} by ${last.by})`}: nothing to release`;
  }
  return undefined;
}

/** `npm run findings -- release`: 0 released, 1 AWS failure, 2 bad arguments or a refused release. */
export async function runRelease(argv: readonly string[], io: ReleaseIo): Promise<number> {
  let command: ReleaseCommand;
  let region: string | undefined;
  try {
    command = parseReleaseCommand(argv);
    if (command.help) {
      io.out(RELEASE_USAGE);
      return 0;
    }
    region = resolveRegion(command.where, io.readText ?? ((path) => readFileSync(path, 'utf8')), io.err);
  } catch (error) {
    io.err(`findings: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let answer: ReleaseResponse;
  try {
    const finding = await (io.findById ?? findInStore)(command, region);
    const refusal = refusalOf(finding, command.findingId);
    if (refusal !== undefined || finding === undefined) {
      io.err(`findings: ${refusal ?? ''}\n`);
      return 2;
    }
    const by = await (io.callerArn ?? (await import('./suppress')).callerArnFromSts)(region);
    answer = await (io.invokeWorker ?? invokeLambda)(
      {
        release: {
          findingId: command.findingId,
          accountId: finding.accountId,
          userName: finding.subject,
          reason: command.reason,
          by,
        },
      },
      command,
      region,
    );
  } catch (error) {
    io.err(`findings: ${describeInvokeFailure(error, command, region)}\n`);
    return 1;
  }
  if (!answer.ok) {
    io.err(`findings: release refused (${answer.error}): ${answer.message}\n`);
    return answer.error === 'detach-failed' || answer.error === 'store-unavailable' ? 1 : 2;
  }
  const again = new Date(Date.parse(answer.at) + answer.notBeforeHours * 3_600_000).toISOString();
  const how =
    answer.outcome === 'detached'
      ? 'quarantine policy detached'
      : `nothing was attached any more (${answer.outcome})`;
  io.out(
    `released "${answer.userName}" in ${answer.accountId} (${answer.findingId}) at ${answer.at} by ${answer.by}: ${answer.reason}\n` +
      `  ${how}${answer.recorded ? '' : '; the release had already been recorded by a concurrent request'}\n` +
      `  the sweep will not quarantine the user again before ${again}; the user still has to enrol MFA\n`,
  );
  return 0;
}
