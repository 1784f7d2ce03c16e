import { KO_SUBJECT, withParticle } from '../core/korean-particles';
import { MAX_SUBJECT_LENGTH, asciiOnly, consoleHost, utcAndZoned, wallClock } from '../core/message-text';
import type { AlertLocale } from '../contract/contract';
import { FINDING_SEVERITIES, type FindingSeverity, type ResolutionReason } from '../contract/findings';
import type { SweepFinding } from '../contract/sweep';
import {
  compareFindings,
  digestSeverity,
  type AccountReport,
  type CoverageGap,
  type SweepReport,
} from './aggregate';
import {
  digestCounts,
  extraTexts,
  groupAccounts,
  subjectAccounts,
  suppressedLines,
  todoLines,
  type GapWithFailure,
} from './digest-extra';
import { enforcementLines } from './enforcement-digest';
import { oneLine } from './results';
import { boundBody } from './bounded-body';
import { canaryDigestLines } from './canary-digest';

/** Re-exported: the storm guard's aggregated alert and the tests bound their bodies the same way. */
export { boundBody };

/** How the digest is rendered and where the report is. */
export interface DigestSettings {
  readonly locale: AlertLocale;
  readonly timeZone: string;
  /** Partition and region of the deployment (console host and the S3 console link). */
  readonly partition: string;
  readonly region: string;
  readonly bucket: string;
  readonly reportCsvKey: string;
  readonly reportJsonKey: string;
}

/** The digest as published: ASCII subject, localized plain-text body, filter attributes. */
export interface DigestMessage {
  readonly subject: string;
  readonly body: string;
  readonly attributes: { readonly severity: FindingSeverity | 'INFO'; readonly finding: 'SWEEP_DIGEST' };
}

/** Entries shown per list (new, resolved, gaps, failures); the rest are counted, and in the report. */
export const DIGEST_LIST_MAX = 20;
/** Accounts shown in "open by account". */
export const DIGEST_ACCOUNTS_MAX = 10;
/**
 * SNS limits a message (body and attributes) to 256 KiB (Amazon SNS quotas, "Message size"). The lists
 * above keep a digest near 20 KB whatever the sweep's size; this is the last guard.
 */
export const MAX_DIGEST_BYTES = 200_000;
/** Longest untrusted text (reason, name) quoted in one line. */
const MAX_QUOTE = 200;

interface Texts {
  headline: (id: string, scope: string) => string;
  scope: { scheduled: string; onDemandAll: string; onDemandSome: string; joined: string };
  finishedAt: string;
  findings: (t: SweepReport['totals']) => string;
  sections: Record<
    'new' | 'resolved' | 'bySeverity' | 'byAccount' | 'gaps' | 'failures' | 'skipped' | 'report',
    string
  >;
  none: string;
  more: (n: number) => string;
  moreAccounts: (n: number) => string;
  in: (who: string, account: string) => string;
  accountOnly: (account: string) => string;
  root: string;
  console: string;
  lastUsed: (when: string) => string;
  gap: (gap: CoverageGap) => string;
  reasons: Record<ResolutionReason, string>;
  storeProblem: (problem: string) => string;
  partial: string;
  jsonReport: string;
}

