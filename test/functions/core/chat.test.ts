import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  buildChatNotification,
  chatThreadId,
  clip,
  literal,
  publishChat,
  type ChatMessageInput,
} from '../../../functions/core/chat';
import { CHAT_LIMITS, chatNotificationProblems } from '../../../functions/core/chat-schema';
import { findingId } from '../../../functions/contract/findings';

// Amazon Q Developer in chat applications Administrator Guide, "Custom notifications using Amazon Q
// Developer in chat applications": version "1.0", source "custom", content with a description,
// textType "client-markdown" only; a notification that does not follow the schema is not delivered.
const valid = {
  version: '1.0',
  source: 'custom',
  content: { textType: 'client-markdown', title: 't', description: 'd', nextSteps: ['a'], keywords: ['k'] },
  metadata: {
    threadId: 'f-0123456789abcdef0123',
    summary: 's',
    eventType: 'org-mfa-watch-no-mfa-console',
    relatedResources: ['arn:aws:iam::111122223333:user/a'],
    additionalContext: { accountId: '111122223333' },
    enableCustomActions: false,
  },
};

/** `valid` with one change at a dotted path (undefined deletes the key). */
function broken(path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(valid) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let node = copy;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === undefined) Reflect.deleteProperty(node, last);
  else node[last] = value;
  return copy;
}

describe('the custom-notification schema', () => {
  it('accepts a complete, documented notification', () => {
    expect(chatNotificationProblems(valid)).toEqual([]);
  });

  it('accepts the smallest documented notification: version, source and a description', () => {
    expect(
      chatNotificationProblems({ version: '1.0', source: 'custom', content: { description: 'd' } }),
    ).toEqual([]);
  });

  it.each([
    ['version', '2.0', 'version'],
    ['source', 'aws.iam', 'source'],
    ['content.description', undefined, 'content.description'],
    ['content', undefined, 'content'],
    ['content.textType', 'markdown', 'content.textType'],
    ['content.body', 'not a documented field', '(message)'],
    ['content.nextSteps', 'one step, not a list', 'content.nextSteps'],
    ['content.keywords', Array.from({ length: 11 }, (_, i) => `k${i}`), 'content.keywords'],
    ['content.description', 'x'.repeat(CHAT_LIMITS.description + 1), 'content.description'],
    ['content.title', '', 'content.title'],
    ['metadata.threadId', 'has spaces in it', 'metadata.threadId'],
    ['metadata.eventType', 'NO_MFA_CONSOLE', 'metadata.eventType'],
    ['metadata.enableCustomActions', 'false', 'metadata.enableCustomActions'],
    ['metadata.additionalContext', { 'bad key': 'v' }, 'metadata.additionalContext'],
  ])('rejects %s = %j, naming the field', (path, value, named) => {
    const problems = chatNotificationProblems(broken(path, value));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(named === '(message)' ? 'content' : named);
  });

  it('rejects something that is not a notification at all', () => {
    expect(chatNotificationProblems('plain text, as an email body would be')).not.toEqual([]);
  });
});

describe('buildChatNotification', () => {
  const base: ChatMessageInput = {
    title: 'Title',
    description: 'Description',
    threadId: 'f-0123456789abcdef0123',
  };

  it('writes version 1.0, source custom, client markdown, and turns custom action buttons off', () => {
    const n = buildChatNotification(base);
    expect(n).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', title: 'Title', description: 'Description' },
      metadata: { threadId: 'f-0123456789abcdef0123', enableCustomActions: false },
    });
    expect(chatNotificationProblems(n)).toEqual([]);
  });

  it('drops blank and repeated keywords and keeps at most the documented number', () => {
    const n = buildChatNotification({
      ...base,
      keywords: ['HIGH', ' ', 'HIGH', ...Array.from({ length: 20 }, (_, i) => `k${i}`)],
    });
    expect(n.content.keywords?.[0]).toBe('HIGH');
    expect(n.content.keywords).toHaveLength(CHAT_LIMITS.keywords.items);
    expect(new Set(n.content.keywords).size).toBe(n.content.keywords?.length);
  });

  it('turns an event type into letters, digits and dashes', () => {
    expect(buildChatNotification({ ...base, eventType: 'org_mfa watch/NO_MFA' }).metadata?.eventType).toBe(
      'org-mfa-watch-NO-MFA',
    );
  });

  // Whatever an event brings (64-character user names, aliases, failure texts, emoji), the message
  // stays inside the schema: the service would drop it silently otherwise.
  it('always produces a valid notification, whatever the strings', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.option(fc.string({ maxLength: 400 }), { nil: undefined }),
          title: fc.string({ maxLength: 600 }),
          description: fc.string({ maxLength: 5000, unit: 'grapheme' }),
          nextSteps: fc.array(fc.string({ maxLength: 800 }), { maxLength: 9 }),
          keywords: fc.array(fc.string({ maxLength: 100 }), { maxLength: 15 }),
          threadId: fc.string({ maxLength: 300 }),
          summary: fc.option(fc.string({ maxLength: 900 }), { nil: undefined }),
          eventType: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
          relatedResources: fc.array(fc.string({ maxLength: 1500 }), { maxLength: 8 }),
          additionalContext: fc.dictionary(fc.string({ maxLength: 120 }), fc.string({ maxLength: 1500 }), {
            maxKeys: 15,
          }),
        }),
        (input) => {
          expect(chatNotificationProblems(buildChatNotification(input))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('clip and literal', () => {
  it('cuts to the limit with an ellipsis and never splits a surrogate pair', () => {
    const cut = clip('ab😀😀😀', 5);
    expect(cut).toBe('ab😀…');
    expect(cut.length).toBeLessThanOrEqual(5);
    expect(clip('short', 5)).toBe('short');
  });

  it('wraps a value in inline code, replacing a backtick that would end the span', () => {
    expect(literal('a`b*c_')).toBe("`a'b*c_`");
  });
});

describe('chatThreadId', () => {
  it('is the id a finding of that subject gets when it is first opened (ADR 0009)', () => {
    expect(chatThreadId({ accountId: '111122223333', kind: 'USER_NO_MFA', userName: 'Alice' })).toBe(
      findingId('111122223333', 'USER_NO_MFA', 'alice'),
    );
    expect(chatThreadId({ accountId: '111122223333', kind: 'ROOT_NO_MFA' })).toBe(
      findingId('111122223333', 'ROOT_NO_MFA', 'root'),
    );
  });
});

describe('publishChat', () => {
  const sns = mockClient(SNSClient);
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'chat-1' });
  });

  it('publishes the notification as JSON, without a subject, with the given attributes', async () => {
    const notification = buildChatNotification({ title: 't', description: 'd', threadId: 'f-1' });
    const topic = 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-chat';
    const id = await publishChat(new SNSClient({ region: 'us-east-1' }), topic, notification, {
      severity: 'HIGH',
    });
    expect(id).toBe('chat-1');
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(topic);
    expect(input?.Subject).toBeUndefined();
    expect(input?.MessageStructure).toBeUndefined();
    expect(JSON.parse(input?.Message ?? '')).toEqual(notification);
    expect(input?.MessageAttributes).toEqual({ severity: { DataType: 'String', StringValue: 'HIGH' } });
  });
});
