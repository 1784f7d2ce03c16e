/**
 * How one user or root user is judged, shared by the checker and the sweep worker: the findings, their
 * severities and the verdicts from IAM's answers. Pure.
 */
import type { ExemptionStatus, MatchedExemption, TagProblem } from './exemptions';

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
