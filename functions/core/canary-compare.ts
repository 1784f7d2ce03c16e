/**
 * After the sweep's wait, compare the canaries sent with those that arrived (docs/adr/0021-canary.md):
 * per account, the real-time path is proven, missed once (the digest says so), missed in
 * {@link CANARY_MISSES_TO_ALERT} consecutive sweeps (`REALTIME_PATH_BROKEN`, HIGH), or not tested
 * because the tag call itself failed (its reason is named). Pure: the caller passes the store's
 * records and the clock.
 */
import { CANARY_MISSES_TO_ALERT, type SentCanary } from '../contract/canary';

export type { SentCanary } from '../contract/canary';

/** One recorded arrival (functions/core/canary-store.ts). */
export interface CanaryArrival {
  readonly accountId: string;
  readonly sweepId: string;
  /** ISO time the checker recorded it. */
  readonly arrivedAt: string;
}

/** The account's canary state as the store keeps it between sweeps. */
export interface CanaryState {
  /** Sweeps in a row whose comparison found no canary (0 when the last one was proven). */
  readonly consecutiveMisses: number;
  /** ISO time of the latest arrival that proved the path, if any ever did. */
  readonly lastProvenAt?: string;
  /** ISO time of the latest comparison: an arrival after it counts for the next one. */
  readonly lastComparedAt?: string;
}

/** What one account's comparison decided. */
export type CanaryOutcome =
  /** A canary arrived: this sweep's, or a late one of an earlier sweep. */
  | 'proven'
  /** None arrived, and the previous comparison was not a miss: in the digest only. */
  | 'first-miss'
  /** None arrived in {@link CANARY_MISSES_TO_ALERT} or more consecutive sweeps. */
  | 'broken'
  /** The tag call failed: the path was not tested; the reason is named. */
  | 'tag-failed';

/** The decision for one account, and the state to store for the next comparison. */
export interface CanaryDecision {
  readonly accountId: string;
  readonly sweepId: string;
  readonly outcome: CanaryOutcome;
  /**
   * `open`: open (or keep open) `REALTIME_PATH_BROKEN`; `resolve`: resolve it if it is open (a canary
   * arrived); `none`: leave it as it is.
   */
  readonly finding: 'open' | 'resolve' | 'none';
  /** The tag call's failure (`tag-failed` only). */
  readonly failure?: string;
  /** The arrival that proved the path (`proven` only); another sweep's id for a late canary. */
  readonly provenBy?: CanaryArrival;
  /** True when `proven` follows one or more misses. */
  readonly recovered: boolean;
  /** The state to store. */
  readonly next: CanaryState;
}

/** Thrown on input that cannot be compared (the field and the expectation). */
export class InvalidCanaryInputError extends Error {
  constructor(
    readonly field: string,
    readonly expectation: string,
  ) {
    super(`${field}: expected ${expectation}`);
    this.name = 'InvalidCanaryInputError';
  }
}

function time(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidCanaryInputError(field, 'an ISO 8601 time');
  return ms;
}

/**
 * Decide one account. Proven by this sweep's canary, or by any canary that arrived after the previous
 * comparison (a late one counts for the next comparison, never twice). A failed tag call leaves the
 * miss count and an open finding as they were: the path was not tested, and its reason is named.
 */
export function compareCanary(
  sent: SentCanary,
  arrivals: readonly CanaryArrival[],
  previous: CanaryState | undefined,
  now: Date,
): CanaryDecision {
  const comparedAt = now.toISOString();
  const misses = previous?.consecutiveMisses ?? 0;
  if (!Number.isInteger(misses) || misses < 0) {
    throw new InvalidCanaryInputError(`${sent.accountId}.consecutiveMisses`, 'a whole number >= 0');
  }
  const since =
    previous?.lastComparedAt === undefined ? -Infinity : time(previous.lastComparedAt, 'lastComparedAt');
  const counted = arrivals
    .filter((a) => a.accountId === sent.accountId)
    .filter((a) => a.sweepId === sent.sweepId || time(a.arrivedAt, 'arrivedAt') > since)
    .sort((a, b) => time(b.arrivedAt, 'arrivedAt') - time(a.arrivedAt, 'arrivedAt'));
  const base = { accountId: sent.accountId, sweepId: sent.sweepId };
  const latest = counted[0];
  if (latest !== undefined) {
    return {
      ...base,
      outcome: 'proven',
      finding: 'resolve',
      provenBy: latest,
      recovered: misses > 0,
      next: { consecutiveMisses: 0, lastProvenAt: latest.arrivedAt, lastComparedAt: comparedAt },
    };
  }
  const kept = previous?.lastProvenAt === undefined ? {} : { lastProvenAt: previous.lastProvenAt };
  if ('failure' in sent) {
    return {
      ...base,
      outcome: 'tag-failed',
      finding: 'none',
      failure: sent.failure,
      recovered: false,
      next: { consecutiveMisses: misses, ...kept, lastComparedAt: comparedAt },
    };
  }
  const missesNow = misses + 1;
  const broken = missesNow >= CANARY_MISSES_TO_ALERT;
  return {
    ...base,
    outcome: broken ? 'broken' : 'first-miss',
    finding: broken ? 'open' : 'none',
    recovered: false,
    next: { consecutiveMisses: missesNow, ...kept, lastComparedAt: comparedAt },
  };
}

/**
 * Decide every account a sweep sent a canary to. `arrivals` may hold any account's records (each account
 * takes its own); `states` is the stored state by account id. Pure.
 */
export function compareCanaries(
  sent: readonly SentCanary[],
  arrivals: readonly CanaryArrival[],
  states: ReadonlyMap<string, CanaryState>,
  now: Date,
): CanaryDecision[] {
  return sent.map((s) => compareCanary(s, arrivals, states.get(s.accountId), now));
}
