/**
 * The Security Hub export, shared by the checker and the sweep worker: stored findings imported as ASFF
 * from inside their own account (through the member check role), in the home region. Best effort by
 * design: it never throws, so it can never block or fail an alert; every failure is logged and reported
 * to `onExportFailure` (a metric).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AlertLocale } from '../contract/contract';
import { asffId, toAsff } from './asff';
import { ASFF_LIMITS, validateAsff } from './asff-rules';
import type { AccountSessions } from './credentials';
import { describeError } from './errors';
import type { Finding as StoredFinding } from './finding-store';

/**
 * Why a finding was not imported.
 * - `not-enabled`: Security Hub is not enabled in that account and region (InvalidAccessException, or
 *   InvalidAccess in FailedFindings).
 * - `access-denied`: the check role may not import (its StackSet instance predates the export).
 * - `rejected`: Security Hub returned the finding in FailedFindings for another reason.
 * - `invalid`: the finding broke an ASFF rule and was not sent (a bug: see the logged problems).
 * - `error`: anything else (the role could not be assumed, a timeout, throttling after retries).
 */
export type ExportFailureReason = 'not-enabled' | 'access-denied' | 'rejected' | 'invalid' | 'error';

/** One finding (or one account's batch) that was not imported. */
export interface ExportFailure {
  readonly accountId: string;
  /** The ASFF `Id`s concerned. */
  readonly ids: readonly string[];
  readonly reason: ExportFailureReason;
  /** Security Hub's error code, when it gave one. */
  readonly errorCode?: string;
  readonly message: string;
}

/** A stored finding to export, with what the store does not know. */
export interface ExportItem {
  readonly finding: StoredFinding;
  /** The user's IAM path, when the event or the sweep knows it. @default '/' */
  readonly userPath?: string;
  /** `UpdatedAt` of a re-import (the sweep's time). @default the time of the finding's state */
  readonly updatedAt?: string;
}

/** What one export did. */
export interface ExportResult {
  /** ASFF ids Security Hub accepted. */
  readonly imported: readonly string[];
  readonly failures: readonly ExportFailure[];
  /** Findings not sent because they cannot come from their account (`ACCOUNT_NOT_COVERED`). */
  readonly skipped: readonly string[];
}

/** What the exporter needs. */
export interface SecurityHubExporterDeps {
  /** Member sessions that can give a Security Hub client (in the home region) per account. */
  readonly sessions: Pick<AccountSessions, 'securityHubFor'>;
  /** Partition of the deployment, the import region (home region) and the language of the texts. */
  readonly settings: { readonly partition: string; readonly region: string; readonly locale: AlertLocale };
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  /** Called once per failure, after it is logged: count it in a metric. */
  readonly onExportFailure?: (failure: ExportFailure) => void;
}

/** Imports stored findings into Security Hub; never throws. */
export interface SecurityHubExporter {
  /**
   * Import (or update) `items`, all of account `accountId`: OPEN as ACTIVE, RESOLVED as ARCHIVED.
   * `hint` names the assumed-role session (event id or sweep id).
   */
  exportFindings(accountId: string, items: readonly ExportItem[], hint: string): Promise<ExportResult>;
}

function reasonOf(errorName: string): ExportFailureReason {
  if (errorName === 'InvalidAccessException' || errorName === 'InvalidAccess') return 'not-enabled';
  if (errorName === 'AccessDeniedException' || errorName === 'AccessDenied') return 'access-denied';
  return 'error';
}

/** What an export gathers as it goes (returned as the {@link ExportResult}). */
interface ExportTally {
  readonly imported: string[];
  readonly failures: ExportFailure[];
  readonly skipped: string[];
}

/** Records one failure: kept in the tally, logged, then counted (a failing count is only logged). */
type ReportFailure = (failure: ExportFailure) => void;

function failureReporter(deps: SecurityHubExporterDeps, tally: ExportTally): ReportFailure {
  const { logger } = deps;
  return (failure) => {
    tally.failures.push(failure);
    logger.warn('Security Hub export failed; the alert is not affected', { securityHubExport: failure });
    try {
      deps.onExportFailure?.(failure);
    } catch (error) {
      logger.warn('Counting a Security Hub export failure failed', { error: describeError(error) });
    }
  };
}

