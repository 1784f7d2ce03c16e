/**
 * The contract of opt-in enforcement (docs/adr/0022-enforcement-quarantine.md): the names the member
 * template and the sweep worker agree on, the modes, and the finding-item attributes that record a
 * quarantine. Imported by stacks/ and functions/; it must stay free of any npm dependency.
 */

/** Customer managed policy in each member account: deny everything but MFA enrolment unless MFA is present. */
export const QUARANTINE_POLICY_NAME = 'org-mfa-watch-quarantine';

/** Member role the sweep worker assumes to attach and detach the quarantine policy (and nothing else). */
export const ENFORCE_ROLE_NAME = 'org-mfa-watch-enforce';

/** `off`: nothing is created or changed; `dry-run`: decisions are reported only; `quarantine`: acted on. */
export const ENFORCEMENT_MODES = ['off', 'dry-run', 'quarantine'] as const;

/** One of {@link ENFORCEMENT_MODES}. */
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];

/**
 * Attributes a quarantine adds to a `USER_NO_MFA` finding item (functions/core/quarantine-store.ts).
 * The `quarantined*` trio is present exactly while the policy is recorded as attached; `released*` keeps
 * the latest release; `enforcementLog` lists every attach and detach, oldest first.
 */
export const QUARANTINE_ATTRIBUTES = {
  /** ISO time the policy was attached. */
  quarantinedAt: 'quarantinedAt',
  /** Who attached it: the sweep (`sweep:<sweep id>`) or a person's ARN. */
  quarantinedBy: 'quarantinedBy',
  /** Why (e.g. `USER_NO_MFA open 72 h`). */
  quarantineReason: 'quarantineReason',
  /** ISO time of the latest release (detach). */
  releasedAt: 'releasedAt',
  /** Who released it: the sweep (on a resolution) or a person's ARN (by hand). */
  releasedBy: 'releasedBy',
  /** Why it was released (a resolution reason, or the reason given by hand). */
  releaseReason: 'releaseReason',
  /** Every transition: `{ action: 'quarantined' | 'released', at, by, reason }`, oldest first. */
  enforcementLog: 'enforcementLog',
} as const;

/** Environment variables the central stack sets on the sweep worker when enforcement is on. */
export const ENFORCEMENT_ENV = {
  /** Name of the member enforce role ({@link ENFORCE_ROLE_NAME}); absent when enforcement is off. */
  roleName: 'ENFORCE_ROLE_NAME',
  /** One of {@link ENFORCEMENT_MODES}; absent means `off`. */
  mode: 'ENFORCEMENT_MODE',
  /** Whole hours (`enforcement.afterHours`). */
  afterHours: 'ENFORCEMENT_AFTER_HOURS',
  /** JSON list of OU ids (`enforcement.organizationalUnitIds`). */
  organizationalUnitIds: 'ENFORCEMENT_OU_IDS',
  /** `true` or `false` (`enforcement.includeProgrammaticUsers`). */
  includeProgrammaticUsers: 'ENFORCEMENT_INCLUDE_PROGRAMMATIC_USERS',
  /** Whole number (`enforcement.maxPerSweep`). */
  maxPerSweep: 'ENFORCEMENT_MAX_PER_SWEEP',
} as const;

/** Who the sweep is, as the actor of a transition: `sweep:<sweep id>` (a person is an ARN). */
export const SWEEP_ACTOR_PREFIX = 'sweep:';

/** A user the sweep decided to quarantine (or would, in dry-run), as the worker's account result carries it. */
export interface EnforcementDue {
  readonly findingId: string;
  readonly userName: string;
  /** ISO time the finding's open period began. */
  readonly openedAt: string;
  /** The user has a console password (false only with `includeProgrammaticUsers`). */
  readonly consoleAccess: boolean;
  /** Whole hours the finding has been open. */
  readonly openHours: number;
  /** Why (for the store, the notice and the report). */
  readonly reason: string;
}

/** A user the sweep released (detached the policy from) in this account. */
export interface EnforcementRelease {
  readonly findingId: string;
  readonly userName: string;
  /** Why the quarantine ended. */
  readonly reason: string;
}

/** An attach or detach AWS refused (AccessDenied, throttled, ...): reported, never failing the sweep. */
export interface EnforcementFailure {
  readonly accountId: string;
  readonly findingId: string;
  readonly userName: string;
  readonly action: 'quarantine' | 'release';
  /** The outcome (`denied`, `throttled`, `policy-missing`, `failed`, ...). */
  readonly outcome: string;
  readonly error: string;
}

/** One account's enforcement in the worker's result (`SweepAccountResult.enforcement`). */
export interface AccountEnforcement {
  readonly mode: Exclude<EnforcementMode, 'off'>;
  /** Users due for quarantine (attached later by the sweep's Enforce step, after the org-wide cap). */
  readonly due: readonly EnforcementDue[];
  /** Quarantines released in this account during this sweep. */
  readonly released: readonly EnforcementRelease[];
  /** Releases AWS refused. */
  readonly failures: readonly EnforcementFailure[];
}

/** A user the Enforce step quarantined (or would have, in dry-run). */
export interface EnforcedUser extends EnforcementDue {
  readonly accountId: string;
}

/** Input of the worker's Enforce step (the state after the Distributed Map). */
export interface EnforceRequest {
  readonly enforce: {
    readonly sweepId: string;
    /** Where the Distributed Map's ResultWriter put its manifest (`ResultWriterDetails`). */
    readonly results: { readonly Bucket: string; readonly Key: string };
  };
}

/** Output of the Enforce step, read by the reporter (digest and report). */
export interface EnforcementSummary {
  readonly mode: Exclude<EnforcementMode, 'off'>;
  /** Users whose policy was attached in this sweep. */
  readonly quarantined: readonly EnforcedUser[];
  /** dry-run: users who would have been quarantined. */
  readonly wouldQuarantine: readonly EnforcedUser[];
  /** Quarantines released by the accounts' workers in this sweep. */
  readonly released: readonly (EnforcementRelease & { readonly accountId: string })[];
  /** Set when more users were due than `maxPerSweep`: nobody was quarantined. */
  readonly halted?: { readonly count: number; readonly maxPerSweep: number; readonly why: string };
  /** Attach and detach refusals, per user. */
  readonly failures: readonly EnforcementFailure[];
}
