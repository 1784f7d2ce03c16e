/**
 * The canary's records in the findings table (docs/adr/0021-canary.md): each arrival the checker
 * recognises, and each account's state between sweeps (consecutive misses, when the real-time path was
 * last proven, when it was last compared). Partition `canary#<account id>`: never a 12-digit account id,
 * so no query of an account's findings sees them, and without a `findingId` attribute, so no listing of
 * findings does either. Sort keys `arrival#<sweep id>` and `state`.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CANARY_VALUE_PATTERN } from '../contract/canary';
import { FINDING_KEY, FINDING_TTL_ATTRIBUTE } from '../contract/findings';
import type { CanaryArrival, CanaryState } from './canary-compare';
import type { CanaryEvent } from './canary-event';
import { FindingStoreError, StoreUnavailableError } from './finding-errors';

/** Partition-key prefix of the canary records (never a 12-digit account id, `idempotency#` or `storm#`). */
export const CANARY_PARTITION_PREFIX = 'canary#';
const ARRIVAL_PREFIX = 'arrival#';
const STATE_SORT_KEY = 'state';
/**
 * Days an arrival is kept before DynamoDB's TTL deletes it: long enough for a late canary to count
 * for the next comparison after a paused or failed sweep, short enough to keep the partition small.
 */
export const CANARY_ARRIVAL_RETENTION_DAYS = 35;

const ACCOUNT_ID = /^\d{12}$/;

/** A canary record that does not have the shape this module writes (edited by hand, or a newer schema). */
export class CorruptCanaryRecordError extends FindingStoreError {
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(`Canary record ${key} is unreadable: ${problem}`);
    this.name = 'CorruptCanaryRecordError';
  }
}

/** The caller passed something that cannot be a canary key or record (the field and the expectation). */
export class InvalidCanaryRecordInputError extends FindingStoreError {
  constructor(
    readonly field: string,
    readonly expectation: string,
  ) {
    super(`Invalid canary input: ${field}: expected ${expectation}`);
    this.name = 'InvalidCanaryRecordInputError';
  }
}

function checkAccount(accountId: string): void {
  if (!ACCOUNT_ID.test(accountId))
    throw new InvalidCanaryRecordInputError('accountId', 'a 12-digit account id');
}

function checkSweepId(sweepId: string): void {
  if (!CANARY_VALUE_PATTERN.test(sweepId)) {
    throw new InvalidCanaryRecordInputError(
      'sweepId',
      'a sweep id a canary can carry (1-80 letters, digits, _.=+-@)',
    );
  }
}

const isoTime = (value: unknown): value is string =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value));

function parseArrival(item: Record<string, unknown>): CanaryArrival {
  const key = `${String(item[FINDING_KEY.partition])}/${String(item[FINDING_KEY.sort])}`;
  const { accountId, sweepId, arrivedAt } = item;
  if (typeof accountId !== 'string' || typeof sweepId !== 'string' || !isoTime(arrivedAt)) {
    throw new CorruptCanaryRecordError(key, 'expected accountId, sweepId and an ISO arrivedAt');
  }
  return { accountId, sweepId, arrivedAt };
}

function parseState(item: Record<string, unknown>): CanaryState {
  const key = `${String(item[FINDING_KEY.partition])}/${STATE_SORT_KEY}`;
  const { consecutiveMisses, lastProvenAt, lastComparedAt } = item;
  if (
    typeof consecutiveMisses !== 'number' ||
    !Number.isInteger(consecutiveMisses) ||
    consecutiveMisses < 0
  ) {
    throw new CorruptCanaryRecordError(key, 'consecutiveMisses is not a whole number >= 0');
  }
  for (const [name, value] of [
    ['lastProvenAt', lastProvenAt],
    ['lastComparedAt', lastComparedAt],
  ] as const) {
    if (value !== undefined && !isoTime(value))
      throw new CorruptCanaryRecordError(key, `${name} is not an ISO time`);
  }
  return {
    consecutiveMisses,
    ...(lastProvenAt === undefined ? {} : { lastProvenAt: lastProvenAt as string }),
    ...(lastComparedAt === undefined ? {} : { lastComparedAt: lastComparedAt as string }),
  };
}

/** Read one stored `state` record (the findings CLI lists them). @throws CorruptCanaryRecordError */
export const parseCanaryState: (item: Record<string, unknown>) => CanaryState = parseState;

/** Options of {@link CanaryStore}. */
export interface CanaryStoreOptions {
  /** A DynamoDB client (module scope of the handler). */
  readonly client: DynamoDBClient;
  /** The findings table (`org-mfa-watch-findings` when deployed). */
  readonly tableName: string;
}