/**
 * The ASFF findings to send for `items`: findings of an account the check role cannot reach are
 * skipped, findings that break an ASFF rule are reported `invalid` and not sent.
 */
function findingsToSend(
  accountId: string,
  items: readonly ExportItem[],
  settings: SecurityHubExporterDeps['settings'],
  tally: ExportTally,
  fail: ReportFailure,
): AwsSecurityFinding[] {
  const findings: AwsSecurityFinding[] = [];
  for (const item of items) {
    const id = asffId(item.finding);
    if (item.finding.kind === 'ACCOUNT_NOT_COVERED' || item.finding.kind === 'ROLLOUT_FAILED') {
      // The check role cannot be assumed there (or its StackSet instance, which deploys it, failed):
      // nothing can be relied on to import from inside that account.
      tally.skipped.push(id);
      continue;
    }
    const asff = toAsff(item.finding, {
      ...settings,
      ...(item.userPath === undefined ? {} : { userPath: item.userPath }),
      ...(item.updatedAt === undefined ? {} : { updatedAt: item.updatedAt }),
    });
    const problems = validateAsff(asff);
    if (problems.length > 0) {
      fail({
        accountId,
        ids: [id],
        reason: 'invalid',
        message: problems.map((p) => `${p.field}: ${p.problem}`).join('; '),
      });
      continue;
    }
    findings.push(asff);
  }
  return findings;
}

/** Import one batch (at most 100 findings); Security Hub's rejections and errors become failures. */
async function sendBatch(
  client: SecurityHubClient,
  accountId: string,
  batch: AwsSecurityFinding[],
  context: {
    readonly logger: SecurityHubExporterDeps['logger'];
    readonly tally: ExportTally;
    readonly fail: ReportFailure;
  },
): Promise<void> {
  const { logger, tally, fail } = context;
  const ids = batch.map((f) => f.Id ?? '');
  try {
    const { BatchImportFindingsCommand } = await import('./sdk/security-hub');
    const answer = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
    const rejected = new Set<string>();
    for (const failed of answer.FailedFindings ?? []) {
      rejected.add(failed.Id ?? '');
      const code = failed.ErrorCode ?? 'unknown';
      const reason = reasonOf(code);
      fail({
        accountId,
        ids: [failed.Id ?? '?'],
        reason: reason === 'error' ? 'rejected' : reason,
        errorCode: code,
        message: failed.ErrorMessage ?? '',
      });
    }
    const accepted = ids.filter((id) => !rejected.has(id));
    tally.imported.push(...accepted);
    if (accepted.length > 0) logger.info('Findings imported into Security Hub', { accountId, ids: accepted });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    fail({ accountId, ids, reason: reasonOf(name), errorCode: name, message: describeError(error) });
  }
}

/** Create the exporter. */
export function createSecurityHubExporter(deps: SecurityHubExporterDeps): SecurityHubExporter {
  return {
    async exportFindings(accountId, items, hint) {
      const tally: ExportTally = { imported: [], failures: [], skipped: [] };
      const fail = failureReporter(deps, tally);
      const findings = findingsToSend(accountId, items, deps.settings, tally, fail);
      if (findings.length === 0) return tally;
      let client: SecurityHubClient;
      try {
        client = await deps.sessions.securityHubFor(accountId, hint);
      } catch (error) {
        fail({
          accountId,
          ids: findings.map((f) => f.Id ?? ''),
          reason: 'error',
          errorCode: error instanceof Error ? error.name : 'Error',
          message: describeError(error),
        });
        return tally;
      }
      // BatchImportFindings takes at most 100 findings per request (API Reference).
      for (let i = 0; i < findings.length; i += ASFF_LIMITS.findingsPerRequest) {
        const batch = findings.slice(i, i + ASFF_LIMITS.findingsPerRequest);
        await sendBatch(client, accountId, batch, { logger: deps.logger, tally, fail });
      }
      return tally;
    },
  };
}
