/**
 * One account's sweep, start to end, as named steps: open the session (or explain why not), read
 * (forward rule, credential report, open findings, live user and root reads), decide, record and
 * notify, re-import long-open findings into Security Hub.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { RoleCredentials } from '../core/credentials';
import { describeError, isAccessDenied, isThrottling } from '../core/errors';
import { readRoot, readUser } from '../core/iam-facts';
import type { SweepAccountItem, SweepAccountResult, SweepBatchInput, SweepFinding } from '../contract/sweep';
import { enforceAccount } from './account-enforcement';
import { applyOperation, observe } from './account-findings';
import { parseCredentialReport } from './credential-report';
import { canaryStep } from './canary';
import { forwardingFacts, forwardingReason } from './forwarding';
import { forwardingOf } from './member-reads';
import { mapWithConcurrency } from './pool';
import { decideAccount, planReads, type StoreOperation } from './reconcile';
import { reimportStale } from './reimport';
import { fetchCredentialReport } from './report-source';
import { withRolloutOperations } from './rollout-findings';
import { StepError, baseOf, failed, step, sweepHint, type SweepRuntime } from './sweep-runtime';

/** The role cannot be assumed: ACCOUNT_NOT_COVERED, unless a joining account's instance may still land. */
async function notCovered(
  rt: SweepRuntime,
  item: SweepAccountItem,
  batchInput: SweepBatchInput | undefined,
  error: unknown,
): Promise<SweepAccountResult> {
  const reason = `sts:AssumeRole: ${describeError(error)}`;
  const sweepId = batchInput === undefined ? {} : { sweepId: batchInput.sweepId };
  if (item.rollout?.status === 'pending') {
    // The StackSet instance has not landed yet: the role is expected to be missing. No finding.
    const why = `StackSet instance not deployed yet (${item.rollout.reason ?? 'pending'})`;
    return { ...baseOf(item), outcome: 'rollout-pending', reason: why, findings: [] };
  }
  const base = { ...baseOf(item), outcome: 'not-covered' as const, reason };
  if (item.rollout?.status === 'failed') {
    // The instance failed: that, not tampering, is why the role is missing. One ROLLOUT_FAILED finding.
    const stackSetReason = item.rollout.reason ?? 'FAILED';
    const finding = await step('finding store', () =>
      observe(rt, item, { accountId: item.accountId, kind: 'ROLLOUT_FAILED' }, 'HIGH', 'ROLLOUT_FAILED', {
        reason: stackSetReason,
        ...sweepId,
      }),
    );
    return { ...base, reason: `StackSet instance failed: ${stackSetReason}`, findings: [finding] };
  }
  if (batchInput?.mode === 'joined' && batchInput.final !== true) {
    rt.logger.info('Joining account not reachable yet; no finding before the last attempt', {
      accountId: item.accountId,
    });
    return { ...base, findings: [] };
  }
  const finding = await step('finding store', () =>
    observe(
      rt,
      item,
      { accountId: item.accountId, kind: 'ACCOUNT_NOT_COVERED' },
      'HIGH',
      'ACCOUNT_NOT_COVERED',
      { reason, ...sweepId },
    ),
  );
  return { ...base, findings: [finding] };
}

/** Everything read from one account before anything is written. */
async function readAccount(
  rt: SweepRuntime,
  item: SweepAccountItem,
  iam: IAMClient,
  credentials: RoleCredentials,
) {
  const { settings, tuning } = rt;
  const { accountId } = item;
  // Reads only, so that a throttled account can be tried again from the start without side effects.
  const now = rt.now();
  const [forwarding, fetched, open] = await Promise.all([
    forwardingOf(rt, item, credentials),
    step('iam:GetCredentialReport', () =>
      fetchCredentialReport(iam, {
        maxAgeMs: settings.credentialReportMaxAgeHours * 3_600_000,
        now: rt.now,
        sleep: rt.sleep,
        pollIntervalMs: tuning.reportPollIntervalMs,
        maxWaitMs: tuning.reportMaxWaitMs,
      }),
    ),
    step('finding store', () => rt.findings.listFindings({ accountId, state: 'OPEN' })),
  ]);
  const report = await step('credential report', () => Promise.resolve(parseCredentialReport(fetched.csv)));
  const plan = planReads({ report, open, now, gracePeriodHours: settings.gracePeriodHours });
  const [users, root] = await Promise.all([
    step('iam (user reads)', () =>
      mapWithConcurrency(plan.users, tuning.userConcurrency, async (target) => ({
        target,
        facts: await readUser(iam, target.userName),
      })),
    ),
    plan.readRoot ? step('iam:GetAccountSummary', () => readRoot(iam)) : Promise.resolve(undefined),
  ]);
  return { now, forwarding, report, open, plan, users, root };
}

