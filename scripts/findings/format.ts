import type { Finding } from '../../functions/core/finding-store';
import { isSuppressed } from '../../functions/core/suppression';
import { quarantineRow, quarantineSection, type QuarantineRow } from './quarantine-format';

/** One finding as `npm run findings -- --json` prints it (a stable shape for scripts). */
export interface FindingRow {
  readonly findingId: string;
  readonly accountId: string;
  readonly accountAlias: string | null;
  /** The user name, `root`, or `account` for account-level kinds. */
  readonly subject: string;
  readonly kind: string;
  readonly severity: string;
  readonly detail: string | null;
  readonly state: string;
  readonly resolution: string | null;
  readonly firstSeen: string;
  readonly openedAt: string;
  readonly lastSeen: string;
  readonly resolvedAt: string | null;
  /** Seconds the finding has been open (until its resolution, for a resolved one). */
  readonly ageSeconds: number;
  /** Accepted through this day (`YYYY-MM-DD`, UTC), by whom and why; null when not suppressed. */
  readonly suppressedUntil: string | null;
  readonly suppressedBy: string | null;
  readonly suppressionReason: string | null;
  /** The user's quarantine (enforcement): state, who, when, why, history; null when never quarantined. */
  readonly quarantine: QuarantineRow | null;
}

/** How long a finding has been open at `now`, or was open until its resolution. Never negative. */
export function openForMs(finding: Finding, now: Date): number {
  const end = finding.resolvedAt === undefined ? now.getTime() : Date.parse(finding.resolvedAt);
  return Math.max(0, end - Date.parse(finding.openedAt));
}

/** A duration in the two largest units: `45s`, `12m`, `3h 20m`, `4d 2h`. */
export function formatAge(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}

/** `2026-11-02 09:00 UTC` from an ISO time. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The JSON rows (pure). */
export function toRows(findings: readonly Finding[], now: Date): FindingRow[] {
  return findings.map((f) => ({
    findingId: f.findingId,
    accountId: f.accountId,
    accountAlias: f.accountAlias ?? null,
    subject: f.subject,
    kind: f.kind,
    severity: f.severity,
    detail: f.detail ?? null,
    state: f.state,
    resolution: f.resolution ?? null,
    firstSeen: f.firstSeen,
    openedAt: f.openedAt,
    lastSeen: f.lastSeen,
    resolvedAt: f.resolvedAt ?? null,
    ageSeconds: Math.floor(openForMs(f, now) / 1000),
    suppressedUntil: f.suppression?.until ?? null,
    suppressedBy: f.suppression?.by ?? null,
    suppressionReason: f.suppression?.reason ?? null,
    quarantine: quarantineRow(f),
  }));
}

/** `--json`: an array of {@link FindingRow}, one finding per element, newline-terminated. */
export function formatJson(findings: readonly Finding[], now: Date): string {
  return `${JSON.stringify(toRows(findings, now), null, 2)}\n`;
}

/** What the listing covered, for the empty message and the summary line. */
export interface ListingScope {
  /** Recently resolved findings were included (`--all`). */
  readonly all: boolean;
}

/**
 * The table for people: account, alias, user, kind, severity, first seen, age (and with `--all` the
 * state), most severe first, then a one-line summary. Pure.
 */
export function formatTable(all: readonly Finding[], now: Date, scope: ListingScope): string {
  // Accepted (suppressed) findings are listed apart, after the table of the ones that alert.
  const accepted = all.filter((f) => f.state === 'OPEN' && isSuppressed(f, now));
  const findings = all.filter((f) => !accepted.includes(f));
  const acceptedPart = acceptedTable(accepted) + quarantineSection(all);
  if (findings.length === 0 && accepted.length > 0) return `No open findings that alert.\n${acceptedPart}`;
  if (findings.length === 0) {
    return scope.all ? 'No findings (open or recently resolved).\n' : 'No open findings.\n';
  }
  const header = ['ACCOUNT', 'ALIAS', 'USER', 'KIND', 'SEVERITY', 'FIRST SEEN', 'AGE'];
  if (scope.all) header.push('STATE');
  const rows = findings.map((f) => {
    const row = [
      f.accountId,
      f.accountAlias ?? '-',
      f.kind === 'USER_NO_MFA' ? f.subject : `(${f.subject})`,
      f.kind,
      f.severity,
      utc(f.firstSeen),
      formatAge(openForMs(f, now)),
    ];
    if (scope.all) row.push(f.state === 'OPEN' ? 'OPEN' : `RESOLVED (${f.resolution ?? '?'})`);
    return row;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const open = findings.filter((f) => f.state === 'OPEN');
  const bySeverity = ['CRITICAL', 'HIGH', 'MEDIUM']
    .map((s) => [s, open.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const resolved = findings.length - open.length;
  const summary = [
    `${open.length} open${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`,
    ...(scope.all ? [`${resolved} recently resolved`] : []),
  ].join(', ');
  const acceptedSummary = accepted.length > 0 ? `, ${accepted.length} accepted until a date` : '';
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${summary}${acceptedSummary}\n${acceptedPart}`;
}

/** The accepted (suppressed) findings: who accepted each, until when, and why. Pure. */
function acceptedTable(accepted: readonly Finding[]): string {
  if (accepted.length === 0) return '';
  const header = ['ACCOUNT', 'USER', 'KIND', 'SEVERITY', 'UNTIL', 'BY', 'REASON'];
  const rows = accepted.map((f) => [
    f.accountId,
    f.kind === 'USER_NO_MFA' ? f.subject : `(${f.subject})`,
    f.kind,
    f.severity,
    f.suppression?.until ?? '-',
    f.suppression?.by ?? '-',
    f.suppression?.reason ?? '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `\nAccepted until a date (suppressed: open, not alerted):\n${[line(header), ...rows.map(line)].join('\n')}\n`;
}
