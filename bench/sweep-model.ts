/**
 * The measured sweep fed to the cost and wall-time models (bench/sweep-cost.ts), and its rows and notes
 * for docs/benchmarks.md. Pure: bench/sweep-run.ts measures, this module models and words the result.
 */
import type { SweepRunResult } from './sweep-run';
import {
  SWEEP_PRICES,
  estimateSweepCost,
  modelSweepSeconds,
  type SweepCost,
  type SweepUsage,
} from './sweep-cost';

/**
 * Memory of the sweep functions in the cost model. The central stack does not set the sweep functions'
 * memory in this branch yet: 1,024 MB is the assumption the cost model uses (update it with the stack).
 */
export const SWEEP_FUNCTION_MEMORY_MB = 1024;

/**
 * State transitions of the parent workflow outside the map, per sweep: Plan, the mode Choice, the
 * Distributed Map state, WaitForCanaries (the canary is on by default, docs/adr/0021-canary.md) and Report
 * (docs/adr/0010-sweep-engine.md); enforcement on adds one (Enforce). A model, not a count.
 */
export const PARENT_TRANSITIONS = 5;

/** The model fed with a measured sweep: a 10,000-account sweep's wall time and the measured sweep's cost. */
export interface SweepModel {
  readonly usage: SweepUsage;
  readonly cost: SweepCost;
  /** Modelled wall time of a sweep of `largeAccounts` accounts, in s. */
  readonly largeSeconds: number;
  readonly largeAccounts: number;
}

/** Feed the cost and wall-time models with a measured sweep. Pure. */
export function modelSweep(run: SweepRunResult, largeAccounts = 10_000): SweepModel {
  const usage: SweepUsage = {
    accounts: run.options.accounts,
    batchSize: run.options.batchSize,
    meanBatchMs: run.batchMs.mean,
    workerMemoryMb: SWEEP_FUNCTION_MEMORY_MB,
    plannerMs: run.planner.ms,
    reporterMs: run.reporter.ms,
    plannerMemoryMb: SWEEP_FUNCTION_MEMORY_MB,
    reporterMemoryMb: SWEEP_FUNCTION_MEMORY_MB,
    writeUnits: run.dynamodb.writeUnits,
    readUnits: run.dynamodb.readUnits,
    s3Puts: run.s3.puts,
    s3Gets: run.s3.gets,
    parentTransitions: PARENT_TRANSITIONS,
  };
  return {
    usage,
    cost: estimateSweepCost(usage),
    largeAccounts,
    largeSeconds: modelSweepSeconds({
      accounts: largeAccounts,
      batchSize: run.options.batchSize,
      maxConcurrency: run.options.maxConcurrency,
      meanBatchMs: run.batchMs.mean,
      measured: { accounts: run.options.accounts, plannerMs: run.planner.ms, reporterMs: run.reporter.ms },
    }),
  };
}

/** Targets of the sweep (issue 12). */
export const SWEEP_TARGETS = {
  callsPerAccount: 5,
  callsPerCandidate: 3,
  largeSweepSeconds: 15 * 60,
  costUsd: 0.1,
} as const;

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const n = (value: number, digits = 1) => value.toFixed(digits);

