/**
 * The checker's own messages: the alert of one IAM event's check and the resolution notice of a finding
 * it closed, as message parts (core/message-parts.ts) and as the plain-text email. Pure.
 */
import type { AlertLocale } from '../contract/contract';
import type { AlertNote, Finding, Severity } from '../core/judge';
import { consoleLinkFor } from '../core/console-link';
import { findingText } from '../core/finding-texts';
import {
  emailMessage,
  type AlertMessage,
  type FormatSettings,
  type MessageParts,
} from '../core/message-parts';
import { MAX_SUBJECT_LENGTH, asciiOnly, consoleHost, utcAndZoned, wallClock } from '../core/message-text';
import { EXEMPT_TAG_KEY, EXEMPT_UNTIL_TAG_KEY } from '../contract/exemption';
import type { ParsedEvent } from './parse-event';

/** Everything one SNS message says. */
export interface AlertInput {
  readonly finding: Finding;
  readonly severity: Severity;
  readonly event: ParsedEvent;
  /** The IAM user concerned; undefined for the root user. */
  readonly userName?: string;
  readonly accountAlias?: string;
  /** What the alert must add: an exemption that did not apply, a tag that did, a failed root read. */
  readonly note?: AlertNote;
  /** CHECK_FAILED: what failed. */
  readonly failure?: string;
  /** USER_CREATED: when the MFA check is due. */
  readonly checkDueAt?: Date;
  /** True when this alert comes from a scheduled re-check after the grace period. */
  readonly afterGracePeriod?: boolean;
  /**
   * The finding this alert opens, reopens or escalates in the finding store; absent when the alert is
   * not a finding (a notice, a failed check) or the store could not be reached.
   */
  readonly record?: FindingRecord;
}

/** A finding of the finding store, as alerts show it. */
export interface FindingRecord {
  /** Stable id (`f-...`), also a message attribute: alert, reminders and resolution share it. */
  readonly findingId: string;
  /** When the finding was first opened. */
  readonly firstSeen: Date;
}

/** Why a finding was resolved, as the checker sees it. */
export type ResolutionCause = 'mfa-enabled' | 'console-removed' | 'deleted' | 'exempted';

/** Everything one resolution notice says. */
export interface ResolutionInput {
  /** The event whose check found the problem fixed. */
  readonly event: ParsedEvent;
  /** The finding that was open (e.g. `NO_MFA_CONSOLE`, `ROOT_NO_MFA`). */
  readonly finding: Finding;
  /** The IAM user; undefined for the root user. */
  readonly userName?: string;
  readonly accountAlias?: string;
  readonly record: FindingRecord;
  readonly cause: ResolutionCause;
  /** How long the finding was open, in milliseconds. */
  readonly openForMs: number;
}

/** Subject: `[org-mfa-watch] SEVERITY: what (account)`, shortening the user name to fit. */
function subjectFor(input: AlertInput): string {
  const account = input.event.accountId;
  const render = (user: string): string => {
    switch (input.finding) {
      case 'NO_MFA_CONSOLE':
        return `IAM user ${user} has console access, no MFA (${account})`;
      case 'NO_MFA_NO_CONSOLE':
        return `IAM user ${user} has no MFA (${account})`;
      case 'ROOT_NO_MFA':
        return `root user has a password and no MFA (${account})`;
      case 'ROOT_MFA_REMOVED':
        return `root user MFA removed (${account})`;
      case 'ROOT_PASSWORD_CREATED':
        return `root user password created (${account})`;
      case 'TAG_EXEMPTED':
        return `IAM user ${user} without MFA exempted by tag (${account})`;
      case 'CHECK_FAILED':
        return `MFA check failed for ${user} (${account})`;
      case 'USER_CREATED':
        return `IAM user ${user} created (${account})`;
    }
  };
  const prefix = `[org-mfa-watch] ${input.severity}: `;
  const user = asciiOnly(input.userName ?? 'root');
  let subject = prefix + render(user);
  if (subject.length > MAX_SUBJECT_LENGTH) {
    const room = Math.max(4, user.length - (subject.length - MAX_SUBJECT_LENGTH) - 3);
    subject = prefix + render(`${user.slice(0, room)}...`);
  }
  return asciiOnly(subject).slice(0, MAX_SUBJECT_LENGTH);
}