const EN: Texts = {
  headline: (id, scope) => `Org-wide MFA sweep ${id} finished (${scope}).`,
  scope: {
    scheduled: 'scheduled, every ACTIVE account',
    onDemandAll: 'on demand, every ACTIVE account',
    onDemandSome: 'on demand, selected accounts',
    joined: 'accounts that just joined the organization',
  },
  finishedAt: 'Finished',
  findings: (t) =>
    `Findings: ${t.newFindings} new, ${t.resolvedFindings} resolved, ${t.openFindings} open (${t.stillOpenFindings} still open from before).`,
  sections: {
    new: 'New findings',
    resolved: 'Resolved findings',
    bySeverity: 'Open findings by severity',
    byAccount: 'Open findings by account',
    gaps: 'Coverage gaps',
    failures: 'Not checked (the sweep could not finish the account)',
    skipped: 'Not swept (account not ACTIVE)',
    report: 'Report (CSV)',
  },
  none: '  none',
  more: (n) => `  ... and ${n} more (see the report)`,
  moreAccounts: (n) => `  ... and ${n} more accounts (see the report)`,
  in: (who, account) => `${who} in ${account}`,
  accountOnly: (account) => `account ${account}`,
  root: 'root user',
  console: ', console password',
  lastUsed: (when) => `, last used ${when}`,
  gap: (gap) => {
    switch (gap.gap) {
      case 'outside-rollout':
        return 'outside the rollout OUs: no StackSet instance, events are not watched';
      case 'excluded':
        return 'excluded by configuration (rollout.excludeAccountIds)';
      case 'not-covered':
        return `check role not reachable${gap.reason === undefined ? '' : `: ${oneLine(gap.reason, MAX_QUOTE)}`}`;
    }
  },
  reasons: {
    'mfa-enabled': 'MFA enabled',
    'console-removed': 'password removed',
    deleted: 'user deleted',
    exempted: 'exempted',
    'role-reachable': 'check role reachable again',
    'forwarding-restored': 'forward rule restored',
    'account-removed': 'account no longer ACTIVE in the organization',
    'rollout-recovered': 'StackSet instance deployed again',
    'canary-arrived': 'canary arrived: real-time path proven again',
    manual: 'closed by hand',
  },
  storeProblem: (problem) =>
    `Note: findings of accounts that left the organization were not reconciled: ${oneLine(problem, MAX_QUOTE)}`,
  partial: 'Only the swept accounts are counted: this was not a sweep of the whole organization.',
  jsonReport: 'JSON',
};

const KO: Texts = {
  headline: (id, scope) => `조직 전체 MFA 점검 ${withParticle(id, KO_SUBJECT)} 완료되었습니다 (${scope}).`,
  scope: {
    scheduled: '정기 점검, 모든 ACTIVE 계정',
    onDemandAll: '수동 실행, 모든 ACTIVE 계정',
    onDemandSome: '수동 실행, 지정한 계정',
    joined: '조직에 새로 합류한 계정',
  },
  finishedAt: '완료 시각',
  findings: (t) =>
    `발견 항목: 신규 ${t.newFindings}개, 해결 ${t.resolvedFindings}개, 열림 ${t.openFindings}개 (이전부터 열려 있던 항목 ${t.stillOpenFindings}개).`,
  sections: {
    new: '신규 발견 항목',
    resolved: '해결된 발견 항목',
    bySeverity: '심각도별 열린 항목',
    byAccount: '계정별 열린 항목',
    gaps: '적용 범위 공백',
    failures: '점검 못 함 (점검을 끝내지 못한 계정)',
    skipped: '점검하지 않은 계정 (ACTIVE 상태 아님)',
    report: '보고서 (CSV)',
  },
  none: '  없음',
  more: (n) => `  ... 외 ${n}개 (보고서 참조)`,
  moreAccounts: (n) => `  ... 외 계정 ${n}개 (보고서 참조)`,
  in: (who, account) => `계정 ${account}의 ${who}`,
  accountOnly: (account) => `계정 ${account}`,
  root: '루트 사용자',
  console: ', 콘솔 비밀번호 있음',
  lastUsed: (when) => `, 마지막 사용 ${when}`,
  gap: (gap) => {
    switch (gap.gap) {
      case 'outside-rollout':
        return '롤아웃 OU 밖: StackSet 인스턴스가 없어 이벤트를 감시하지 않습니다';
      case 'excluded':
        return '설정에서 제외됨 (rollout.excludeAccountIds)';
      case 'not-covered':
        return `점검 역할에 접근할 수 없음${gap.reason === undefined ? '' : `: ${oneLine(gap.reason, MAX_QUOTE)}`}`;
    }
  },
  reasons: {
    'mfa-enabled': 'MFA 활성화됨',
    'console-removed': '비밀번호 삭제됨',
    deleted: '사용자 삭제됨',
    exempted: '예외 적용됨',
    'role-reachable': '점검 역할에 다시 접근 가능',
    'forwarding-restored': '전달 규칙 복구됨',
    'account-removed': '계정이 더 이상 조직의 ACTIVE 계정이 아님',
    'rollout-recovered': 'StackSet 인스턴스가 다시 배포됨',
    'canary-arrived': '카나리아 도착: 실시간 경로가 다시 확인됨',
    manual: '수동으로 닫음',
  },
  storeProblem: (problem) =>
    `참고: 조직을 떠난 계정의 발견 항목을 정리하지 못했습니다: ${oneLine(problem, MAX_QUOTE)}`,
  partial: '점검한 계정만 집계했습니다: 조직 전체 점검이 아닙니다.',
  jsonReport: 'JSON',
};

