/** The digest's texts, in English and Korean. Pure. */
import { KO_SUBJECT, withParticle } from '../core/korean-particles';
import type { AlertLocale } from '../contract/contract';
import type { ResolutionReason } from '../contract/findings';
import type { CoverageGap, SweepReport } from './aggregate';
import { oneLine } from './results';

/** Longest untrusted text (reason, name) quoted in one line. */
export const MAX_QUOTE = 200;

/** The digest's own texts in one locale (digest-extra.ts has the texts of the parts it adds). */
export interface DigestTexts {
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

const EN: DigestTexts = {
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

const KO: DigestTexts = {
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

/** The texts in `locale`. */
export function digestTexts(locale: AlertLocale): DigestTexts {
  return locale === 'ko' ? KO : EN;
}
