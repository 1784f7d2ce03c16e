/**
 * The parts of the digest that keep it consistent and actionable: every account under exactly one
 * heading (checked, coverage gap, rollout pending, not checked), the same counts in the subject and the
 * body, what to do per finding kind, and the texts of those parts in each locale. Pure.
 */
import type { AlertLocale } from '../contract/contract';
import { FINDING_KINDS, type FindingKind } from '../contract/findings';
import type { SweepFinding } from '../contract/sweep';
import type { AccountReport, CoverageGap, SweepReport } from './aggregate';
import { NO_RESULT_REASON } from './aggregate';
import { kindAdvice } from './kind-advice';

/** Accounts of a report, each in exactly one group. */
export interface AccountGroups {
  /** Checked, and not a coverage gap. */
  readonly checked: readonly AccountReport[];
  /** Outside the rollout, excluded, or not covered (whatever else happened to them). */
  readonly gaps: readonly CoverageGap[];
  /** StackSet instance not deployed yet. */
  readonly pending: readonly AccountReport[];
  /** Could not be checked (failed), and not a coverage gap. */
  readonly notChecked: readonly AccountReport[];
}

/**
 * Put each account in one group: a coverage gap first (that is the lasting fact), then rollout pending,
 * then not checked, else checked. A gap that also failed keeps its failure reason on its one line. Pure.
 */
export function groupAccounts(report: SweepReport): AccountGroups {
  const gapIds = new Set(report.coverageGaps.map((g) => g.accountId));
  const rest = report.accounts.filter((a) => !gapIds.has(a.accountId));
  const byId = new Map(report.accounts.map((a) => [a.accountId, a]));
  return {
    checked: rest.filter((a) => a.outcome === 'checked' || a.outcome === 'not-covered'),
    gaps: report.coverageGaps.map((gap) => {
      const account = byId.get(gap.accountId);
      return account?.outcome === 'failed' && gap.reason === undefined && account.reason !== undefined
        ? { ...gap, failedBecause: account.reason }
        : gap;
    }),
    pending: rest.filter((a) => a.outcome === 'rollout-pending'),
    notChecked: rest.filter((a) => a.outcome === 'failed'),
  };
}

/** A coverage gap that also could not be checked: its failure, shown on the gap's line. */
export type GapWithFailure = CoverageGap & { readonly failedBecause?: string };

/** The counts the subject and the body both show. */
export interface DigestCounts {
  readonly accounts: number;
  readonly checked: number;
  readonly gaps: number;
  readonly pending: number;
  readonly notChecked: number;
}

/** Counts of {@link groupAccounts}: they add up to the accounts swept. Pure. */
export function digestCounts(report: SweepReport): DigestCounts {
  const groups = groupAccounts(report);
  return {
    accounts: report.accounts.length,
    checked: groups.checked.length,
    gaps: groups.gaps.length,
    pending: groups.pending.length,
    notChecked: groups.notChecked.length,
  };
}

/** The subject's account part, ASCII: `3 coverage gaps, 1 not checked, 4 rollout pending`. Pure. */
export function subjectAccounts(c: DigestCounts): string {
  return [
    `${c.gaps} coverage ${c.gaps === 1 ? 'gap' : 'gaps'}`,
    ...(c.notChecked > 0 ? [`${c.notChecked} not checked`] : []),
    ...(c.pending > 0 ? [`${c.pending} rollout pending`] : []),
  ].join(', ');
}

/** Texts of the parts this module adds. */
export interface ExtraTexts {
  readonly accounts: (c: DigestCounts) => string;
  readonly pendingSection: string;
  readonly todoSection: string;
  readonly rolloutProblem: (problem: string) => string;
  readonly failedToo: (reason: string) => string;
  readonly suppressedSection: string;
  readonly suppressedLine: (where: string, until: string) => string;
  /** Known worker reasons in the locale; anything else (AWS's own words) is shown as it is. */
  readonly reason: (reason: string) => string;
}

