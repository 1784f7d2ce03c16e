import type { ExemptionStatus, MatchedExemption, TagProblem } from './exemptions';
import type { ParsedEvent } from './parse-event';
import { recheckDueAt, type RecheckTrigger } from './recheck';

/** Alert severities, highest first. `INFO` is for notices a subscription filter may drop. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'INFO';

/** What an alert reports (the `finding` message attribute). */
export type Finding =
  | 'NO_MFA_CONSOLE'
  | 'NO_MFA_NO_CONSOLE'
  /** Read from IAM: the root user has a password and no MFA. */
  | 'ROOT_NO_MFA'
  /** Root MFA was removed and the root user's state could not be read (event-based). */
  | 'ROOT_MFA_REMOVED'
  /** A root password was created and the root user's state could not be read (event-based). */
  | 'ROOT_PASSWORD_CREATED'
  | 'CHECK_FAILED'
  | 'USER_CREATED'
  /** A user without MFA was skipped because of a trusted exemption tag: never silent. */
  | 'TAG_EXEMPTED';

/** Something the alert must add, rendered per locale by format.ts. */
export type AlertNote =
  | {
      readonly kind: 'exemption-expired';
      readonly source: 'config' | 'tag';
      readonly reason: string;
      readonly expires: string;
    }
  | { readonly kind: 'tag-invalid'; readonly problem: TagProblem }
  | { readonly kind: 'tag-untrusted'; readonly value: string }
  | { readonly kind: 'tag-trusted'; readonly value: string; readonly expires?: string }
  | { readonly kind: 'root-read-failed'; readonly error: string }
  | { readonly kind: 'renamed'; readonly previousUserName: string };

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

/** What IAM said about the user (from the check role). */
export interface UserFacts {
  /** False when IAM answers NoSuchEntity: the user was deleted meanwhile. */
  readonly exists: boolean;
  readonly mfaDeviceCount: number;
  readonly hasConsolePassword: boolean;
}

/** Final decision after the IAM check. */
export type Verdict =
  | { readonly action: 'skip'; readonly reason: string; readonly exemption?: MatchedExemption }
  | { readonly action: 'no-alert'; readonly reason: string }
  | {
      readonly action: 'alert';
      readonly finding: 'NO_MFA_CONSOLE' | 'NO_MFA_NO_CONSOLE';
      readonly severity: 'HIGH' | 'MEDIUM';
      /** Why an exemption did not apply, for the alert text. */
      readonly note?: AlertNote;
    }
  /** Skipped by a trusted exemption tag: an INFO notice says so, naming the tag. */
  | {
      readonly action: 'notice';
      readonly finding: 'TAG_EXEMPTED';
      readonly severity: 'INFO';
      readonly reason: string;
      readonly note: AlertNote;
    };

function noteFor(exemption: ExemptionStatus): AlertNote | undefined {
  switch (exemption.status) {
    case 'expired':
      return {
        kind: 'exemption-expired',
        source: exemption.exemption.source,
        reason: exemption.exemption.reason,
        expires: exemption.exemption.expires ?? '?',
      };
    case 'invalid-tag':
      return { kind: 'tag-invalid', problem: exemption.problem };
    case 'untrusted-tag':
      return { kind: 'tag-untrusted', value: exemption.value };
    case 'exempt':
    case 'none':
      return undefined;
  }
}

/** Decide from IAM's answers and the exemption status (docs/operations.md, "Alerts"). Pure. */
export function judgeUser(facts: UserFacts, exemption: ExemptionStatus): Verdict {
  if (!facts.exists) return { action: 'skip', reason: 'the user no longer exists (NoSuchEntity)' };
  if (exemption.status === 'exempt' && exemption.exemption.source === 'config') {
    return {
      action: 'skip',
      reason: `exempt: ${exemption.exemption.reason}`,
      exemption: exemption.exemption,
    };
  }
  if (facts.mfaDeviceCount > 0) {
    return { action: 'no-alert', reason: `the user has ${facts.mfaDeviceCount} MFA device(s)` };
  }
  if (exemption.status === 'exempt') {
    // A trusted tag: no alert, but never silent, because the creator may have set the tag.
    const { reason, expires } = exemption.exemption;
    return {
      action: 'notice',
      finding: 'TAG_EXEMPTED',
      severity: 'INFO',
      reason: `exempt by tag: ${reason}`,
      note: { kind: 'tag-trusted', value: reason, ...(expires === undefined ? {} : { expires }) },
    };
  }
  const note = noteFor(exemption);
  return facts.hasConsolePassword
    ? { action: 'alert', finding: 'NO_MFA_CONSOLE', severity: 'HIGH', ...(note ? { note } : {}) }
    : { action: 'alert', finding: 'NO_MFA_NO_CONSOLE', severity: 'MEDIUM', ...(note ? { note } : {}) };
}

/** The root user's state, from iam:GetAccountSummary (AccountMFAEnabled, AccountPasswordPresent). */
export interface RootFacts {
  readonly mfaEnabled: boolean;
  readonly passwordPresent: boolean;
}

/** Root verdict: alert only when the root user has a password and no MFA. */
export type RootVerdict =
  | { readonly action: 'no-alert'; readonly reason: string }
  | { readonly action: 'alert'; readonly finding: 'ROOT_NO_MFA'; readonly severity: 'CRITICAL' };

/**
 * Judge the root user from what IAM says now, not from the event (docs/operations.md, "Alerts"). Pure. Removing
 * one of several root MFA devices leaves MFA on; a root user without a password (centralized root
 * access) cannot sign in, so it is not a finding.
 */
export function judgeRoot(facts: RootFacts): RootVerdict {
  if (facts.mfaEnabled) return { action: 'no-alert', reason: 'the root user still has MFA enabled' };
  if (!facts.passwordPresent) {
    return {
      action: 'no-alert',
      reason: 'the root user has no password (centralized root access): it cannot sign in',
    };
  }
  return { action: 'alert', finding: 'ROOT_NO_MFA', severity: 'CRITICAL' };
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
