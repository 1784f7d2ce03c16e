/**
 * `npm run findings -- canary`: per account, when the real-time path was last proven by a canary
 * (docs/adr/0021-canary.md): the state each sweep's comparison stores in the findings table
 * (functions/core/canary-store.ts), read with the operator's security-account credentials.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { CANARY_MISSES_TO_ALERT } from '../../functions/contract/canary';
import { FINDINGS_TABLE_NAME, FINDING_KEY } from '../../functions/contract/findings';
import type { CanaryState } from '../../functions/core/canary-compare';
import { CANARY_PARTITION_PREFIX, CanaryStore, parseCanaryState } from '../../functions/core/canary-store';
import { StoreUnavailableError } from '../../functions/core/finding-errors';
import { UsageError } from '../cli';
import { describeFailure, parseOptions, resolveRegion, type CliIo, type CliOptions } from './cli';
import { formatAge } from './format';

/** `npm run findings -- canary --help`. */
export const CANARY_USAGE = `Usage: npm run findings -- canary [options]

Per account, when the real-time path (CloudTrail -> member rule -> central bus -> checker) was last
proven by a sweep's canary, and how many sweeps in a row missed it. ${CANARY_MISSES_TO_ALERT} misses in a row open
REALTIME_PATH_BROKEN (docs/operations.md). Accounts that need attention are listed first.

Options:
  --json               print JSON (one object per account) instead of a table
  --account <id>       only this 12-digit account
  --config <file>      your configuration file (for the region), or ORG_MFA_WATCH_CONFIG=<file>;
                       the example organization of cdk.json is refused
  --region <region>    region of the central stack (overrides the configuration's homeRegion)
  --table <name>       table name (default ${FINDINGS_TABLE_NAME})
  --endpoint <url>     DynamoDB endpoint, for a local DynamoDB (testing)
  -h, --help           this help
`;

/** What an account's stored state says about its real-time path. */
export type PathStatus = 'broken' | 'missed-once' | 'never-proven' | 'proven';

/** One account as `npm run findings -- canary --json` prints it (a stable shape for scripts). */
export interface CanaryRow {
  readonly accountId: string;
  readonly status: PathStatus;
  /** When a canary last proved the path (the checker recorded its arrival); null if none ever did. */
  readonly lastProvenAt: string | null;
  /** Seconds since `lastProvenAt`; null if never proven. */
  readonly provenAgoSeconds: number | null;
  /** Sweeps in a row whose comparison found no canary. */
  readonly consecutiveMisses: number;
  /** When a sweep last compared this account's canary. */
  readonly lastComparedAt: string | null;
}

/** One account's stored canary state. */
export interface AccountCanaryState {
  readonly accountId: string;
  readonly state: CanaryState;
}

/** The status of one state: misses decide first; an account never proven without misses had only failed tag calls. */
export function pathStatus(state: CanaryState): PathStatus {
  if (state.consecutiveMisses >= CANARY_MISSES_TO_ALERT) return 'broken';
  if (state.consecutiveMisses > 0) return 'missed-once';
  return state.lastProvenAt === undefined ? 'never-proven' : 'proven';
}

const STATUS_ORDER: readonly PathStatus[] = ['broken', 'missed-once', 'never-proven', 'proven'];

/** Rows, the accounts that need attention first: broken, missed once, never proven, then oldest proof first. Pure. */
export function toCanaryRows(states: readonly AccountCanaryState[], now: Date): CanaryRow[] {
  return states
    .map(({ accountId, state }) => ({
      accountId,
      status: pathStatus(state),
      lastProvenAt: state.lastProvenAt ?? null,
      provenAgoSeconds:
        state.lastProvenAt === undefined
          ? null
          : Math.max(0, Math.floor((now.getTime() - Date.parse(state.lastProvenAt)) / 1000)),
      consecutiveMisses: state.consecutiveMisses,
      lastComparedAt: state.lastComparedAt ?? null,
    }))
    .sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
        b.consecutiveMisses - a.consecutiveMisses ||
        (b.provenAgoSeconds ?? 0) - (a.provenAgoSeconds ?? 0) ||
        a.accountId.localeCompare(b.accountId),
    );
}

const STATUS_TEXT: Readonly<Record<PathStatus, (row: CanaryRow) => string>> = {
  broken: (row) => `BROKEN (${row.consecutiveMisses} misses: REALTIME_PATH_BROKEN)`,
  'missed-once': () => 'missed once (digest only)',
  'never-proven': () => 'never proven (tag call failed?)',
  proven: () => 'proven',
};

const utc = (iso: string | null): string =>
  iso === null ? '-' : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The table for people, then a one-line summary. Pure. */