function consoleLink(input: AlertInput, partition: string): string {
  const host = consoleHost(partition);
  return input.userName === undefined
    ? `https://${host}/iam/home#/security_credentials`
    : `https://${host}/iam/home#/users/details/${encodeURIComponent(input.userName)}`;
}

interface Texts {
  headline: (who: string, account: string) => string;
  labels: Record<
    | 'severity'
    | 'finding'
    | 'event'
    | 'actor'
    | 'invokedBy'
    | 'ip'
    | 'agent'
    | 'time'
    | 'todo'
    | 'note'
    | 'due'
    | 'failure'
    | 'findingId'
    | 'firstSeen',
    string
  >;
  afterGrace: string;
  todo: readonly string[];
}

function texts(locale: AlertLocale, input: AlertInput, dueText: string): Texts {
  const ko = locale === 'ko';
  const labels = ko
    ? {
        severity: '심각도',
        finding: '결과',
        event: '이벤트',
        actor: '요청자',
        invokedBy: '호출 서비스',
        ip: '소스 IP',
        agent: '사용자 에이전트',
        time: '이벤트 시각',
        todo: '조치 사항',
        note: '참고',
        due: 'MFA 점검 예정',
        failure: '실패 원인',
        findingId: '발견 항목 ID',
        firstSeen: '최초 발견',
      }
    : {
        severity: 'Severity',
        finding: 'Finding',
        event: 'Event',
        actor: 'Requested by',
        invokedBy: 'Invoked by',
        ip: 'Source IP',
        agent: 'User agent',
        time: 'Event time',
        todo: 'What to do',
        note: 'Note',
        due: 'MFA check due',
        failure: 'Failure',
        findingId: 'Finding id',
        firstSeen: 'First seen',
      };
  const afterGrace = ko
    ? '유예 기간이 지난 뒤에도 MFA가 없습니다.'
    : 'The grace period has passed and the user still has no MFA.';
  return { labels, afterGrace, ...findingText(input.finding, locale, dueText, input.userName) };
}

/** One localized line for an alert note. */
function noteText(note: AlertNote, ko: boolean): string {
  switch (note.kind) {
    case 'exemption-expired': {
      const where = note.source === 'config' ? (ko ? '설정' : 'configuration') : ko ? '태그' : 'tag';
      return ko
        ? `${where} 예외가 ${note.expires}에 만료되었습니다 (${note.reason}).`
        : `the ${where} exemption expired on ${note.expires} (${note.reason}).`;
    }
    case 'tag-invalid': {
      const p = note.problem;
      if (p.problem === 'until-without-reason') {
        return ko
          ? `태그 ${EXEMPT_UNTIL_TAG_KEY}는 ${EXEMPT_TAG_KEY} 없이 무시됩니다.`
          : `tag ${EXEMPT_UNTIL_TAG_KEY} is ignored without ${EXEMPT_TAG_KEY}.`;
      }
      if (p.problem === 'empty-reason') {
        return ko
          ? `태그 ${EXEMPT_TAG_KEY}의 사유가 비어 있어 무시되었습니다.`
          : `tag ${EXEMPT_TAG_KEY} has an empty reason and was ignored.`;
      }
      return ko
        ? `태그 ${EXEMPT_UNTIL_TAG_KEY} 값 "${p.value}"는 날짜(YYYY-MM-DD)가 아니어서 예외가 무시되었습니다.`
        : `tag ${EXEMPT_UNTIL_TAG_KEY} is "${p.value}", not a date YYYY-MM-DD: the exemption was ignored.`;
    }
    case 'tag-untrusted':
      return ko
        ? `예외 태그 ${EXEMPT_TAG_KEY}="${note.value}"는 무시되었습니다: 이 배포는 태그 예외를 신뢰하지 않습니다 (사용자를 만든 사람이 태그를 붙일 수 있음).`
        : `exemption tag ${EXEMPT_TAG_KEY}="${note.value}" was ignored: this deployment does not trust exemption tags (whoever creates a user can usually tag it).`;
    case 'tag-trusted':
      return ko
        ? `예외 태그 ${EXEMPT_TAG_KEY}="${note.value}"${note.expires === undefined ? '' : ` (${note.expires}까지)`}가 적용되었습니다.`
        : `exemption tag ${EXEMPT_TAG_KEY}="${note.value}"${note.expires === undefined ? '' : ` (until ${note.expires})`} applied.`;
    case 'root-read-failed':
      return ko
        ? `루트 사용자 상태(iam:GetAccountSummary)를 읽지 못해 이벤트만으로 판단했습니다: ${note.error}`
        : `the root user's state (iam:GetAccountSummary) could not be read, so this alert is based on the event alone: ${note.error}`;
    case 'renamed':
      return ko
        ? `이 사용자는 ${note.previousUserName}에서 이름이 바뀌었습니다.`
        : `this user was renamed from ${note.previousUserName}.`;
  }
}

