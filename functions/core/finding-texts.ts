/**
 * What a finding is and what to do about it, in each alert locale: one source for the e-mail alert
 * (functions/checker/format.ts), the Security Hub finding (functions/core/asff.ts) and any other channel.
 * Pure, no dependencies beyond the shared contract.
 */
import type { AlertLocale } from '../contract/contract';
import { EXEMPT_TAG_KEY } from '../contract/exemption';
import type { Finding } from './judge';
import { KO_SUBJECT, withParticle } from './korean-particles';

/**
 * What a text describes: an alert finding (`NO_MFA_CONSOLE`, `ROOT_NO_MFA`...) or an account-level
 * finding kind of the sweep (`ACCOUNT_NOT_COVERED`, `FORWARDING_BROKEN`, `ROLLOUT_FAILED`,
 * `REALTIME_PATH_BROKEN`).
 */
export type TextTopic =
  Finding | 'ACCOUNT_NOT_COVERED' | 'FORWARDING_BROKEN' | 'ROLLOUT_FAILED' | 'REALTIME_PATH_BROKEN';

/** The localized texts of one topic. */
export interface FindingText {
  /** One sentence: who (`"alice"` or `root`) in which account (id and alias) has what problem. */
  readonly headline: (who: string, account: string) => string;
  /** What to do, in order (the alert's numbered "What to do" list). */
  readonly todo: readonly string[];
}

/** What a text may say beyond the topic: the `--user-name` argument of a command, when a check is due. */
interface TextVariables {
  /** `--user-name <name>`: the suggested command names the user, so it can be run as written. */
  readonly user: string;
  /** When the MFA check is due, already formatted (USER_CREATED only). */
  readonly dueText: string;
}

/**
 * The texts of every topic in every locale: one entry per topic (a new finding kind is one new entry;
 * the type makes a missing topic or locale a compile error).
 */
const FINDING_TEXTS: Readonly<
  Record<TextTopic, (variables: TextVariables) => Readonly<Record<AlertLocale, FindingText>>>
