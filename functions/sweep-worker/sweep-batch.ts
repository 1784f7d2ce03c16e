/**
 * The sweep worker: one Distributed Map batch of accounts, each checked through its
 * `org-mfa-watch-check` role (read-only) and reconciled with the finding store. Shared by the Lambda
 * handler and the local CLI (`npm run sweep -- --local`), which inject their own clients. One account's
 * steps are in account-sweep.ts; this module runs the batch: bounded concurrency, retries, deadline.
 */
import { beforeDeadline, DeadlineExceededError, type RemainingTime } from '../core/deadline';
import { describeError } from '../core/errors';
import { createNotifier, type Notifier } from '../core/notify';
import type {
  SweepAccountItem,
  SweepAccountResult,
  SweepBatchInput,
  SweepBatchResult,
} from '../contract/sweep';
import { sweepAccount } from './account-sweep';
import { parseBatch } from './batch-input';
import { recordImports } from './reimport';
import {
  DEFAULT_SWEEP_TUNING,
  StepError,
  failed,
  type SweepRuntime,
  type SweepWorkerDeps,
} from './sweep-runtime';

export { InvalidBatchError, parseBatch } from './batch-input';
export { DEFAULT_SWEEP_TUNING, type SweepTuning, type SweepWorkerDeps } from './sweep-runtime';

type Attempt = { readonly result: SweepAccountResult } | { readonly throttled: string };

interface Job {
  readonly item: SweepAccountItem;
  readonly index: number;
  readonly attempt: number;
  /** Date.now() when the job was put back in the queue. */
  readonly requeuedAt?: number;
}

/**
 * The worker's notification path (functions/core/notify.ts). Its Security Hub import (OPEN is ACTIVE,
 * RESOLVED is ARCHIVED, from inside the finding's account) remembers what this batch exported, records
 * the import times, and counts what Security Hub did not import.
 */
function sweepNotifier(
  deps: SweepWorkerDeps,
  exportedThisBatch: Set<string>,
  importDeps: SweepRuntime['importDeps'],
): Notifier {
  const { settings, securityHub } = deps;
  return createNotifier({
    sns: deps.sns,
    alertTopicArn: settings.alertTopicArn,
    ...(settings.chatTopicArn === undefined ? {} : { chatTopicArn: settings.chatTopicArn }),
    findings: deps.findings,
    ...(securityHub === undefined
      ? {}
      : {
          exportFinding: async ({ finding, userPath, sessionHint }) => {
            exportedThisBatch.add(finding.findingId);
            const result = await securityHub.exportFindings(
              finding.accountId,
              [{ finding, ...(userPath === undefined ? {} : { userPath }) }],
              sessionHint,
            );
            await recordImports(importDeps, [finding], result, deps.now());
          },
        }),
    logger: deps.logger,
    now: deps.now,
  });
}

/** What createSweepWorker derives from its dependencies once per container. */
function runtimeOf(deps: SweepWorkerDeps): SweepRuntime {
  const exportedThisBatch = new Set<string>();
  const importDeps = {
    findings: deps.findings,
    logger: deps.logger,
    recordExportFailure: (count: number) => deps.metrics?.recordExportFailure(count),
  };
  return {
    ...deps,
    tuning: { ...DEFAULT_SWEEP_TUNING, ...deps.tuning },
    sleep:
      deps.sleep ??
      ((ms: number) =>
        new Promise<void>((resolve) => {
          setTimeout(resolve, ms);
        })),
    notify: sweepNotifier(deps, exportedThisBatch, importDeps),
    exportedThisBatch,
    importDeps,
  };
}

/** One try of one account under the invocation's deadline; every failure becomes a result. */
async function attempt(
  rt: SweepRuntime,
  job: Job,
  batchInput: SweepBatchInput | undefined,
  context: RemainingTime,
): Promise<Attempt> {
  const { item } = job;
  const { logger } = rt;
  try {
    return {
      result: await beforeDeadline(context, rt.tuning.reserveMs, () => sweepAccount(rt, item, batchInput)),
    };
  } catch (error) {
    if (error instanceof StepError && error.throttled) {
      logger.warn('Account throttled; trying it again later', {
        accountId: item.accountId,
        attempt: job.attempt,
        error: error.message,
      });
      return { throttled: error.message };
    }
    if (error instanceof DeadlineExceededError) return { result: failed(item, 'deadline') };
    const reason = error instanceof StepError ? error.message : describeError(error);
    logger.error('Account sweep failed', { accountId: item.accountId, reason });
    return { result: failed(item, reason) };
  }
}

/** Build the batch worker: validate -> per account (bounded concurrency, retries, deadline) -> results in item order. */
export function createSweepWorker(
  deps: SweepWorkerDeps,
): (batch: unknown, context?: RemainingTime) => Promise<SweepBatchResult> {
  const rt = runtimeOf(deps);
  const { logger } = deps;
  const { tuning, sleep, exportedThisBatch } = rt;

  return async function sweepBatch(raw, context = {}) {
    exportedThisBatch.clear();
    const { items, batchInput } = parseBatch(raw);
    logger.info('Sweep batch', {
      sweepId: batchInput?.sweepId,
      mode: batchInput?.mode,
      accounts: items.length,
    });
    const results: SweepAccountResult[] = new Array<SweepAccountResult>(items.length);
    const queue: Job[] = items.map((item, index) => ({ item, index, attempt: 1 }));
    const timeLeft = () =>
      (context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) - tuning.reserveMs;

    const lane = async (): Promise<void> => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        const wait = job.requeuedAt === undefined ? 0 : job.requeuedAt + tuning.retryDelayMs - Date.now();
        if (timeLeft() <= Math.max(0, wait)) {
          // No time to (re)try it: a retried account ends throttled, a fresh one at the deadline.
          results[job.index] = failed(job.item, job.attempt > 1 ? 'throttled' : 'deadline');
          continue;
        }
        if (wait > 0) await sleep(wait);
        const outcome = await attempt(rt, job, batchInput, context);
        if ('result' in outcome) {
          results[job.index] = outcome.result;
        } else if (job.attempt >= tuning.maxAttempts) {
          logger.error('Account still throttled after its last try', {
            accountId: job.item.accountId,
            attempts: job.attempt,
            error: outcome.throttled,
          });
          results[job.index] = failed(job.item, 'throttled');
        } else {
          // Behind the others: they run meanwhile, and the account's IAM quota recovers.
          queue.push({ ...job, attempt: job.attempt + 1, requeuedAt: Date.now() });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(tuning.concurrency, items.length) }, lane));
    for (const result of results) {
      logger.info('Account swept', {
        accountId: result.accountId,
        outcome: result.outcome,
        reason: result.reason,
        findings: result.findings.length,
      });
    }
    return { ...(batchInput === undefined ? {} : { sweepId: batchInput.sweepId }), accounts: results };
  };
}