type AccountReads = Awaited<ReturnType<typeof readAccount>>;

/** The store operations the reads call for (pure decisions, reconcile.ts and rollout-findings.ts). */
function operationsOf(rt: SweepRuntime, item: SweepAccountItem, reads: AccountReads): StoreOperation[] {
  const { settings } = rt;
  const { now, forwarding, report, open, users, root } = reads;
  const decided = decideAccount({
    accountId: item.accountId,
    now,
    exemptions: settings.exemptions,
    trustExemptionTags: settings.trustExemptionTags,
    open,
    users,
    ...(root === undefined ? {} : { root }),
    ...(report.root?.lastUsed === undefined ? {} : { rootLastUsed: report.root.lastUsed }),
    ...('status' in forwarding ? { forwarding } : {}),
  });
  return withRolloutOperations(decided, item);
}

/** Re-import this account's long-open findings into Security Hub (when the export is on). */
async function reimportAccount(
  rt: SweepRuntime,
  accountId: string,
  hint: string,
  paths: ReadonlyMap<string, string>,
): Promise<void> {
  const securityHub = rt.securityHub;
  if (securityHub === undefined) return;
  await step('finding store', () =>
    reimportStale(
      { ...rt.importDeps, securityHub },
      {
        accountId,
        now: rt.now(),
        afterDays: rt.settings.securityHubReimportAfterDays,
        hint,
        paths,
        skip: rt.exportedThisBatch,
      },
    ),
  );
}

/** One account, start to end. Throws a throttled StepError for the queue to retry; other failures are results. */
export async function sweepAccount(
  rt: SweepRuntime,
  item: SweepAccountItem,
  batchInput: SweepBatchInput | undefined,
): Promise<SweepAccountResult> {
  const { accountId } = item;
  const hint = sweepHint(batchInput?.sweepId);
  let iam: IAMClient;
  let credentials: RoleCredentials;
  try {
    iam = await rt.sessions.iamFor(accountId, hint);
    credentials = await rt.sessions.credentialsFor(accountId, hint);
  } catch (error) {
    const sessionStep = rt.sessionStep ?? 'sts:AssumeRole';
    if (isAccessDenied(error)) return notCovered(rt, item, batchInput, error);
    if (isThrottling(error)) throw new StepError(sessionStep, error, true);
    return failed(item, `${sessionStep}: ${describeError(error)}`);
  }
  const reads = await readAccount(rt, item, iam, credentials);
  const { forwarding, report, plan } = reads;
  const paths = new Map(report.users.map((user) => [user.userName, user.path]));
  const operations = operationsOf(rt, item, reads);
  // The alias matters only where there is a finding to show: one call saved in every clean account.
  const alias =
    operations.length === 0
      ? undefined
      : await rt.aliases.aliasOf(accountId, iam, (error) => {
          rt.logger.warn('ListAccountAliases failed; reporting without alias', {
            accountId,
            error: describeError(error),
          });
        });
  const extra = {
    ...(alias === undefined ? {} : { alias }),
    ...(batchInput === undefined ? {} : { sweepId: batchInput.sweepId }),
    ...('targetArns' in forwarding && forwarding.targetArns !== undefined
      ? { forwardTargets: forwarding.targetArns }
      : {}),
  };
  const findings: SweepFinding[] = [];
  for (const operation of operations) {
    const finding = await step('finding store', () => applyOperation(rt, item, operation, extra, paths));
    if (finding !== undefined) findings.push(finding);
  }
  await reimportAccount(rt, accountId, hint, paths);
  const canary = await canaryStep(rt, accountId, iam, batchInput?.sweepId);
  const enforcement = await enforceAccount(rt, item, report.users, batchInput?.sweepId);
  return {
    ...baseOf(item),
    ...(alias === undefined ? {} : { alias }),
    outcome: 'checked',
    ...forwardingReason(forwarding),
    users: report.users.length,
    inGracePeriod: plan.inGracePeriod.size,
    findings,
    ...forwardingFacts(forwarding),
    ...canary,
    ...(enforcement === undefined ? {} : { enforcement }),
  };
}
