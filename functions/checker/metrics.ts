import type { Logger } from '@aws-lambda-powertools/logger';
import { flushedAfter, type MetricsRecorder } from '../core/metrics';
import type { CheckResult } from './process-event';

/** The recorder calls the checker's outcome counting makes. */
export type OutcomeMetrics = Pick<MetricsRecorder, 'checkCompleted' | 'eventQuarantined' | 'checkFailed'>;

/**
 * Count how one event ended, from its result alone: a quarantined event is `QuarantinedEvents`, every
 * other outcome (checked, skipped, scheduled, duplicate...) is `ChecksCompleted`. Alerts, new and
 * resolved findings are counted where they happen (process-event.ts), because a result does not show
 * them all (a failed check still publishes its alert; a "no alert" may have resolved a finding).
 */
export function countOutcome(result: CheckResult, metrics: OutcomeMetrics): void {
  if (result.outcome === 'quarantined') metrics.eventQuarantined();
  else metrics.checkCompleted();
}

/**
 * The checker's handler with its metrics: the outcome of every event is counted, a thrown error is
 * counted as `CheckFailures` and rethrown (the event goes to the on-failure queue as before), and what
 * the invocation recorded is written at its end, whatever happened.
 */
export function withMetrics<C>(
  check: (event: unknown, context: C) => Promise<CheckResult>,
  metrics: OutcomeMetrics & Pick<MetricsRecorder, 'flush'>,
  logger: Pick<Logger, 'error'>,
): (event: unknown, context: C) => Promise<CheckResult> {
  return flushedAfter(metrics, logger, async (event: unknown, context: C) => {
    let result: CheckResult;
    try {
      result = await check(event, context);
    } catch (error) {
      metrics.checkFailed();
      throw error;
    }
    countOutcome(result, metrics);
    return result;
  });
}
