import type { Finding } from '../../functions/core/finding-store';
import type { QuarantineTransition } from '../../functions/core/finding-quarantine';

/** A finding's quarantine as `npm run findings -- --json` prints it; null when its user never was. */
export interface QuarantineRow {
  /** `QUARANTINED` while the policy is attached, else `RELEASED`. */
  readonly state: 'QUARANTINED' | 'RELEASED';
  /** The attach (while quarantined) or the latest release: when, who, why. */
  readonly at: string | null;
  readonly by: string | null;
  readonly reason: string | null;
  /** Every attach and detach, oldest first. */
  readonly history: readonly QuarantineTransition[];
}

/** The JSON form of the finding's quarantine (pure). */
export function quarantineRow(finding: Finding): QuarantineRow | null {
  const q = finding.quarantine;
  if (q === undefined) return null;
  const current = q.quarantined ?? q.released;
  return {
    state: q.quarantined === undefined ? 'RELEASED' : 'QUARANTINED',
    at: current?.at ?? null,
    by: current?.by ?? null,
    reason: current?.reason ?? null,
    history: q.log.map((t) => ({ ...t })),
  };
}

/** `2026-11-02 09:00 UTC` from an ISO time. */
function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * The quarantine section of the table: per finding whose user is or was quarantined, its state and
 * every attach and detach (when, who, why), and how to release a quarantined user. Empty when none. Pure.
 */
export function quarantineSection(findings: readonly Finding[]): string {
  const touched = findings.filter((f) => f.quarantine !== undefined);
  if (touched.length === 0) return '';
  const blocks = touched.map((f) => {
    const q = f.quarantine;
    const state = q?.quarantined === undefined ? 'released' : 'QUARANTINED';
    const history = (q?.log ?? []).map(
      (t) =>
        `    ${utc(t.at)}  ${t.action === 'quarantined' ? 'attached' : 'detached'} by ${t.by}: ${t.reason}`,
    );
    return [`  ${f.findingId}  ${f.accountId}  ${f.subject}  ${state}`, ...history].join('\n');
  });
  const quarantined = touched.filter((f) => f.quarantine?.quarantined !== undefined).length;
  const hint =
    quarantined > 0 ? '\nRelease by hand: npm run findings -- release <finding id> --reason "..."\n' : '';
  return `\nQuarantine (enforcement: every attach and detach of the quarantine policy):\n${blocks.join('\n')}\n${hint}`;
}
