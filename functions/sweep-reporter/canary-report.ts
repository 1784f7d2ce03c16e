/**
 * The sweep's canary comparison (docs/adr/0021-canary.md), run by the reporter after the wait: per
 * account whose worker sent a canary (or failed to), read the account's state and the arrivals since the
 * last comparison, decide ({@link compareCanary}), open or resolve `REALTIME_PATH_BROKEN` through the
 * finding store and the one notification path, then store the new state. The finding's transition comes
 * before the state is written, so a reporter retried after a failure repeats an idempotent transition
 * instead of losing it; a comparison that already ran for this sweep's canary (its state was compared
 * after the canary was sent) is not run again, so a retry never counts one miss twice.
 *
 * The `joined` path sends canaries but does not wait: its accounts are not compared, and their arrivals
 * count at the next comparison.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SentCanary } from '../contract/canary';
import type { FindingRef } from '../contract/findings';
import type { SweepAccountResult, SweepBatchResult, SweepFinding, SweepMode } from '../contract/sweep';
import { compareCanary, type CanaryOutcome, type CanaryState } from '../core/canary-compare';
import type { CanaryStore } from '../core/canary-store';
import { shouldNotify, type Finding as StoredFinding, type FindingStore } from '../core/finding-store';
import type { FormatSettings } from '../core/message-parts';
import { neverNotified, type Notifier } from '../core/notify';
import { chatCanaryAlert, formatCanaryAlert } from './canary-alert';

/** One account's canary in the report: what the comparison found, and when the path was last proven. */
export interface CanaryAccountReport {
  readonly accountId: string;
  /** The comparison's outcome; `not-compared` on the joined path (counted at the next comparison). */
  readonly outcome: CanaryOutcome | 'not-compared';
  /** Sweeps in a row without a canary, after this comparison. */
  readonly consecutiveMisses: number;
  /** ISO time the real-time path was last proven, if ever. */
  readonly lastProvenAt?: string;
  /** The tag call's failure (`tag-failed`). */
  readonly failure?: string;
}

/** What the comparison did: per account, and the finding transitions for the report. */
export interface CanaryComparison {
  readonly accounts: readonly CanaryAccountReport[];
  /** The REALTIME_PATH_BROKEN finding each account's comparison opened, kept open or resolved. */
  readonly findings: ReadonlyMap<string, SweepFinding>;
}