/** The parts of one alert: ASCII subject, localized sentences and facts, steps, console link. Pure. */
export function alertParts(input: AlertInput, settings: FormatSettings): MessageParts {
  const { event } = input;
  const dueText =
    input.checkDueAt === undefined
      ? ''
      : `${wallClock(input.checkDueAt, settings.timeZone)} (${settings.timeZone})`;
  const t = texts(settings.locale, input, dueText);
  const who = input.userName === undefined ? 'root' : `"${input.userName}"`;
  const account =
    input.accountAlias === undefined ? event.accountId : `${event.accountId} (${input.accountAlias})`;
  const l = t.labels;
  const facts: [string, string][] = [
    [l.severity, input.severity],
    [l.finding, input.finding],
    [l.event, `${event.eventName} (${event.eventId ?? event.id})`],
    [l.actor, `${event.actor.arn} [${event.actor.type}]`],
    ...(event.actor.invokedBy === undefined
      ? []
      : [[l.invokedBy, event.actor.invokedBy] as [string, string]]),
    [l.ip, event.sourceIp],
    [l.agent, event.userAgent],
    [l.time, utcAndZoned(event.eventTime, settings.timeZone)],
    ...(dueText === '' ? [] : [[l.due, dueText] as [string, string]]),
    ...(input.failure === undefined ? [] : [[l.failure, input.failure] as [string, string]]),
    ...(input.record === undefined
      ? []
      : [
          [l.findingId, input.record.findingId] as [string, string],
          [l.firstSeen, utcAndZoned(input.record.firstSeen, settings.timeZone)] as [string, string],
        ]),
    ...(input.note === undefined
      ? []
      : [[l.note, noteText(input.note, settings.locale === 'ko')] as [string, string]]),
  ];
  return {
    subject: subjectFor(input),
    headline: t.headline(who, account),
    context: input.afterGracePeriod ? [t.afterGrace] : [],
    facts,
    todoLabel: l.todo,
    todo: t.todo,
    console: consoleLinkFor(
      settings.locale,
      event.accountId,
      consoleLink(input, settings.partition),
      settings.consoleAccess,
    ),
    attributes: {
      severity: input.severity,
      accountId: event.accountId,
      eventName: event.eventName,
      finding: input.finding,
      ...(input.record === undefined ? {} : { findingId: input.record.findingId, findingState: 'OPEN' }),
    },
  };
}

/** Render one alert: ASCII subject, localized body with both times and a console link, attributes. Pure. */
export function formatAlert(input: AlertInput, settings: FormatSettings): AlertMessage {
  return emailMessage(alertParts(input, settings));
}

/** `3 d 4 h 5 min` (or `3일 4시간 5분`): how long a finding was open. Pure. */
export function formatDuration(ms: number, locale: AlertLocale): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const ko = locale === 'ko';
  const parts = [
    ...(days > 0 ? [ko ? `${days}일` : `${days} d`] : []),
    ...(hours > 0 ? [ko ? `${hours}시간` : `${hours} h`] : []),
    ...(mins > 0 || (days === 0 && hours === 0) ? [ko ? `${mins}분` : `${mins} min`] : []),
  ];
  return parts.join(' ');
}

