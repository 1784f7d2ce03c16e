import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SweepMetrics } from '../core/metrics';
import { publishAlert } from '../core/publish';
import type { FindingStore } from '../core/finding-store';
import { FindingStoreError } from '../core/finding-errors';
import {
  SWEEP_KEYS,
  type SweepAccountItem,
  type SweepBatchResult,
  type SweepFinding,
  type SweepReportInput,
  type SweepReportSummary,
} from '../contract/sweep';
import { createNotifier } from '../core/notify';
import { buildReport } from './aggregate';
import {
  compareSweepCanaries,
  withCanaryFindings,
  type CanaryComparison,
  type CanaryReportDeps,
} from './canary-report';
import { reportCsv } from './csv';
import { formatDigest } from './digest';
import type { ReporterSettings } from './env';
import { InvalidReportInputError, ResultsUnreadableError } from './errors';
import { digestReceiptExists, putReportObject } from './outputs';
import { readMapResults, readText, type FailedBatch } from './results';
import { resolveRemovedAccounts } from './removed';
import { sendStormAlerts } from './storm';
import { accountItemsSchema, reportInputSchema } from './schemas';

/** What the reporter needs; the handler builds it once per container. */
export interface ReporterDeps {
  readonly settings: ReporterSettings;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly store: FindingStore;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => Date;
  /**
   * The canary records (docs/adr/0021-canary.md): accounts whose worker sent a canary are compared after
   * the sweep's wait. Absent: no comparison (the canaries' arrivals count at the next one).
   */
  readonly canaries?: CanaryReportDeps['canaries'];
  /** Sweep totals and open findings by severity, once per sweep (with the digest). */
  readonly metrics?: Pick<SweepMetrics, 'sweepAccounts' | 'openFindings' | 'findingResolved'>;
}

/**
 * Read the reporter task's input. Pure.
 * @throws InvalidReportInputError naming the first offending field
 */
export function parseReportInput(raw: unknown): SweepReportInput {
  const parsed = reportInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue === undefined || issue.path.length === 0 ? '(input)' : issue.path.map(String).join('.');
    throw new InvalidReportInputError(field, issue?.message ?? 'an object { plan, results?, batches? }');
  }
  const input = parsed.data;
  if (input.results === undefined && input.batches === undefined) {
    throw new InvalidReportInputError('results', 'ResultWriterDetails { Bucket, Key } or batches');
  }
  return input;
}

/**
 * The reporter: read the plan's items and the workers' results (ResultWriter files or inline batches),
 * on a full sweep resolve the findings of accounts no longer ACTIVE, write the CSV and JSON reports,
 * publish one digest (once per sweep), and return the summary.
 */
