import type { Logger } from '@aws-lambda-powertools/logger';
import { asffId } from '../core/asff';
import { describeError } from '../core/errors';
import type { Finding, FindingStore } from '../core/finding-store';
import type { ExportItem, ExportResult, SecurityHubExporter } from '../core/security-hub';
import { refOf } from './reconcile';

/**
 * Security Hub deletes a finding 90 days after its last update (AWS Security Hub User Guide, "Findings in
 * Security Hub", finding retention). A finding that stays OPEN here longer than that would vanish there:
 * the sweep re-imports it, with a newer `UpdatedAt`, once its last import is `afterDays` old.
 */

const DAY_MS = 86_400_000;

/**
 * The open findings whose last recorded import is at least `afterDays` before `now`, or was never
 * recorded (opened before the store kept it, or every import failed). `ACCOUNT_NOT_COVERED` is left out:
 * it cannot be imported from inside its account. Pure.
 */
export function dueForReimport(findings: readonly Finding[], now: Date, afterDays: number): Finding[] {
  const cutoff = now.getTime() - afterDays * DAY_MS;
  return findings.filter(
    (f) =>
      f.state === 'OPEN' &&
      f.kind !== 'ACCOUNT_NOT_COVERED' &&
      (f.lastExported === undefined || Date.parse(f.lastExported) <= cutoff),
  );
}

/** What {@link recordImports} and {@link reimportStale} need. */
export interface ReimportDeps {
  readonly securityHub: Pick<SecurityHubExporter, 'exportFindings'>;
  readonly findings: Pick<FindingStore, 'listFindings' | 'markExported'>;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly recordExportFailure?: (count: number) => void;
}

/**
 * After an export: remember the import time of every finding Security Hub accepted (best effort: a
 * failed write only means an earlier re-import), and count those it did not.
 */
export async function recordImports(
  deps: Pick<ReimportDeps, 'findings' | 'logger' | 'recordExportFailure'>,
  findings: readonly Finding[],
  result: ExportResult,
  now: Date,
): Promise<void> {
  const notImported = result.failures.reduce((sum, failure) => sum + failure.ids.length, 0);
  if (notImported > 0) deps.recordExportFailure?.(notImported);
  const imported = new Set(result.imported);
  for (const finding of findings.filter((f) => imported.has(asffId(f)))) {
    try {
      await deps.findings.markExported({ ...refOf(finding), now });
    } catch (error) {
      deps.logger.warn('Could not record the Security Hub import in the finding store', {
        findingId: finding.findingId,
        error: describeError(error),
      });
    }
  }
}

/**
 * Re-import the account's open findings not imported for `afterDays`, with `UpdatedAt` = now (newer than
 * any earlier import, so Security Hub applies it) and `CreatedAt` = first seen, unchanged. Never throws
 * for Security Hub (the exporter does not); a store failure propagates like the sweep's other reads.
 */
export async function reimportStale(
  deps: ReimportDeps,
  input: {
    readonly accountId: string;
    readonly now: Date;
    readonly afterDays: number;
    readonly hint: string;
    readonly paths: ReadonlyMap<string, string>;
    /** Finding ids already sent by this sweep (new or resolved ones): not sent twice. */
    readonly skip?: ReadonlySet<string>;
  },
): Promise<number> {
  const open = await deps.findings.listFindings({ accountId: input.accountId, state: 'OPEN' });
  const due = dueForReimport(open, input.now, input.afterDays).filter(
    (f) => input.skip?.has(f.findingId) !== true,
  );
  if (due.length === 0) return 0;
  const updatedAt = input.now.toISOString();
  const items: ExportItem[] = due.map((finding) => {
    const userPath = finding.kind === 'USER_NO_MFA' ? input.paths.get(finding.subject) : undefined;
    return { finding, updatedAt, ...(userPath === undefined ? {} : { userPath }) };
  });
  const result = await deps.securityHub.exportFindings(input.accountId, items, input.hint);
  await recordImports(deps, due, result, input.now);
  deps.logger.info('Long-open findings re-imported into Security Hub', {
    accountId: input.accountId,
    due: due.length,
    imported: result.imported.length,
  });
  return result.imported.length;
}
