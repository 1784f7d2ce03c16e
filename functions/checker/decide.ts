import type { ExemptionStatus, MatchedExemption } from './exemptions';
import type { ParsedEvent } from './parse-event';
import { recheckDueAt, type RecheckTrigger } from './recheck';

/** Alert severities, highest first. `INFO` is the creation notice a subscription filter may drop. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'INFO';

/** What an alert reports (the `finding` message attribute). */
export type Finding =
  'NO_MFA_CONSOLE' | 'NO_MFA_NO_CONSOLE' | 'ROOT_MFA_REMOVED' | 'CHECK_FAILED' | 'USER_CREATED';

/** How the checker treats the event's timing. */
export interface TimingSettings {
  /** Hours between creation (or console access) and the check; 0 = check at once. */
  readonly gracePeriodHours: number;
  /** Send an INFO notice when a user is created and its check is scheduled. */
  readonly notifyOnCreate: boolean;
}

/** First decision, before any AWS call: what to do with this event. */
export type Plan =
  | { readonly action: 'skip'; readonly reason: string }
  | { readonly action: 'alert'; readonly finding: 'ROOT_MFA_REMOVED'; readonly severity: 'CRITICAL' }
  | { readonly action: 'check'; readonly userName: string; readonly path?: string }
  | {
      readonly action: 'schedule';
      readonly userName: string;
      readonly trigger: RecheckTrigger;
      readonly due: Date;
      /** Send the creation notice now. */
      readonly notify: boolean;
    };

/**
 * Decide what an event calls for (DESIGN.md section 5, with the grace period of section 2.7). Pure.
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
      if (target.kind !== 'user') {
        return {
          action: 'skip',
          reason: `${event.eventName} for the root user: root MFA is not readable by the check role`,
        };
      }
      const base = { userName: target.userName, ...(target.path === undefined ? {} : { path: target.path }) };
      if (event.recheck !== undefined) return { action: 'check', ...base };
      const due =
        settings.gracePeriodHours > 0
          ? recheckDueAt(event.eventTime, settings.gracePeriodHours, now)
          : undefined;
      if (due === undefined) return { action: 'check', ...base };
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
      if (target.kind === 'root')
        return { action: 'alert', finding: 'ROOT_MFA_REMOVED', severity: 'CRITICAL' };
      if (target.kind === 'user') return { action: 'check', userName: target.userName };
      // IAM refuses to delete a virtual MFA device that is still assigned (DeleteConflict), so the
      // DeactivateMFADevice before this call was already checked. See API_DeleteVirtualMFADevice.
      return {
        action: 'skip',
        reason: `virtual MFA device ${target.serialNumber} deleted after deactivation; the deactivation was checked`,
      };
    case 'EnableMFADevice':
      return {
        action: 'skip',
        reason: 'MFA was enabled: nothing to alert (a pending re-check will find it)',
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
      readonly exemptionNote?: string;
    };

/** Decide from IAM's answers and the exemption status (DESIGN.md section 5). Pure. */
export function judgeUser(facts: UserFacts, exemption: ExemptionStatus): Verdict {
  if (!facts.exists) return { action: 'skip', reason: 'the user no longer exists (NoSuchEntity)' };
  if (exemption.status === 'exempt') {
    return {
      action: 'skip',
      reason: `exempt: ${exemption.exemption.reason}`,
      exemption: exemption.exemption,
    };
  }
  if (facts.mfaDeviceCount > 0) {
    return { action: 'no-alert', reason: `the user has ${facts.mfaDeviceCount} MFA device(s)` };
  }
  const exemptionNote =
    exemption.status === 'expired'
      ? `exemption expired on ${exemption.exemption.expires ?? '?'} (${exemption.exemption.reason})`
      : exemption.status === 'invalid-tag'
        ? `exemption tag ignored: ${exemption.problem}`
        : undefined;
  return facts.hasConsolePassword
    ? {
        action: 'alert',
        finding: 'NO_MFA_CONSOLE',
        severity: 'HIGH',
        ...(exemptionNote ? { exemptionNote } : {}),
      }
    : {
        action: 'alert',
        finding: 'NO_MFA_NO_CONSOLE',
        severity: 'MEDIUM',
        ...(exemptionNote ? { exemptionNote } : {}),
      };
}
