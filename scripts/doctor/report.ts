import { NETWORK_CODES } from '../aws-failure';

/** Outcome of one doctor check. FAIL makes `npm run doctor` exit non-zero. */
export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

/** One row of the doctor's table. `fix` is set for every non-PASS row. */
export interface CheckRow {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
  readonly fix?: string;
}

/** A passing row. */
export function pass(check: string, detail: string): CheckRow {
  return { check, status: 'PASS', detail };
}

/** A non-passing row; a fix is mandatory so the operator knows what to do. */
export function notPass(
  check: string,
  status: Exclude<CheckStatus, 'PASS'>,
  detail: string,
  fix: string,
): CheckRow {
  return { check, status, detail, fix };
}

/** Name and message of an SDK error (or anything thrown), without a stack trace. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** True when the error is an authorization failure (the operator lacks a permission). */
export function isAccessDenied(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return /AccessDenied|UnauthorizedOperation|AuthorizationError|not authorized/i.test(
    `${err.name} ${err.message}`,
  );
}

/**
 * True when the request never got an answer from AWS: DNS, connection refused or reset, no route, a
 * timeout. That is a network problem, not a credentials or permission problem, and is said so.
 */
export function isNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    err.name === 'TimeoutError' ||
    /getaddrinfo|socket hang up|connect ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(err.message)
  );
}

/** The FAIL row for a request that never reached AWS. */
export function unreachable(check: string, err: unknown): CheckRow {
  return notPass(
    check,
    'FAIL',
    `cannot reach AWS (${errorText(err)})`,
    'check the network connection, DNS and proxy settings (HTTPS_PROXY), then retry',
  );
}

/**
 * The FAIL row for an SDK call that threw: names the permission the call needs, so AccessDenied
 * (or any other failure) is reported instead of crashing the doctor.
 */
export function callFailed(check: string, permission: string, err: unknown): CheckRow {
  if (isNetworkError(err)) return unreachable(check, err);
  const why = isAccessDenied(err) ? `missing permission ${permission}` : `${permission} failed`;
  return notPass(
    check,
    'FAIL',
    `${why} (${errorText(err)})`,
    `run with credentials allowed ${permission} (management account or delegated administrator), then retry`,
  );
}

/** Exit code of the doctor: 1 when any row FAILs, else 0 (WARN and SKIP do not fail). */
export function exitCode(rows: readonly CheckRow[]): number {
  return rows.some((r) => r.status === 'FAIL') ? 1 : 0;
}

const HEADERS = ['check', 'status', 'detail', 'fix'] as const;

/**
 * Plain-text table, one line per row, columns padded to the widest cell. Pure; the fix column is
 * empty for PASS rows. Newlines inside cells are flattened so a row stays one line.
 */
export function formatTable(rows: readonly CheckRow[]): string {
  const cells = rows.map((r) =>
    [r.check, r.status, r.detail, r.fix ?? ''].map((c) => c.replace(/\s*\n\s*/g, ' ')),
  );
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join(' | ')
      .trimEnd();
  const summary = summaryLine(rows);
  return [
    line(HEADERS),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...cells.map(line),
    '',
    summary,
    '',
  ].join('\n');
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `11 checks: 7 passed, 1 failed, 1 warning, 2 skipped` (zero counts left out, except failed). */
export function summaryLine(rows: readonly CheckRow[]): string {
  const count = (status: CheckStatus) => rows.filter((r) => r.status === status).length;
  const parts = [
    `${count('PASS')} passed`,
    `${count('FAIL')} failed`,
    ...(count('WARN') > 0 ? [plural(count('WARN'), 'warning', 'warnings')] : []),
    ...(count('SKIP') > 0 ? [`${count('SKIP')} skipped`] : []),
  ];
  return `${plural(rows.length, 'check', 'checks')}: ${parts.join(', ')}`;
}
