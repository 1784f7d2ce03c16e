/**
 * What one message says before it is laid out for a channel, and how it is rendered for this deployment:
 * every function builds its alerts as {@link MessageParts}; email lays them out as plain text
 * ({@link plainTextBody}), chat as a custom notification (chat-text.ts). Pure.
 */
import type { AlertLocale } from '../contract/contract';
import type { ConsoleAccess } from './console-link';

/** How messages are rendered for this deployment. */
export interface FormatSettings {
  readonly locale: AlertLocale;
  /** IANA time zone shown beside UTC. */
  readonly timeZone: string;
  /** AWS partition of the deployment (`aws`, `aws-us-gov`, `aws-cn`), for console links. */
  readonly partition: string;
  /** IAM Identity Center sign-in: console links become shortcut links into the member account. */
  readonly consoleAccess?: ConsoleAccess;
}

/** Message attributes for subscription filters; the finding-store ones only for findings. */
export type AlertAttributes = Readonly<
  Record<'severity' | 'accountId' | 'eventName' | 'finding', string> &
    Partial<Record<'findingId' | 'findingState', string>>
>;

/** An SNS message: ASCII subject, localized body, filterable attributes. */
export interface AlertMessage {
  readonly subject: string;
  readonly body: string;
  readonly attributes: AlertAttributes;
}

/** What one message says, before it is laid out for a channel (email or chat). */
export interface MessageParts {
  /** ASCII subject under 100 characters (SNS rule); also the chat summary. */
  readonly subject: string;
  /** The first, localized sentence: what happened, to whom, where. */
  readonly headline: string;
  /** Sentences that qualify the headline (the grace period has passed). */
  readonly context: readonly string[];
  /** Labelled facts, in display order: `[label, value]`. */
  readonly facts: readonly (readonly [label: string, value: string])[];
  /** Localized heading of the steps, e.g. `What to do`. */
  readonly todoLabel: string;
  /** Numbered steps for the reader; empty for a resolution. */
  readonly todo: readonly string[];
  /** A closing line instead of steps (a resolution: nothing to do). */
  readonly closing?: string;
  /** Where to look in the console, with its localized label. */
  readonly console?: { readonly label: string; readonly url: string };
  readonly attributes: AlertAttributes;
}

/** Lay out message parts as the plain-text email body. Pure. */
export function plainTextBody(parts: MessageParts): string {
  return [
    parts.headline,
    ...parts.context,
    '',
    ...parts.facts.map(([label, value]) => `${label}: ${value}`),
    '',
    ...(parts.closing === undefined
      ? [`${parts.todoLabel}:`, ...parts.todo.map((step, i) => `  ${i + 1}. ${step}`)]
      : [parts.closing]),
    ...(parts.console === undefined ? [] : ['', `${parts.console.label}: ${parts.console.url}`]),
  ].join('\n');
}

/** Render message parts as an SNS message: subject, plain-text body, attributes. Pure. */
export function emailMessage(parts: MessageParts): AlertMessage {
  return { subject: parts.subject, body: plainTextBody(parts), attributes: parts.attributes };
}
