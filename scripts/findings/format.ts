import type { Finding } from '../../functions/core/finding-store';

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
export function formatTable(findings: readonly Finding[], now: Date, scope: ListingScope): string {
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
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${summary}\n`;
}
