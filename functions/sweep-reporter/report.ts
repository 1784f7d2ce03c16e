import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SweepMetrics } from '../core/metrics';
import { publishAlert } from '../core/publish';
import type { FindingStore } from '../core/finding-store';
import {
  SWEEP_KEYS,
  type SweepAccountItem,
  type SweepBatchResult,
  type SweepReportInput,
  type SweepReportSummary,
} from '../contract/sweep';
import { createNotifier, type Notifier } from '../core/notify';
import { buildReport, type SweepReport } from './aggregate';
import {
  compareSweepCanaries,
  withCanaryFindings,
  type CanaryComparison,
  type CanaryReportDeps,
} from './canary-report';
import { reportCsv } from './csv';
import { formatDigest } from './digest';
import type { ReporterSettings } from './env';
import { InvalidReportInputError } from './errors';
import { digestReceiptExists, putReportObject } from './outputs';
import { departedAccounts, planItems, workerResults, type DepartedAccounts } from './report-inputs';
import type { FailedBatch } from './results';
import { sendStormAlerts } from './storm';
import { reportInputSchema } from './schemas';

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

/** Where the sweep's two reports were written. */
interface ReportKeys {
  readonly reportCsvKey: string;
  readonly reportJsonKey: string;
}

/** The digest's fate: already published by an earlier try, or the message id of this one's Publish. */
interface DigestOutcome {
  readonly alreadyPublished: boolean;
  readonly messageId?: string;
}

/** Compare the canaries the workers sent (none when the reporter has no canary records). */
async function compareCanaries(
  deps: ReporterDeps,
  notify: Notifier,
  mode: SweepReportInput['plan']['mode'],
  batches: readonly SweepBatchResult[],
  now: Date,
): Promise<CanaryComparison | undefined> {
  if (deps.canaries === undefined) return undefined;
  const { settings, store, logger } = deps;
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

/** Merge the plan, the results, the departed accounts and the canaries into the report. Pure. */
function assembleReport(
  input: SweepReportInput,
  items: readonly SweepAccountItem[],
  results: { readonly batches: readonly SweepBatchResult[]; readonly failures: readonly FailedBatch[] },
  departed: DepartedAccounts,
  canary: CanaryComparison | undefined,
  now: Date,
): SweepReport {
  const { plan } = input;
  const built = buildReport({
    sweepId: plan.sweepId,
    mode: plan.mode,
    fullSweep: plan.fullSweep,
    items,
    batches: results.batches,
    failures: results.failures,
    removedAccountFindings: departed.removed,
    skipped: plan.skipped ?? [],
    ...(departed.storeProblem === undefined ? {} : { storeProblem: departed.storeProblem }),
    ...(plan.rolloutProblem === undefined ? {} : { rolloutProblem: plan.rolloutProblem }),
    ...(input.enforcement === undefined ? {} : { enforcement: input.enforcement }),
    now,
  });
  return canary === undefined ? built : { ...built, canary: canary.accounts };
}

/** Write the CSV and the JSON report into the sweep bucket. */
async function writeReports(s3: S3Client, bucket: string, report: SweepReport): Promise<ReportKeys> {
  const reportCsvKey = SWEEP_KEYS.reportCsv(report.sweepId);
  const reportJsonKey = SWEEP_KEYS.reportJson(report.sweepId);
  await putReportObject(s3, bucket, reportCsvKey, reportCsv(report), 'text/csv; charset=utf-8');
  await putReportObject(s3, bucket, reportJsonKey, JSON.stringify(report), 'application/json');
  return { reportCsvKey, reportJsonKey };
}

/**
 * Publish the digest and count the sweep's metrics, once per sweep: a receipt object marks it done, so
 * a retried reporter publishes nothing twice.
 */
async function publishDigestOnce(
  deps: ReporterDeps,
  report: SweepReport,
  keys: ReportKeys,
  departed: DepartedAccounts,
  now: Date,
): Promise<DigestOutcome> {
  const { settings, s3, sns } = deps;
  const bucket = settings.bucketName;
  const receiptKey = SWEEP_KEYS.digestReceipt(report.sweepId);
  if (await digestReceiptExists(s3, bucket, receiptKey)) return { alreadyPublished: true };
  const digest = formatDigest(report, {
    locale: settings.locale,
    timeZone: settings.timeZone,
    partition: settings.partition,
    region: settings.region,
    bucket,
    ...keys,
  });
  // The same Publish as every alert: String message attributes for subscription filters.
  const messageId = await publishAlert(sns, settings.alertTopicArn, digest);
  // Once per sweep, like the digest: a retried reporter must not count the sweep twice.
  const { checked, notCovered, failed, rolloutPending } = report.totals;
  deps.metrics?.sweepAccounts({ checked, notCovered, failed, rolloutPending });
  deps.metrics?.openFindings(report.openBySeverity);
  for (const _ of departed.removed) deps.metrics?.findingResolved('account-removed', 'sweep');
  await putReportObject(
    s3,
    bucket,
    receiptKey,
    JSON.stringify({ sweepId: report.sweepId, messageId, publishedAt: now.toISOString() }),
    'application/json',
  );
  return { alreadyPublished: false, messageId };
}

/** The state machine's view of the sweep: the report's totals and where the reports are. Pure. */
function summaryOf(report: SweepReport, keys: ReportKeys, digest: DigestOutcome): SweepReportSummary {
  const t = report.totals;
  return {
    sweepId: report.sweepId,
    accounts: t.accounts,
    checked: t.checked,
    notCovered: t.notCovered,
    failed: t.failed,
    newFindings: t.newFindings,
    resolvedFindings: t.resolvedFindings,
    openFindings: t.openFindings,
    coverageGaps: t.coverageGaps,
    accountRemovedFindings: t.accountRemovedFindings,
    digestPublished: !digest.alreadyPublished,
    reportCsvKey: keys.reportCsvKey,
    reportJsonKey: keys.reportJsonKey,
  };
}

/**
 * The reporter: read the plan's items and the workers' results (ResultWriter files or inline batches),
 * on a full sweep resolve the findings of accounts no longer ACTIVE, write the CSV and JSON reports,
 * publish one digest (once per sweep), and return the summary.
 */
export function createReporter(deps: ReporterDeps): (raw: unknown) => Promise<SweepReportSummary> {
  const { settings, s3, sns, store, logger } = deps;
  const bucket = settings.bucketName;
  const notify = createNotifier({
    sns,
    alertTopicArn: settings.alertTopicArn,
    findings: store,
    logger,
    now: deps.now,
  });
  const departedDeps = { store, logger, resolvedRetentionDays: settings.findings.resolvedRetentionDays };

  return async (raw: unknown): Promise<SweepReportSummary> => {
    const input = parseReportInput(raw);
    const now = deps.now();
    const items = await planItems(s3, bucket, input);
    const results = await workerResults(s3, bucket, input);
    const canary = await compareCanaries(deps, notify, input.plan.mode, results.batches, now);
    const batches =
      canary === undefined ? results.batches : withCanaryFindings(results.batches, canary.findings);
    const departed = await departedAccounts(departedDeps, input, items, now);
    const report = assembleReport(
      input,
      items,
      { batches, failures: results.failures },
      departed,
      canary,
      now,
    );
    const keys = await writeReports(s3, bucket, report);

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

    const digest = await publishDigestOnce(deps, report, keys, departed, now);
    logger.info('sweep reported', {
      sweepId: report.sweepId,
      totals: report.totals,
      digest: digest.alreadyPublished ? 'already published' : digest.messageId,
    });
    return summaryOf(report, keys, digest);
  };
}
