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