> = {
  NO_MFA_CONSOLE: ({ user }) => ({
    en: {
      headline: (who, acct) => `IAM user ${who} in account ${acct} has a console password and no MFA.`,
      todo: [
        `Ask the user's owner to enable MFA now, or delete the console password until they do (aws iam delete-login-profile ${user}).`,
        "If nobody expected this user, treat it as a possible compromise: deactivate its credentials and review the creator's CloudTrail activity.",
      ],
    },
    ko: {
      headline: (who, acct) => `계정 ${acct}의 IAM 사용자 ${who}에게 콘솔 비밀번호가 있지만 MFA가 없습니다.`,
      todo: [
        `사용자 소유자에게 즉시 MFA를 활성화하도록 요청하거나, 활성화할 때까지 콘솔 비밀번호를 삭제하십시오 (aws iam delete-login-profile ${user}).`,
        '예상하지 못한 사용자라면 침해 가능성으로 간주하고 자격 증명을 비활성화한 뒤 생성자의 CloudTrail 기록을 검토하십시오.',
      ],
    },
  }),
  NO_MFA_NO_CONSOLE: () => ({
    en: {
      headline: (who, acct) => `IAM user ${who} in account ${acct} has no MFA (and no console password).`,
      todo: [
        'If this is a programmatic-only user, replace it with an IAM role or require MFA for sensitive actions.',
        'If it is an approved exception, add an exemption (docs/operations.md).',
      ],
    },
    ko: {
      headline: (who, acct) => `계정 ${acct}의 IAM 사용자 ${who}에게 MFA가 없습니다 (콘솔 비밀번호 없음).`,
      todo: [
        '프로그래밍 방식 전용 사용자라면 IAM 역할로 대체하거나 민감한 작업에 MFA를 요구하십시오.',
        '승인된 예외라면 예외를 등록하십시오 (docs/operations.md).',
      ],
    },
  }),
  ROOT_NO_MFA: () => ({
    en: {
      headline: (_who, acct) =>
        `The root user of account ${acct} has a password and no MFA (read from IAM just now).`,
      todo: [
        'Confirm with the account owner at once and enable root MFA.',
        'If the root password is not needed, delete it through centralized root access.',
        'If the change was not expected, treat it as a root credential compromise: change the root password and review CloudTrail.',
      ],
    },
    ko: {
      headline: (_who, acct) =>
        `계정 ${acct}: 루트 사용자에게 비밀번호가 있지만 MFA가 없습니다 (IAM에서 확인함).`,
      todo: [
        '계정 소유자에게 즉시 확인하고 루트 MFA를 활성화하십시오.',
        '루트 비밀번호가 필요하지 않다면 중앙 집중식 루트 액세스로 삭제하십시오.',
        '예상하지 못한 변경이라면 루트 자격 증명 침해로 간주하십시오: 루트 비밀번호를 변경하고 CloudTrail을 검토하십시오.',
      ],
    },
  }),
  ROOT_PASSWORD_CREATED: () => ({
    en: {
      headline: (_who, acct) =>
        `A root user password was created in account ${acct}, and the root user's MFA state could not be read.`,
      todo: [
        'Confirm with the account owner at once and verify in the console that root MFA is enabled.',
        'Check that the role org-mfa-watch-check works in this account (docs/operations.md).',
      ],
    },
    ko: {
      headline: (_who, acct) =>
        `계정 ${acct}에서 루트 사용자 비밀번호가 생성되었고, 루트 MFA 상태를 읽지 못했습니다.`,
      todo: [
        '계정 소유자에게 즉시 확인하고 루트 MFA가 활성화되어 있는지 콘솔에서 확인하십시오.',
        '점검 역할(org-mfa-watch-check)이 이 계정에서 동작하는지 확인하십시오 (docs/operations.md).',
      ],
    },
  }),
  TAG_EXEMPTED: ({ user }) => ({
    en: {
      headline: (who, acct) =>
        `IAM user ${who} in account ${acct} has no MFA and was not alerted on because of its exemption tag.`,
      todo: [
        'Confirm that this exemption was approved: whoever created the user may have set the tag.',
        `If it was not, remove the tag (aws iam untag-user ${user} --tag-keys ${EXEMPT_TAG_KEY}) and review the creator's CloudTrail activity.`,
      ],
    },
    ko: {
      headline: (who, acct) =>
        `계정 ${acct}의 IAM 사용자 ${who}에게 MFA가 없지만 예외 태그 때문에 경고하지 않았습니다.`,
      todo: [
        '이 예외가 승인된 것인지 확인하십시오. 태그는 사용자를 만든 사람이 직접 붙일 수 있습니다.',
        `승인되지 않았다면 태그를 삭제하고 (aws iam untag-user ${user} --tag-keys ${EXEMPT_TAG_KEY}) 생성자의 CloudTrail 기록을 검토하십시오.`,
      ],
    },
  }),
  ROOT_MFA_REMOVED: () => ({
    en: {
      headline: (_who, acct) =>
        `An MFA device of the root user was removed in account ${acct}, and the root user's MFA state could not be read.`,
      todo: [
        'Confirm with the account owner at once and re-enable root MFA.',
        'If the change was not expected, treat it as a root credential compromise: change the root password and review CloudTrail.',
      ],
    },
    ko: {
      headline: (_who, acct) =>
        `계정 ${acct}에서 루트 사용자의 MFA 디바이스가 제거되었고, 루트 MFA 상태를 읽지 못했습니다.`,
      todo: [
        '계정 소유자에게 즉시 확인하고 루트 MFA를 다시 활성화하십시오.',
        '예상하지 못한 변경이라면 루트 자격 증명 침해로 간주하십시오: 루트 비밀번호를 변경하고 CloudTrail을 검토하십시오.',
      ],
    },
  }),
  CHECK_FAILED: () => ({
    en: {
      headline: (who, acct) => `The MFA check of IAM user ${who} in account ${acct} failed.`,
      todo: [
        'Check that the role org-mfa-watch-check exists in this account and trusts the checker role (StackSet instance status).',
        'After fixing the cause, redrive the event from the on-failure queue (docs/operations.md).',
      ],
    },
    ko: {
      headline: (who, acct) => `계정 ${acct}의 IAM 사용자 ${who}에 대한 MFA 점검에 실패했습니다.`,
      todo: [
        '이 계정에 org-mfa-watch-check 역할이 있고 검사 함수 역할을 신뢰하는지 확인하십시오 (StackSet 인스턴스 상태).',
        '원인을 해결한 뒤 실패 대기열의 이벤트를 다시 처리하십시오 (docs/operations.md).',
      ],
    },
  }),
  USER_CREATED: ({ dueText }) => ({
    en: {
      headline: (who, acct) => `IAM user ${who} was created in account ${acct}.`,
      todo: [`No action needed now. MFA will be checked at ${dueText}.`],
    },
    ko: {
      headline: (who, acct) => `계정 ${acct}에 IAM 사용자 ${withParticle(who, KO_SUBJECT)} 생성되었습니다.`,
      todo: [`지금은 조치가 필요하지 않습니다. ${dueText}에 MFA를 점검합니다.`],
    },
  }),
  ACCOUNT_NOT_COVERED: () => ({
    en: {
      headline: (_who, acct) =>
        `Account ${acct} cannot be checked for MFA: the role org-mfa-watch-check cannot be assumed there.`,
      todo: [
        'Check that the account is in a rollout OU and that its StackSet instance is CURRENT (docs/operations.md).',
        'If the role was deleted or changed, redeploy the StackSet instance and find who changed it in CloudTrail.',
      ],
    },
    ko: {
      headline: (_who, acct) =>
        `계정 ${acct}에서 점검 역할(org-mfa-watch-check)을 사용할 수 없어 MFA를 점검할 수 없습니다.`,
      todo: [
        '이 계정이 롤아웃 OU에 있고 StackSet 인스턴스가 CURRENT인지 확인하십시오 (docs/operations.md).',
        '역할이 삭제되었거나 변경되었다면 StackSet 인스턴스를 다시 배포하고 변경한 사람을 CloudTrail에서 확인하십시오.',
      ],
    },
  }),
  FORWARDING_BROKEN: () => ({
    en: {
      headline: (_who, acct) =>
        `The forward rule org-mfa-watch-forward of account ${acct} is missing or disabled: IAM changes there are not checked as they happen.`,
      todo: [
        'Restore the rule by redeploying the StackSet instance (docs/operations.md).',
        'Find who changed the rule in CloudTrail. Until it is fixed, the daily sweep still checks this account.',
      ],
    },
    ko: {
      headline: (_who, acct) =>
        `계정 ${acct}의 전달 규칙(org-mfa-watch-forward)이 없거나 비활성화되어 IAM 변경이 실시간으로 점검되지 않습니다.`,
      todo: [
        'StackSet 인스턴스를 다시 배포하여 규칙을 복구하십시오 (docs/operations.md).',
        '누가 규칙을 변경했는지 CloudTrail에서 확인하십시오. 그동안 일일 점검이 이 계정을 계속 점검합니다.',
      ],
    },
  }),
  ROLLOUT_FAILED: () => ({
    en: {
      headline: (_who, acct) =>
        `The StackSet instance (org-mfa-watch-member) of account ${acct} failed to deploy: the watch resources there are missing or out of date.`,
      todo: [
        "Read the instance's status reason in the StackSet console and fix its cause (an SCP, a name clash, a quota) (docs/operations.md).",
        'Then redeploy the StackSet instance to this account; the next sweep resolves the finding.',
      ],
    },
    ko: {
      headline: (_who, acct) =>
        `계정 ${acct}의 StackSet 인스턴스(org-mfa-watch-member) 배포가 실패했습니다: 이 계정의 감시 리소스가 없거나 오래되었습니다.`,
      todo: [
        'StackSet 콘솔에서 이 계정 인스턴스의 상태 사유를 확인하고 원인(SCP, 이름 충돌, 할당량)을 고치십시오 (docs/operations.md).',
        '원인을 고친 뒤 이 계정에 대해 StackSet 인스턴스를 다시 배포하십시오. 다음 점검이 발견 항목을 해결합니다.',
      ],
    },
  }),
  REALTIME_PATH_BROKEN: () => ({
    en: {
      headline: (_who, acct) =>
        `The canary of account ${acct} did not arrive in two consecutive sweeps: IAM changes there may not be checked as they happen.`,
      todo: [
        'Check that a CloudTrail trail logging management events is on in us-east-1 (multi-Region, or in us-east-1) (docs/operations.md).',
        'Check the forward rule org-mfa-watch-forward, its role, the central bus policy and key, and the dead-letter queue org-mfa-watch-forward-dlq. Until it is fixed, the daily sweep still checks this account.',
      ],
    },
    ko: {
      headline: (_who, acct) =>
        `계정 ${acct}의 카나리아 이벤트가 연속 두 번의 점검에서 도착하지 않았습니다: 이 계정의 IAM 변경이 실시간으로 점검되지 않을 수 있습니다.`,
      todo: [
        'us-east-1에서 관리 이벤트를 기록하는 CloudTrail 추적이 로깅 중인지 확인하십시오 (다중 리전 또는 us-east-1 포함) (docs/operations.md).',
        '전달 규칙(org-mfa-watch-forward), 그 역할, 중앙 버스 정책과 키, 배달 못한 편지 대기열(org-mfa-watch-forward-dlq)을 확인하십시오. 그동안 일일 점검이 이 계정을 계속 점검합니다.',
      ],
    },
  }),
};

