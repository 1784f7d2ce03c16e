/**
 * A sweep alert as a custom notification of Amazon Q Developer in chat applications: the email's parts
 * (format.ts), laid out as every function lays out its own (core/chat-text.ts), in the thread of the
 * finding, so a later reminder or resolution by the checker continues it. Pure.
 */
import { buildChatNotification } from '../core/chat';
import type { ChatNotification } from '../core/chat-schema';
import { MARKS, chatDescription, kebab } from '../core/chat-text';
import type { FormatSettings } from '../core/message-parts';
import { SWEEP_EVENT_NAME, sweepAlertParts, type SweepAlertInput } from './format';

/** Who the finding is about, as a keyword: the user, `root`, or nothing (account-level findings). */
function subjectKeyword(input: SweepAlertInput): readonly string[] {
  if (input.kind === 'USER_NO_MFA') return input.userName === undefined ? [] : [input.userName];
  return input.kind === 'ROOT_NO_MFA' ? ['root'] : [];
}

/**
 * One new sweep finding (HIGH or CRITICAL) as a custom notification, threaded by its finding id. The
 * message id names the sweep run, so a finding alerted again by a later sweep is a new message.
 */
export function chatSweepAlert(input: SweepAlertInput, settings: FormatSettings): ChatNotification {
  const parts = sweepAlertParts(input, settings);
  const run = input.sweepId ?? 'local';
  return buildChatNotification({
    id: `${input.findingId}:${kebab(input.detail)}:sweep-${run}`,
    title: `${MARKS[input.severity] ?? ''} ${input.severity}: ${parts.headline}`,
    description: chatDescription(parts),
    nextSteps: parts.todo,
    keywords: [
      input.severity,
      input.detail,
      input.accountId,
      ...(input.accountAlias === undefined ? [] : [input.accountAlias]),
      ...subjectKeyword(input),
    ],
    threadId: input.findingId,
    summary: parts.subject,
    eventType: `org-mfa-watch-${kebab(input.detail)}`,
    additionalContext: {
      accountId: input.accountId,
      severity: input.severity,
      finding: input.detail,
      eventName: SWEEP_EVENT_NAME,
      findingId: input.findingId,
      findingState: 'OPEN',
      ...(input.sweepId === undefined ? {} : { sweepId: input.sweepId }),
    },
  });
}
