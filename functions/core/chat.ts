import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { findingId, subjectOf, type FindingRef } from '../contract/findings';
import { CHAT_LIMITS, type ChatNotification } from './chat-schema';

/**
 * Building and publishing custom notifications for Amazon Q Developer in chat applications. Shared by
 * the checker and the sweep: each caller says what to show; this module keeps every message inside
 * the schema (chat-schema.ts), so that the service never drops one silently.
 */

/** What one chat message says, before it is fitted to the custom-notification limits. */
export interface ChatMessageInput {
  /** Unique per message (e.g. thread id + kind + CloudTrail event id). */
  readonly id?: string;
  readonly title: string;
  /** Client markdown; lines joined with `\n`. */
  readonly description: string;
  readonly nextSteps?: readonly string[];
  /** Shown as tags: severity, finding, account... Blank and repeated ones are dropped. */
  readonly keywords?: readonly string[];
  /** Alert, reminders and resolution of one finding share it ({@link chatThreadId}). */
  readonly threadId: string;
  /** One line for notification banners. */
  readonly summary?: string;
  /** Letters, digits and `-` (the form a custom action can match). */
  readonly eventType?: string;
  readonly relatedResources?: readonly string[];
  readonly additionalContext?: Readonly<Record<string, string>>;
}

const ELLIPSIS = '…';

/** `value` cut to at most `max` UTF-16 units, never inside a surrogate pair, marked with an ellipsis. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let out = '';
  for (const char of value) {
    if (out.length + char.length > max - ELLIPSIS.length) break;
    out += char;
  }
  return out + ELLIPSIS;
}

function clipList(values: readonly string[] | undefined, items: number, length: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values ?? []) {
    const clipped = clip(value.trim(), length);
    if (clipped === '' || seen.has(clipped)) continue;
    seen.add(clipped);
    out.push(clipped);
    if (out.length === items) break;
  }
  return out;
}

/**
 * A custom notification from `input`, cut to the schema's limits (long user names, aliases or
 * failure texts are shortened with an ellipsis, lists to their maximum length). Custom action buttons
 * are off: the channel is for reading, never for changing anything (ADR 0011). Pure.
 */
export function buildChatNotification(input: ChatMessageInput): ChatNotification {
  const limits = CHAT_LIMITS;
  const nextSteps = clipList(input.nextSteps, limits.nextSteps.items, limits.nextSteps.length);
  const keywords = clipList(input.keywords, limits.keywords.items, limits.keywords.length);
  const relatedResources = clipList(
    input.relatedResources,
    limits.relatedResources.items,
    limits.relatedResources.length,
  );
  const context = Object.entries(input.additionalContext ?? {})
    .filter(([key]) => /^[A-Za-z0-9_-]{1,100}$/.test(key))
    .slice(0, limits.additionalContext.entries)
    .map(([key, value]) => [key, clip(value, limits.additionalContext.valueLength)] as const);
  const eventType = input.eventType
    ?.replace(/[^a-zA-Z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, limits.eventType);
  const summary = input.summary?.trim();
  const threadId = chatSafeThreadId(input.threadId);
  const title = input.title.trim() || threadId;
  return {
    version: '1.0',
    source: 'custom',
    ...(input.id === undefined || input.id.trim() === '' ? {} : { id: clip(input.id.trim(), limits.id) }),
    content: {
      textType: 'client-markdown',
      title: clip(title, limits.title),
      description: clip(input.description.trim() || title, limits.description),
      ...(nextSteps.length === 0 ? {} : { nextSteps }),
      ...(keywords.length === 0 ? {} : { keywords }),
    },
    metadata: {
      threadId,
      ...(summary === undefined || summary === '' ? {} : { summary: clip(summary, limits.summary) }),
      ...(eventType === undefined || eventType === '' ? {} : { eventType }),
      ...(relatedResources.length === 0 ? {} : { relatedResources }),
      ...(context.length === 0 ? {} : { additionalContext: Object.fromEntries(context) }),
      enableCustomActions: false,
    },
  };
}

function chatSafeThreadId(threadId: string): string {
  const safe = threadId.replace(/[^A-Za-z0-9_.:-]+/g, '-').slice(0, CHAT_LIMITS.threadId);
  return safe === '' ? 'org-mfa-watch' : safe;
}

/**
 * The chat thread of a finding: its finding id (`f-` + 20 hex digits, ADR 0009). Use the id stored on
 * the finding when there is one (a renamed user keeps its id); this derivation is the id a finding of
 * that subject gets when it is first opened, so a notice sent before any finding exists (a new user,
 * a failed check) opens the thread its later alert and resolution continue. Pure.
 */
export function chatThreadId(ref: FindingRef): string {
  return findingId(ref.accountId, ref.kind, subjectOf(ref));
}

/**
 * Inline code for a value taken from an event (ARNs, user agents, names): chat markdown would read
 * `*`, `_` or `~` in it as formatting. A backtick would end the span, so it becomes `'`.
 */
export function literal(value: string): string {
  return `\`${value.replace(/`/g, "'")}\``;
}

/**
 * Publish one custom notification to the chat topic. No subject (the notification carries its own
 * title) and no message attributes beyond the given ones, which subscription filter policies may use.
 * @returns the SNS message id
 */
export async function publishChat(
  sns: SNSClient,
  topicArn: string,
  notification: ChatNotification,
  attributes: Readonly<Record<string, string>> = {},
): Promise<string | undefined> {
  const response = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Message: JSON.stringify(notification),
      ...(Object.keys(attributes).length === 0
        ? {}
        : {
            MessageAttributes: Object.fromEntries(
              Object.entries(attributes).map(([name, value]) => [
                name,
                { DataType: 'String', StringValue: value },
              ]),
            ),
          }),
    }),
  );
  return response.MessageId;
}
