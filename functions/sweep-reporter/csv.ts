import type { SweepFinding } from '../contract/sweep';
import type { AccountReport, SweepReport } from './aggregate';

/**
 * The CSV report: one table (RFC 4180: one header, the same fields on every row, CRLF line breaks).
 * - `record` = `finding`: one row per finding seen or resolved in this sweep, with its account's
 *   outcome and coverage; findings of accounts that left the organization have no outcome.
 * - `record` = `account`: one row per account without any finding row (checked and clean, not
 *   covered, or failed), so every swept account appears.
 */
export const CSV_COLUMNS = [
  'record',
  'account_id',
  'account_name',
  'alias',
  'coverage',
  'outcome',
  'reason',
  'user',
  'finding_kind',
  'severity',
  'first_seen',
  'console_password',
  'last_used',
  'change',
  'resolved_because',
  'finding_id',
  /** When the account's real-time path was last proven by a canary (docs/adr/0021-canary.md). */
  'realtime_path_proven_at',
] as const;

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | boolean | undefined>>;

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): `=`, `+`, `-`,
 * `@`, and tab or carriage return before them. IAM user names may contain `=`, `+`, `-` and `@` (IAM
 * API reference, CreateUser `UserName`: `[\w+=,.@-]+`), so a user named `=HYPERLINK(...)` is possible.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell that a spreadsheet shows as text: a formula-like start is prefixed with `'`. Pure. */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF; quotes doubled. Pure. */
export function csvField(value: string | boolean | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'boolean' ? String(value) : neutralizeFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(row: Row): string {
  return CSV_COLUMNS.map((column) => csvField(row[column])).join(',');
}

/** User column: the IAM user, `root` for the root user, empty for account-level findings. */
function userOf(finding: SweepFinding): string | undefined {
  if (finding.userName !== undefined) return finding.userName;
  return finding.kind === 'ROOT_NO_MFA' ? 'root' : undefined;
}

function accountColumns(
  account: (AccountReport & { readonly realtime_path_proven_at?: string }) | undefined,
  accountId: string,
): Row {
  return {
    realtime_path_proven_at: account?.realtime_path_proven_at,
    account_id: accountId,
    account_name: account?.name,
    alias: account?.alias,
    coverage: account?.coverage,
    outcome: account?.outcome,
    reason: account?.reason,
  };
}

function findingColumns(finding: SweepFinding): Row {
  return {
    user: userOf(finding),
    finding_kind: finding.kind,
    severity: finding.severity,
    first_seen: finding.firstSeen,
    console_password: finding.consolePassword,
    last_used: finding.lastUsed,
    change: finding.change,
    resolved_because: finding.resolvedBecause,
    finding_id: finding.findingId,
  };
}

/** Render the report as CSV. Pure. */
export function reportCsv(report: SweepReport): string {
  const rows: string[] = [CSV_COLUMNS.join(',')];
  const proven = new Map((report.canary ?? []).map((c) => [c.accountId, c.lastProvenAt]));
  for (const swept of report.accounts) {
    const provenAt = proven.get(swept.accountId);
    const account = provenAt === undefined ? swept : { ...swept, realtime_path_proven_at: provenAt };
    if (account.findings.length === 0) {
      rows.push(line({ record: 'account', ...accountColumns(account, account.accountId) }));
      continue;
    }
    for (const finding of account.findings) {
      rows.push(
        line({
          record: 'finding',
          ...accountColumns(account, account.accountId),
          ...findingColumns(finding),
        }),
      );
    }
  }
  for (const finding of report.removedAccountFindings) {
    rows.push(line({ record: 'finding', account_id: finding.accountId, ...findingColumns(finding) }));
  }
  return `${rows.join('\r\n')}\r\n`;
}
