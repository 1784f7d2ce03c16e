/**
 * How every function lays out its message parts in a chat channel (Amazon Q Developer in chat
 * applications custom notifications): severity marks, the description, event types. Pure.
 */
import { literal } from './chat';
import type { MessageParts } from './message-parts';

/** Unicode emoji (not Slack `:shortcodes:`): Slack and Microsoft Teams both render them. */
export const MARKS: Readonly<Record<string, string>> = {
  CRITICAL: '🚨',
  HIGH: '🔴',
  MEDIUM: '🟠',
  INFO: 'ℹ️',
  RESOLVED: '✅',
};

/** A message's parts as chat markdown: context, facts (values as inline code), closing, console link. */
export function chatDescription(parts: MessageParts): string {
  return [
    ...parts.context,
    ...(parts.context.length === 0 ? [] : ['']),
    ...parts.facts.map(([label, value]) => `${label}: ${literal(value)}`),
    ...(parts.closing === undefined ? [] : ['', parts.closing]),
    ...(parts.console === undefined ? [] : ['', `${parts.console.label}: ${parts.console.url}`]),
  ].join('\n');
}

/** `no-mfa-console`: a finding as an event type (letters, digits and `-`). */
export function kebab(code: string): string {
  return code.toLowerCase().replace(/_/g, '-');
}
