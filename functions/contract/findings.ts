import { createHash } from 'node:crypto';

/**
 * The contract of the finding store (docs/adr/0009-finding-store-keys.md): the
 * table's name, key layout, attribute names, finding kinds and states. Imported by the stack (table
 * definition), the functions (store module) and the CLI; it must stay free of any npm dependency.
 */

/** Physical name of the findings table in the security account. */
export const FINDINGS_TABLE_NAME = 'org-mfa-watch-findings';

/** Environment variables the central stack sets on functions that use the finding store. */
export const FINDINGS_ENV = {
  /** Name of the findings table. */
  tableName: 'FINDINGS_TABLE_NAME',
  /** Whole days a resolved finding is kept before DynamoDB's TTL deletes it. */
  resolvedRetentionDays: 'FINDINGS_RESOLVED_RETENTION_DAYS',
} as const;

/**
 * Key attributes of the table (both strings). Generic names, because the table also holds the
 * idempotency records of `@aws-lambda-powertools/idempotency` (partition `idempotency#...`).
 * - `pk`: the 12-digit account id of the finding.
 * - `sk`: `<kind>#<subject in lower case>` ({@link findingSortKey}).
 */
export const FINDING_KEY = { partition: 'pk', sort: 'sk' } as const;

/**
 * The TTL attribute (epoch seconds). Set on resolved findings only (an open finding never expires) and
 * on idempotency records (their expiry).
 */
export const FINDING_TTL_ATTRIBUTE = 'expiresAt';

/** Names of the other attributes of a finding item (the CLI and the runbook's commands use them too). */
export const FINDING_ATTRIBUTES = {
  /** Stable id, `f-` + 20 hex digits ({@link findingId}); kept across renames and reopenings. */
  findingId: 'findingId',
  accountId: 'accountId',
  kind: 'kind',
  /** The user name as last seen (original case), `root`, or `account`. */
  subject: 'subject',
  state: 'state',
  severity: 'severity',
  /** What exactly is wrong, e.g. `NO_MFA_CONSOLE`; the alert's `finding` attribute. */
  detail: 'detail',
  /** Who opened the current open period: `event` or `sweep`. */
  source: 'source',
  /** ISO time the finding was first opened (kept across reopenings). */
  firstSeen: 'firstSeen',
  /** ISO time the current open period began. */
  openedAt: 'openedAt',
  /** ISO time of the latest observation. */
  lastSeen: 'lastSeen',
  /** ISO time of the latest notification about this finding. */
  lastNotified: 'lastNotified',
  /** ISO time of the latest successful import into Security Hub (the sweep re-imports old ones). */
  lastExported: 'lastExported',
  /** ISO time of the resolution (RESOLVED only). */
  resolvedAt: 'resolvedAt',
  /** Why it was resolved (RESOLVED only), one of {@link RESOLUTION_REASONS}. */
  resolution: 'resolution',
  /** Account alias, if known when last observed. */
  accountAlias: 'accountAlias',
  /** Number of times the finding was reopened. */
  reopenCount: 'reopenCount',
  /** Earlier user names (renames), oldest first. */
  previousNames: 'previousNames',
  /** Incremented on every write that changes the item; optimistic locking for renames. */
  version: 'version',
  /** Accepted until this day (UTC, `YYYY-MM-DD`): no alerts while it holds (`npm run findings -- suppress`). */
  suppressedUntil: 'suppressedUntil',
  /** Why the finding was accepted. */
  suppressionReason: 'suppressionReason',
  /** ARN of whoever accepted it (sts:GetCallerIdentity). */
  suppressedBy: 'suppressedBy',
  /** ISO time it was accepted. */
  suppressedAt: 'suppressedAt',
} as const;

/**
 * Finding kinds.
 * - `USER_NO_MFA`: an IAM user without MFA (severity HIGH with a console password, else MEDIUM).
 * - `ROOT_NO_MFA`: the root user has a password and no MFA (CRITICAL).
 * - `ACCOUNT_NOT_COVERED`: the check role cannot be assumed in the account (sweep, HIGH).
 * - `FORWARDING_BROKEN`: the account's forward rule is missing, disabled or mis-targeted (sweep, HIGH).
 * - `ROLLOUT_FAILED`: the account's StackSet instance is FAILED or INOPERABLE (sweep, HIGH; detail
 *   `ROLLOUT_FAILED`, the StackSet's status reason in the alert).
 * - `REALTIME_PATH_BROKEN`: the account's canary (docs/adr/0021-canary.md) did not reach the checker in
 *   two consecutive sweeps: events are not flowing in real time (sweep, HIGH).
 */