export function createReporter(deps: ReporterDeps): (raw: unknown) => Promise<SweepReportSummary> {
  const { settings, s3, sns, store, logger } = deps;
  const bucket = settings.bucketName;

  async function planItems(input: SweepReportInput): Promise<readonly SweepAccountItem[]> {
    const { plan } = input;
    if (plan.items !== undefined) return plan.items;
    if (plan.bucket !== bucket)
      throw new InvalidReportInputError('plan.bucket', `the sweep bucket ${bucket}`);
    const location = `s3://${plan.bucket}/${plan.key}`;
    let json: unknown;
    try {
      json = JSON.parse(await readText(s3, plan.bucket, plan.key));
    } catch (error) {
      if (error instanceof ResultsUnreadableError) throw error;
      throw new ResultsUnreadableError(location, 'not JSON');
    }
    const items = accountItemsSchema.safeParse(json);
    if (!items.success) throw new ResultsUnreadableError(location, 'not a JSON array of account items');
    return items.data;
  }

  async function workerResults(
    input: SweepReportInput,
  ): Promise<{ batches: SweepBatchResult[]; failures: FailedBatch[] }> {
    const batches: SweepBatchResult[] = [...(input.batches ?? [])];
    const failures: FailedBatch[] = [];
    if (input.results !== undefined) {
      // The state machine's ResultWriter writes under one fixed prefix, one folder per Map Run
      // (<prefix>/<map run id>/manifest.json and its result files): only that run's folder is read.
      const prefix = SWEEP_KEYS.mapResultsPrefix;
      if (input.results.Bucket !== bucket) {
        throw new InvalidReportInputError('results.Bucket', `the sweep bucket ${bucket}`);
      }
      if (!input.results.Key.startsWith(`${prefix}/`)) {
        throw new InvalidReportInputError('results.Key', `a manifest under ${prefix}/`);
      }
      const runFolder = input.results.Key.slice(0, input.results.Key.lastIndexOf('/'));
      const map = await readMapResults(s3, bucket, input.results.Key, runFolder);
      batches.push(...map.batches);
      failures.push(...map.failures);
    }
    return { batches, failures };
  }

  async function departedAccounts(
    input: SweepReportInput,
    items: readonly SweepAccountItem[],
    now: Date,
  ): Promise<{ removed: SweepFinding[]; storeProblem?: string }> {
    // Only a full sweep lists every ACTIVE account; an empty list is never a real organization.
    if (!input.plan.fullSweep || items.length === 0) return { removed: [] };
    try {
      const active = new Set(items.map((item) => item.accountId));
      const removed = await resolveRemovedAccounts(
        store,
        active,
        now,
        settings.findings.resolvedRetentionDays,
      );
      return { removed };
    } catch (error) {
      // The digest goes out anyway (a missed reconciliation is better than a missed digest).
      if (!(error instanceof FindingStoreError)) throw error;
      logger.error('account-removed reconciliation failed', { error });
      return { removed: [], storeProblem: error.message };
    }
  }

  const notify = createNotifier({
    sns,
    alertTopicArn: settings.alertTopicArn,
    findings: store,
    logger,
    now: deps.now,
  });

  async function compareCanaries(
    mode: SweepReportInput['plan']['mode'],
    batches: readonly SweepBatchResult[],
    now: Date,
  ): Promise<CanaryComparison | undefined> {
    if (deps.canaries === undefined) return undefined;
    const { locale, timeZone, partition } = settings;
    return compareSweepCanaries(
      {
        canaries: deps.canaries,
        store,
        notify,
        format: { locale, timeZone, partition },
        resolvedRetentionDays: settings.findings.resolvedRetentionDays,
        logger,
      },
      { mode, batches, now },
    );
  }

  return async (raw: unknown): Promise<SweepReportSummary> => {
    const input = parseReportInput(raw);
    const { plan } = input;
    const now = deps.now();
    const items = await planItems(input);
    const { batches: results, failures } = await workerResults(input);
    const canary = await compareCanaries(plan.mode, results, now);
    const batches = canary === undefined ? results : withCanaryFindings(results, canary.findings);
    const departed = await departedAccounts(input, items, now);
    const built = buildReport({
      sweepId: plan.sweepId,
      mode: plan.mode,
      fullSweep: plan.fullSweep,
      items,
      batches,
      failures,
      removedAccountFindings: departed.removed,
      skipped: plan.skipped ?? [],
      ...(departed.storeProblem === undefined ? {} : { storeProblem: departed.storeProblem }),
      ...(plan.rolloutProblem === undefined ? {} : { rolloutProblem: plan.rolloutProblem }),
      ...(input.enforcement === undefined ? {} : { enforcement: input.enforcement }),
      now,
    });
    const report = canary === undefined ? built : { ...built, canary: canary.accounts };

    const reportCsvKey = SWEEP_KEYS.reportCsv(plan.sweepId);
    const reportJsonKey = SWEEP_KEYS.reportJson(plan.sweepId);
    await putReportObject(s3, bucket, reportCsvKey, reportCsv(report), 'text/csv; charset=utf-8');
    await putReportObject(s3, bucket, reportJsonKey, JSON.stringify(report), 'application/json');

    // The storm guard's held alerts go out before the digest, one per kind (each once per sweep).
    await sendStormAlerts(
      {
        s3,
        sns,
        store,
        bucket,
        topicArn: settings.alertTopicArn,
        locale: settings.locale,
        logger,
        now: deps.now,
      },
      report,
    );

    const receiptKey = SWEEP_KEYS.digestReceipt(plan.sweepId);
    const alreadyPublished = await digestReceiptExists(s3, bucket, receiptKey);
    let messageId: string | undefined;
    if (!alreadyPublished) {
      const digest = formatDigest(report, {
        locale: settings.locale,
        timeZone: settings.timeZone,
        partition: settings.partition,
        region: settings.region,
        bucket,
        reportCsvKey,
        reportJsonKey,
      });
      // The same Publish as every alert: String message attributes for subscription filters.
      messageId = await publishAlert(sns, settings.alertTopicArn, digest);
      // Once per sweep, like the digest: a retried reporter must not count the sweep twice.
      const { checked, notCovered, failed, rolloutPending } = report.totals;
      deps.metrics?.sweepAccounts({ checked, notCovered, failed, rolloutPending });
      deps.metrics?.openFindings(report.openBySeverity);
      for (const _ of departed.removed) deps.metrics?.findingResolved('account-removed', 'sweep');
      await putReportObject(
        s3,
        bucket,
        receiptKey,
        JSON.stringify({ sweepId: plan.sweepId, messageId, publishedAt: now.toISOString() }),
        'application/json',
      );
    }
    logger.info('sweep reported', {
      sweepId: plan.sweepId,
      totals: report.totals,
      digest: alreadyPublished ? 'already published' : messageId,
    });
    const t = report.totals;
    return {
      sweepId: plan.sweepId,
      accounts: t.accounts,
      checked: t.checked,
      notCovered: t.notCovered,
      failed: t.failed,
      newFindings: t.newFindings,
      resolvedFindings: t.resolvedFindings,
      openFindings: t.openFindings,
      coverageGaps: t.coverageGaps,
      accountRemovedFindings: t.accountRemovedFindings,
      digestPublished: !alreadyPublished,
      reportCsvKey,
      reportJsonKey,
    };
  };
}
