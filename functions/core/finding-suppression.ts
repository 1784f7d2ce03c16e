/**
 * The operator's side of accepting a finding (suppression.ts has the rules): validate a request, and
 * suppress or unsuppress a finding by its id, for `npm run findings -- suppress | unsuppress`.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { FINDING_ATTRIBUTES as A, FINDING_KEY } from '../contract/findings';
import { FindingStoreError, StoreUnavailableError } from './finding-errors';
import { parseFinding, type Finding } from './finding-record';
import { isConditionFailure } from './finding-write';
import { MAX_REASON_LENGTH, MAX_SUPPRESSION_DAYS, SUPPRESSION_ATTRIBUTES, utcDay } from './suppression';

/** A suppression request that cannot be accepted: names the field and the expectation. */
export class InvalidSuppressionError extends Error {
  constructor(
    readonly field: string,
    readonly expectation: string,
  ) {
    super(`${field}: ${expectation}`);
    this.name = 'InvalidSuppressionError';
  }
}

/** No finding has this id. */
export class FindingNotFoundError extends FindingStoreError {
  constructor(readonly findingId: string) {
    super(`no finding ${findingId} in the store (npm run findings -- --all lists them)`);
    this.name = 'FindingNotFoundError';
  }
}

/** The finding is not in a state the operation applies to (resolved; or not suppressed). */
export class SuppressionStateError extends FindingStoreError {
  constructor(message: string) {
    super(message);
    this.name = 'SuppressionStateError';
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const FINDING_ID = /^f-[0-9a-f]{20}$/;

/**
 * Check a suppression request: a finding id, a real date from today to {@link MAX_SUPPRESSION_DAYS}
 * days ahead (UTC), and a one-line reason. Pure.
 * @throws InvalidSuppressionError naming the field
 */
export function checkSuppression(input: {
  readonly findingId: string;
  readonly until: string | undefined;
  readonly reason: string | undefined;
  readonly now: Date;
}): { findingId: string; until: string; reason: string } {
  checkFindingId(input.findingId);
  const until = input.until;
  const match = until === undefined ? null : DAY.exec(until);
  const date = match === null ? undefined : new Date(`${until}T00:00:00Z`);
  if (until === undefined || date === undefined || Number.isNaN(date.getTime()) || utcDay(date) !== until) {
    throw new InvalidSuppressionError('--until', `expected a date YYYY-MM-DD, got "${until ?? ''}"`);
  }
  const today = utcDay(input.now);
  const latest = utcDay(new Date(Date.parse(`${today}T00:00:00Z`) + MAX_SUPPRESSION_DAYS * 86_400_000));
  if (until < today)
    throw new InvalidSuppressionError('--until', `expected today (${today}) or later, got ${until}`);
  if (until > latest) {
    throw new InvalidSuppressionError(
      '--until',
      `at most ${MAX_SUPPRESSION_DAYS} days ahead (${latest}); for a permanent exception add an exemption to the configuration`,
    );
  }
  const reason = input.reason?.trim() ?? '';
  if (reason === '') throw new InvalidSuppressionError('--reason', 'expected why the finding is accepted');
  if (/\p{Cc}/u.test(reason)) throw new InvalidSuppressionError('--reason', 'expected one line of text');
  if (reason.length > MAX_REASON_LENGTH) {
    throw new InvalidSuppressionError('--reason', `expected at most ${MAX_REASON_LENGTH} characters`);
  }
  return { findingId: input.findingId, until, reason };
}

/** @throws InvalidSuppressionError when the text is not a finding id. */
export function checkFindingId(findingId: string): void {
  if (!FINDING_ID.test(findingId)) {
    throw new InvalidSuppressionError('finding id', `expected f- and 20 hex digits, got "${findingId}"`);
  }
}

/** Suppress and unsuppress findings by id, for `npm run findings -- suppress | unsuppress`. */
export class FindingSuppressions {
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly options: { readonly client: DynamoDBClient; readonly tableName: string }) {
    this.doc = DynamoDBDocumentClient.from(options.client);
  }

  /**
   * Accept an OPEN finding until `until` (validated by {@link checkSuppression}), recording who and why.
   * One conditional write (the finding must still be OPEN); setting it again replaces the earlier one.
   * @throws FindingNotFoundError, SuppressionStateError, StoreUnavailableError
   */
  async suppress(input: {
    readonly findingId: string;
    readonly until: string;
    readonly reason: string;
    readonly by: string;
    readonly now: Date;
  }): Promise<Finding> {
    const found = await this.find(input.findingId);
    return this.write(found, 'suppress', {
      UpdateExpression: `SET ${SUPPRESSION_ATTRIBUTES.map((_, i) => `#s${i} = :s${i}`).join(', ')} ADD #version :one`,
      ConditionExpression: '#findingId = :findingId AND #state = :open',
      values: [input.until, input.reason, input.by, input.now.toISOString()],
      notOpen: `finding ${input.findingId} is ${found.state}, not OPEN: only an open finding can be accepted`,
    });
  }

  /**
   * End a suppression now: alerts resume with the next transition (no alert is sent for it now).
   * @throws FindingNotFoundError, SuppressionStateError, StoreUnavailableError
   */
  async unsuppress(input: { readonly findingId: string }): Promise<Finding> {
    const found = await this.find(input.findingId);
    if (found.suppression === undefined) {
      throw new SuppressionStateError(`finding ${input.findingId} is not suppressed`);
    }
    return this.write(found, 'unsuppress', {
      UpdateExpression: `REMOVE ${SUPPRESSION_ATTRIBUTES.map((_, i) => `#s${i}`).join(', ')} ADD #version :one`,
      ConditionExpression: '#findingId = :findingId AND attribute_exists(#s0)',
      values: [],
      notOpen: `finding ${input.findingId} is not suppressed`,
    });
  }

  private async write(
    found: Finding & { readonly key: Record<string, string> },
    operation: string,
    update: {
      UpdateExpression: string;
      ConditionExpression: string;
      values: readonly string[];
      notOpen: string;
    },
  ): Promise<Finding> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: found.key,
          UpdateExpression: update.UpdateExpression,
          ConditionExpression: update.ConditionExpression,
          ExpressionAttributeNames: {
            ...Object.fromEntries(SUPPRESSION_ATTRIBUTES.map((name, i) => [`#s${i}`, name])),
            '#findingId': A.findingId,
            '#version': A.version,
            ...(update.ConditionExpression.includes('#state') ? { '#state': A.state } : {}),
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(update.values.map((value, i) => [`:s${i}`, value])),
            ':findingId': found.findingId,
            ':one': 1,
            ...(update.ConditionExpression.includes(':open') ? { ':open': 'OPEN' } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return parseFinding(result.Attributes, found.key);
    } catch (error) {
      if (isConditionFailure(error)) throw new SuppressionStateError(update.notOpen);
      throw new StoreUnavailableError(operation, error);
    }
  }

  /** The finding with this id (a paginated Scan: the table is small), with its key. */
  private async find(findingId: string): Promise<Finding & { readonly key: Record<string, string> }> {
    checkFindingId(findingId);
    let startKey: Record<string, unknown> | undefined;
    do {
      let page;
      try {
        page = await this.doc.send(
          new ScanCommand({
            TableName: this.options.tableName,
            FilterExpression: '#findingId = :findingId',
            ExpressionAttributeNames: { '#findingId': A.findingId },
            ExpressionAttributeValues: { ':findingId': findingId },
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        );
      } catch (error) {
        throw new StoreUnavailableError('findFinding', error);
      }
      const item = page.Items?.[0];
      if (item !== undefined) {
        const key = {
          [FINDING_KEY.partition]: String(item[FINDING_KEY.partition]),
          [FINDING_KEY.sort]: String(item[FINDING_KEY.sort]),
        };
        return { ...parseFinding(item, key), key };
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    throw new FindingNotFoundError(findingId);
  }
}