/**
 * The headline and the steps to take for `topic` in `locale`. `dueText` (USER_CREATED only) is when the
 * MFA check is due, already formatted. Pure.
 */
export function findingText(
  topic: TextTopic,
  locale: AlertLocale,
  dueText = '',
  userName?: string,
): FindingText {
  // The suggested command names the user, so it can be run as written (in the member account).
  const user = `--user-name ${userName ?? '<user>'}`;
  return FINDING_TEXTS[topic]({ user, dueText })[locale];
}

/**
 * AWS documentation on fixing each topic: the Security Hub finding's `Remediation.Recommendation.Url`.
 * docs.aws.amazon.com serves every partition's readers.
 */
export const REMEDIATION_URLS: Readonly<Record<TextTopic, string>> = {
  NO_MFA_CONSOLE: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html',
  NO_MFA_NO_CONSOLE: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html',
  ROOT_NO_MFA: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html',
  ROOT_MFA_REMOVED: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html',
  ROOT_PASSWORD_CREATED: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html',
  TAG_EXEMPTED: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html',
  CHECK_FAILED: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_roles.html',
  USER_CREATED: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa.html',
  ACCOUNT_NOT_COVERED:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html',
  FORWARDING_BROKEN: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html',
  ROLLOUT_FAILED:
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-troubleshooting.html',
  REALTIME_PATH_BROKEN:
    'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html',
};
