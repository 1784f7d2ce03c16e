/**
 * When a quarantine ends (docs/adr/0022-enforcement-quarantine.md): the sweep detaches the quarantine
 * policy from a user whose finding resolved for any reason (MFA enabled, user deleted, exempted, ...),
 * was accepted (suppressed), became exempt, lost the console password while programmatic users are not
 * enforced, or whose account enforcement no longer covers (an OU taken off the list, mode `dry-run`: the
 * emergency stop). Pure: no AWS, no clock, no environment.
 */
import type { ResolutionReason } from '../contract/findings';
import type { AccountEnforcementScope, EnforcementSettings } from './enforcement-plan';

/** A USER_NO_MFA finding the store records as quarantined, with what the sweep knows of it now. */
export interface QuarantinedFinding {
  readonly findingId: string;
  readonly accountId: string;
  readonly userName: string;
  readonly state: 'OPEN' | 'RESOLVED';
  /** Why it was resolved (RESOLVED only). */
  readonly resolution?: ResolutionReason;
  /** An exemption applies now. */
  readonly exempt: boolean;
  /** The finding is accepted today. */
  readonly suppressed: boolean;
  /** The user still has a console password. */
  readonly consoleAccess: boolean;
}

/** Why a quarantine ends: the finding's resolution, or what changed while it stayed open. */
export type ReleaseCause =
  | ResolutionReason
  | 'suppressed'
  | 'exempt'
  | 'programmatic-user'
  | 'outside-enforcement-ous'
  | 'enforcement-withdrawn';

/** Release the user (detach the policy) or keep the quarantine. */
export type ReleaseDecision =
  | {
      readonly release: true;
      readonly finding: QuarantinedFinding;
      readonly cause: ReleaseCause;
      readonly reason: string;
    }
  | { readonly release: false; readonly finding: QuarantinedFinding };

const CAUSE_TEXT: Readonly<Record<ReleaseCause, string>> = {
  'mfa-enabled': 'the user enabled MFA',
  'console-removed': 'the console password was removed',
  deleted: 'the user was deleted',
  exempted: 'an exemption now applies',
  'role-reachable': 'the finding was resolved',
  'forwarding-restored': 'the finding was resolved',
  'account-removed': 'the account left the organization',
  'rollout-recovered': 'the finding was resolved',
  'canary-arrived': 'the finding was resolved',
  manual: 'the finding was closed by hand',
  suppressed: 'the finding was accepted (suppressed)',
  exempt: 'an exemption now applies',
  'programmatic-user': 'the user has no console password and enforcement.includeProgrammaticUsers is false',
  'outside-enforcement-ous': "the account is no longer in enforcement's OUs",
  'enforcement-withdrawn': 'enforcement is no longer in quarantine mode',
};

function cause(
  f: QuarantinedFinding,
  scope: AccountEnforcementScope,
  settings: EnforcementSettings,
): ReleaseCause | undefined {
  if (f.state === 'RESOLVED') return f.resolution ?? 'manual';
  if (f.exempt) return 'exempt';
  if (f.suppressed) return 'suppressed';
  if (settings.mode !== 'quarantine') return 'enforcement-withdrawn';
  if (!scope.inEnforcementOus) return 'outside-enforcement-ous';
  if (!f.consoleAccess && !settings.includeProgrammaticUsers) return 'programmatic-user';
  return undefined;
}

/**
 * For each finding recorded as quarantined in the account: release it (with the cause, and a sentence
 * for the resolution notice) or keep it. A resolved finding is always released, whatever its reason. Pure.
 */
export function planReleases(
  quarantined: readonly QuarantinedFinding[],
  scope: AccountEnforcementScope,
  settings: EnforcementSettings,
): ReleaseDecision[] {
  return quarantined.map((finding) => {
    const why = cause(finding, scope, settings);
    if (why === undefined) return { release: false, finding };
    return { release: true, finding, cause: why, reason: `quarantine released: ${CAUSE_TEXT[why]}` };
  });
}