export const FINDING_KINDS = [
  'USER_NO_MFA',
  'ROOT_NO_MFA',
  'ACCOUNT_NOT_COVERED',
  'FORWARDING_BROKEN',
  'ROLLOUT_FAILED',
  'REALTIME_PATH_BROKEN',
] as const;

/** One of {@link FINDING_KINDS}. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Kinds whose subject is an IAM user (they follow the user through a rename). */
export const USER_FINDING_KINDS = ['USER_NO_MFA'] as const satisfies readonly FindingKind[];

/** Subject of `ROOT_NO_MFA`. The kind is part of the key, so a user named "root" cannot collide. */
export const ROOT_SUBJECT = 'root';

/** Subject of the account-level kinds. */
export const ACCOUNT_SUBJECT = 'account';

/** Finding states: `OPEN` until a resolution, then `RESOLVED` (kept until its TTL) or reopened. */
export const FINDING_STATES = ['OPEN', 'RESOLVED'] as const;

/** One of {@link FINDING_STATES}. */
export type FindingState = (typeof FINDING_STATES)[number];

/** Severities a finding can have, highest first (the alert severities minus INFO). */
export const FINDING_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM'] as const;

/** One of {@link FINDING_SEVERITIES}. */
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** Who observed the problem. */
export const FINDING_SOURCES = ['event', 'sweep'] as const;

/** One of {@link FINDING_SOURCES}. */
export type FindingSource = (typeof FINDING_SOURCES)[number];

/**
 * Why a finding was resolved.
 * - `mfa-enabled`: the user (or root) has MFA now.
 * - `console-removed`: the root password is gone (centralized root access). A user that loses its
 *   console password but still has no MFA stays open at MEDIUM.
 * - `deleted`: the user no longer exists.
 * - `exempted`: an exemption now applies.
 * - `role-reachable`, `forwarding-restored`: the account-level problem is fixed (sweep).
 * - `account-removed`: the account left the organization or was closed (sweep).
 * - `rollout-recovered`: the account's StackSet instance is no longer FAILED or INOPERABLE (sweep).
 * - `canary-arrived`: the account's canary reached the checker again (sweep).
 * - `manual`: closed by hand (docs/operations.md).
 */
export const RESOLUTION_REASONS = [
  'mfa-enabled',
  'console-removed',
  'deleted',
  'exempted',
  'role-reachable',
  'forwarding-restored',
  'account-removed',
  'rollout-recovered',
  'canary-arrived',
  'manual',
] as const;

/** One of {@link RESOLUTION_REASONS}. */
export type ResolutionReason = (typeof RESOLUTION_REASONS)[number];

/** What a finding is about: a user, or the account's root user, or the account itself. */
export type FindingSubject =
  | { readonly kind: (typeof USER_FINDING_KINDS)[number]; readonly userName: string }
  | { readonly kind: Exclude<FindingKind, (typeof USER_FINDING_KINDS)[number]> };

/** Account and subject: everything that identifies one finding. */
export type FindingRef = { readonly accountId: string } & FindingSubject;

/** The subject string of a finding as stored (original case for a user name). */
export function subjectOf(subject: FindingSubject): string {
  if ('userName' in subject) return subject.userName;
  return subject.kind === 'ROOT_NO_MFA' ? ROOT_SUBJECT : ACCOUNT_SUBJECT;
}

/**
 * Sort key `<kind>#<subject in lower case>`. IAM user names are unique per account ignoring case
 * ("Alice" and "alice" cannot coexist), so lower-casing makes one item per user; `#` cannot occur in
 * an IAM user name, so the key is unambiguous.
 */
export function findingSortKey(kind: FindingKind, subject: string): string {
  return `${kind}#${subject.toLowerCase()}`;
}

/**
 * Deterministic finding id: `f-` + the first 20 hex digits of SHA-256 over account, kind and subject
 * (lower case). Usable as a Security Hub finding id suffix and a chat thread id. It is derived once,
 * when the finding is first opened, and then stored: a renamed user keeps its id, so read the id from
 * the item rather than recomputing it from the current name.
 */
export function findingId(accountId: string, kind: FindingKind, subject: string): string {
  const digest = createHash('sha256').update(`${accountId}/${kind}/${subject.toLowerCase()}`).digest('hex');
  return `f-${digest.slice(0, 20)}`;
}

/** Severities ordered from highest to lowest: a lower index is more severe. */
export function severityRank(severity: FindingSeverity): number {
  return FINDING_SEVERITIES.length - FINDING_SEVERITIES.indexOf(severity);
}

/** Partition-key prefix of the idempotency records that share the table (never a 12-digit account id). */
export const IDEMPOTENCY_PARTITION_PREFIX = 'idempotency#';
