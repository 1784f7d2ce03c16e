/**
 * The notice of a release by hand (docs/adr/0022-enforcement-quarantine.md): who released whom, when,
 * why, what the user still has to do, and when the sweep may quarantine them again; as an email and a
 * chat message through the one notification path. Pure.
 */
import { buildChatNotification } from '../core/chat';
import type { ChatNotification } from '../core/chat-schema';
import { MARKS, chatDescription } from '../core/chat-text';
import type { FormatSettings, MessageParts } from '../core/message-parts';
import { MAX_SUBJECT_LENGTH, asciiOnly, utcAndZoned } from '../core/message-text';

/** The `finding` message attribute of the notice (subscription filters). */
export const RELEASE_NOTICE_FINDING = 'QUARANTINE_RELEASED';
/** The `eventName` message attribute of the notice. */
export const RELEASE_NOTICE_EVENT = 'ReleaseQuarantine';

/** What the notice says. */
export interface ReleaseNoticeInput {
  readonly findingId: string;
  readonly accountId: string;
  readonly accountAlias?: string;
  readonly userName: string;
  readonly by: string;
  readonly reason: string;
  readonly at: Date;
  /** When, by whom and why the user had been quarantined. */
  readonly quarantined: { readonly at: string; readonly by: string; readonly reason: string };
  /** Hours before the sweep may quarantine the user again. */
  readonly afterHours: number;
}

/** The notice's parts in the deployment's language. */
export function releaseNoticeParts(input: ReleaseNoticeInput, settings: FormatSettings): MessageParts {
  const account =
    input.accountAlias === undefined ? input.accountId : `${input.accountId} (${input.accountAlias})`;
  const again = new Date(input.at.getTime() + input.afterHours * 3_600_000);
  const ko = settings.locale === 'ko';
  const subject = asciiOnly(
    `org-mfa-watch: quarantine of ${input.userName} in ${input.accountId} released by hand`,
  ).slice(0, MAX_SUBJECT_LENGTH);
  const attributes = {
    severity: 'INFO',
    accountId: input.accountId,
    eventName: RELEASE_NOTICE_EVENT,
    finding: RELEASE_NOTICE_FINDING,
    findingId: input.findingId,
    findingState: 'OPEN',
  };
  const when = utcAndZoned(input.at, settings.timeZone);
  const since = utcAndZoned(new Date(input.quarantined.at), settings.timeZone);
  const next = utcAndZoned(again, settings.timeZone);
  if (ko) {
    return {
      subject,
      headline: `${account} 계정의 IAM 사용자 "${input.userName}"의 격리가 수동으로 해제되었습니다.`,
      context: [
        `격리 정책(org-mfa-watch-quarantine)이 분리되었습니다. 사용자는 다시 평소 권한으로 작업할 수 있습니다.`,
      ],
      facts: [
        ['해제한 사람', input.by],
        ['사유', input.reason],
        ['해제 시각', when],
        ['격리 시작', `${since} (${input.quarantined.by}: ${input.quarantined.reason})`],
        ['발견 항목 ID', input.findingId],
      ],
      todoLabel: '할 일',
      todo: [
        `사용자에게 MFA 장치를 등록하도록 요청하세요. 등록하지 않으면 ${next} 이후의 점검에서 다시 격리될 수 있습니다.`,
        `npm run findings 에서 이 발견 항목의 모든 격리/해제 기록을 볼 수 있습니다.`,
      ],
      attributes,
    };
  }
  return {
    subject,
    headline: `The quarantine of IAM user "${input.userName}" in account ${account} was released by hand.`,
    context: [
      'The quarantine policy (org-mfa-watch-quarantine) is detached: the user works with their usual permissions again.',
    ],
    facts: [
      ['Released by', input.by],
      ['Reason', input.reason],
      ['Released at', when],
      ['Quarantined since', `${since} (${input.quarantined.by}: ${input.quarantined.reason})`],
      ['Finding id', input.findingId],
    ],
    todoLabel: 'What to do',
    todo: [
      `Ask the user to enrol an MFA device: the user still has none, and a sweep after ${next} may quarantine them again.`,
      'npm run findings shows every attach and detach of this finding.',
    ],
    attributes,
  };
}

/** The notice as a chat message, in the finding's thread. */
export function releaseChatNotice(input: ReleaseNoticeInput, settings: FormatSettings): ChatNotification {
  const parts = releaseNoticeParts(input, settings);
  return buildChatNotification({
    id: `${input.findingId}:quarantine-released:${input.at.toISOString()}`,
    title: `${MARKS.INFO ?? ''} ${parts.headline}`,
    description: chatDescription(parts),
    nextSteps: parts.todo,
    keywords: ['QUARANTINE_RELEASED', input.accountId, input.userName],
    threadId: input.findingId,
    summary: parts.subject,
    eventType: 'org-mfa-watch-quarantine-released',
    additionalContext: { ...parts.attributes, releasedBy: input.by },
  });
}