/** Table rows `[measure, value, target, verdict]` for bench/run.ts. */
export function sweepRows(run: SweepRunResult, model: SweepModel): [string, string, string, string][] {
  const o = run.options;
  const label = `${o.accounts.toLocaleString('en-US')} accounts`;
  return [
    [
      `Sweep (${label}): AWS calls per account, mean / max`,
      `${n(run.accountCalls.mean)} / ${run.accountCalls.max}`,
      `<= ${SWEEP_TARGETS.callsPerAccount}`,
      verdict(run.accountCalls.max <= SWEEP_TARGETS.callsPerAccount),
    ],
    [
      `Sweep (${label}): AWS calls per candidate user, mean / max`,
      `${n(run.candidateCalls.mean)} / ${run.candidateCalls.max}`,
      `<= ${SWEEP_TARGETS.callsPerCandidate}`,
      verdict(run.candidateCalls.max <= SWEEP_TARGETS.callsPerCandidate),
    ],
    [
      `Sweep (${label}): checked / not covered / failed`,
      `${run.outcomes.checked} / ${run.outcomes.notCovered} / ${run.outcomes.failed}`,
      `${o.accounts - run.deniedAccounts} / ${run.deniedAccounts} / 0`,
      verdict(
        run.outcomes.checked === o.accounts - run.deniedAccounts &&
          run.outcomes.notCovered === run.deniedAccounts &&
          run.outcomes.failed === 0,
      ),
    ],
    [
      `Sweep (${label}): worker batch wall time, mean / max`,
      `${n(run.batchMs.mean / 1000, 2)} s / ${n(run.batchMs.max / 1000, 2)} s`,
      '',
      '',
    ],
    [
      `Sweep (${label}): DynamoDB request units`,
      `${n(run.dynamodb.writeUnits, 0)} WRU, ${n(run.dynamodb.readUnits, 1)} RRU`,
      '',
      '',
    ],
    [`Sweep (${label}): S3 requests (PUT / GET)`, `${run.s3.puts} / ${run.s3.gets}`, '', ''],
    [
      `Sweep (${label}): cost (modelled)`,
      `$${model.cost.total.toFixed(4)}`,
      `<= $${SWEEP_TARGETS.costUsd.toFixed(2)}`,
      verdict(model.cost.total <= SWEEP_TARGETS.costUsd),
    ],
    [
      `Sweep (${model.largeAccounts.toLocaleString('en-US')} accounts): wall time (modelled)`,
      `${n(model.largeSeconds / 60)} min`,
      `<= ${SWEEP_TARGETS.largeSweepSeconds / 60} min`,
      verdict(model.largeSeconds <= SWEEP_TARGETS.largeSweepSeconds),
    ],
  ];
}

