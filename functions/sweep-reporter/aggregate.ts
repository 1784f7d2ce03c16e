import type { EnforcementSummary } from '../contract/enforcement';
import { FINDING_SEVERITIES, severityRank, type FindingSeverity } from '../contract/findings';
import type {
  AccountOutcome,
  SweepAccountItem,
  SweepAccountResult,
  SweepBatchResult,
  SweepFinding,
  SweepMode,
  SweepSkippedAccount,
} from '../contract/sweep';
import type { CanaryAccountReport } from './canary-report';
import type { FailedBatch } from './results';

/**
 * One account in the report: its plan item merged with the worker's result. The same fields as the
 * worker's result (an account the worker never reported gets its plan item's and an outcome).
 */
export type AccountReport = SweepAccountResult;

/** Why an account is a coverage gap. */
export type GapKind = 'outside-rollout' | 'excluded' | 'not-covered';

/** An account the member resources do not (or cannot be shown to) reach. */
export interface CoverageGap {
  readonly accountId: string;
  readonly name?: string;
  readonly alias?: string;
  readonly gap: GapKind;
  readonly reason?: string;
}

/** Counts of the report. */
export interface ReportTotals {
  readonly accounts: number;
  readonly checked: number;
  readonly notCovered: number;
  readonly failed: number;
  /** StackSet instance not landed yet: no finding, listed in the digest. */
  readonly rolloutPending: number;
  readonly coverageGaps: number;
  readonly newFindings: number;
  /** Resolved by the workers plus `account-removed`. */
  readonly resolvedFindings: number;
  readonly stillOpenFindings: number;
  /** New plus still open: what is open in the swept accounts after this sweep. */
  readonly openFindings: number;
  readonly accountRemovedFindings: number;
}

/** The whole report: the JSON report as written, and what the CSV and the digest render. */
export interface SweepReport {
  readonly sweepId: string;
  readonly mode: SweepMode;
  readonly fullSweep: boolean;
  readonly generatedAt: string;
  readonly totals: ReportTotals;
  readonly newBySeverity: Readonly<Record<FindingSeverity, number>>;
  readonly openBySeverity: Readonly<Record<FindingSeverity, number>>;
  /** Every planned account (and any the workers reported beyond the plan), by account id. */
  readonly accounts: readonly AccountReport[];
  readonly coverageGaps: readonly CoverageGap[];
  /** Findings of accounts no longer ACTIVE in the organization, resolved by this sweep. */
  readonly removedAccountFindings: readonly SweepFinding[];
  /** Asked-for accounts that were not swept because they are not ACTIVE. */
  readonly skipped: readonly SweepSkippedAccount[];
  /** Set when reconciling departed accounts could not be done (the finding store was unreachable). */
  readonly storeProblem?: string;
  /** Set when the planner could not read the StackSet's instances (rollout status unknown). */
  readonly rolloutProblem?: string;
  /** Per account that sent a canary: the comparison and when the real-time path was last proven. */
  readonly canary?: readonly CanaryAccountReport[];
  /** The Enforce step's summary (enforcement on): quarantined, would quarantine, released, halted. */
  readonly enforcement?: EnforcementSummary;
}

/** Everything {@link buildReport} combines. */
export interface ReportParts {
  readonly sweepId: string;
  readonly mode: SweepMode;
  readonly fullSweep: boolean;
  readonly items: readonly SweepAccountItem[];
  readonly batches: readonly SweepBatchResult[];
  readonly failures: readonly FailedBatch[];
  readonly removedAccountFindings: readonly SweepFinding[];
  readonly skipped: readonly SweepSkippedAccount[];
  readonly storeProblem?: string;
  readonly rolloutProblem?: string;
  readonly enforcement?: EnforcementSummary;
  readonly now: Date;
}

/** Reason of a planned account for which no child execution reported anything. */
export const NO_RESULT_REASON = 'no result from the sweep worker (its batch did not run to the end)';

const zeroBySeverity = (): Record<FindingSeverity, number> => ({ CRITICAL: 0, HIGH: 0, MEDIUM: 0 });

/** Most severe first, then account, then user, then id: a stable order for every list. */
export function compareFindings(a: SweepFinding, b: SweepFinding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    a.accountId.localeCompare(b.accountId) ||
    (a.userName ?? '').localeCompare(b.userName ?? '') ||
    a.findingId.localeCompare(b.findingId)
  );
}

function dedupeFindings(findings: readonly SweepFinding[]): SweepFinding[] {
  const byId = new Map<string, SweepFinding>();
  for (const finding of findings) byId.set(`${finding.findingId}/${finding.change}`, finding);
  return [...byId.values()].sort(compareFindings);
}

function fromResult(item: SweepAccountItem | undefined, result: SweepAccountResult): AccountReport {
  const name = result.name ?? item?.name;
  const coverage = item?.coverage ?? result.coverage;
  return {
    accountId: result.accountId,
    ...(name === undefined ? {} : { name }),
    ...(result.alias === undefined ? {} : { alias: result.alias }),
    ...(coverage === undefined ? {} : { coverage }),
    outcome: result.outcome,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    ...(result.users === undefined ? {} : { users: result.users }),
    ...(result.inGracePeriod === undefined ? {} : { inGracePeriod: result.inGracePeriod }),
    findings: dedupeFindings(result.findings),
  };
}

