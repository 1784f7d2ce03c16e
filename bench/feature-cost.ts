/**
 * What the canary (issue 22) and enforcement (issue 23) add to the monthly bill (bench/monthly-cost.ts):
 * stated per-account assumptions and the usage they come to. Pure.
 */
import { SWEEP_PRICES } from './sweep-cost';

/**
 * What one account's canary costs per sweep (docs/adr/0021-canary.md): the worker's TagRole (seconds of
 * the account's sweep, priced with the measured sweep), one event delivered from the member account to
 * the central bus, one checker invocation that recognises it and records its arrival, and the
 * comparison's records (functions/core/canary-store.ts).
 */
export interface CanaryWorkload {
  readonly enabled: boolean;
  /** Checker run time for a canary: parse, recognise, one conditional PutItem; no role is assumed. */
  readonly checkerMs: number;
  /** Write units per account per sweep: the arrival (checker) and the state after the comparison (reporter). */
  readonly writeUnitsPerAccount: number;
  /** Read units per account per sweep: the state (GetItem, strongly consistent: 1 RRU) and the arrivals (Query: 0.5 RRU). */
  readonly readUnitsPerAccount: number;
  /** Log bytes of the checker per canary. */
  readonly logBytes: number;
}

/**
 * What enforcement costs per sweep when on (docs/adr/0022-enforcement-quarantine.md), with a stated
 * assumption: in a share of the accounts one user is quarantined or released per sweep. Such an account
 * costs the worker one sts:AssumeRole of `org-mfa-watch-enforce`, and per user ListAttachedUserPolicies
 * and AttachUserPolicy or DetachUserPolicy (functions/sweep-worker/enforce.ts), one conditional
 * UpdateItem of the finding (functions/core/quarantine-store.ts) and one notice.
 */
export interface EnforcementWorkload {
  /** Share of accounts with a user to quarantine or release in one sweep. */
  readonly accountShare: number;
  /** Users quarantined or released in such an account per sweep. */
  readonly usersPerAccount: number;
  /** Worker time of one such account's calls (AssumeRole + two IAM calls per user), ms. */
  readonly workerMsPerAccount: number;
  /** The worker's memory, MB (bench/sweep-run.ts assumes the same for the sweep functions). */
  readonly workerMemoryMb: number;
  /** DynamoDB per transition: one conditional UpdateItem (1 WRU) and the read before it (1 RRU, consistent). */
  readonly writeUnitsPerTransition: number;
  readonly readUnitsPerTransition: number;
}

/** The defaults of {@link Workload.canary} (each stated in docs/benchmarks.md beside the result). */
export const DEFAULT_CANARY_WORKLOAD: CanaryWorkload = {
  enabled: true,
  checkerMs: 100,
  writeUnitsPerAccount: 2,
  readUnitsPerAccount: 1.5,
  logBytes: 1_000,
};

/** The defaults of {@link Workload.enforcement}: 1% of accounts with one transition per sweep. */
export const DEFAULT_ENFORCEMENT_WORKLOAD: EnforcementWorkload = {
  accountShare: 0.01,
  usersPerAccount: 1,
  workerMsPerAccount: 300,
  workerMemoryMb: 1024,
  writeUnitsPerTransition: 1,
  readUnitsPerTransition: 1,
};

/** What the canary and enforcement add to a month, in the units the bill prices. Pure. */
export function canaryAndEnforcementUse(
  workload: {
    readonly accounts: number;
    readonly sweepsPerMonth: number;
    readonly canary: CanaryWorkload;
    readonly enforcement: EnforcementWorkload;
  },
  enforcement: boolean,
) {
  const swept = workload.accounts * workload.sweepsPerMonth;
  const c = workload.canary;
  const canaries = c.enabled ? swept : 0;
  const e = workload.enforcement;
  const enforcedAccounts = enforcement ? swept * e.accountShare : 0;
  const transitions = enforcedAccounts * e.usersPerAccount;
  return {
    /** Canary events a month: one per swept account per sweep, each delivered cross-account and checked. */
    canaries,
    canaryWriteUnits: canaries * c.writeUnitsPerAccount,
    canaryReadUnits: canaries * c.readUnitsPerAccount,
    canaryLogBytes: canaries * c.logBytes,
    /** Accounts a month whose sweep assumes the enforce role, and the users quarantined or released. */
    enforcedAccounts,
    transitions,
    /** IAM and STS calls of enforcement a month (no charge): AssumeRole + 2 per user. */
    enforcementCalls: enforcedAccounts + transitions * 2,
    enforcementUsd:
      ((enforcedAccounts * e.workerMsPerAccount * e.workerMemoryMb) / 1024 / 1000) *
        SWEEP_PRICES.lambda.perGbSecondArm +
      ((transitions * e.writeUnitsPerTransition) / 1_000_000) * SWEEP_PRICES.dynamodb.perMillionWrites +
      ((transitions * e.readUnitsPerTransition) / 1_000_000) * SWEEP_PRICES.dynamodb.perMillionReads,
  };
}
