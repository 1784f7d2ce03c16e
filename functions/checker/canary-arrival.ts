/**
 * The checker's canary step (docs/adr/0021-canary.md), before any user-event parsing: a forwarded
 * `TagRole` is the canary or nothing. A genuine canary's arrival is recorded in the finding store and
 * nothing is sent; any other TagRole (a forged or stray one: another role, another key, an account that
 * does not agree with the envelope) is logged with its reason and dropped on purpose. Neither is a user
 * event, and neither is quarantined or retried as an invalid event.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { CANARY_EVENT_NAME } from '../contract/canary';
import { recogniseCanary } from '../core/canary-event';
import type { CanaryStore } from '../core/canary-store';
import type { CheckResult } from './checker-types';

/** What the step needs: the check role's name, the canary records, the log and the clock. */
export interface CanaryArrivalDeps {
  readonly checkRoleName: string;
  /** Absent (a checker built without the store): the arrival is logged, not recorded. */
  readonly canaries?: Pick<CanaryStore, 'recordArrival'>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly now: () => Date;
}

function isTagRole(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const detail = (raw as { detail?: unknown }).detail;
  return (
    typeof detail === 'object' &&
    detail !== null &&
    (detail as { eventName?: unknown }).eventName === CANARY_EVENT_NAME
  );
}

/**
 * Handle `raw` when it is a TagRole; undefined for every other event (the user-event path takes it).
 * A store failure is thrown: the invocation fails and the event is retried, like any store failure.
 */
export async function canaryArrival(deps: CanaryArrivalDeps, raw: unknown): Promise<CheckResult | undefined> {
  if (!isTagRole(raw)) return undefined;
  const verdict = recogniseCanary(raw, deps.checkRoleName);
  if (!verdict.canary) {
    deps.logger.warn('TagRole that is not the canary ignored', { reason: verdict.reason });
    return { outcome: 'skipped', reason: `not the canary: ${verdict.reason}` };
  }
  const { event } = verdict;
  const recorded =
    deps.canaries === undefined ? 'not-recorded' : await deps.canaries.recordArrival(event, deps.now());
  deps.logger.info('Canary arrived', {
    accountId: event.accountId,
    sweepId: event.sweepId,
    eventId: event.eventId,
    recorded,
  });
  return { outcome: 'canary', accountId: event.accountId, sweepId: event.sweepId, recorded };
}
