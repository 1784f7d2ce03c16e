/**
 * Individual alerts of the sweep: a new HIGH or CRITICAL finding (MEDIUM ones go to the digest only).
 * Plain-text email through SNS with the checker's message attributes, so one subscription filter serves
 * both paths; `eventName` is `Sweep`. Pure.
 */
import { consoleLinkFor } from '../core/console-link';
import { KO_SUBJECT, withParticle } from '../core/korean-particles';
import {
  emailMessage,
  type AlertMessage,
  type FormatSettings,
  type MessageParts,
} from '../core/message-parts';
import { MAX_SUBJECT_LENGTH, accountLabel, asciiOnly, consoleHost, utcAndZoned } from '../core/message-text';
import type { FindingKind, FindingSeverity } from '../contract/findings';

/** The `eventName` attribute of sweep alerts (the checker's carry the IAM API call's name). */
export const SWEEP_EVENT_NAME = 'Sweep';

/** Everything one sweep alert says. */
export interface SweepAlertInput {
  readonly accountId: string;
  /** The account's name in Organizations. */
  readonly accountName?: string;
  readonly accountAlias?: string;
  readonly kind: FindingKind;
  /** What exactly is wrong: `NO_MFA_CONSOLE`, `ROOT_NO_MFA`, `RULE_DISABLED`... (the `finding` attribute). */
  readonly detail: string;
  readonly severity: FindingSeverity;
  /** For USER_NO_MFA. */
  readonly userName?: string;
  readonly findingId: string;
  readonly firstSeen: Date;
  readonly consolePassword?: boolean;
  /** Latest use of the password or an access key (credential report). */
  readonly lastUsed?: Date;
  readonly sweepId?: string;
  /** ACCOUNT_NOT_COVERED: the AssumeRole error; ROLLOUT_FAILED: the StackSet instance's status reason. */
  readonly reason?: string;
  /** FORWARDING_BROKEN: the rule's name and region (for the console link) and its dead-letter queue. */
  readonly rule?: {
    readonly name: string;
    readonly region: string;
    readonly deadLetterQueue?: string;
    /** The central bus the rule must target (shown beside the actual targets for WRONG_TARGET). */
    readonly expectedBusArn?: string;
    /** WRONG_TARGET: the ARNs the rule targets instead. */
    readonly actualTargetArns?: readonly string[];
  };
}

/** Where the runbook entry of each sweep finding is: named, not a repository path (a reader has no checkout). */
const RUNBOOK = {
  en: (section: string) => `runbook: "${section}" in the org-mfa-watch operations guide`,
  ko: (section: string) => `운영 가이드의 "${section}" 항목 참조`,
} as const;

interface Texts {
  readonly headline: string;
  readonly todo: readonly string[];
  readonly subject: (who: string) => string;
}

function forwardingProblem(detail: string, ko: boolean, queue: string): string {
  switch (detail) {
    case 'RULE_MISSING':
      return ko ? '전달 규칙이 없습니다' : 'the forward rule is missing';
    case 'RULE_DISABLED':
      return ko ? '전달 규칙이 비활성화되어 있습니다' : 'the forward rule is disabled';
    case 'DELIVERIES_FAILING':
      return ko
        ? `전달 실패(deliveries failing): 이벤트가 전달 규칙의 배달 못한 편지 대기열 ${queue}에 쌓여 있습니다`
        : `deliveries failing: events wait in the forward rule's dead-letter queue ${queue}`;
    default:
      return ko
        ? '전달 규칙이 중앙 이벤트 버스를 대상으로 하지 않습니다'
        : 'the forward rule does not target the central bus';
  }
}

function ruleTodo(ko: boolean): string[] {
  return ko
    ? [
        `StackSet 인스턴스를 다시 배포하여 규칙을 복구하십시오 (${RUNBOOK.ko('FORWARDING_BROKEN')}).`,
        '누가 규칙을 바꿨는지 CloudTrail에서 확인하십시오 (DeleteRule, DisableRule, RemoveTargets, PutTargets).',
      ]
    : [
        `Restore the rule by redeploying the StackSet instance (${RUNBOOK.en('FORWARDING_BROKEN')}).`,
        'Find out in CloudTrail who changed the rule (DeleteRule, DisableRule, RemoveTargets, PutTargets).',
      ];
}

