import type { Logger } from '@aws-lambda-powertools/logger';
import type { IdempotentOutcome, RemainingTime } from '../core/idempotency';
import { describeError } from '../core/errors';
import type { CheckResult, InvocationContext } from './process-event';
import { RECHECK_MARKER_KEY } from './recheck';

/** JMESPath of the idempotency key in an event: CloudTrail's id of the API call. */
export const EVENT_KEY_PATH = 'detail.eventID';

/** True for a scheduled re-check: it replays the original event, so its eventID is not its identity. */
function isRecheck(event: unknown): boolean {
  return typeof event === 'object' && event !== null && RECHECK_MARKER_KEY in event;
}

/**
 * Process each live CloudTrail event once: EventBridge and Lambda's asynchronous queue may deliver an
 * event more than once, so a duplicate of an event already processed (or being processed) is a logged
 * skip. Re-checks bypass it (they carry the original eventID; the finding store's conditional writes
 * keep their alerts to one per transition). A failing store never stops a check.
 */
export function deduplicated<C extends InvocationContext & RemainingTime>(
  check: (event: unknown, context: InvocationContext) => Promise<CheckResult>,
  processOnce: (event: unknown, context: C) => Promise<IdempotentOutcome<CheckResult>>,
  logger: Logger,
): (event: unknown, context: C) => Promise<CheckResult> {
  return async (event, context) => {
    if (isRecheck(event)) return check(event, context);
    const outcome = await processOnce(event, context);
    switch (outcome.status) {
      case 'processed':
        if (outcome.dedupFailure !== undefined) {
          logger.warn('Deduplication store failed: the event was checked without it', {
            error: describeError(outcome.dedupFailure),
          });
        }
        return outcome.result;
      case 'duplicate':
        logger.info('Skipped', { reason: 'duplicate delivery of an event already checked' });
        return { outcome: 'skipped', reason: 'duplicate delivery of an event already checked' };
      case 'in-progress':
        logger.info('Skipped', { reason: 'duplicate delivery of an event being checked right now' });
        return { outcome: 'skipped', reason: 'duplicate delivery of an event being checked right now' };
    }
  };
}
