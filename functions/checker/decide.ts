import type { ParsedEvent } from './parse-event';
import { recheckDueAt, type RecheckTrigger } from './recheck';

/** How the checker treats the event's timing. */
export interface TimingSettings {
  /** Hours between creation (or console access) and the check; 0 = check at once. */
  readonly gracePeriodHours: number;
  /** Send an INFO notice when a user is created and its check is scheduled. */
  readonly notifyOnCreate: boolean;
}

/** A re-check that arrives more than this before its due time is early, not due (clock skew margin). */
export const EARLY_RECHECK_TOLERANCE_MS = 60_000;

/** Why the root user's state is read. */
export type RootTrigger = 'mfa-removed' | 'password-created' | 'mfa-enabled';

/** First decision, before any AWS call: what to do with this event. */
export type Plan =
  | { readonly action: 'skip'; readonly reason: string }
  /** Read the root user's password and MFA state (GetAccountSummary) and judge it. */
  | { readonly action: 'check-root'; readonly trigger: RootTrigger }
  | { readonly action: 'check'; readonly userName: string; readonly path?: string }
  | {
      readonly action: 'schedule';
      readonly userName: string;
      readonly trigger: RecheckTrigger;
      readonly due: Date;
      /** Send the creation notice now. */
      readonly notify: boolean;
      /** The user was renamed or moved since the original event (the schedule checks the new name). */
      readonly renamed?: { readonly path?: string };
      /** A re-check that arrived before its due time, put back on its schedule. */
      readonly early?: boolean;
    }
  /** UpdateUser: move pending re-checks to the new name and path, or check the user now. */
  | {
      readonly action: 'follow-rename';
      readonly previousUserName: string;
      readonly userName: string;
      readonly path?: string;
    };

function planRecheck(event: ParsedEvent, userName: string, path: string | undefined, now: Date): Plan {
  const marker = event.recheck;
  if (marker === undefined) throw new Error('planRecheck needs a re-check');
  const due = new Date(marker.dueAt);
  // Scheduler fires an at() schedule at its time, never before; an earlier arrival is a manual or
  // replayed invocation. Checking now would cut the grace period short: put it back on its schedule.
  if (due.getTime() - now.getTime() > EARLY_RECHECK_TOLERANCE_MS) {
    return {
      action: 'schedule',
      userName,
      trigger: marker.trigger,
      due,
      notify: false,
      early: true,
      ...(marker.userName === undefined ? {} : { renamed: path === undefined ? {} : { path } }),
    };
  }
  return { action: 'check', userName, ...(path === undefined ? {} : { path }) };
}

/**
 * Decide what an event calls for (the decision table in docs/operations.md, with the grace period of ADR 0004). Pure.
 * Failed calls and events that cannot leave a user without MFA are skipped with their reason.
 */
export function planEvent(event: ParsedEvent, settings: TimingSettings, now: Date): Plan {
  if (event.errorCode !== undefined) {
    return {
      action: 'skip',
      reason: `the ${event.eventName} call failed (${event.errorCode}): nothing changed`,
    };
  }
  const { target } = event;
  if (target.kind === 'unknown') return { action: 'skip', reason: 'the event names no user' };
  switch (event.eventName) {
    case 'CreateUser':
    case 'CreateLoginProfile': {
      // Centralized root access can give the root user a password: read whether it has MFA, at once.
      if (target.kind === 'root') return { action: 'check-root', trigger: 'password-created' };
      if (target.kind !== 'user') return { action: 'skip', reason: 'the event names no user' };
      if (event.recheck !== undefined) return planRecheck(event, target.userName, target.path, now);
      const due =
        settings.gracePeriodHours > 0
          ? recheckDueAt(event.eventTime, settings.gracePeriodHours, now)
          : undefined;
      if (due === undefined) {
        return {
          action: 'check',
          userName: target.userName,
          ...(target.path === undefined ? {} : { path: target.path }),
        };
      }
      return {
        action: 'schedule',
        userName: target.userName,
        trigger: event.eventName,
        due,
        notify: settings.notifyOnCreate && event.eventName === 'CreateUser',
      };
    }
    case 'DeactivateMFADevice':
    case 'DeleteVirtualMFADevice':
      if (target.kind === 'root') return { action: 'check-root', trigger: 'mfa-removed' };
      if (target.kind === 'user') return { action: 'check', userName: target.userName };
      if (target.kind !== 'mfa-device') return { action: 'skip', reason: 'the event names no user' };
      // IAM refuses to delete a virtual MFA device that is still assigned (DeleteConflict), so the
      // DeactivateMFADevice before this call was already checked. See API_DeleteVirtualMFADevice.
      return {
        action: 'skip',
        reason: `virtual MFA device ${target.serialNumber} deleted after deactivation; the deactivation was checked`,
      };
    case 'EnableMFADevice':
      // Checked at once: an open finding of this user (or of root) is resolved, with one notice.
      if (target.kind === 'root') return { action: 'check-root', trigger: 'mfa-enabled' };
      if (target.kind === 'user') return { action: 'check', userName: target.userName };
      return { action: 'skip', reason: 'the event names no user' };
    case 'UpdateUser':
      if (target.kind !== 'renamed-user') return { action: 'skip', reason: 'the event names no user' };
      if (target.userName === target.previousUserName && target.path === undefined) {
        return { action: 'skip', reason: 'UpdateUser changed neither the name nor the path' };
      }
      return {
        action: 'follow-rename',
        previousUserName: target.previousUserName,
        userName: target.userName,
        ...(target.path === undefined ? {} : { path: target.path }),
      };
  }
}

/**
 * The alert sent when the root user's state could not be read: event-based CRITICAL for a removal or a
 * new password; a plain failed check after MFA was enabled (the event itself is good news). Pure.
 */
export function rootFallback(trigger: RootTrigger): {
  readonly finding: 'ROOT_MFA_REMOVED' | 'ROOT_PASSWORD_CREATED' | 'CHECK_FAILED';
  readonly severity: 'CRITICAL' | 'HIGH';
} {
  switch (trigger) {
    case 'mfa-removed':
      return { finding: 'ROOT_MFA_REMOVED', severity: 'CRITICAL' };
    case 'password-created':
      return { finding: 'ROOT_PASSWORD_CREATED', severity: 'CRITICAL' };
    case 'mfa-enabled':
      return { finding: 'CHECK_FAILED', severity: 'HIGH' };
  }
}