function deliveryTodo(ko: boolean, queue: string): string[] {
  return ko
    ? [
        `us-east-1의 ${queue} 메시지 속성(ERROR_CODE, ERROR_MESSAGE)에서 실패 원인을 확인하십시오: 중앙 버스 정책, 전달 역할, 할당량 (${RUNBOOK.ko('FORWARDING_BROKEN')}).`,
        '원인을 고친 뒤 이벤트를 재처리하고 대기열을 비우십시오. 대기열이 비면 다음 점검에서 이 발견 사항이 해결됩니다.',
      ]
    : [
        `Read why in the message attributes (ERROR_CODE, ERROR_MESSAGE) of ${queue} in us-east-1: the central bus policy, the forward role, a quota (${RUNBOOK.en('FORWARDING_BROKEN')}).`,
        'Fix the cause, replay the events, then empty the queue: the next sweep resolves this finding once it is empty.',
      ];
}

/** Builds the texts of one finding kind. */
type TextsBuilder = (input: SweepAlertInput, account: string, ko: boolean) => Texts;

/** An IAM user without MFA: ask its owner, or retire it, or record the exception. */
function userNoMfaTexts(input: SweepAlertInput, account: string, ko: boolean): Texts {
  const user = `"${input.userName ?? ''}"`;
  return {
    subject: (who) => `sweep found IAM user ${who} without MFA (${input.accountId})`,
    headline: ko
      ? `조직 전체 점검에서 계정 ${account}의 IAM 사용자 ${withParticle(user, KO_SUBJECT)} MFA 없이 발견되었습니다 (IAM에서 방금 확인함).`
      : `The org-wide sweep found IAM user ${user} in account ${account} without MFA (confirmed in IAM just now).`,
    todo: ko
      ? [
          input.consolePassword
            ? '사용자 소유자에게 MFA를 활성화하도록 요청하거나, 그때까지 콘솔 비밀번호를 삭제하십시오.'
            : '프로그래밍 방식 전용 사용자라면 IAM 역할로 대체하거나 민감한 작업에 MFA를 요구하십시오.',
          '사용하지 않는 사용자라면 (마지막 사용 참고) 자격 증명을 비활성화하고 사용자를 삭제하십시오.',
          `승인된 예외라면 예외를 등록하거나 발견 항목을 기한부로 수락하십시오 (${RUNBOOK.ko('Accepting a finding')}).`,
        ]
      : [
          input.consolePassword
            ? "Ask the user's owner to enable MFA, or delete the console password until they do."
            : 'If the user is programmatic only, replace it with an IAM role or require MFA for sensitive actions.',
          'If nobody uses it (see "Last used"), deactivate its credentials and delete the user.',
          `If it is an approved exception, add an exemption, or accept the finding until a date (${RUNBOOK.en('Accepting a finding')}).`,
        ],
  };
}

/** A root user with a password and no MFA. */
function rootNoMfaTexts(input: SweepAlertInput, account: string, ko: boolean): Texts {
  return {
    subject: () => `sweep found root user with a password and no MFA (${input.accountId})`,
    headline: ko
      ? `조직 전체 점검 결과 계정 ${account}의 루트 사용자에게 비밀번호가 있지만 MFA가 없습니다 (IAM에서 방금 확인함).`
      : `The org-wide sweep found that the root user of account ${account} has a password and no MFA (confirmed in IAM just now).`,
    todo: ko
      ? [
          '계정 소유자에게 확인하고 루트 MFA를 활성화하십시오.',
          '루트 비밀번호가 필요하지 않다면 중앙 집중식 루트 액세스로 삭제하십시오.',
        ]
      : [
          'Confirm with the account owner and enable root MFA.',
          'If the root password is not needed, delete it through centralized root access.',
        ],
  };
}

/** An account whose check role cannot be assumed. */
function notCoveredTexts(input: SweepAlertInput, account: string, ko: boolean): Texts {
  return {
    subject: () => `account ${input.accountId} not covered: check role cannot be assumed`,
    headline: ko
      ? `계정 ${account}에서 점검 역할을 맡을 수 없습니다: 이 계정의 IAM 사용자 변경은 감시되지 않습니다.`
      : `The check role cannot be assumed in account ${account}: IAM changes in this account are not watched.`,
    todo: ko
      ? [
          '이 계정의 StackSet 인스턴스 상태를 확인하십시오 (배포 실패, 제외된 계정, 롤아웃 OU 밖의 계정).',
          '역할이 삭제되었거나 신뢰 정책이 바뀌었다면 변조로 간주하고 CloudTrail을 검토하십시오.',
        ]
      : [
          "Check the account's StackSet instance (failed deployment, excluded account, account outside the rollout OUs).",
          'If the role was deleted or its trust policy changed, treat it as tampering and review CloudTrail.',
        ],
  };
}

