import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { errorName } from '../core/errors';

/** How the credential report is fetched. */
export interface ReportFetchOptions {
  /**
   * The oldest report the caller accepts (SWEEP_ENV.credentialReportMaxAgeHours). At most four hours:
   * generate first (IAM's own four-hour rule decides); above: read the existing report first.
   */
  readonly maxAgeMs: number;
  readonly now: () => Date;
  /** Waits between polls; injectable so tests do not wait. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Time between two polls while IAM generates the report. */
  readonly pollIntervalMs: number;
  /** Longest total wait for a report being generated before giving up. */
  readonly maxWaitMs: number;
}

/** The report as IAM returned it. */
export interface FetchedReport {
  /** The CSV text. */
  readonly csv: string;
  readonly generatedAt: Date;
  /** This sweep asked IAM to generate it. */
  readonly generated: boolean;
  /** Waits (polls of GenerateCredentialReport) while IAM was generating it. */
  readonly polls: number;
}

/** IAM was still generating the report when the wait ran out. */
export class ReportNotReadyError extends Error {
  constructor(waitedMs: number) {
    super(`the credential report was still being generated after ${Math.round(waitedMs / 1000)} s`);
    this.name = 'ReportNotReadyError';
  }
}

// Error codes of GetCredentialReport (IAM API reference): ReportNotPresent (410), ReportExpired (410),
// ReportInProgress (404). The SDK names them by its exception classes.
const MISSING = new Set([
  'ReportNotPresent',
  'CredentialReportNotPresentException',
  'ReportExpired',
  'CredentialReportExpiredException',
]);
const IN_PROGRESS = new Set(['ReportInProgress', 'CredentialReportNotReadyException']);

type Answer =
  | { readonly kind: 'report'; readonly csv: string; readonly generatedAt: Date }
  | { readonly kind: 'missing' }
  | { readonly kind: 'in-progress' };

async function getReport(iam: IAMClient): Promise<Answer> {
  try {
    const response = await iam.send(new GetCredentialReportCommand({}));
    if (response.Content === undefined || response.GeneratedTime === undefined) {
      throw new Error('GetCredentialReport returned no Content or GeneratedTime');
    }
    return {
      kind: 'report',
      csv: Buffer.from(response.Content).toString('utf8'),
      generatedAt: response.GeneratedTime,
    };
  } catch (error) {
    const name = errorName(error) ?? '';
    if (MISSING.has(name)) return { kind: 'missing' };
    if (IN_PROGRESS.has(name)) return { kind: 'in-progress' };
    throw error;
  }
}

/** IAM generates a new report only when the last one is older than this (IAM User Guide, "Getting credential reports"). */
export const IAM_REPORT_REUSE_MS = 4 * 3_600_000;

/**
 * Read the account's credential report, downloading it once, when it is ready.
 *
 * With `maxAgeMs` at most four hours (the default), GenerateCredentialReport is asked first: IAM answers
 * COMPLETE when a report under four hours old exists, and STARTED (then INPROGRESS) while it makes a new
 * one (IAM API Reference, GenerateCredentialReport). It is polled until COMPLETE (bounded by `maxWaitMs`),
 * then GetCredentialReport downloads the report. A daily sweep thus never downloads yesterday's report
 * before asking for today's. The report may still be up to four hours old: IAM makes none newer.
 *
 * With `maxAgeMs` above four hours, an older report is acceptable: the existing one is read first and a
 * new one generated (as above) only when it is missing or older than `maxAgeMs`.
 *
 * Throttling (`Throttling`, `LimitExceeded`) propagates for the caller to retry the account later.
 * @throws ReportNotReadyError, or the SDK's error
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  options: ReportFetchOptions,
): Promise<FetchedReport> {
  if (options.maxAgeMs > IAM_REPORT_REUSE_MS) {
    const existing = await getReport(iam);
    if (existing.kind === 'report') {
      const age = options.now().getTime() - existing.generatedAt.getTime();
      if (age <= options.maxAgeMs) return { ...existing, generated: false, polls: 0 };
    }
  }
  return generateThenDownload(iam, options);
}

/** GenerateCredentialReport until COMPLETE, then one GetCredentialReport. */
async function generateThenDownload(iam: IAMClient, options: ReportFetchOptions): Promise<FetchedReport> {
  let generated = false;
  let waitedMs = 0;
  let polls = 0;
  for (;;) {
    const { State: state } = await iam.send(new GenerateCredentialReportCommand({}));
    if (state === 'STARTED') generated = true;
    if (state === 'COMPLETE') {
      const answer = await getReport(iam);
      if (answer.kind === 'report') return { ...answer, generated, polls };
      // Expired or replaced between the two calls: ask again, after a wait.
    }
    if (waitedMs >= options.maxWaitMs) throw new ReportNotReadyError(waitedMs);
    await options.sleep(options.pollIntervalMs);
    waitedMs += options.pollIntervalMs;
    polls += 1;
  }
}
