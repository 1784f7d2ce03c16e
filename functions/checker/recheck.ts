import { createHash } from 'node:crypto';
import type { CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';

/** Events that start a grace period; the re-check after it alerts only if the user still lacks MFA. */
export const RECHECK_TRIGGERS = ['CreateUser', 'CreateLoginProfile'] as const;

/** One of {@link RECHECK_TRIGGERS}. */
export type RecheckTrigger = (typeof RECHECK_TRIGGERS)[number];

/**
 * Top-level key the re-check input carries beside the original EventBridge envelope. The checker
 * validates the envelope exactly like a live event, then reads this marker to know it is a re-check.
 */
export const RECHECK_MARKER_KEY = 'orgMfaWatchRecheck';

/** The marker added to a scheduled re-check's input. */
export interface RecheckMarker {
  readonly trigger: RecheckTrigger;
  /** ISO time the re-check was scheduled for. */
  readonly dueAt: string;
  readonly scheduleName: string;
  /** The user's name now, when it was renamed after the original event (UpdateUser). */
  readonly userName?: string;
  /** The user's path now, when it was moved after the original event (UpdateUser). */
  readonly path?: string;
}

const TRIGGER_SLUG: Record<RecheckTrigger, string> = { CreateUser: 'user', CreateLoginProfile: 'console' };

/**
 * Deterministic schedule name for one account + user + trigger, so a repeated event maps to the same
 * schedule (CreateSchedule then answers ConflictException: already scheduled). IAM user names are
 * unique case-insensitively, and may hold characters Scheduler names cannot (`+=,@`), hence the hash;
 * the user name itself goes into the schedule's description. Names: 1-64 of [0-9a-zA-Z-_.].
 */
export function recheckScheduleName(accountId: string, userName: string, trigger: RecheckTrigger): string {
  const digest = createHash('sha256')
    .update(`${accountId}/${userName.toLowerCase()}`)
    .digest('hex')
    .slice(0, 16);
  return `omw-${accountId}-${TRIGGER_SLUG[trigger]}-${digest}`;
}

/**
 * When the re-check is due: the event time plus the grace period. A due time already in the past
 * (an event replayed from the archive, a long outage) means "check now": returns undefined.
 */
export function recheckDueAt(eventTime: Date, gracePeriodHours: number, now: Date): Date | undefined {
  const due = new Date(eventTime.getTime() + gracePeriodHours * 60 * 60 * 1000);
  // Scheduler rejects an at() time that is not in the future; a minute of margin covers clock skew.
  return due.getTime() - now.getTime() > 60_000 ? due : undefined;
}

/** EventBridge Scheduler one-time expression `at(yyyy-mm-ddThh:mm:ss)`, in UTC. */
export function atExpression(due: Date): string {
  return `at(${due.toISOString().slice(0, 19)})`;
}

/** Everything the schedule request needs from the deployment. */
export interface RecheckTarget {
  readonly groupName: string;
  /** ARN of the checker function (the schedule invokes it directly). */
  readonly functionArn: string;
  /** Role EventBridge Scheduler assumes to invoke the function and write to the DLQ. */
  readonly roleArn: string;
  /** SQS queue for re-checks Scheduler could not deliver. */
  readonly deadLetterQueueArn: string;
}

/** One re-check to schedule. */
export interface RecheckRequest {
  readonly accountId: string;
  readonly userName: string;
  readonly trigger: RecheckTrigger;
  readonly due: Date;
  /** The original EventBridge envelope, replayed to the checker when the schedule fires. */
  readonly envelope: Readonly<Record<string, unknown>>;
  /**
   * Set when the user was renamed or moved since the original event: the re-check checks `userName`
   * (and this path) instead of the user the envelope names.
   */
  readonly renamed?: { readonly path?: string };
}

/**
 * The exact CreateSchedule request for a one-time re-check: `at()` in UTC, no flexible window,
 * deleted after it fires, with retries and a dead-letter queue. Pure.
 */
export function buildRecheckSchedule(
  request: RecheckRequest,
  target: RecheckTarget,
): CreateScheduleCommandInput {
  const scheduleName = recheckScheduleName(request.accountId, request.userName, request.trigger);
  const marker: RecheckMarker = {
    trigger: request.trigger,
    dueAt: request.due.toISOString(),
    scheduleName,
    ...(request.renamed === undefined ? {} : { userName: request.userName }),
    ...(request.renamed?.path === undefined ? {} : { path: request.renamed.path }),
  };
  return {
    Name: scheduleName,
    GroupName: target.groupName,
    Description:
      `MFA re-check of IAM user ${request.userName} in ${request.accountId} after ${request.trigger}`.slice(
        0,
        512,
      ),
    ScheduleExpression: atExpression(request.due),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: target.functionArn,
      RoleArn: target.roleArn,
      Input: JSON.stringify({ ...request.envelope, [RECHECK_MARKER_KEY]: marker }),
      // Retry a failed delivery for up to a day (Scheduler's maximum), then keep it in the DLQ.
      RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
      DeadLetterConfig: { Arn: target.deadLetterQueueArn },
    },
  };
}

/** What a pending re-check carries: when it is due, and the envelope (and overrides) it replays. */
export interface PendingRecheck {
  readonly due: Date;
  readonly envelope: Readonly<Record<string, unknown>>;
  readonly marker: RecheckMarker;
}

/**
 * Read a pending re-check back from its schedule's target input (GetSchedule). Pure. Returns undefined
 * when the input is not one this checker wrote.
 */
export function pendingRecheckFrom(input: string | undefined): PendingRecheck | undefined {
  if (input === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { [RECHECK_MARKER_KEY]: marker, ...envelope } = parsed as Record<string, unknown>;
  if (marker === null || typeof marker !== 'object') return undefined;
  const m = marker as Partial<RecheckMarker>;
  if (
    typeof m.dueAt !== 'string' ||
    typeof m.scheduleName !== 'string' ||
    !RECHECK_TRIGGERS.includes(m.trigger as RecheckTrigger)
  ) {
    return undefined;
  }
  const due = new Date(m.dueAt);
  if (Number.isNaN(due.getTime())) return undefined;
  return { due, envelope, marker: m as RecheckMarker };
}
