/**
 * One account's findings as the sweep records them: observe a confirmed problem, resolve a fixed one,
 * and hand each transition to the one notification path (functions/core/notify.ts).
 */
import { describeError } from '../core/errors';
import { shouldNotify, type Finding as StoredFinding } from '../core/finding-store';
import { neverNotified, type Notice, type StoredTransition } from '../core/notify';
import { isSuppressed } from '../core/suppression';
import type { FindingRef, FindingSeverity } from '../contract/findings';
import type { SweepAccountItem, SweepFinding, SweepFindingChange } from '../contract/sweep';
import { chatSweepAlert } from './chat-format';
import { formatSweepAlert, type SweepAlertInput } from './format';
import { refOf, type StoreOperation } from './reconcile';
import { sweepHint, type AlertExtra, type SweepRuntime } from './sweep-runtime';

/** What the account's result says about one finding. */
export function sweepFinding(
  rt: SweepRuntime,
  finding: StoredFinding,
  change: SweepFindingChange,
  context: {
    readonly consolePassword?: boolean;
    readonly lastUsed?: Date;
    readonly resolvedBecause?: string;
    readonly held?: boolean;
  },
): SweepFinding {
  return {
    accountId: finding.accountId,
    ...(finding.kind === 'USER_NO_MFA' ? { userName: finding.subject } : {}),
    kind: finding.kind,
    severity: finding.severity,
    findingId: finding.findingId,
    change,
    firstSeen: finding.firstSeen,
    ...(context.consolePassword === undefined ? {} : { consolePassword: context.consolePassword }),
    ...(context.lastUsed === undefined ? {} : { lastUsed: context.lastUsed.toISOString() }),
    ...(context.resolvedBecause === undefined ? {} : { resolvedBecause: context.resolvedBecause }),
    ...(finding.detail === undefined ? {} : { detail: finding.detail }),
    ...(context.held === true ? { held: true } : {}),
    ...(change !== 'resolved' && finding.suppression !== undefined && isSuppressed(finding, rt.now())
      ? { suppressedUntil: finding.suppression.until }
      : {}),
  };
}

/** The finding after its transition, as the notification path takes it (one session per sweep). */
function transitionOf(
  finding: StoredFinding,
  sweepId: string | undefined,
  userPath: string | undefined,
): StoredTransition {
  return {
    ref: refOf(finding),
    finding,
    sessionHint: sweepHint(sweepId),
    ...(userPath === undefined ? {} : { userPath }),
  };
}

/** The alert's text input: the stored finding plus what the sweep read beside it. */
function alertInputOf(
  rt: SweepRuntime,
  item: SweepAccountItem,
  finding: StoredFinding,
  extra: AlertExtra,
): SweepAlertInput {
  const { settings } = rt;
  return {
    accountId: finding.accountId,
    accountName: item.name,
    ...(extra.alias === undefined ? {} : { accountAlias: extra.alias }),
    kind: finding.kind,
    detail: finding.detail ?? finding.kind,
    severity: finding.severity,
    ...(finding.kind === 'USER_NO_MFA' ? { userName: finding.subject } : {}),
    findingId: finding.findingId,
    firstSeen: new Date(finding.firstSeen),
    ...(extra.consolePassword === undefined ? {} : { consolePassword: extra.consolePassword }),
    ...(extra.lastUsed === undefined ? {} : { lastUsed: extra.lastUsed }),
    ...(extra.sweepId === undefined ? {} : { sweepId: extra.sweepId }),
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
    ...(finding.kind === 'FORWARDING_BROKEN'
      ? {
          rule: {
            name: settings.forwardRuleName,
            region: settings.forwardRuleRegion,
            deadLetterQueue: settings.forwardDeadLetterQueueName,
            expectedBusArn: settings.centralBusArn,
            ...(extra.forwardTargets === undefined ? {} : { actualTargetArns: extra.forwardTargets }),
          },
        }
      : {}),
  };
}

/**
 * Alert a finding this sweep opened, reopened or escalated (or one never notified), once, through the
 * notification path: HIGH and CRITICAL by email now (unless the storm guard holds them); MEDIUM only in
 * the digest, but marked notified. A failed email is logged and leaves the finding unnotified.
 */
