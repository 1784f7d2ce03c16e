/**
 * The `REALTIME_PATH_BROKEN` alert (docs/adr/0021-canary.md): an account's canary did not reach the
 * checker in two consecutive sweeps. It names what the sweep knows of the path: the forward rule as the
 * worker judged it and its dead-letter queue depth when deliveries fail, the last time a canary proved the
 * path, and the sweep. The trail's status is not read by the sweep (it would take a CloudTrail call in
 * every account), so the steps say where to look. Plain-text email with the sweep alerts' attributes and
 * a chat message of the same parts. Pure.
 */
import { buildChatNotification } from '../core/chat';
import type { ChatNotification } from '../core/chat-schema';
import { MARKS, chatDescription, kebab } from '../core/chat-text';
import {
  emailMessage,
  type AlertMessage,
  type FormatSettings,
  type MessageParts,
} from '../core/message-parts';
import { accountLabel, asciiOnly, consoleHost, utcAndZoned, MAX_SUBJECT_LENGTH } from '../core/message-text';
import type { SweepForwardingFacts } from '../contract/sweep';

/** The `eventName` attribute of sweep messages (the checker's carry the IAM call's name). */
const SWEEP_EVENT_NAME = 'Sweep';
const DETAIL = 'REALTIME_PATH_BROKEN';

/** Everything the alert says. */
export interface CanaryAlertInput {
  readonly accountId: string;
  readonly accountName?: string;
  readonly accountAlias?: string;
  readonly findingId: string;
  readonly firstSeen: Date;
  readonly sweepId: string;
  /** Sweeps in a row without a canary. */
  readonly consecutiveMisses: number;
  /** ISO time the path was last proven, if it ever was. */
  readonly lastProvenAt?: string;
  /** The forward rule as this sweep's worker read it; absent when the worker did not say. */
  readonly forwarding?: SweepForwardingFacts;
}

const RUNBOOK = {
  en: 'runbook: "REALTIME_PATH_BROKEN" in the org-mfa-watch operations guide',
  ko: '운영 가이드의 "REALTIME_PATH_BROKEN" 항목 참조',
} as const;

function ruleText(forwarding: SweepForwardingFacts | undefined, ko: boolean): string {
  if (forwarding === undefined) return ko ? '알 수 없음' : 'unknown';
  switch (forwarding.rule) {
    case 'ok':
      return ko ? '정상 (활성화, 중앙 버스 대상)' : 'looks right (enabled, targets the central bus)';
    case 'unverified':
      return ko
        ? '확인하지 못함 (점검 역할이 읽을 수 없음)'
        : 'not verified (the check role could not read it)';
    default:
      return forwarding.rule;
  }
}

function queueText(forwarding: SweepForwardingFacts | undefined, ko: boolean): string {
  if (forwarding?.deadLetterMessages !== undefined) {
    return ko
      ? `이벤트 ${forwarding.deadLetterMessages}개 대기 중`
      : `${forwarding.deadLetterMessages} event(s) waiting`;
  }
  if (forwarding?.rule === 'ok') return ko ? '비어 있음 (또는 읽을 수 없음)' : 'empty (or not readable)';
  return ko ? '알 수 없음' : 'unknown';
}

/** The parts of the alert, shared by the email and the chat message. Pure. */
export function canaryAlertParts(input: CanaryAlertInput, settings: FormatSettings): MessageParts {
  const ko = settings.locale === 'ko';
  const account = accountLabel(input);
  const lastProven =
    input.lastProvenAt === undefined
      ? ko
        ? '없음'
        : 'never'
      : utcAndZoned(new Date(input.lastProvenAt), settings.timeZone);
  const subject = `[org-mfa-watch] HIGH: real-time path not proven in ${input.accountId}: canary missed ${input.consecutiveMisses} times`;
  return {
    subject: asciiOnly(subject).slice(0, MAX_SUBJECT_LENGTH),
    headline: ko
      ? `계정 ${account}의 카나리아 이벤트가 연속 ${input.consecutiveMisses}번의 점검에서 도착하지 않았습니다: 이 계정의 IAM 변경이 실시간으로 점검되지 않을 수 있습니다.`
      : `The canary of account ${account} did not arrive in ${input.consecutiveMisses} consecutive sweeps: IAM changes there may not be checked as they happen.`,
    context: [],
    facts: [
      [ko ? '심각도' : 'Severity', 'HIGH'],
      [ko ? '결과' : 'Finding', DETAIL],
      [ko ? '계정' : 'Account', account],
      [ko ? '마지막 확인' : 'Last proven', lastProven],
      [ko ? '전달 규칙' : 'Forward rule', ruleText(input.forwarding, ko)],
      [ko ? '배달 못한 편지 대기열' : 'Dead-letter queue', queueText(input.forwarding, ko)],
      [ko ? '발견 항목 ID' : 'Finding id', input.findingId],
      [ko ? '최초 발견' : 'First seen', utcAndZoned(input.firstSeen, settings.timeZone)],
      [ko ? '점검 실행' : 'Sweep', input.sweepId],
    ],
    todoLabel: ko ? '조치 사항' : 'What to do',
    todo: ko
      ? [
          `us-east-1에서 관리 이벤트를 기록하는 CloudTrail 추적이 로깅 중인지 확인하십시오 (${RUNBOOK.ko}).`,
          '전달 규칙과 그 역할, 배달 못한 편지 대기열, 중앙 버스 정책과 키를 확인하십시오. 카나리아가 도착하면 다음 점검이 발견 항목을 해결합니다.',
        ]
      : [
          `Check that a CloudTrail trail logging management events is on in us-east-1 (${RUNBOOK.en}).`,
          'Check the forward rule, its role, its dead-letter queue, and the central bus policy and key; the next sweep whose canary arrives resolves the finding.',
        ],
    console: {
      label: ko ? `콘솔 (계정 ${input.accountId}에서)` : `Console (in account ${input.accountId})`,
      url: `https://${consoleHost(settings.partition)}/cloudtrailv2/home?region=us-east-1#/trails`,
    },
    attributes: {
      severity: 'HIGH',
      accountId: input.accountId,
      eventName: SWEEP_EVENT_NAME,
      finding: DETAIL,
      findingId: input.findingId,
      findingState: 'OPEN',
    },
  };
}

/** The alert's email. Pure. */
export function formatCanaryAlert(input: CanaryAlertInput, settings: FormatSettings): AlertMessage {
  return emailMessage(canaryAlertParts(input, settings));
}

/** The alert's chat message, threaded by the finding id. Pure. */
export function chatCanaryAlert(input: CanaryAlertInput, settings: FormatSettings): ChatNotification {
  const parts = canaryAlertParts(input, settings);
  return buildChatNotification({
    id: `${input.findingId}:${kebab(DETAIL)}:sweep-${input.sweepId}`,
    title: `${MARKS.HIGH ?? ''} HIGH: ${parts.headline}`,
    description: chatDescription(parts),
    nextSteps: parts.todo,
    keywords: [
      'HIGH',
      DETAIL,
      input.accountId,
      ...(input.accountAlias === undefined ? [] : [input.accountAlias]),
    ],
    threadId: input.findingId,
    summary: parts.subject,
    eventType: `org-mfa-watch-${kebab(DETAIL)}`,
    additionalContext: {
      accountId: input.accountId,
      severity: 'HIGH',
      finding: DETAIL,
      eventName: SWEEP_EVENT_NAME,
      findingId: input.findingId,
      findingState: 'OPEN',
      sweepId: input.sweepId,
    },
  });
}