/** What the comparison needs; the reporter's handler builds it once per container. */
export interface CanaryReportDeps {
  readonly canaries: Pick<CanaryStore, 'readState' | 'arrivalsSince' | 'writeState'>;
  readonly store: Pick<FindingStore, 'observeProblem' | 'resolve'>;
  readonly notify: Notifier;
  readonly format: FormatSettings;
  readonly resolvedRetentionDays: number;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

const refOf = (accountId: string): FindingRef => ({ accountId, kind: 'REALTIME_PATH_BROKEN' });

function sweepFindingOf(finding: StoredFinding, change: SweepFinding['change']): SweepFinding {
  return {
    accountId: finding.accountId,
    kind: finding.kind,
    severity: finding.severity,
    findingId: finding.findingId,
    change,
    firstSeen: finding.firstSeen,
    detail: finding.detail ?? finding.kind,
    ...(change === 'resolved' ? { resolvedBecause: 'canary-arrived' } : {}),
  };
}

/** Open (or keep open) REALTIME_PATH_BROKEN and alert it once through the notification path. */
async function openBroken(
  deps: CanaryReportDeps,
  account: SweepAccountResult,
  sweepId: string,
  next: CanaryState,
  now: Date,
): Promise<SweepFinding> {
  const { transition, finding } = await deps.store.observeProblem({
    ...refOf(account.accountId),
    severity: 'HIGH',
    detail: 'REALTIME_PATH_BROKEN',
    source: 'sweep',
    now,
    ...(account.alias === undefined ? {} : { accountAlias: account.alias }),
  });
  const change = shouldNotify(transition) ? 'new' : 'still-open';
  if (change === 'new' || neverNotified(finding, now)) {
    const input = {
      accountId: account.accountId,
      ...(account.name === undefined ? {} : { accountName: account.name }),
      ...(account.alias === undefined ? {} : { accountAlias: account.alias }),
      findingId: finding.findingId,
      firstSeen: new Date(finding.firstSeen),
      sweepId,
      consecutiveMisses: next.consecutiveMisses,
      ...(next.lastProvenAt === undefined ? {} : { lastProvenAt: next.lastProvenAt }),
      ...(account.forwarding === undefined ? {} : { forwarding: account.forwarding }),
    };
    try {
      await deps.notify({
        kind: 'alert',
        source: 'sweep',
        severity: 'HIGH',
        stored: { ref: refOf(account.accountId), finding, sessionHint: `sweep-${sweepId}` },
        messages: {
          email: () => formatCanaryAlert(input, deps.format),
          chat: () => chatCanaryAlert(input, deps.format),
        },
        log: { findingId: finding.findingId, accountId: account.accountId },
      });
    } catch (error) {
      // The finding stays unnotified: the next sweep alerts it (neverNotified).
      deps.logger.error('Could not publish the REALTIME_PATH_BROKEN alert', {
        accountId: account.accountId,
        error,
      });
    }
  }
  return sweepFindingOf(finding, change);
}

/** Resolve an open REALTIME_PATH_BROKEN (`canary-arrived`): in the digest, no email (sweep resolutions). */
async function resolveBroken(
  deps: CanaryReportDeps,
  accountId: string,
  sweepId: string,
  now: Date,
): Promise<SweepFinding | undefined> {
  const resolved = await deps.store.resolve({
    ...refOf(accountId),
    reason: 'canary-arrived',
    now,
    retentionDays: deps.resolvedRetentionDays,
  });
  if (resolved.transition !== 'resolved') return undefined;
  const { finding } = resolved;
  await deps.notify({
    kind: 'resolution',
    source: 'sweep',
    severity: finding.severity,
    stored: { ref: refOf(accountId), finding, sessionHint: `sweep-${sweepId}` },
    log: { findingId: finding.findingId, accountId },
  });
  return sweepFindingOf(finding, 'resolved');
}

/** The outcome a stored state stands for, when this sweep's comparison already ran (a retry). */
function outcomeOfState(state: CanaryState, sent: SentCanary): CanaryOutcome {
  if ('failure' in sent) return 'tag-failed';
  if (state.consecutiveMisses === 0) return 'proven';
  return state.consecutiveMisses === 1 ? 'first-miss' : 'broken';
}

function accountReport(
  accountId: string,
  outcome: CanaryAccountReport['outcome'],
  state: CanaryState | undefined,
  sent: SentCanary,
): CanaryAccountReport {
  return {
    accountId,
    outcome,
    consecutiveMisses: state?.consecutiveMisses ?? 0,
    ...(state?.lastProvenAt === undefined ? {} : { lastProvenAt: state.lastProvenAt }),
    ...('failure' in sent ? { failure: sent.failure } : {}),
  };
}

/** Compare one account's canary; returns its report line and its finding transition, if any. */
async function compareAccount(
  deps: CanaryReportDeps,
  account: SweepAccountResult,
  sent: SentCanary,
  mode: SweepMode,
  now: Date,
): Promise<{ line: CanaryAccountReport; finding?: SweepFinding }> {
  const { accountId } = account;
  const previous = await deps.canaries.readState(accountId);
  if (mode === 'joined') return { line: accountReport(accountId, 'not-compared', previous, sent) };
  const comparedAfterSending =
    'sentAt' in sent &&
    previous?.lastComparedAt !== undefined &&
    Date.parse(previous.lastComparedAt) >= Date.parse(sent.sentAt);
  if (previous !== undefined && comparedAfterSending) {
    deps.logger.info('Canary already compared for this sweep (a retried report)', { accountId });
    return { line: accountReport(accountId, outcomeOfState(previous, sent), previous, sent) };
  }
  const arrivals = await deps.canaries.arrivalsSince(accountId, previous?.lastComparedAt);
  const decision = compareCanary(sent, arrivals, previous, now);
  const finding =
    decision.finding === 'open'
      ? await openBroken(deps, account, sent.sweepId, decision.next, now)
      : decision.finding === 'resolve'
        ? await resolveBroken(deps, accountId, sent.sweepId, now)
        : undefined;
  const written = await deps.canaries.writeState(accountId, decision.next, previous);
  if (written === 'stale') {
    deps.logger.warn('Canary state changed during the comparison; kept the other write', { accountId });
  }
  deps.logger.info('Canary compared', { accountId, outcome: decision.outcome, failure: decision.failure });
  return {
    line: accountReport(accountId, decision.outcome, decision.next, sent),
    ...(finding === undefined ? {} : { finding }),
  };
}

/**
 * Compare every account whose worker result carries a canary. One account's store failure fails the
 * report (the state machine retries the reporter; the comparison is safe to repeat).
 */
export async function compareSweepCanaries(
  deps: CanaryReportDeps,
  input: { readonly mode: SweepMode; readonly batches: readonly SweepBatchResult[]; readonly now: Date },
): Promise<CanaryComparison> {
  const accounts: CanaryAccountReport[] = [];
  const findings = new Map<string, SweepFinding>();
  const seen = new Set<string>();
  for (const batch of input.batches) {
    for (const account of batch.accounts) {
      const sent = account.canary;
      if (sent === undefined || seen.has(account.accountId)) continue;
      seen.add(account.accountId);
      const { line, finding } = await compareAccount(deps, account, sent, input.mode, input.now);
      accounts.push(line);
      if (finding !== undefined) findings.set(account.accountId, finding);
    }
  }
  accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
  return { accounts, findings };
}

/**
 * The worker results with each compared account's REALTIME_PATH_BROKEN entry replaced by the
 * comparison's transition (the worker only kept the finding as it was). Pure.
 */
export function withCanaryFindings(
  batches: readonly SweepBatchResult[],
  findings: ReadonlyMap<string, SweepFinding>,
): SweepBatchResult[] {
  if (findings.size === 0) return [...batches];
  return batches.map((batch) => ({
    ...batch,
    accounts: batch.accounts.map((account) => {
      const finding = findings.get(account.accountId);
      if (finding === undefined) return account;
      return {
        ...account,
        findings: [...account.findings.filter((f) => f.kind !== 'REALTIME_PATH_BROKEN'), finding],
      };
    }),
  }));
}
