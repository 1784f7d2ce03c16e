/**
 * The digest's canary section (docs/adr/0021-canary.md): how many accounts proved their real-time path
 * today, the single misses (listed, not alerted), the broken paths (alerted as REALTIME_PATH_BROKEN),
 * the tag calls that failed with their reason, and the canaries sent on the joined path (compared at the
 * next sweep). Each listed account shows when its path was last proven. Pure.
 */
import type { AlertLocale } from '../contract/contract';
import { wallClock } from '../core/message-text';
import type { SweepReport } from './aggregate';
import type { CanaryAccountReport } from './canary-report';
import { oneLine } from './results';

const MAX_LISTED = 20;
const MAX_REASON = 200;

const TEXTS = {
  en: {
    heading: (proven: number, total: number) =>
      `Real-time path (canary): ${proven} of ${total} account(s) proven today`,
    notComparedHere: 'Real-time path (canary): not compared in this sweep (no wait on the joined path)',
    firstMiss: 'Canary missed once (not alerted; a second miss alerts)',
    broken: 'Canary missed in consecutive sweeps (REALTIME_PATH_BROKEN)',
    tagFailed: 'Canary not sent: the tag call failed',
    notCompared: 'Canary sent, compared at the next sweep',
    lastProven: (when: string | undefined) => `last proven ${when ?? 'never'}`,
    more: (n: number) => `  ... and ${n} more (see the report)`,
  },
  ko: {
    heading: (proven: number, total: number) =>
      `실시간 경로 (카나리아): 계정 ${total}개 중 ${proven}개가 오늘 확인됨`,
    notComparedHere: '실시간 경로 (카나리아): 이번 점검에서는 비교하지 않음 (신규 계정 경로에는 대기 없음)',
    firstMiss: '카나리아 한 번 누락 (알림 없음; 두 번째 누락 시 알림)',
    broken: '카나리아 연속 누락 (REALTIME_PATH_BROKEN)',
    tagFailed: '카나리아 전송 실패: 태그 호출 실패',
    notCompared: '카나리아 전송됨, 다음 점검에서 비교',
    lastProven: (when: string | undefined) => `마지막 확인 ${when ?? '없음'}`,
    more: (n: number) => `  ... 외 ${n}개 (보고서 참조)`,
  },
} as const;

function section(
  title: string,
  accounts: readonly CanaryAccountReport[],
  line: (a: CanaryAccountReport) => string,
  more: (n: number) => string,
): string[] {
  if (accounts.length === 0) return [];
  const shown = accounts.slice(0, MAX_LISTED).map((a) => `  - ${line(a)}`);
  return [
    `${title} (${accounts.length}):`,
    ...shown,
    ...(accounts.length > MAX_LISTED ? [more(accounts.length - MAX_LISTED)] : []),
  ];
}

/** The section's lines; none when no account sent a canary. Pure. */
export function canaryDigestLines(report: SweepReport, locale: AlertLocale, timeZone: string): string[] {
  const accounts = report.canary ?? [];
  if (accounts.length === 0) return [];
  const t = locale === 'ko' ? TEXTS.ko : TEXTS.en;
  const when = (iso: string | undefined) =>
    iso === undefined ? undefined : `${wallClock(new Date(iso), timeZone)} (${timeZone})`;
  const of = (outcome: CanaryAccountReport['outcome']) => accounts.filter((a) => a.outcome === outcome);
  const proven = of('proven').length;
  const compared = accounts.length - of('not-compared').length;
  const plain = (a: CanaryAccountReport) => `${a.accountId}: ${t.lastProven(when(a.lastProvenAt))}`;
  return [
    '',
    compared === 0 ? t.notComparedHere : t.heading(proven, compared),
    ...section(t.firstMiss, of('first-miss'), plain, t.more),
    ...section(t.broken, of('broken'), plain, t.more),
    ...section(
      t.tagFailed,
      of('tag-failed'),
      (a) =>
        `${a.accountId}: ${oneLine(a.failure ?? '-', MAX_REASON)}; ${t.lastProven(when(a.lastProvenAt))}`,
      t.more,
    ),
    ...section(t.notCompared, of('not-compared'), plain, t.more),
  ];
}