/** A member account's forward rule is missing, disabled, mis-targeted or failing deliveries. */
function forwardingTexts(input: SweepAlertInput, account: string, ko: boolean): Texts {
  const queue = input.rule?.deadLetterQueue ?? 'the dead-letter queue';
  return {
    subject: () => `event forwarding broken in ${input.accountId} (${input.detail})`,
    headline: ko
      ? `계정 ${account}: ${forwardingProblem(input.detail, true, queue)}. 이 계정의 IAM 이벤트가 중앙으로 전달되지 않습니다.`
      : `In account ${account}, ${forwardingProblem(input.detail, false, queue)}: its IAM events do not reach the central bus.`,
    todo: input.detail === 'DELIVERIES_FAILING' ? deliveryTodo(ko, queue) : ruleTodo(ko),
  };
}

/** An account whose StackSet instance failed to deploy. */
function rolloutTexts(input: SweepAlertInput, account: string, ko: boolean): Texts {
  return {
    subject: () => `StackSet instance failed in ${input.accountId}: account not watched`,
    headline: ko
      ? `계정 ${account}의 StackSet 인스턴스(org-mfa-watch-member) 배포가 실패했습니다: 이 계정의 감시 리소스가 없거나 오래되었습니다.`
      : `The StackSet instance (org-mfa-watch-member) of account ${account} failed to deploy: the watch resources there are missing or out of date.`,
    todo: ko
      ? [
          `StackSet 콘솔에서 이 계정 인스턴스의 상태 사유를 확인하고 원인(SCP, 이름 충돌, 할당량)을 고치십시오 (${RUNBOOK.ko('ROLLOUT_FAILED')}).`,
          '원인을 고친 뒤 이 계정에 대해 StackSet 인스턴스를 다시 배포하십시오. 다음 점검이 발견 항목을 해결합니다.',
        ]
      : [
          `Read the instance's status reason (above) and fix its cause: an SCP denying the deployment, a resource name already taken, a quota (${RUNBOOK.en('ROLLOUT_FAILED')}).`,
          'Then redeploy the StackSet instance to this account; the next sweep resolves the finding.',
        ],
  };
}

/** An account whose canary missed two sweeps in a row. */
function realtimeTexts(input: SweepAlertInput, account: string, ko: boolean): Texts {
  return {
    subject: () => `real-time path not proven in ${input.accountId}: canary missed twice`,
    headline: ko
      ? `계정 ${account}의 카나리아 이벤트가 연속 두 번의 점검에서 도착하지 않았습니다: 이 계정의 IAM 변경이 실시간으로 점검되지 않을 수 있습니다.`
      : `The canary of account ${account} did not arrive in two consecutive sweeps: IAM changes there may not be checked as they happen.`,
    todo: ko
      ? [
          `us-east-1에서 관리 이벤트를 기록하는 CloudTrail 추적이 로깅 중인지 확인하십시오 (${RUNBOOK.ko('REALTIME_PATH_BROKEN')}).`,
          '전달 규칙과 그 역할, 배달 못한 편지 대기열, 중앙 버스 정책과 키를 확인하십시오. 카나리아가 도착하면 다음 점검이 발견 항목을 해결합니다.',
        ]
      : [
          `Check that a CloudTrail trail logging management events is on in us-east-1 (${RUNBOOK.en('REALTIME_PATH_BROKEN')}).`,
          'Check the forward rule, its role, its dead-letter queue, and the central bus policy and key; the next sweep whose canary arrives resolves the finding.',
        ],
  };
}

/** The texts of each finding kind: a new kind fails to compile until it has its row. */
const TEXTS: Readonly<Record<FindingKind, TextsBuilder>> = {
  USER_NO_MFA: userNoMfaTexts,
  ROOT_NO_MFA: rootNoMfaTexts,
  ACCOUNT_NOT_COVERED: notCoveredTexts,
  FORWARDING_BROKEN: forwardingTexts,
  ROLLOUT_FAILED: rolloutTexts,
  REALTIME_PATH_BROKEN: realtimeTexts,
};

function textsFor(input: SweepAlertInput, account: string, ko: boolean): Texts {
  return TEXTS[input.kind](input, account, ko);
}

function consoleLink(input: SweepAlertInput, partition: string): string {
  const host = consoleHost(partition);
  switch (input.kind) {
    case 'USER_NO_MFA':
      return `https://${host}/iam/home#/users/details/${encodeURIComponent(input.userName ?? '')}`;
    case 'ROOT_NO_MFA':
      return `https://${host}/iam/home#/security_credentials`;
    case 'ACCOUNT_NOT_COVERED':
    case 'ROLLOUT_FAILED':
      return `https://${host}/cloudformation/home#/stacksets`;
    case 'FORWARDING_BROKEN': {
      const region = input.rule?.region ?? 'us-east-1';
      const rule = encodeURIComponent(input.rule?.name ?? '');
      return `https://${host}/events/home?region=${region}#/eventbus/default/rules/${rule}`;
    }
    case 'REALTIME_PATH_BROKEN':
      return `https://${host}/cloudtrailv2/home?region=us-east-1#/trails`;
  }
}

