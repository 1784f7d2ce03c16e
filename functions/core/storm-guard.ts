/**
 * The sweep's storm guard (docs/adr/0017-rollout-status-and-alert-storms.md): when one sweep opens the
 * same kind of finding in more accounts than `sweep.alertStormThreshold`, the accounts beyond the
 * threshold are not alerted one by one; the reporter sends one alert listing every account of that kind.
 *
 * The worker runs in parallel batches, so the count lives in the finding store: one item per sweep and
 * kind (partition `storm#<sweep id>`, sort key the kind) holding the SET of accounts seen. Adding an
 * account to a DynamoDB set is idempotent, so a retried batch does not count an account twice; the
 * set's size after the write says whether this account is within the threshold. The item expires
 * (TTL) two days after the sweep. I/O only.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { FINDING_KEY, FINDING_TTL_ATTRIBUTE, type FindingKind } from '../contract/findings';

/** Partition-key prefix of the storm counters (never a 12-digit account id, never `idempotency#`). */
export const STORM_PARTITION_PREFIX = 'storm#';
/** Attribute holding the set of account ids of one sweep and kind. */
const ACCOUNTS = 'accounts';
/** Counters expire two days after their sweep: long enough for a redriven Map Run. */
const COUNTER_TTL_SECONDS = 2 * 86_400;

/** What the worker asks the guard. */
export interface StormGuardPort {
  /**
   * Count `accountId` for this sweep and kind. True: alert it individually (within the threshold, or
   * the count could not be kept: an alert is never lost). False: hold it for the aggregated alert.
   */
  admit(input: {
    readonly sweepId: string;
    readonly kind: FindingKind;
    readonly accountId: string;
    readonly now: Date;
  }): Promise<boolean>;
}

/** Decide from a set's size after the add: within the threshold or not. Pure. */
export function withinThreshold(accountsSoFar: number, threshold: number): boolean {
  return accountsSoFar <= threshold;
}

/** The storm guard on the findings table. */
export class StormGuard implements StormGuardPort {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly threshold: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.doc = DynamoDBDocumentClient.from(client);
  }

  async admit(input: {
    readonly sweepId: string;
    readonly kind: FindingKind;
    readonly accountId: string;
    readonly now: Date;
  }): Promise<boolean> {
    try {
      const result = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: {
            [FINDING_KEY.partition]: `${STORM_PARTITION_PREFIX}${input.sweepId}`,
            [FINDING_KEY.sort]: input.kind,
          },
          UpdateExpression: 'ADD #accounts :account SET #expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#accounts': ACCOUNTS, '#expiresAt': FINDING_TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':account': new Set([input.accountId]),
            ':expiresAt': Math.floor(input.now.getTime() / 1000) + COUNTER_TTL_SECONDS,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      const accounts: unknown = result.Attributes?.[ACCOUNTS];
      const size = accounts instanceof Set ? accounts.size : Number.POSITIVE_INFINITY;
      return withinThreshold(size, this.threshold);
    } catch (error) {
      // Better one alert too many than one lost: without a count, alert individually.
      this.onError(error);
      return true;
    }
  }
}