const EN: ExtraTexts = {
  accounts: (c) =>
    `Accounts: ${c.accounts} swept: ${c.checked} checked, ${c.gaps} coverage gaps, ${c.pending} rollout pending, ${c.notChecked} not checked.`,
  pendingSection: 'Rollout pending (StackSet instance not deployed yet; no alert)',
  todoSection: 'What to do',
  rolloutProblem: (problem) =>
    `Note: the StackSet instances could not be read (${problem}); an unreachable check role was reported ACCOUNT_NOT_COVERED as before.`,
  failedToo: (reason) => `; not checked: ${reason}`,
  suppressedSection: 'Accepted until a date (suppressed: open, not alerted)',
  suppressedLine: (where, until) => `${where}, until ${until}`,
  reason: (reason) => reason,
};

const KO_REASONS: Readonly<Record<string, string>> = {
  deadline: '제한 시간 초과',
  throttled: 'AWS 요청 제한(스로틀링)으로 여러 번 실패',
  [NO_RESULT_REASON]: '점검 작업자가 결과를 보내지 않음 (배치가 끝까지 실행되지 않음)',
};

const KO: ExtraTexts = {
  accounts: (c) =>
    `계정: 점검 대상 ${c.accounts}개: 점검 완료 ${c.checked}개, 적용 범위 공백 ${c.gaps}개, 롤아웃 대기 ${c.pending}개, 점검 못 함 ${c.notChecked}개.`,
  pendingSection: '롤아웃 대기 (StackSet 인스턴스가 아직 배포되지 않음, 알림 없음)',
  todoSection: '조치 사항',
  rolloutProblem: (problem) =>
    `참고: StackSet 인스턴스를 읽지 못했습니다 (${problem}). 점검 역할에 접근할 수 없는 계정은 이전처럼 ACCOUNT_NOT_COVERED로 보고했습니다.`,
  failedToo: (reason) => `; 점검 못 함: ${reason}`,
  suppressedSection: '기한부로 수락된 항목 (열려 있지만 알리지 않음)',
  suppressedLine: (where, until) => `${where}, ${until}까지`,
  reason: (reason) => {
    if (KO_REASONS[reason] !== undefined) return KO_REASONS[reason];
    const pending = /^StackSet instance not deployed yet \((.*)\)$/.exec(reason);
    return pending === null ? reason : `StackSet 인스턴스가 아직 배포되지 않음 (${pending[1] ?? ''})`;
  },
};

/** The texts in `locale`. */
export function extraTexts(locale: AlertLocale): ExtraTexts {
  return locale === 'ko' ? KO : EN;
}

/** The kinds of the findings new or still open in this sweep, in contract order. Pure. */
export function kindsToAct(report: SweepReport): FindingKind[] {
  const present = new Set(
    report.accounts
      .flatMap((a) => a.findings)
      .filter((f) => f.change !== 'resolved')
      .map((f) => f.kind),
  );
  return FINDING_KINDS.filter((kind) => present.has(kind));
}

/** The "What to do" section: one line per kind that is open. Pure. */
export function todoLines(report: SweepReport, locale: AlertLocale): string[] {
  const kinds = kindsToAct(report);
  if (kinds.length === 0) return [];
  return [
    '',
    `${extraTexts(locale).todoSection}:`,
    ...kinds.map((kind) => `  - ${kind}: ${kindAdvice(kind, locale)}`),
  ];
}

/**
 * The findings accepted until a date, listed apart (they are open, and counted as open, but not
 * alerted): one line each with the day. Pure.
 */
export function suppressedLines(
  report: SweepReport,
  locale: AlertLocale,
  where: (finding: SweepFinding) => string,
  max: number,
): string[] {
  const accepted = report.accounts
    .flatMap((a) => a.findings)
    .filter((f) => f.change !== 'resolved' && f.suppressedUntil !== undefined);
  if (accepted.length === 0) return [];
  const t = extraTexts(locale);
  const shown = accepted
    .slice(0, max)
    .map((f) => `  - ${f.kind}: ${t.suppressedLine(where(f), f.suppressedUntil ?? '')}`);
  return ['', `${t.suppressedSection} (${accepted.length}):`, ...shown];
}
