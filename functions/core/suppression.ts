/**
 * Accepting a finding for a while (docs/operations.md, "Accepting a finding"): a suppression on an OPEN
 * finding, until a date at most {@link MAX_SUPPRESSION_DAYS} days ahead, with who set it (the caller's
 * ARN) and why. While it holds, no alert is sent for the finding (checker and sweep); once the date has
 * passed, the next observation removes it with one conditional write, and only that write notifies:
 * the finding "reopens by itself". A resolution ends a suppression (a new problem deserves an alert).
 * Configuration exemptions stay the reviewed, permanent way. The finding store uses this module;
 * the CLI's writes are in finding-suppression.ts.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FINDING_ATTRIBUTES as A } from '../contract/findings';
import { StoreUnavailableError } from './finding-errors';
import type { ObserveResult, ObserveTransition } from './finding-observe';
import type { Finding } from './finding-record';
import { isConditionFailure } from './finding-write';

/** The longest a finding may be accepted for: a suppression is a reminder, not an exemption. */
export const MAX_SUPPRESSION_DAYS = 90;
/** Longest reason kept. */
export const MAX_REASON_LENGTH = 500;

/** A suppression as stored on a finding. */
export interface Suppression {
  /** Last day (UTC, `YYYY-MM-DD`) the finding is accepted; alerts resume the day after. */
  readonly until: string;
  readonly reason: string;
  /** ARN of whoever set it (sts:GetCallerIdentity). */
  readonly by: string;
  /** ISO time it was set. */
  readonly at: string;
}

/** The stored attributes of a suppression (also listed in FINDING_ATTRIBUTES). */
export const SUPPRESSION_ATTRIBUTES = [
  A.suppressedUntil,
  A.suppressionReason,
  A.suppressedBy,
  A.suppressedAt,
] as const;

/** `YYYY-MM-DD` of `now` in UTC. Pure. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** True while the suppression holds: through its `until` day, UTC. Pure. */
export function isSuppressed(finding: Pick<Finding, 'suppression'>, now: Date): boolean {
  return finding.suppression !== undefined && finding.suppression.until >= utcDay(now);
}

/** True when the finding carries a suppression whose day has passed. Pure. */
export function suppressionExpired(finding: Pick<Finding, 'suppression'>, now: Date): boolean {
  return finding.suppression !== undefined && finding.suppression.until < utcDay(now);
}

/**
 * Remove an expired suppression, pinned to the `until` read: of concurrent observers, exactly one wins
 * (and notifies). False when another write won, or the suppression changed meanwhile.
 * @throws StoreUnavailableError
 */
export async function expireSuppression(
  doc: DynamoDBDocumentClient,
  table: string,
  key: Record<string, string>,
  until: string,
): Promise<boolean> {
  try {
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: `REMOVE ${SUPPRESSION_ATTRIBUTES.map((_, i) => `#s${i}`).join(', ')} ADD #version :one`,
        ConditionExpression: '#s0 = :until AND #state = :open',
        ExpressionAttributeNames: {
          ...Object.fromEntries(SUPPRESSION_ATTRIBUTES.map((name, i) => [`#s${i}`, name])),
          '#state': A.state,
          '#version': A.version,
        },
        ExpressionAttributeValues: { ':until': until, ':open': 'OPEN', ':one': 1 },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw new StoreUnavailableError('expireSuppression', error);
  }
}

/** Transitions that would notify without a suppression (kept here to avoid a runtime import cycle). */
const WOULD_NOTIFY: readonly ObserveTransition[] = ['opened', 'reopened', 'escalated'];

/**
 * Apply the finding's suppression to an observation. Active: a notifying transition becomes the quiet
 * `suppressed`. Expired: `expire` removes it (one conditional write); if this call won, the transition is
 * `unsuppressed` (notify: the finding reopens by itself); if it lost, whoever won notifies. Otherwise
 * the observation is returned as it is.
 */
export async function withSuppression(
  result: ObserveResult,
  now: Date,
  expire: (until: string) => Promise<boolean>,
): Promise<ObserveResult> {
  const { finding, transition } = result;
  const quiet = WOULD_NOTIFY.includes(transition) ? { ...result, transition: 'suppressed' as const } : result;
  if (finding.suppression === undefined) return result;
  if (isSuppressed(finding, now)) return quiet;
  if (!(await expire(finding.suppression.until))) return quiet;
  const { suppression: _expired, ...rest } = finding;
  return { transition: 'unsuppressed', finding: { ...rest, version: finding.version + 1 } };
}