function accountLabel(accountId: string, account: Pick<AccountReport, 'alias' | 'name'> | undefined): string {
  const label = account?.alias ?? account?.name;
  return label === undefined ? accountId : `${accountId} (${oneLine(label, 64)})`;
}

function limited<T>(
  items: readonly T[],
  max: number,
  render: (item: T) => string,
  more: (n: number) => string,
  none: string,
): string[] {
  if (items.length === 0) return [none];
  const shown = items.slice(0, max).map(render);
  return items.length > max ? [...shown, more(items.length - max)] : shown;
}

function severityCounts(counts: Readonly<Record<FindingSeverity, number>>): string {
  return FINDING_SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${s} ${counts[s]}`)
    .join(', ');
}

/** The S3 console page of an object, on the partition's console host. Pure. */
export function s3ConsoleLink(partition: string, region: string, bucket: string, key: string): string {
  return `https://${consoleHost(partition)}/s3/object/${encodeURIComponent(bucket)}?region=${encodeURIComponent(region)}&prefix=${encodeURIComponent(key)}`;
}

/**
 * Subject: `[org-mfa-watch] Sweep: 3 new, 1 resolved, 12 open; 2 coverage gaps, 1 not checked`, ASCII,
 * under 100 characters; the same counts, by the same names, as the body's first lines.
 */
function subjectOf(report: SweepReport): string {
  const t = report.totals;
  const text = `[org-mfa-watch] Sweep: ${t.newFindings} new, ${t.resolvedFindings} resolved, ${t.openFindings} open; ${subjectAccounts(digestCounts(report))}`;
  return asciiOnly(text).slice(0, MAX_SUBJECT_LENGTH);
}

/**
 * Render the sweep's one digest: totals, new and resolved findings, open findings by severity and by
 * account, coverage gaps, failures, and the report's console link. Lists are cut at
 * {@link DIGEST_LIST_MAX} entries with "and N more", untrusted text is one line and bounded, so the
 * message stays far under SNS's 256 KiB whatever the organization's size. Pure.
 */