function failedAccount(accountId: string, item: SweepAccountItem | undefined, reason: string): AccountReport {
  return {
    accountId,
    ...(item === undefined ? {} : { name: item.name, coverage: item.coverage }),
    outcome: 'failed',
    reason,
    findings: [],
  };
}

/**
 * Per account, a worker's result wins over a failed batch (a redriven Map Run can report both), and a
 * planned account with neither is `failed` with {@link NO_RESULT_REASON}. Ordered by account id.
 */
function mergeAccounts(parts: ReportParts): AccountReport[] {
  const items = new Map(parts.items.map((item) => [item.accountId, item]));
  const accounts = new Map<string, AccountReport>();
  for (const failure of parts.failures) {
    for (const accountId of failure.accountIds) {
      if (!accounts.has(accountId))
        accounts.set(accountId, failedAccount(accountId, items.get(accountId), failure.reason));
    }
  }
  for (const batch of parts.batches) {
    for (const result of batch.accounts) {
      const earlier = accounts.get(result.accountId);
      if (earlier === undefined || earlier.outcome === 'failed' || result.outcome !== 'failed') {
        accounts.set(result.accountId, fromResult(items.get(result.accountId), result));
      }
    }
  }
  for (const item of parts.items) {
    if (!accounts.has(item.accountId))
      accounts.set(item.accountId, failedAccount(item.accountId, item, NO_RESULT_REASON));
  }
  return [...accounts.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
}

/** Accounts outside the rollout, excluded, or not covered, in the accounts' order. */
function coverageGapsOf(ordered: readonly AccountReport[]): CoverageGap[] {
  const coverageGaps: CoverageGap[] = [];
  for (const account of ordered) {
    const gap: GapKind | undefined =
      account.coverage === 'outside-rollout' || account.coverage === 'excluded'
        ? account.coverage
        : account.outcome === 'not-covered'
          ? 'not-covered'
          : undefined;
    if (gap === undefined) continue;
    coverageGaps.push({
      accountId: account.accountId,
      ...(account.name === undefined ? {} : { name: account.name }),
      ...(account.alias === undefined ? {} : { alias: account.alias }),
      gap,
      ...(account.outcome === 'not-covered' && account.reason !== undefined
        ? { reason: account.reason }
        : {}),
    });
  }
  return coverageGaps;
}

/** The counts of the merged accounts, their gaps and the departed accounts' (sorted) findings. */
function tally(
  ordered: readonly AccountReport[],
  coverageGaps: readonly CoverageGap[],
  removed: readonly SweepFinding[],
): Pick<SweepReport, 'totals' | 'newBySeverity' | 'openBySeverity'> {
  const findings = ordered.flatMap((a) => a.findings);
  const count = (change: SweepFinding['change']) => findings.filter((f) => f.change === change).length;
  const newBySeverity = zeroBySeverity();
  const openBySeverity = zeroBySeverity();
  for (const finding of findings) {
    if (finding.change === 'new') newBySeverity[finding.severity] += 1;
    if (finding.change !== 'resolved') openBySeverity[finding.severity] += 1;
  }
  const outcomes = (outcome: AccountOutcome) => ordered.filter((a) => a.outcome === outcome).length;
  return {
    totals: {
      accounts: ordered.length,
      checked: outcomes('checked'),
      notCovered: outcomes('not-covered'),
      failed: outcomes('failed'),
      rolloutPending: outcomes('rollout-pending'),
      coverageGaps: coverageGaps.length,
      newFindings: count('new'),
      resolvedFindings: count('resolved') + removed.length,
      stillOpenFindings: count('still-open'),
      openFindings: count('new') + count('still-open'),
      accountRemovedFindings: removed.length,
    },
    newBySeverity,
    openBySeverity,
  };
}

/**
 * Merge the plan and the workers' results into the report. Per account, a worker's result wins over a
 * failed batch (a redriven Map Run can report both), and a planned account with neither is `failed`
 * with {@link NO_RESULT_REASON}. Coverage gaps: accounts outside the rollout, excluded, or not covered.
 * Pure.
 */
export function buildReport(parts: ReportParts): SweepReport {
  const ordered = mergeAccounts(parts);
  const coverageGaps = coverageGapsOf(ordered);
  const removed = [...parts.removedAccountFindings].sort(compareFindings);
  const { totals, newBySeverity, openBySeverity } = tally(ordered, coverageGaps, removed);
  return {
    sweepId: parts.sweepId,
    mode: parts.mode,
    fullSweep: parts.fullSweep,
    generatedAt: parts.now.toISOString(),
    totals,
    newBySeverity,
    openBySeverity,
    accounts: ordered,
    coverageGaps,
    removedAccountFindings: removed,
    skipped: parts.skipped,
    ...(parts.storeProblem === undefined ? {} : { storeProblem: parts.storeProblem }),
    ...(parts.rolloutProblem === undefined ? {} : { rolloutProblem: parts.rolloutProblem }),
    ...(parts.enforcement === undefined ? {} : { enforcement: parts.enforcement }),
  };
}

/** The most severe new finding's severity, or INFO when nothing is new (the digest's `severity`). Pure. */
export function digestSeverity(report: SweepReport): FindingSeverity | 'INFO' {
  return FINDING_SEVERITIES.find((s) => report.newBySeverity[s] > 0) ?? 'INFO';
}
