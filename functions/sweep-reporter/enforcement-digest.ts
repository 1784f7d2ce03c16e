/**
 * Enforcement in the digest (ADR 0022): the Enforce step's summary as one section: halted (and why),
 * quarantined, would quarantine (dry-run), released, and the attaches and detaches AWS refused. The
 * JSON report carries the whole summary. Pure.
 */
import type { AlertLocale } from '../contract/contract';
import type { EnforcementSummary } from '../contract/enforcement';
import { oneLine } from './results';

const TEXTS = {
  en: {
    section: (mode: string) => `Enforcement (${mode})`,
    halted: (count: number, max: number, why: string) =>
      `  HALTED: ${count} users due, more than ${max}: ${why}`,
    quarantined: 'Quarantined',
    would: 'Would quarantine (dry-run: nothing changed)',
    released: 'Released',
    failures: 'Refused by AWS (retried next sweep)',
    release: 'release by hand: npm run findings -- release <finding id> --reason "..."',
  },
  ko: {
    section: (mode: string) => `강제 조치 (${mode})`,
    halted: (count: number, max: number, why: string) =>
      `  중단됨: 대상 ${count}명이 상한 ${max}명을 넘음: ${why}`,
    quarantined: '격리함',
    would: '격리 예정 (dry-run: 변경 없음)',
    released: '격리 해제',
    failures: 'AWS가 거부함 (다음 점검에서 다시 시도)',
    release: '수동 해제: npm run findings -- release <finding id> --reason "..."',
  },
} as const;

/** At most this many users per list; the JSON report has them all. */
const LIST_MAX = 20;

function list<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, LIST_MAX).map((i) => `  - ${line(i)}`);
  const more = items.length > LIST_MAX ? [`  ... +${items.length - LIST_MAX}`] : [];
  return [`${title} (${items.length}):`, ...shown, ...more];
}

/** The digest's enforcement section; nothing when enforcement is off (no summary). Pure. */
export function enforcementLines(summary: EnforcementSummary | undefined, locale: AlertLocale): string[] {
  if (summary === undefined) return [];
  const t = TEXTS[locale];
  const who = (u: { accountId: string; userName: string }) => `"${oneLine(u.userName, 64)}" (${u.accountId})`;
  const lines = [
    ...(summary.halted === undefined
      ? []
      : [t.halted(summary.halted.count, summary.halted.maxPerSweep, oneLine(summary.halted.why, 400))]),
    ...list(
      t.quarantined,
      summary.quarantined,
      (u) => `${who(u)}: ${oneLine(u.reason, 200)} (${u.findingId})`,
    ),
    ...list(t.would, summary.wouldQuarantine, (u) => `${who(u)}: ${oneLine(u.reason, 200)} (${u.findingId})`),
    ...list(t.released, summary.released, (r) => `${who(r)}: ${oneLine(r.reason, 200)}`),
    ...list(
      t.failures,
      summary.failures,
      (f) => `${who(f)}: ${f.action} ${f.outcome}: ${oneLine(f.error, 200)}`,
    ),
  ];
  return [
    '',
    `${t.section(summary.mode)}:`,
    ...(lines.length === 0 ? ['  -'] : lines),
    ...(summary.quarantined.length > 0 ? [`  ${t.release}`] : []),
  ];
}
