import * as z from 'zod/mini';

/**
 * The custom-notification format of Amazon Q Developer in chat applications (formerly AWS Chatbot),
 * written once: the formatter (chat.ts) builds to these limits and the tests validate every message
 * kind against this schema, because the service drops a malformed message without a word.
 *
 * What the documentation fixes (Amazon Q Developer in chat applications Administrator Guide, "Custom
 * notifications using Amazon Q Developer in chat applications", Event schema and Parameter details):
 * `version` must be `1.0`; `source` must be `custom`; `content` is required and `content.description`
 * with it; `textType` supports only `client-markdown`; `nextSteps`, `keywords` and
 * `relatedResources` are lists of strings; `additionalContext` maps keys to strings; `threadId` groups
 * notifications into one thread; `enableCustomActions` is a boolean.
 *
 * The length caps are ours, set so that nothing is cut or dropped on the way to the channel:
 * - description 3,000 characters: Slack renders it in a section block, whose text is limited to 3,000
 *   characters (Slack Block Kit reference, "Section block": text maximum 3000 characters);
 * - eventType `[a-zA-Z0-9-]{1,100}`: the form a custom action's `NotificationType` must match to attach
 *   a button to it (Amazon Q Developer in chat applications API Reference, CustomActionAttachment);
 * - additionalContext keys `[A-Za-z0-9-_]{1,100}` and values of at most 1,024 characters: the form of a
 *   custom action's variables, extracted from the notification (same reference, `Variables`);
 * - the rest (title, steps, keywords, thread id, summary, resources) are short by design, so a long
 *   IAM user name or alias can never push a message over a platform's limit.
 */
export const CHAT_LIMITS = {
  id: 256,
  title: 250,
  description: 3000,
  nextSteps: { items: 5, length: 500 },
  keywords: { items: 10, length: 64 },
  threadId: 128,
  summary: 500,
  eventType: 100,
  relatedResources: { items: 5, length: 1024 },
  additionalContext: { entries: 10, keyLength: 100, valueLength: 1024 },
} as const;

const text = (max: number, what: string) =>
  z
    .string({ error: `expected a ${what} string` })
    .check(
      z.minLength(1, { error: `expected a non-empty ${what}` }),
      z.maxLength(max, { error: `expected a ${what} of at most ${max} characters` }),
    );

const list = (items: number, length: number, what: string) =>
  z
    .array(text(length, what), { error: `expected a list of ${what} strings` })
    .check(z.maxLength(items, { error: `expected at most ${items} ${what} entries` }));

/** Thread ids we publish: printable, no spaces (finding ids `f-...`, see chat.ts). */
const THREAD_ID = /^[A-Za-z0-9_.:-]+$/;
const EVENT_TYPE = /^[a-zA-Z0-9-]+$/;
const CONTEXT_KEY = /^[A-Za-z0-9_-]+$/;

/** Schema of one custom notification, as published to the chat topic. */
export const chatNotificationSchema = z.strictObject({
  version: z.literal('1.0', { error: 'expected "1.0"' }),
  source: z.literal('custom', { error: 'expected "custom"' }),
  id: z.optional(text(CHAT_LIMITS.id, 'event id')),
  content: z.strictObject(
    {
      textType: z.optional(z.literal('client-markdown', { error: 'expected "client-markdown"' })),
      title: z.optional(text(CHAT_LIMITS.title, 'title')),
      description: text(CHAT_LIMITS.description, 'description'),
      nextSteps: z.optional(list(CHAT_LIMITS.nextSteps.items, CHAT_LIMITS.nextSteps.length, 'next step')),
      keywords: z.optional(list(CHAT_LIMITS.keywords.items, CHAT_LIMITS.keywords.length, 'keyword')),
    },
    { error: 'expected a content object with a description' },
  ),
  metadata: z.optional(
    z.strictObject({
      threadId: z.optional(
        text(CHAT_LIMITS.threadId, 'thread id').check(
          z.regex(THREAD_ID, { error: 'expected a thread id of letters, digits and _.:-' }),
        ),
      ),
      summary: z.optional(text(CHAT_LIMITS.summary, 'summary')),
      eventType: z.optional(
        text(CHAT_LIMITS.eventType, 'event type').check(
          z.regex(EVENT_TYPE, { error: 'expected an event type of letters, digits and -' }),
        ),
      ),
      relatedResources: z.optional(
        list(CHAT_LIMITS.relatedResources.items, CHAT_LIMITS.relatedResources.length, 'related resource'),
      ),
      additionalContext: z.optional(
        z
          .record(
            text(CHAT_LIMITS.additionalContext.keyLength, 'context key').check(
              z.regex(CONTEXT_KEY, { error: 'expected a context key of letters, digits, - and _' }),
            ),
            z.string({ error: 'expected a context value string' }).check(
              z.maxLength(CHAT_LIMITS.additionalContext.valueLength, {
                error: `expected a context value of at most ${CHAT_LIMITS.additionalContext.valueLength} characters`,
              }),
            ),
          )
          .check(
            z.refine((record) => Object.keys(record).length <= CHAT_LIMITS.additionalContext.entries, {
              error: `expected at most ${CHAT_LIMITS.additionalContext.entries} context entries`,
            }),
          ),
      ),
      enableCustomActions: z.optional(z.boolean({ error: 'expected true or false' })),
    }),
  ),
});

/** One custom notification of Amazon Q Developer in chat applications. */
export type ChatNotification = z.infer<typeof chatNotificationSchema>;

/**
 * Every way `value` departs from the custom-notification schema, one line each (`path: problem`);
 * empty when it is valid. Pure.
 */
export function chatNotificationProblems(value: unknown): string[] {
  const result = chatNotificationSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const where = issue.path.length === 0 ? '(message)' : issue.path.map(String).join('.');
    return `${where}: ${issue.message}`;
  });
}