/** The subject: `[org-mfa-watch] SEVERITY: ...`, ASCII, under 100 characters, the user name shortened to fit. */
function subjectOf(texts: Texts, input: SweepAlertInput): string {
  const prefix = `[org-mfa-watch] ${input.severity}: `;
  const name = asciiOnly(input.userName ?? '');
  const room = MAX_SUBJECT_LENGTH - (prefix + texts.subject('')).length;
  const who = name.length <= room ? name : `${name.slice(0, Math.max(1, room - 3))}...`;
  return asciiOnly(prefix + texts.subject(who)).slice(0, MAX_SUBJECT_LENGTH);
}

/**
 * The parts of one sweep alert (subject, headline, facts, steps, console link, attributes), shared by
 * the email ({@link formatSweepAlert}) and the chat message (chat-format.ts). Pure.
 */
export function sweepAlertParts(input: SweepAlertInput, settings: FormatSettings): MessageParts {
  const ko = settings.locale === 'ko';
  const account = accountLabel(input);
  const texts = textsFor(input, account, ko);
  const yesNo = (value: boolean) => (ko ? (value ? '있음' : '없음') : value ? 'yes' : 'no');
  const never = ko ? '사용 기록 없음' : 'never (or before IAM recorded it)';
  const isUser = input.kind === 'USER_NO_MFA';
  const facts: (readonly [string, string])[] = [
    [ko ? '심각도' : 'Severity', input.severity],
    [ko ? '결과' : 'Finding', input.detail],
    [ko ? '계정' : 'Account', account],
    ...(isUser ? [[ko ? '사용자' : 'User', input.userName ?? ''] as const] : []),
    ...(isUser && input.consolePassword !== undefined
      ? [[ko ? '콘솔 비밀번호' : 'Console password', yesNo(input.consolePassword)] as const]
      : []),
    ...(isUser || input.kind === 'ROOT_NO_MFA'
      ? [
          [
            ko ? '마지막 사용' : 'Last used',
            input.lastUsed === undefined ? never : utcAndZoned(input.lastUsed, settings.timeZone),
          ] as const,
        ]
      : []),
    ...(input.reason === undefined ? [] : [[ko ? '원인' : 'Cause', input.reason] as const]),
    ...(input.rule?.actualTargetArns === undefined
      ? []
      : [
          [ko ? '기대한 대상' : 'Expected target', input.rule.expectedBusArn ?? '-'] as const,
          [
            ko ? '실제 대상' : 'Actual targets',
            input.rule.actualTargetArns.length === 0
              ? ko
                ? '없음'
                : 'none'
              : input.rule.actualTargetArns.join(', '),
          ] as const,
        ]),
    [ko ? '발견 항목 ID' : 'Finding id', input.findingId],
    [ko ? '최초 발견' : 'First seen', utcAndZoned(input.firstSeen, settings.timeZone)],
    ...(input.sweepId === undefined ? [] : [[ko ? '점검 실행' : 'Sweep', input.sweepId] as const]),
  ];
  return {
    subject: subjectOf(texts, input),
    headline: texts.headline,
    context: [],
    facts,
    todoLabel: ko ? '조치 사항' : 'What to do',
    todo: texts.todo,
    console:
      input.kind === 'ACCOUNT_NOT_COVERED'
        ? // The StackSet lives in the account that deploys it, not in the account the alert is about.
          {
            label: ko
              ? '콘솔 (StackSet을 배포하는 계정에서)'
              : 'Console (in the account that deploys the StackSet)',
            url: consoleLink(input, settings.partition),
          }
        : consoleLinkFor(
            settings.locale,
            input.accountId,
            consoleLink(input, settings.partition),
            settings.consoleAccess,
          ),
    attributes: {
      severity: input.severity,
      accountId: input.accountId,
      eventName: SWEEP_EVENT_NAME,
      finding: input.detail,
      findingId: input.findingId,
      findingState: 'OPEN',
    },
  };
}

/** Render one sweep alert: ASCII subject, localized body, the checker's message attributes. Pure. */
export function formatSweepAlert(input: SweepAlertInput, settings: FormatSettings): AlertMessage {
  return emailMessage(sweepAlertParts(input, settings));
}
