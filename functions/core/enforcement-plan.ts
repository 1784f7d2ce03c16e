/**
 * Opt-in enforcement's decisions (docs/adr/0022-enforcement-quarantine.md): which users of an account the
 * sweep quarantines, which quarantines it releases, and the org-wide cap that halts a sweep which would
 * quarantine too many users at once. Pure: no AWS, no clock (`now` is passed), no environment.
 */
import type { EnforcementMode } from '../contract/enforcement';

const HOUR_MS = 3_600_000;

/** The enforcement settings the sweep worker receives (the validated `enforcement` configuration). */
export interface EnforcementSettings {
  readonly mode: EnforcementMode;
  /** Hours a USER_NO_MFA finding must have been open. */
  readonly afterHours: number;
  /** Quarantine users without a console password too. */
  readonly includeProgrammaticUsers: boolean;
  /** More users than this to quarantine in one sweep: none is quarantined. */
  readonly maxPerSweep: number;
}

/** Where the account stands. */
export interface AccountEnforcementScope {
  readonly accountId: string;
  /** The account is in (or below) one of `enforcement.organizationalUnitIds`. */
  readonly inEnforcementOus: boolean;
  /** The account is among the rollout's targets (its member resources, enforce role included, deployed). */
  readonly inRollout: boolean;
}

/** An open USER_NO_MFA finding with what the sweep knows of its user now. */
export interface EnforcementCandidate {
  readonly findingId: string;
  readonly accountId: string;
  readonly userName: string;
  /** ISO time the finding's current open period began. */
  readonly openedAt: string;
  /** The user has a console password. */
  readonly consoleAccess: boolean;
  /** The subject is the root user (never quarantined: a policy cannot restrict root). */
  readonly root: boolean;
  /** An exemption (configuration or trusted tag) applies. */
  readonly exempt: boolean;
  /** The finding is accepted (suppressed) today. */
  readonly suppressed: boolean;
  /** The store records the quarantine policy as attached. */
  readonly quarantined: boolean;
  /** ISO time of the latest release by hand, if any. */
  readonly releasedByHandAt?: string;
}

/** Why a user is left alone. */
export type SkipReason =
  | 'enforcement-off'
  | 'outside-rollout'
  | 'outside-enforcement-ous'
  | 'root'
  | 'exempt'
  | 'suppressed'
  | 'programmatic-user'
  | 'not-open-long-enough'
  | 'released-by-hand-recently'
  | 'already-quarantined'
  | 'halted';

/** What the sweep does about one candidate. */
export type EnforcementDecision =
  | {
      readonly action: 'quarantine' | 'would-quarantine';
      readonly candidate: EnforcementCandidate;
      /** Hours the finding has been open, whole. */
      readonly openHours: number;
      /** Human text for the notice, the report and the store. */
      readonly reason: string;
    }
  | { readonly action: 'skip'; readonly candidate: EnforcementCandidate; readonly reason: SkipReason };

function hoursBetween(from: string, now: Date): number {
  return Math.floor((now.getTime() - Date.parse(from)) / HOUR_MS);
}

/** Why the user is skipped, or undefined when they are due. Order: the broadest reason first. */
function skipReason(
  c: EnforcementCandidate,
  scope: AccountEnforcementScope,
  settings: EnforcementSettings,
  now: Date,
): SkipReason | undefined {
  if (settings.mode === 'off') return 'enforcement-off';
  if (!scope.inRollout) return 'outside-rollout';
  if (!scope.inEnforcementOus) return 'outside-enforcement-ous';
  if (c.root) return 'root';
  if (c.exempt) return 'exempt';
  if (c.suppressed) return 'suppressed';
  if (!c.consoleAccess && !settings.includeProgrammaticUsers) return 'programmatic-user';
  if (c.quarantined) return 'already-quarantined';
  if (hoursBetween(c.openedAt, now) < settings.afterHours) return 'not-open-long-enough';
  if (c.releasedByHandAt !== undefined && hoursBetween(c.releasedByHandAt, now) < settings.afterHours) {
    return 'released-by-hand-recently';
  }
  return undefined;
}

