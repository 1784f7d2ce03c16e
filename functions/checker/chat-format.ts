import { buildChatNotification, chatThreadId } from '../core/chat';
import type { ChatNotification } from '../core/chat-schema';
import { MARKS, chatDescription, kebab } from '../core/chat-text';
import type { FormatSettings } from '../core/message-parts';
import type { FindingRef } from '../contract/findings';
import { alertParts, resolutionParts, type AlertInput, type ResolutionInput } from './format';

/**
 * Alerts and resolutions as custom notifications of Amazon Q Developer in chat applications: the same
 * parts as the email (format.ts), laid out for a chat channel as every function does (core/chat-text.ts). Pure.
 */

/** The finding a message belongs to, for its thread: a user's `USER_NO_MFA`, else the root finding. */
function threadOf(accountId: string, userName: string | undefined, findingId: string | undefined): string {
  if (findingId !== undefined) return findingId;
  const ref: FindingRef =
    userName === undefined
      ? { accountId, kind: 'ROOT_NO_MFA' }
      : { accountId, kind: 'USER_NO_MFA', userName };
  return chatThreadId(ref);
}

/**
 * One alert (a finding, a notice, a failed check) as a custom notification. Thread: the finding id of
 * the finding store when the alert carries one, else the id that user's (or root's) finding has, so
 * a creation notice, the alert after the grace period, reminders and the resolution share one thread.
 */
export function chatAlert(input: AlertInput, settings: FormatSettings): ChatNotification {
  const parts = alertParts(input, settings);
  const { event } = input;
  const threadId = threadOf(event.accountId, input.userName, input.record?.findingId);
  return buildChatNotification({
    id: `${threadId}:${kebab(input.finding)}:${event.eventId ?? event.id}`,
    title: `${MARKS[input.severity] ?? ''} ${input.severity}: ${parts.headline}`,
    description: chatDescription(parts),
    nextSteps: parts.todo,
    keywords: keywordsOf(input.severity, input),
    threadId,
    summary: parts.subject,
    eventType: `org-mfa-watch-${kebab(input.finding)}`,
    relatedResources: [event.actor.arn],
    additionalContext: {
      accountId: event.accountId,
      severity: input.severity,
      finding: input.finding,
      eventName: event.eventName,
      ...(event.eventId === undefined ? {} : { eventId: event.eventId }),
      ...(input.record === undefined ? {} : { findingId: input.record.findingId, findingState: 'OPEN' }),
    },
  });
}

/** Chat keywords: the state, the finding, the account (and its alias) and the user (or root). */
function keywordsOf(
  state: string,
  input: { finding: string; event: { accountId: string }; accountAlias?: string; userName?: string },
): string[] {
  return [
    state,
    input.finding,
    input.event.accountId,
    ...(input.accountAlias === undefined ? [] : [input.accountAlias]),
    ...(input.userName === undefined ? ['root'] : [input.userName]),
  ];
}

/** A resolution notice as a custom notification, in the thread of the alert that opened the finding. */
export function chatResolution(input: ResolutionInput, settings: FormatSettings): ChatNotification {
  const parts = resolutionParts(input, settings);
  const { event } = input;
  const threadId = input.record.findingId;
  return buildChatNotification({
    id: `${threadId}:resolved:${event.eventId ?? event.id}`,
    title: `${MARKS.RESOLVED ?? ''} ${parts.headline}`,
    description: chatDescription(parts),
    keywords: keywordsOf('RESOLVED', input),
    threadId,
    summary: parts.subject,
    eventType: 'org-mfa-watch-resolved',
    relatedResources: [event.actor.arn],
    additionalContext: {
      accountId: event.accountId,
      severity: 'INFO',
      finding: input.finding,
      eventName: event.eventName,
      ...(event.eventId === undefined ? {} : { eventId: event.eventId }),
      findingId: input.record.findingId,
      findingState: 'RESOLVED',
      cause: input.cause,
    },
  });
}
