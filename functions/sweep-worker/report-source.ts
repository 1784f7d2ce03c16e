import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { errorName } from '../core/errors';

/** How the credential report is fetched. */
export interface ReportFetchOptions {
  /** A report generated longer ago than this is regenerated (SWEEP_ENV.credentialReportMaxAgeHours). */
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
  /** Polls made while IAM was generating it. */
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

/**
 * Read the account's credential report: the existing one when it is younger than `maxAgeMs`, else
 * generate one and poll until it is ready (bounded by `maxWaitMs`). IAM generates at most one report
 * every four hours and answers an earlier request with the latest report (IAM User Guide, "Getting
 * credential reports"), so a report older than `maxAgeMs` that comes back after a generation is used
 * as it is, never polled for again. Throttling (`Throttling`, `LimitExceeded`) propagates for the
 * caller to retry the account later.
 * @throws ReportNotReadyError, or the SDK's error
 */
export async function fetchCredentialReport(
  iam: IAMClient,
  options: ReportFetchOptions,
): Promise<FetchedReport> {
  let generated = false;
  let waitedMs = 0;
  let polls = 0;
  for (;;) {
    const answer = await getReport(iam);
    if (answer.kind === 'report') {
      const age = options.now().getTime() - answer.generatedAt.getTime();
      if (age <= options.maxAgeMs || generated) return { ...answer, generated, polls };
    }
    if (answer.kind === 'in-progress' || (answer.kind === 'missing' && generated)) {
      if (waitedMs >= options.maxWaitMs) throw new ReportNotReadyError(waitedMs);
      await options.sleep(options.pollIntervalMs);
      waitedMs += options.pollIntervalMs;
      polls += 1;
      continue;
    }
    const { State: state } = await iam.send(new GenerateCredentialReportCommand({}));
    generated = true;
    // COMPLETE: a report is ready now (IAM had one younger than four hours); read it at once.
    if (state !== 'COMPLETE') {
      await options.sleep(options.pollIntervalMs);
      waitedMs += options.pollIntervalMs;
      polls += 1;
    }
  }
}
