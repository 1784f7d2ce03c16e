import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FINDING_KEY, FINDING_TTL_ATTRIBUTE, IDEMPOTENCY_PARTITION_PREFIX } from '../contract/findings';

/**
 * The part of the Lambda context idempotency needs: an in-progress record expires with the invocation,
 * so a retry after a timeout is not blocked.
 */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/** Where and how events are deduplicated. */
export interface IdempotencyOptions {
  /** A DynamoDB client (the finding store's can be shared). */
  readonly client: DynamoDBClient;
  /** The findings table: idempotency records live beside the findings, under their own partition. */
  readonly tableName: string;
  /**
   * JMESPath of the idempotency key in the event. CloudTrail's `eventID` identifies one API call.
   * A scheduled re-check carries the original event plus a marker, so the checker must add the marker
   * to the key, e.g. `detail.eventID && [detail.eventID, orgMfaWatchRecheck.dueAt]` (the `&&` keeps an
   * event without `eventID` key-less, so it is processed, not mistaken for another key-less event).
   * An event without a key is processed without deduplication (it is usually invalid: quarantined).
   * @default 'detail.eventID'
   */
  readonly eventKeyJmesPath?: string;
  /**
   * How long a processed event is remembered. EventBridge retries an invocation for up to 24 hours and
   * Lambda keeps asynchronous events for up to 6 hours: a day covers every redelivery.
   * @default 86_400 (24 hours)
   */
  readonly expiresAfterSeconds?: number;
  /**
   * Names the records: partition `idempotency#<name>`, sort key `<name>#<hash>`. Fixed rather than the
   * function name (the default of Powertools) so that a redeployed function keeps its records.
   * @default 'checker'
   */
  readonly name?: string;
}

/** What the wrapped function did during one call. */
interface Seen<R> {
  ran: boolean;
  outcome?: { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };
}

/** How one event went through the idempotent processor. */
export type IdempotentOutcome<R> =
  /**
   * Processed now. `dedupFailure` is set when the store failed: before processing (the event was
   * processed without deduplication: "a missed dedup is better than a missed alert"), or after it (the
   * completion was not recorded; the in-progress record still blocks duplicates until it expires).
   */
  | { readonly status: 'processed'; readonly result: R; readonly dedupFailure?: unknown }
  /** Already processed: the stored result (JSON round trip), and the function did not run. */
  | { readonly status: 'duplicate'; readonly result: R }
  /** Another delivery of the same event is being processed right now; the function did not run. */
  | { readonly status: 'in-progress' };

/**
 * Wrap an event processor with Powertools idempotency on the findings table (keys `pk`/`sk`, expiry
 * in the table's TTL attribute), so a duplicate delivery of one event is processed once. The result of
 * `process` must survive a JSON round trip (it is stored and returned to duplicates); it receives the
 * invocation's context too (the checker needs `invokedFunctionArn`). The function's
 * own errors propagate unchanged (the record is deleted, so a redrive processes the event again);
 * store failures never stop processing. Create once per container (module scope).
 */
export function createIdempotentProcessor<E, C extends RemainingTime, R>(
  process: (event: E, context: C) => Promise<R>,
  options: IdempotencyOptions,
): (event: E, context: C) => Promise<IdempotentOutcome<R>> {
  const name = options.name ?? 'checker';
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.client,
    keyAttr: FINDING_KEY.partition,
    sortKeyAttr: FINDING_KEY.sort,
    staticPkValue: `${IDEMPOTENCY_PARTITION_PREFIX}${name}`,
    expiryAttr: FINDING_TTL_ATTRIBUTE,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: options.eventKeyJmesPath ?? 'detail.eventID',
    expiresAfterSeconds: options.expiresAfterSeconds ?? 86_400,
    throwOnNoIdempotencyKey: false,
  });

  return async function processOnce(event, context) {
    // What the wrapped function did in this call: Powertools' own errors must be told apart from it.
    const seen: Seen<R> = { ran: false };
    const tracked = async (input: E): Promise<R> => {
      seen.ran = true;
      try {
        const value = await process(input, context);
        seen.outcome = { ok: true, value };
        return value;
      } catch (error) {
        seen.outcome = { ok: false, error };
        throw error;
      }
    };
    // The in-progress record expires with this invocation, so a retry after a timeout is not blocked.
    // Powertools reads only getRemainingTimeInMillis from the context it is given.
    const remaining: RemainingTime = context;
    config.registerLambdaContext(remaining as Parameters<IdempotencyConfig['registerLambdaContext']>[0]);
    try {
      const result = await makeIdempotent(tracked, { persistenceStore, config, keyPrefix: name })(event);
      return seen.ran ? { status: 'processed', result } : { status: 'duplicate', result };
    } catch (error) {
      if (seen.outcome?.ok === false) throw seen.outcome.error;
      if (seen.outcome?.ok === true) {
        return { status: 'processed', result: seen.outcome.value, dedupFailure: error };
      }
      if (error instanceof Error && error.name === 'IdempotencyAlreadyInProgressError') {
        return { status: 'in-progress' };
      }
      // The store failed before the function ran: process anyway.
      return { status: 'processed', result: await process(event, context), dedupFailure: error };
    }
  };
}