async function notifyFinding(
  rt: SweepRuntime,
  item: SweepAccountItem,
  finding: StoredFinding,
  extra: AlertExtra,
): Promise<'sent' | 'no-email' | 'held' | 'unsent'> {
  const { sweepId } = extra;
  const guard = rt.stormGuard;
  const input = alertInputOf(rt, item, finding, extra);
  const notice: Notice = {
    kind: 'alert',
    source: 'sweep',
    severity: finding.severity,
    stored: transitionOf(finding, sweepId, extra.userPath),
    messages: {
      email: () => formatSweepAlert(input, rt.settings),
      chat: () => chatSweepAlert(input, rt.settings),
    },
    // Held findings stay unnotified: the reporter's aggregated alert (or a later sweep) alerts them.
    ...(sweepId === undefined || guard === undefined
      ? {}
      : {
          admit: () =>
            guard.admit({ sweepId, kind: finding.kind, accountId: finding.accountId, now: rt.now() }),
        }),
    log: { findingId: finding.findingId },
  };
  try {
    return await rt.notify(notice);
  } catch (error) {
    rt.logger.error('Could not publish the sweep alert; the finding stays unnotified', {
      findingId: finding.findingId,
      error: describeError(error),
    });
    return 'unsent';
  }
}

/** Record a confirmed problem; returns the finding and whether this sweep made it new. */
export async function observe(
  rt: SweepRuntime,
  item: SweepAccountItem,
  ref: FindingRef,
  severity: FindingSeverity,
  detail: string,
  extra: AlertExtra,
): Promise<SweepFinding> {
  const { transition, finding } = await rt.findings.observeProblem({
    ...ref,
    severity,
    detail,
    source: 'sweep',
    now: rt.now(),
    ...(extra.alias === undefined ? {} : { accountAlias: extra.alias }),
  });
  const change: SweepFindingChange = shouldNotify(transition) ? 'new' : 'still-open';
  // Opened or reopened, not escalated: the metric counts findings, not severity changes.
  if (transition === 'opened' || transition === 'reopened') rt.metrics?.findingOpened('sweep');
  rt.logger.info('Finding observed by the sweep', { findingId: finding.findingId, transition });
  let held = false;
  // A MEDIUM finding never notified is in the digest: the sweep does not alert it again.
  if (change === 'new' || (finding.severity !== 'MEDIUM' && neverNotified(finding, rt.now()))) {
    held = (await notifyFinding(rt, item, finding, extra)) === 'held';
  }
  return sweepFinding(rt, finding, change, { ...extra, held });
}

/**
 * Resolve an open finding the sweep found fixed. Resolutions go to Security Hub (ARCHIVED) only, by the
 * notification path's table: the digest lists them. Undefined when an event check resolved it meanwhile.
 */
async function resolve(
  rt: SweepRuntime,
  operation: Extract<StoreOperation, { op: 'resolve' }>,
  sweepId: string | undefined,
  paths: ReadonlyMap<string, string>,
): Promise<SweepFinding | undefined> {
  const resolved = await rt.findings.resolve({
    ...refOf(operation.finding),
    reason: operation.reason,
    now: rt.now(),
    retentionDays: rt.settings.findings.resolvedRetentionDays,
  });
  if (resolved.transition !== 'resolved') return undefined;
  const { finding } = resolved;
  rt.metrics?.findingResolved(operation.reason, 'sweep');
  rt.logger.info('Finding resolved by the sweep', { findingId: finding.findingId, reason: operation.reason });
  const userPath = finding.kind === 'USER_NO_MFA' ? paths.get(finding.subject) : undefined;
  await rt.notify({
    kind: 'resolution',
    source: 'sweep',
    severity: finding.severity,
    stored: transitionOf(finding, sweepId, userPath),
    log: { findingId: finding.findingId },
  });
  return sweepFinding(rt, finding, 'resolved', {
    resolvedBecause: operation.reason,
    ...(operation.consolePassword === undefined ? {} : { consolePassword: operation.consolePassword }),
    ...(operation.lastUsed === undefined ? {} : { lastUsed: operation.lastUsed }),
  });
}

/** Apply one store operation the reconciliation decided; undefined when it changed nothing to report. */
export async function applyOperation(
  rt: SweepRuntime,
  item: SweepAccountItem,
  operation: StoreOperation,
  extra: { alias?: string; sweepId?: string; forwardTargets?: readonly string[] },
  paths: ReadonlyMap<string, string>,
): Promise<SweepFinding | undefined> {
  switch (operation.op) {
    case 'observe': {
      const userPath = operation.ref.kind === 'USER_NO_MFA' ? paths.get(operation.ref.userName) : undefined;
      return observe(rt, item, operation.ref, operation.severity, operation.detail, {
        ...extra,
        ...(operation.ref.kind === 'ROLLOUT_FAILED' && item.rollout?.reason !== undefined
          ? { reason: item.rollout.reason }
          : {}),
        ...(userPath === undefined ? {} : { userPath }),
        ...(operation.consolePassword === undefined ? {} : { consolePassword: operation.consolePassword }),
        ...(operation.lastUsed === undefined ? {} : { lastUsed: operation.lastUsed }),
      });
    }
    case 'resolve':
      return resolve(rt, operation, extra.sweepId, paths);
    case 'keep':
      return sweepFinding(rt, operation.finding, 'still-open', {});
  }
}