function resolutionTexts(cause: ResolutionCause, ko: boolean): { subject: string; headline: string } {
  switch (cause) {
    case 'mfa-enabled':
      return { subject: 'has MFA now', headline: ko ? 'MFA가 활성화되었습니다' : 'has MFA now' };
    case 'console-removed':
      return {
        subject: 'has no password now',
        headline: ko
          ? '비밀번호가 삭제되어 로그인할 수 없습니다'
          : 'has no password any more and cannot sign in',
      };
    case 'deleted':
      return { subject: 'was deleted', headline: ko ? '삭제되었습니다' : 'was deleted' };
    case 'exempted':
      return {
        subject: 'is exempt now',
        headline: ko ? '승인된 예외가 적용되었습니다' : 'is covered by an approved exemption now',
      };
  }
}

/**
 * The parts of a resolution notice: the finding that was open is fixed. Severity INFO with the attribute
 * `findingState` = `RESOLVED` (ADR 0009), the same `finding` and `findingId` as the alert that opened
 * it, and how long it was open. Pure.
 */
export function resolutionParts(input: ResolutionInput, settings: FormatSettings): MessageParts {
  const ko = settings.locale === 'ko';
  const { event } = input;
  const who =
    input.userName === undefined
      ? ko
        ? '루트 사용자'
        : 'The root user'
      : ko
        ? `IAM 사용자 "${input.userName}"`
        : `IAM user "${input.userName}"`;
  const account =
    input.accountAlias === undefined ? event.accountId : `${event.accountId} (${input.accountAlias})`;
  const texts = resolutionTexts(input.cause, ko);
  const openFor = formatDuration(input.openForMs, settings.locale);
  const headline = ko
    ? `해결됨: 계정 ${account}의 ${who}: ${texts.headline} (${openFor} 동안 열려 있었음).`
    : `Resolved: ${who} in account ${account} ${texts.headline} (open for ${openFor}).`;
  const first = input.record.firstSeen;
  const subjectWho = input.userName === undefined ? 'root user' : `IAM user ${asciiOnly(input.userName)}`;
  let subject = `[org-mfa-watch] RESOLVED: ${subjectWho} ${texts.subject} (${event.accountId})`;
  if (subject.length > MAX_SUBJECT_LENGTH) {
    subject = `[org-mfa-watch] RESOLVED: ${input.record.findingId} ${texts.subject} (${event.accountId})`;
  }
  return {
    subject: asciiOnly(subject).slice(0, MAX_SUBJECT_LENGTH),
    headline,
    context: [],
    facts: [
      [ko ? '결과' : 'Finding', input.finding],
      [ko ? '발견 항목 ID' : 'Finding id', input.record.findingId],
      [ko ? '최초 발견' : 'First seen', utcAndZoned(first, settings.timeZone)],
      [ko ? '열린 기간' : 'Open for', openFor],
      [ko ? '이벤트' : 'Event', `${event.eventName} (${event.eventId ?? event.id})`],
      [ko ? '요청자' : 'Requested by', `${event.actor.arn} [${event.actor.type}]`],
      [ko ? '이벤트 시각' : 'Event time', utcAndZoned(event.eventTime, settings.timeZone)],
    ],
    todoLabel: ko ? '조치 사항' : 'What to do',
    todo: [],
    closing: ko ? '조치 사항: 없음. 이 항목은 닫혔습니다.' : 'What to do: nothing. This finding is closed.',
    attributes: {
      severity: 'INFO',
      accountId: event.accountId,
      eventName: event.eventName,
      finding: input.finding,
      findingId: input.record.findingId,
      findingState: 'RESOLVED',
    },
  };
}

/** Render a resolution notice (see {@link resolutionParts}) as subject, plain-text body and attributes. Pure. */
export function formatResolution(input: ResolutionInput, settings: FormatSettings): AlertMessage {
  return emailMessage(resolutionParts(input, settings));
}
