/**
 * The checker's side of the finding store and the notification path: record a problem or a fix, and
 * hand the transition to functions/core/notify.ts (the one place that sends messages).
 */
import { describeError } from '../core/errors';
import { shouldNotify, type Finding as StoredFinding } from '../core/finding-store';
import type { Finding } from '../core/judge';
import { neverNotified, type Notice, type NoticeKind, type StoredTransition } from '../core/notify';
import type { FindingRef, FindingSeverity } from '../contract/findings';
import type { CheckResult, CheckerRuntime } from './checker-types';
import { CheckFailedError } from './errors';
import { formatAlert, formatResolution, type AlertInput, type ResolutionCause } from './format';
import type { ParsedEvent } from './parse-event';

/** The checker's notice for an alert input; the chat formatting is loaded on first use (only with chat). */
export function alertNotice(
  rt: CheckerRuntime,
  kind: Exclude<NoticeKind, 'resolution'>,
  input: AlertInput,
  stored?: StoredTransition,
): Notice {
  const { settings } = rt;
  return {
    kind,
    source: 'event',
    severity: input.severity,
    ...(stored === undefined ? {} : { stored }),
    messages: {
      email: () => formatAlert(input, settings),
      chat: async () => (await import('./chat-format')).chatAlert(input, settings),
    },
    counted: { severity: input.severity, finding: input.finding },
    log: { finding: input.finding, severity: input.severity },
  };
}

/** Publish a notice that is not a finding transition (USER_CREATED, TAG_EXEMPTED, CHECK_FAILED). */
export async function publishNotice(rt: CheckerRuntime, input: AlertInput): Promise<void> {
  await rt.notify(alertNotice(rt, 'notice', input));
}

/** Report a check that could not be completed, then fail the event (on-failure queue, alarm). */
export async function failCheck(
  rt: CheckerRuntime,
  event: ParsedEvent,
  userName: string,
  step: string,
  cause: unknown,
  alert: Omit<AlertInput, 'event'> = { finding: 'CHECK_FAILED', severity: 'HIGH', userName },
): Promise<never> {
  const failure = new CheckFailedError(event.accountId, userName, step, cause);
  rt.logger.error('MFA check failed', { step, error: describeError(cause) });
  try {
    await publishNotice(rt, { failure: failure.message, ...alert, event });
  } catch (publishError) {
    rt.logger.error('Could not publish the check-failed alert', { error: describeError(publishError) });
  }
  throw failure;
}

type Recorded = { readonly stored: StoredFinding } | { readonly quiet: string; readonly since: string };

/**
 * Record an observed problem. Returns the stored finding when this write opened, reopened or escalated
 * it (or it is open but was never notified), `quiet` when it was already open, and `undefined` when the
 * store could not be reached: then the alert goes out anyway (a missed dedup beats a missed alert).
 */
async function recordProblem(
  rt: CheckerRuntime,
  ref: FindingRef,
  severity: FindingSeverity,
  detail: Finding,
  accountAlias: string | undefined,
): Promise<Recorded | undefined> {
  if (!rt.findings) return undefined;
  const { logger } = rt;
  try {
    const { transition, finding } = await rt.findings.observeProblem({
      ...ref,
      severity,
      detail,
      source: 'event',
      now: rt.now(),
      ...(accountAlias === undefined ? {} : { accountAlias }),
    });
    logger.info('Finding observed', { findingId: finding.findingId, transition });
    if (transition === 'opened' || transition === 'reopened') rt.metrics?.findingOpened('event');
    if (shouldNotify(transition)) return { stored: finding };
    if (neverNotified(finding, rt.now())) {
      logger.warn('Open finding was never notified (an earlier publish failed): alerting now', {
        findingId: finding.findingId,
      });
      return { stored: finding };
    }
    return { quiet: finding.findingId, since: finding.openedAt };
  } catch (error) {
    logger.error('Finding store unreachable: alerting without deduplication', {
      error: describeError(error),
    });
    return undefined;
  }
}

/**
 * Alert on a finding, once per transition: record it in the store, stay quiet when it was already open
 * (and notified), otherwise send it through the notification path with its id and first-seen time.
 */
export async function alertFinding(
  rt: CheckerRuntime,
  ref: FindingRef,
  accountAlias: string | undefined,
  alert: AlertInput & { readonly finding: Finding; readonly severity: FindingSeverity },
  userPath?: string,
): Promise<CheckResult> {
  const recorded = await recordProblem(rt, ref, alert.severity, alert.finding, accountAlias);
  if (recorded !== undefined && 'quiet' in recorded) {
    rt.logger.info('Finding already open: not alerted again', {
      findingId: recorded.quiet,
      since: recorded.since,
    });
    return { outcome: 'already-open', finding: alert.finding, findingId: recorded.quiet };
  }
  const finding = recorded?.stored;
  const input: AlertInput = {
    ...alert,
    ...(accountAlias === undefined ? {} : { accountAlias }),
    ...(finding === undefined
      ? {}
      : { record: { findingId: finding.findingId, firstSeen: new Date(finding.firstSeen) } }),
  };
  await rt.notify(
    alertNotice(
      rt,
      'alert',
      input,
      finding === undefined ? undefined : transitionOf(alert.event, ref, finding, userPath),
    ),
  );
  return { outcome: 'alerted', finding: alert.finding, severity: alert.severity };
}

function transitionOf(
  event: ParsedEvent,
  ref: FindingRef,
  finding: StoredFinding,
  userPath: string | undefined,
): StoredTransition {
  return { ref, finding, sessionHint: event.id, ...(userPath === undefined ? {} : { userPath }) };
}

/** Record a fixed problem and send one resolution notice if this write closed an open finding. */
export async function recordFixed(
  rt: CheckerRuntime,
  event: ParsedEvent,
  ref: FindingRef,
  cause: ResolutionCause,
  alias: Promise<string | undefined>,
  userPath?: string,
): Promise<void> {
  if (!rt.findings) return;
  let resolved: Awaited<ReturnType<NonNullable<CheckerRuntime['findings']>['resolve']>>;
  try {
    resolved = await rt.findings.resolve({
      ...ref,
      reason: cause,
      now: rt.now(),
      retentionDays: rt.settings.findings.resolvedRetentionDays,
    });
  } catch (error) {
    // Nothing to alert on: the problem is fixed. The sweep resolves the finding later.
    rt.logger.error('Finding store unreachable: resolution not recorded', { error: describeError(error) });
    return;
  }
  if (resolved.transition !== 'resolved') return;
  rt.metrics?.findingResolved(cause, 'event');
  const { finding, openForMs } = resolved;
  const accountAlias = await alias;
  const resolution = {
    event,
    finding: (finding.detail ?? finding.kind) as Finding,
    ...(ref.kind === 'USER_NO_MFA' ? { userName: ref.userName } : {}),
    ...(accountAlias === undefined ? {} : { accountAlias }),
    record: { findingId: finding.findingId, firstSeen: new Date(finding.firstSeen) },
    cause,
    openForMs,
  };
  const { settings } = rt;
  await rt.notify({
    kind: 'resolution',
    source: 'event',
    severity: finding.severity,
    stored: transitionOf(event, ref, finding, userPath),
    messages: {
      email: () => formatResolution(resolution, settings),
      chat: async () => (await import('./chat-format')).chatResolution(resolution, settings),
    },
    log: { findingId: finding.findingId, cause },
  });
}