/** The canary records on the findings table. */
export class CanaryStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: CanaryStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.tableName = options.tableName;
  }

  /**
   * Record a recognised canary's arrival, once: EventBridge delivers at least once, so a second
   * delivery of the same canary (account and sweep id) answers `duplicate` and keeps the first time.
   * @throws StoreUnavailableError, InvalidCanaryRecordInputError
   */
  async recordArrival(event: CanaryEvent, arrivedAt: Date): Promise<'recorded' | 'duplicate'> {
    checkAccount(event.accountId);
    checkSweepId(event.sweepId);
    const expiresAt = Math.floor(arrivedAt.getTime() / 1000) + CANARY_ARRIVAL_RETENTION_DAYS * 86_400;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [FINDING_KEY.partition]: `${CANARY_PARTITION_PREFIX}${event.accountId}`,
            [FINDING_KEY.sort]: `${ARRIVAL_PREFIX}${event.sweepId}`,
            accountId: event.accountId,
            sweepId: event.sweepId,
            arrivedAt: arrivedAt.toISOString(),
            eventTime: event.eventTime,
            eventId: event.eventId,
            [FINDING_TTL_ATTRIBUTE]: expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': FINDING_KEY.partition },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw new StoreUnavailableError('recordArrival', error);
    }
  }

  /**
   * The account's arrivals recorded after `since` (ISO; every one kept when absent), oldest first.
   * @throws StoreUnavailableError, CorruptCanaryRecordError, InvalidCanaryRecordInputError
   */
  async arrivalsSince(accountId: string, since?: string): Promise<CanaryArrival[]> {
    checkAccount(accountId);
    if (since !== undefined && !isoTime(since))
      throw new InvalidCanaryRecordInputError('since', 'an ISO time');
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.unavailable('arrivalsSince', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :arrival)',
            ExpressionAttributeNames: { '#pk': FINDING_KEY.partition, '#sk': FINDING_KEY.sort },
            ExpressionAttributeValues: {
              ':pk': `${CANARY_PARTITION_PREFIX}${accountId}`,
              ':arrival': ARRIVAL_PREFIX,
            },
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    // Compared as instants, not strings: every time this module writes is toISOString(), but `since`
    // may come from elsewhere.
    const after = since === undefined ? -Infinity : Date.parse(since);
    return items
      .map(parseArrival)
      .filter((a) => Date.parse(a.arrivedAt) > after)
      .sort((a, b) => Date.parse(a.arrivedAt) - Date.parse(b.arrivedAt));
  }

  /**
   * The arrival of one sweep's canary in one account, if it was recorded.
   * @throws StoreUnavailableError, CorruptCanaryRecordError, InvalidCanaryRecordInputError
   */
  async arrivalOf(accountId: string, sweepId: string): Promise<CanaryArrival | undefined> {
    checkAccount(accountId);
    checkSweepId(sweepId);
    const { Item } = await this.unavailable('arrivalOf', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: {
            [FINDING_KEY.partition]: `${CANARY_PARTITION_PREFIX}${accountId}`,
            [FINDING_KEY.sort]: `${ARRIVAL_PREFIX}${sweepId}`,
          },
          ConsistentRead: true,
        }),
      ),
    );
    return Item === undefined ? undefined : parseArrival(Item);
  }

  /**
   * The account's stored state; `undefined` before its first comparison.
   * @throws StoreUnavailableError, CorruptCanaryRecordError, InvalidCanaryRecordInputError
   */
  async readState(accountId: string): Promise<CanaryState | undefined> {
    checkAccount(accountId);
    const { Item } = await this.unavailable('readState', () =>
      this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: {
            [FINDING_KEY.partition]: `${CANARY_PARTITION_PREFIX}${accountId}`,
            [FINDING_KEY.sort]: STATE_SORT_KEY,
          },
          ConsistentRead: true,
        }),
      ),
    );
    return Item === undefined ? undefined : parseState(Item);
  }

  /**
   * Store the account's state after a comparison, only if nobody compared since `previous` was read
   * (its `lastComparedAt`; none stored when `previous` is undefined): a retried or concurrent comparison
   * answers `stale` and cannot count one miss twice.
   * @throws StoreUnavailableError, InvalidCanaryRecordInputError
   */
  async writeState(
    accountId: string,
    next: CanaryState,
    previous: CanaryState | undefined,
  ): Promise<'written' | 'stale'> {
    checkAccount(accountId);
    if (!Number.isInteger(next.consecutiveMisses) || next.consecutiveMisses < 0) {
      throw new InvalidCanaryRecordInputError('consecutiveMisses', 'a whole number >= 0');
    }
    const expected = previous?.lastComparedAt;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [FINDING_KEY.partition]: `${CANARY_PARTITION_PREFIX}${accountId}`,
            [FINDING_KEY.sort]: STATE_SORT_KEY,
            accountId,
            consecutiveMisses: next.consecutiveMisses,
            lastProvenAt: next.lastProvenAt,
            lastComparedAt: next.lastComparedAt,
          },
          ...(expected === undefined
            ? {
                ConditionExpression: 'attribute_not_exists(#pk) OR attribute_not_exists(#compared)',
                ExpressionAttributeNames: { '#pk': FINDING_KEY.partition, '#compared': 'lastComparedAt' },
              }
            : {
                ConditionExpression: '#compared = :expected',
                ExpressionAttributeNames: { '#compared': 'lastComparedAt' },
                ExpressionAttributeValues: { ':expected': expected },
              }),
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw new StoreUnavailableError('writeState', error);
    }
  }

  private async unavailable<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new StoreUnavailableError(operation, error);
    }
  }
}