export function formatCanaryTable(states: readonly AccountCanaryState[], now: Date): string {
  if (states.length === 0) {
    return 'No canary results yet: no sweep has compared a canary (is canary.enabled on? has a sweep run since?).\n';
  }
  const rows = toCanaryRows(states, now);
  const header = ['ACCOUNT', 'LAST PROVEN', 'AGO', 'MISSES', 'LAST COMPARED', 'STATUS'];
  const cells = rows.map((r) => [
    r.accountId,
    r.lastProvenAt === null ? 'never' : utc(r.lastProvenAt),
    r.provenAgoSeconds === null ? '-' : formatAge(r.provenAgoSeconds * 1000),
    String(r.consecutiveMisses),
    utc(r.lastComparedAt),
    STATUS_TEXT[r.status](r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const count = (status: PathStatus) => rows.filter((r) => r.status === status).length;
  const day = rows.filter((r) => r.provenAgoSeconds !== null && r.provenAgoSeconds < 86_400).length;
  const summary = [
    `${rows.length} account${rows.length === 1 ? '' : 's'}: ${day} proven in the last 24 hours`,
    ...(count('broken') > 0 ? [`${count('broken')} broken`] : []),
    ...(count('missed-once') > 0 ? [`${count('missed-once')} missed once`] : []),
    ...(count('never-proven') > 0 ? [`${count('never-proven')} never proven`] : []),
  ].join(', ');
  return `${[line(header), ...cells.map(line)].join('\n')}\n\n${summary}\n`;
}

/** `--json`: an array of {@link CanaryRow}, newline-terminated. Pure. */
export function formatCanaryJson(states: readonly AccountCanaryState[], now: Date): string {
  return `${JSON.stringify(toCanaryRows(states, now), null, 2)}\n`;
}

/**
 * Every account's stored canary state (a paginated Scan of the `canary#<account>` / `state` records), or
 * one account's (a consistent Get).
 * @throws StoreUnavailableError, CorruptCanaryRecordError
 */
export async function readCanaryStates(
  client: DynamoDBClient,
  tableName: string,
  accountId?: string,
): Promise<AccountCanaryState[]> {
  if (accountId !== undefined) {
    const state = await new CanaryStore({ client, tableName }).readState(accountId);
    return state === undefined ? [] : [{ accountId, state }];
  }
  const doc = DynamoDBDocumentClient.from(client);
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    let page;
    try {
      page = await doc.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'begins_with(#pk, :canary) AND #sk = :state',
          ExpressionAttributeNames: { '#pk': FINDING_KEY.partition, '#sk': FINDING_KEY.sort },
          ExpressionAttributeValues: { ':canary': CANARY_PARTITION_PREFIX, ':state': 'state' },
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
    } catch (error) {
      throw new StoreUnavailableError('readCanaryStates', error);
    }
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items
    .map((item) => ({
      accountId: String(item[FINDING_KEY.partition]).slice(CANARY_PARTITION_PREFIX.length),
      state: parseCanaryState(item),
    }))
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
}

async function fromDynamo(options: CliOptions, region: string | undefined): Promise<AccountCanaryState[]> {
  const client = new DynamoDBClient({
    ...(region === undefined ? {} : { region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
  });
  try {
    return await readCanaryStates(client, options.table, options.account);
  } finally {
    client.destroy();
  }
}

/** `npm run findings -- canary [options]`: 0 listed, 1 AWS failure, 2 bad options. */
export async function runCanary(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  let region: string | undefined;
  try {
    options = parseOptions(argv);
    if (options.severity !== undefined || options.all) {
      throw new UsageError('--severity and --all list findings, not canaries: leave them out');
    }
    if (options.help) {
      io.out(CANARY_USAGE);
      return 0;
    }
    region = resolveRegion(options, io.readText ?? ((path) => readFileSync(path, 'utf8')), io.err);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(
      `findings canary: ${message.split('\n')[0] ?? message}. Usage: npm run findings -- canary --help\n`,
    );
    return 2;
  }
  let states: AccountCanaryState[];
  try {
    states = await (io.canaryStates ?? fromDynamo)(options, region);
  } catch (error) {
    io.err(`findings canary: ${describeFailure(error, { table: options.table, region })}\n`);
    return 1;
  }
  const now = (io.now ?? (() => new Date()))();
  if (!options.json && states.length === 0 && options.account !== undefined) {
    io.out(
      `No canary result for account ${options.account} yet: no sweep has compared its canary (canary off, account not swept, or not yet).\n`,
    );
    return 0;
  }
  io.out(options.json ? formatCanaryJson(states, now) : formatCanaryTable(states, now));
  return 0;
}
