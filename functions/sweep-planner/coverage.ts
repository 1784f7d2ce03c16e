import type { CoverageKind, SweepAccountItem } from '../contract/sweep';

/** An account of the organization as the planner needs it. */
export interface OrgAccount {
  readonly accountId: string;
  readonly name: string;
  /** Organizations `State` (`ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED`, ...), or the retired `Status`. */
  readonly state: string;
  readonly joinedAt?: Date;
  /** How it joined: `CREATED` or `INVITED` (Organizations `Account.JoinedMethod`), when known. */
  readonly joinedMethod?: string;
}

/** The fields of an Organizations `Account` this module reads. */
export interface AccountStateFields {
  readonly State?: string | undefined;
  readonly Status?: string | undefined;
}

/**
 * The account's lifecycle state. Organizations API reference (`Account`): `State` (PENDING_ACTIVATION,
 * ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED) replaces `Status` (ACTIVE, SUSPENDED, PENDING_CLOSURE),
 * which is retired from the responses on 9 September 2026; `Status` is read only where `State` is absent.
 * Pure.
 */
export function accountState(account: AccountStateFields): string {
  return account.State ?? account.Status ?? 'UNKNOWN';
}

/** Only ACTIVE accounts are swept: a suspended or closing account cannot be signed in to. Pure. */
export function isActive(account: AccountStateFields): boolean {
  return accountState(account) === 'ACTIVE';
}

/** True when the account joined the organization at most `hours` before `now`. Pure. */
export function joinedWithin(account: OrgAccount, now: Date, hours: number): boolean {
  if (account.joinedAt === undefined) return false;
  const age = now.getTime() - account.joinedAt.getTime();
  return age <= hours * 3_600_000;
}

/** What decides an account's coverage, besides its place in the OU tree. */
export interface CoverageRules {
  readonly managementAccountId: string;
  readonly excludedAccountIds: ReadonlySet<string>;
}

/**
 * How the member resources reach an account:
 * - the management account: its own stack (a service-managed StackSet never deploys there), whatever
 *   else is true of it (AWS CloudFormation User Guide, "Create a stack set with service-managed permissions");
 * - listed in `rollout.excludeAccountIds`: `excluded`, a deliberate gap, even when it is also outside
 *   every rollout OU (the operator decided; the report must not call it an accident);
 * - in the subtree of a rollout OU or root: `stackset`;
 * - anything else: `outside-rollout`.
 * Pure.
 */
export function coverageOf(accountId: string, inRollout: boolean, rules: CoverageRules): CoverageKind {
  if (accountId === rules.managementAccountId) return 'management-stack';
  if (rules.excludedAccountIds.has(accountId)) return 'excluded';
  return inRollout ? 'stackset' : 'outside-rollout';
}

/** A rollout target that is the organization's root covers every account (one root per organization). */
export function rolloutCoversEverything(rolloutTargetIds: readonly string[]): boolean {
  return rolloutTargetIds.some((id) => id.startsWith('r-'));
}

/**
 * At most this many accounts are placed with `ListParents` (one call per level, at most 6 levels: five
 * nested OUs under the root, Organizations quotas); more are placed by walking the rollout subtrees,
 * whose cost does not grow with the number of accounts asked about.
 */
export const PARENT_LOOKUP_MAX = 10;

/** How the planner learns which accounts are in the rollout subtrees. */
export type RolloutLookup =
  /** A root is a target: every account is in the rollout, no call needed. */
  | 'everything'
  /** A few accounts: walk up from each with ListParents. */
  | 'parents'
  /** Many accounts: walk down from each target with ListOrganizationalUnitsForParent + ListAccountsForParent. */
  | 'walk';

/** Choose the cheapest lookup for `accountCount` accounts. Pure. */
export function chooseRolloutLookup(
  rolloutTargetIds: readonly string[],
  accountCount: number,
): RolloutLookup {
  if (rolloutCoversEverything(rolloutTargetIds)) return 'everything';
  return accountCount <= PARENT_LOOKUP_MAX ? 'parents' : 'walk';
}

/** The items the Distributed Map reads: one per account, ordered by account id. Pure. */
export function planItems(
  accounts: readonly OrgAccount[],
  inRollout: (accountId: string) => boolean,
  rules: CoverageRules,
): SweepAccountItem[] {
  return [...accounts]
    .sort((a, b) => a.accountId.localeCompare(b.accountId))
    .map((account) => ({
      accountId: account.accountId,
      name: account.name,
      coverage: coverageOf(account.accountId, inRollout(account.accountId), rules),
      ...(account.joinedAt === undefined ? {} : { joinedAt: account.joinedAt.toISOString() }),
    }));
}