/** The "How each number is measured" paragraph for docs/benchmarks.md. */
export function sweepNotes(run: SweepRunResult, model: SweepModel): string {
  const o = run.options;
  const actions = Object.entries(run.accountCallsByAction)
    .map(([action, mean]) => `${action} ${n(mean, 2)}`)
    .join(', ');
  const c = model.cost;
  const requests = Object.entries(run.dynamodb.requests)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
  return [
    `- **Sweep**: ${o.accounts.toLocaleString('en-US')} accounts x ${o.usersPerAccount} users, seeded (${o.seed}): ${Math.round(o.noMfaShare * 100)}% of users without MFA (every second one with a console password), ${run.deniedAccounts} accounts whose check role refuses AssumeRole, ${Math.round(o.throttleShare * 100)}% of IAM calls throttled on their first attempt (${run.throttledAnswers} answers, retried by the SDK's adaptive retry mode), every answer after ${o.latencyMs} ms, credential reports ${o.reportAgeHours} h old (a daily sweep) that take ${n(o.generationMs / 1000, 0)} s of real time to regenerate. The planner lists the organization (aws-sdk-client-mock, 20 accounts a page) and writes the item list to a fake bucket; the REAL worker runs ${run.batches} batches of ${o.batchSize}, ${o.maxConcurrency} at a time, on real SDK clients over the fake member accounts, the finding store on an in-process dynalite, alerts to the fake SNS; the reporter reads a ResultWriter manifest and result file built from the workers' outputs. Outcomes: ${run.outcomes.checked} checked, ${run.outcomes.notCovered} not covered, ${run.outcomes.failed} failed; ${run.newFindings} new findings; ${run.snsPublishes} SNS messages (HIGH alerts and the digest). Map phase ${n(run.mapSeconds)} s of wall time on this machine. The ${o.maxConcurrency} batches in flight share this one Node.js process, where each Lambda invocation would have its own: the batch time (mean ${n(run.batchMs.mean / 1000, 2)} s, max ${n(run.batchMs.max / 1000, 2)} s) is an upper bound.`,
    `- **Sweep calls**: requests the fake member accounts answered (STS, IAM, EventBridge; the finding store and SNS excluded), retries of throttled answers excluded, over the checked accounts. Per account, on average: ${actions}. The credential report is older than IAM's four hours (a daily sweep), so GenerateCredentialReport is asked first (STARTED), polled (every ${n(run.pollIntervalMs / 1000, 0)} s) until COMPLETE, and the report downloaded once: 3 calls for the report, the least IAM's API allows when a new report is needed. ListAccountAliases is read only in accounts with a finding. TagRole, when listed, is the canary (issue 22, docs/adr/0021-canary.md): the check role tags itself once per account per sweep (${run.canaryCalls.length} canaries in this run), the one write that proves the real-time path; it is counted in the calls per account. Enforcement is off in this run: with \`enforcement.mode\` \`quarantine\`, an account with users to quarantine or release adds one sts:AssumeRole of org-mfa-watch-enforce and, per such user, ListAttachedUserPolicies and AttachUserPolicy or DetachUserPolicy (priced in the monthly cost below). Per candidate user (${run.candidates} users without MFA in checked accounts): ListMFADevices, GetLoginProfile, ListUserTags. Not-covered accounts cost one AssumeRole each.`,
    `- **Sweep DynamoDB**: requests of the worker and the reporter through a counting client: ${requests}. Units: what dynalite reports in \`ConsumedCapacity\` (ReturnConsumedCapacity TOTAL, ${run.dynamodb.reportedByStore} of ${Object.values(run.dynamodb.requests).reduce((a, b) => a + b, 0)} requests; dynalite sizes items as DynamoDB does: 1 WRU per started 1 KB written, 0.5 RRU per started 4 KB read eventually consistent), else the on-demand rule (1 WRU per write of an item under 1 KB; refused conditional writes, ${run.dynamodb.failedConditionalWrites} here, are billed 1 WRU each); every read request counts at least 0.5 RRU (1 RRU strongly consistent), because dynalite reports 0 for a Query that finds nothing (DynamoDB Developer Guide, "DynamoDB read and write operations"), so the read figure is an upper bound. Total ${n(run.dynamodb.writeUnits, 0)} WRU and ${n(run.dynamodb.readUnits, 1)} RRU.`,
    `- **Sweep S3**: counted against the fake bucket: planner ${run.s3.plannerPuts} PUT, reporter ${run.s3.reporterGets} GET (item list, manifest, result file, digest receipt check) and ${run.s3.reporterPuts} PUT (CSV, JSON, digest receipt); modelled for the Distributed Map: ${run.s3.mapGets} GET of the item list (ItemReader) and ${run.s3.mapPuts} PUT (ResultWriter manifest and one SUCCEEDED file; Step Functions Developer Guide, "ResultWriter (Map)").`,
    `- **Planner and reporter time**: measured in-process (planner ${n(run.planner.measuredMs, 0)} ms, ${run.planner.organizationsCalls} Organizations calls; reporter ${n(run.reporter.measuredMs, 0)} ms) plus ${o.latencyMs} ms for each mocked S3/Organizations request, which answer at once here: ${n(run.planner.ms, 0)} ms and ${n(run.reporter.ms, 0)} ms in the model.`,
    `- **Sweep model** (bench/sweep-cost.ts): ${model.largeAccounts.toLocaleString('en-US')} accounts = ${Math.ceil(model.largeAccounts / o.batchSize)} batches, ${o.maxConcurrency} at a time, each taking the measured mean of ${n(run.batchMs.mean / 1000, 2)} s, plus planner and reporter scaled linearly: ${n(model.largeSeconds / 60)} min (the canary's wait, default 15 min, comes on top: a Wait state, no Lambda time and no cost). Cost of the ${o.accounts.toLocaleString('en-US')}-account sweep: Step Functions $${c.stepFunctions.toFixed(4)} (${PARENT_TRANSITIONS} parent transitions plus one per batch, one Express child per batch), Lambda $${c.lambda.toFixed(4)} (${SWEEP_FUNCTION_MEMORY_MB} MB assumed for the sweep functions, arm64), S3 $${c.s3.toFixed(5)}, DynamoDB $${c.dynamodb.toFixed(5)}; total $${c.total.toFixed(4)}. Sources: ${SWEEP_PRICES.stepFunctions.source}. ${SWEEP_PRICES.lambda.source}. ${SWEEP_PRICES.s3.source}. ${SWEEP_PRICES.dynamodb.source}.`,
  ].join('\n');
}