export function formatDigest(report: SweepReport, settings: DigestSettings): DigestMessage {
  const t = settings.locale === 'ko' ? KO : EN;
  const byId = new Map(report.accounts.map((a) => [a.accountId, a]));
  const where = (f: SweepFinding) => {
    const account = accountLabel(f.accountId, byId.get(f.accountId));
    if (f.userName !== undefined) return t.in(`"${oneLine(f.userName, 64)}"`, account);
    return f.kind === 'ROOT_NO_MFA' ? t.in(t.root, account) : t.accountOnly(account);
  };
  const time = (iso: string | undefined) => {
    const date = iso === undefined ? undefined : new Date(iso);
    return date === undefined || Number.isNaN(date.getTime())
      ? undefined
      : `${wallClock(date, settings.timeZone)} (${settings.timeZone})`;
  };

  const reasons: Readonly<Record<string, string>> = t.reasons;
  const reasonText = (reason: string | undefined) =>
    reason === undefined ? '-' : (reasons[reason] ?? oneLine(reason, 64));

  const all = report.accounts.flatMap((a) => a.findings);
  const added = all.filter((f) => f.change === 'new').sort(compareFindings);
  const resolved = [...all.filter((f) => f.change === 'resolved'), ...report.removedAccountFindings].sort(
    compareFindings,
  );
  const openByAccount = report.accounts
    .map((account) => {
      const open = account.findings.filter((f) => f.change !== 'resolved');
      const counts: Record<FindingSeverity, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0 };
      open.forEach((f) => (counts[f.severity] += 1));
      return { account, total: open.length, counts };
    })
    .filter((a) => a.total > 0)
    .sort(
      (a, b) =>
        b.counts.CRITICAL - a.counts.CRITICAL ||
        b.counts.HIGH - a.counts.HIGH ||
        b.total - a.total ||
        a.account.accountId.localeCompare(b.account.accountId),
    );
  const x = extraTexts(settings.locale);
  const groups = groupAccounts(report);
  const failures = groups.notChecked;
  const scope =
    report.mode === 'joined'
      ? t.scope.joined
      : !report.fullSweep
        ? t.scope.onDemandSome
        : report.mode === 'scheduled'
          ? t.scope.scheduled
          : t.scope.onDemandAll;

  const lines = [
    t.headline(report.sweepId, scope),
    `${t.finishedAt}: ${utcAndZoned(new Date(report.generatedAt), settings.timeZone)}`,
    ...(report.fullSweep ? [] : [t.partial]),
    '',
    x.accounts(digestCounts(report)),
    t.findings(report.totals),
    ...(report.storeProblem === undefined ? [] : [t.storeProblem(report.storeProblem)]),
    ...(report.rolloutProblem === undefined
      ? []
      : [x.rolloutProblem(oneLine(report.rolloutProblem, MAX_QUOTE))]),
    '',
    `${t.sections.new} (${added.length}):`,
    ...limited(
      added,
      DIGEST_LIST_MAX,
      (f) => {
        const lastUsed = time(f.lastUsed);
        return `  - ${f.severity} ${f.kind}: ${where(f)}${f.consolePassword === true ? t.console : ''}${lastUsed === undefined ? '' : t.lastUsed(lastUsed)}`;
      },
      t.more,
      t.none,
    ),
    '',
    `${t.sections.resolved} (${resolved.length}):`,
    ...limited(
      resolved,
      DIGEST_LIST_MAX,
      (f) => `  - ${f.kind}: ${where(f)}: ${reasonText(f.resolvedBecause)}`,
      t.more,
      t.none,
    ),
    '',
    `${t.sections.bySeverity}: ${severityCounts(report.openBySeverity) || '0'}`,
    `${t.sections.byAccount}:`,
    ...limited(
      openByAccount,
      DIGEST_ACCOUNTS_MAX,
      (a) => `  - ${accountLabel(a.account.accountId, a.account)}: ${a.total} (${severityCounts(a.counts)})`,
      t.moreAccounts,
      t.none,
    ),
    ...suppressedLines(report, settings.locale, where, DIGEST_LIST_MAX),
    ...todoLines(report, settings.locale),
    ...canaryDigestLines(report, settings.locale, settings.timeZone),
    ...enforcementLines(report.enforcement, settings.locale),
    '',
    `${t.sections.gaps} (${groups.gaps.length}):`,
    ...limited(
      groups.gaps,
      DIGEST_LIST_MAX,
      (g: GapWithFailure) =>
        `  - ${accountLabel(g.accountId, g)}: ${t.gap(g)}${g.failedBecause === undefined ? '' : x.failedToo(oneLine(x.reason(g.failedBecause), MAX_QUOTE))}`,
      t.more,
      t.none,
    ),
    ...(groups.pending.length === 0
      ? []
      : [
          '',
          `${x.pendingSection} (${groups.pending.length}):`,
          ...limited(
            groups.pending,
            DIGEST_LIST_MAX,
            (a) => `  - ${accountLabel(a.accountId, a)}: ${oneLine(x.reason(a.reason ?? '-'), MAX_QUOTE)}`,
            t.more,
            t.none,
          ),
        ]),
    '',
    `${t.sections.failures} (${failures.length}):`,
    ...limited(
      failures,
      DIGEST_LIST_MAX,
      (a) => `  - ${accountLabel(a.accountId, a)}: ${oneLine(x.reason(a.reason ?? '-'), MAX_QUOTE)}`,
      t.more,
      t.none,
    ),
    ...(report.skipped.length === 0
      ? []
      : [
          '',
          `${t.sections.skipped} (${report.skipped.length}):`,
          ...limited(
            report.skipped,
            DIGEST_LIST_MAX,
            (s) => `  - ${s.accountId} (${oneLine(s.state, 32)})`,
            t.more,
            t.none,
          ),
        ]),
    '',
    `${t.sections.report}: ${s3ConsoleLink(settings.partition, settings.region, settings.bucket, settings.reportCsvKey)}`,
    `${t.jsonReport}: s3://${settings.bucket}/${settings.reportJsonKey}`,
  ];
  const link = `${t.sections.report}: s3://${settings.bucket}/${settings.reportCsvKey}`;
  return {
    subject: subjectOf(report),
    body: boundBody(lines.join('\n'), MAX_DIGEST_BYTES, link),
    attributes: { severity: digestSeverity(report), finding: 'SWEEP_DIGEST' },
  };
}