/**
 * Decide, for each open USER_NO_MFA finding of one account, whether the sweep quarantines its user
 * (`quarantine`), would in dry-run (`would-quarantine`), or leaves them alone (`skip` with the reason).
 * A user released by hand is not quarantined again until `afterHours` after the release. Pure.
 * @throws InvalidEnforcementInputError on a finding of another account or an unreadable time
 */
export function planAccount(
  candidates: readonly EnforcementCandidate[],
  scope: AccountEnforcementScope,
  settings: EnforcementSettings,
  now: Date,
): EnforcementDecision[] {
  return candidates.map((candidate) => {
    checkCandidate(candidate, scope);
    const skip = skipReason(candidate, scope, settings, now);
    if (skip !== undefined) return { action: 'skip', candidate, reason: skip };
    const openHours = hoursBetween(candidate.openedAt, now);
    return {
      action: settings.mode === 'quarantine' ? 'quarantine' : 'would-quarantine',
      candidate,
      openHours,
      reason: `no MFA for ${openHours} h since the alert (enforcement after ${settings.afterHours} h)`,
    };
  });
}

/** An input the plan cannot judge: it names the field and the expectation. */
export class InvalidEnforcementInputError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`enforcement input ${field}: expected ${expected}`);
    this.name = 'InvalidEnforcementInputError';
  }
}

function checkCandidate(c: EnforcementCandidate, scope: AccountEnforcementScope): void {
  if (c.accountId !== scope.accountId) {
    throw new InvalidEnforcementInputError(
      'accountId',
      `${scope.accountId} (the account planned), got ${c.accountId}`,
    );
  }
  if (Number.isNaN(Date.parse(c.openedAt))) {
    throw new InvalidEnforcementInputError('openedAt', `an ISO time, got "${c.openedAt}"`);
  }
  if (c.releasedByHandAt !== undefined && Number.isNaN(Date.parse(c.releasedByHandAt))) {
    throw new InvalidEnforcementInputError('releasedByHandAt', `an ISO time, got "${c.releasedByHandAt}"`);
  }
}

/** The one HIGH alert of a halted sweep: how many users it would have quarantined, against the cap. */
export interface EnforcementHalt {
  readonly mode: Exclude<EnforcementMode, 'off'>;
  /** Users due for quarantine across the organization in this sweep. */
  readonly count: number;
  readonly maxPerSweep: number;
  /** Accounts those users are in, sorted. */
  readonly accountIds: readonly string[];
  /** Human text for the alert. */
  readonly why: string;
}

/** The sweep's decisions after the cap. */
export interface CappedPlan {
  readonly decisions: readonly EnforcementDecision[];
  /** Set when the cap was exceeded: then no decision is `quarantine` (or `would-quarantine`). */
  readonly halted?: EnforcementHalt;
}

/**
 * The org-wide guard rail: when the sweep's decisions (all accounts) would quarantine more than
 * `maxPerSweep` users, none is quarantined: every due user becomes `skip` / `halted`, and the plan
 * carries one {@link EnforcementHalt} for the HIGH alert. A wrong configuration (an OU too wide, a
 * broken MFA read) must never lock out a whole organization. In dry-run the same count is reported as
 * a halt that would have happened. Pure.
 */
export function capSweep(
  decisions: readonly EnforcementDecision[],
  settings: EnforcementSettings,
): CappedPlan {
  const due = decisions.filter((d) => d.action !== 'skip');
  if (due.length <= settings.maxPerSweep || settings.mode === 'off') return { decisions };
  const accountIds = [...new Set(due.map((d) => d.candidate.accountId))].sort();
  return {
    decisions: decisions.map((d) =>
      d.action === 'skip' ? d : { action: 'skip', candidate: d.candidate, reason: 'halted' },
    ),
    halted: {
      mode: settings.mode,
      count: due.length,
      maxPerSweep: settings.maxPerSweep,
      accountIds,
      why: `${due.length} users in ${accountIds.length} account(s) are due for quarantine, more than enforcement.maxPerSweep (${settings.maxPerSweep}): nobody was quarantined. Check enforcement.organizationalUnitIds and the open USER_NO_MFA findings, then raise the cap or quarantine in smaller steps.`,
    },
  };
}
