/**
 * One line per finding kind saying what to do, in each alert locale: the digest's sections and the
 * storm guard's aggregated alert use it. No repository paths: a reader of an e-mail has no checkout, so
 * the runbook is named by its section. Pure.
 */
import type { AlertLocale } from '../contract/contract';
import type { FindingKind } from '../contract/findings';

const EN: Readonly<Record<FindingKind, string>> = {
  USER_NO_MFA:
    "Ask each user's owner to enable MFA (or remove the console password until they do); delete unused users; accept an approved exception until a date (npm run findings -- suppress).",
  ROOT_NO_MFA:
    'Enable root MFA with the account owner, or delete the root password through centralized root access.',
  ACCOUNT_NOT_COVERED:
    "The check role cannot be assumed: if the account's StackSet instance is CURRENT, treat it as tampering, review CloudTrail, and redeploy the instance.",
  FORWARDING_BROKEN:
    "Redeploy the account's StackSet instance to restore the forward rule, and find in CloudTrail who changed it.",
  ROLLOUT_FAILED:
    "Read the instance's status reason in the StackSet console, fix its cause (an SCP, a name clash, a quota), then redeploy the instance to the account.",
  REALTIME_PATH_BROKEN:
    "No canary arrived in two sweeps: check the account's CloudTrail trail in us-east-1, the forward rule, its role and dead-letter queue, and the central bus policy (runbook: REALTIME_PATH_BROKEN).",
};

const KO: Readonly<Record<FindingKind, string>> = {
  USER_NO_MFA:
    '각 사용자 소유자에게 MFA 활성화를 요청하거나 그때까지 콘솔 비밀번호를 삭제하고, 사용하지 않는 사용자는 삭제하십시오. 승인된 예외는 기한을 정해 수락할 수 있습니다 (npm run findings -- suppress).',
  ROOT_NO_MFA:
    '계정 소유자와 함께 루트 MFA를 활성화하거나, 중앙 집중식 루트 액세스로 루트 비밀번호를 삭제하십시오.',
  ACCOUNT_NOT_COVERED:
    '점검 역할을 맡을 수 없습니다: 계정의 StackSet 인스턴스가 CURRENT라면 변조로 간주하여 CloudTrail을 검토하고 인스턴스를 다시 배포하십시오.',
  FORWARDING_BROKEN:
    '계정의 StackSet 인스턴스를 다시 배포하여 전달 규칙을 복구하고, 누가 변경했는지 CloudTrail에서 확인하십시오.',
  ROLLOUT_FAILED:
    'StackSet 콘솔에서 인스턴스의 상태 사유를 확인하고 원인(SCP, 이름 충돌, 할당량)을 고친 뒤 인스턴스를 다시 배포하십시오.',
  REALTIME_PATH_BROKEN:
    '두 번의 점검에서 카나리아가 도착하지 않았습니다: 계정의 us-east-1 CloudTrail 추적, 전달 규칙과 그 역할 및 배달 못한 편지 대기열, 중앙 버스 정책을 확인하십시오 (운영 가이드: REALTIME_PATH_BROKEN).',
};

/** What to do about findings of `kind`, in one line. Pure. */
export function kindAdvice(kind: FindingKind, locale: AlertLocale): string {
  return (locale === 'ko' ? KO : EN)[kind];
}
