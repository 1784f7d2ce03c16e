import { ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../functions/checker/env';
import { CheckFailedError, ConfigurationError } from '../../../functions/checker/errors';
import { chatNotificationProblems, type ChatNotification } from '../../../functions/core/chat-schema';
import { FindingStore } from '../../../functions/core/finding-store';
import { TEST_CONTEXT, testSettings } from '../../helpers/checker-harness';
import { createFindingsTable } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';
import { projectFixture } from '../../helpers/events';
import { consoleUserSays, mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';

const NOW = new Date('2026-10-05T10:00:00Z');
const ALERTS = 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts';
const CHAT = 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-chat';
const withChat = testSettings({ chatTopicArn: CHAT });

function iamSays(mfa: number): void {
  consoleUserSays(mfa, NOW);
  mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-prod'] });
}

/** Every Publish, in order: which topic, and the message as sent. */
function publishes() {
  return mocks.sns.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    return {
      topic: input.TopicArn,
      subject: input.Subject,
      message: input.Message ?? '',
      attributes: Object.fromEntries(
        Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
      ),
    };
  });
}

function chatMessages(): ChatNotification[] {
  return publishes()
    .filter((p) => p.topic === CHAT)
    .map((p) => JSON.parse(p.message) as ChatNotification);
}

describe('CHAT_TOPIC_ARN', () => {
  const env = {
    CHECK_ROLE_NAME: 'org-mfa-watch-check',
    ALERT_TOPIC_ARN: ALERTS,
    ALERT_LOCALE: 'en',
    ALERT_TIME_ZONE: 'UTC',
    QUARANTINE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/222222222222/q',
    GRACE_PERIOD_HOURS: '0',
    NOTIFY_ON_CREATE: 'true',
    EXEMPTIONS: '[]',
    TRUST_EXEMPTION_TAGS: 'false',
    FINDINGS_TABLE_NAME: 'org-mfa-watch-findings',
    FINDINGS_RESOLVED_RETENTION_DAYS: '90',
  };

  it('is optional: without it the checker alerts by email only', () => {
    expect(loadSettings(env).chatTopicArn).toBeUndefined();
    expect(loadSettings({ ...env, CHAT_TOPIC_ARN: CHAT }).chatTopicArn).toBe(CHAT);
  });

  it('is rejected at init, by name, when it is not a topic ARN', () => {
    expect(() => loadSettings({ ...env, CHAT_TOPIC_ARN: 'org-mfa-watch-chat' })).toThrow(ConfigurationError);
    expect(() => loadSettings({ ...env, CHAT_TOPIC_ARN: 'org-mfa-watch-chat' })).toThrow(
      'CHAT_TOPIC_ARN: expected an SNS topic ARN',
    );
  });
});

beforeEach(() => {
  resetMocks(NOW);
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('the checker posts to chat after the email', () => {
  it('publishes the plain-text email first, then the custom notification to the chat topic', async () => {
    iamSays(0);
    const result = await testChecker(withChat, NOW)(
      projectFixture('createuser-sso-console.json'),
      TEST_CONTEXT,
    );
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
    const [email, chat] = publishes();
    expect(email?.topic).toBe(ALERTS);
    expect(email?.subject).toMatch(/^\[org-mfa-watch\] HIGH: /);
    expect(() => {
      JSON.parse(email?.message ?? '');
    }).toThrow(); // the email stays plain text
    expect(chat?.topic).toBe(CHAT);
    expect(chat?.subject).toBeUndefined();
    expect(chat?.attributes).toEqual(email?.attributes);
    const [notification] = chatMessages();
    expect(chatNotificationProblems(notification)).toEqual([]);
    expect(notification?.content.keywords).toContain('HIGH');
  });

  it('posts nothing to chat when no chat topic is configured', async () => {
    iamSays(0);
    await testChecker(testSettings(), NOW)(projectFixture('createuser-sso-console.json'), TEST_CONTEXT);
    expect(publishes().map((p) => p.topic)).toEqual([ALERTS]);
  });

  it('still alerts by email, and succeeds, when the chat publish fails', async () => {
    iamSays(0);
    mocks.sns.on(PublishCommand, { TopicArn: CHAT }).rejects(new Error('KMS key disabled'));
    const result = await testChecker(withChat, NOW)(
      projectFixture('createuser-sso-console.json'),
      TEST_CONTEXT,
    );
    expect(result).toMatchObject({ outcome: 'alerted' });
    expect(publishes().map((p) => p.topic)).toEqual([ALERTS, CHAT]);
  });

  it('posts nothing to chat when the email publish failed (the redriven event alerts both later)', async () => {
    iamSays(0);
    mocks.sns.on(PublishCommand, { TopicArn: ALERTS }).rejects(new Error('throttled'));
    await expect(
      testChecker(withChat, NOW)(projectFixture('createuser-sso-console.json'), TEST_CONTEXT),
    ).rejects.toThrow('throttled');
    expect(publishes().map((p) => p.topic)).toEqual([ALERTS]);
  });

  it('posts a failed check to chat too, and still fails the event', async () => {
    mocks.sts.on(AssumeRoleCommand).rejects(new Error('AccessDenied'));
    await expect(
      testChecker(withChat, NOW)(projectFixture('createuser-sso-console.json'), TEST_CONTEXT),
    ).rejects.toBeInstanceOf(CheckFailedError);
    const [notification] = chatMessages();
    expect(notification?.content.keywords?.slice(0, 2)).toEqual(['HIGH', 'CHECK_FAILED']);
    expect(chatNotificationProblems(notification)).toEqual([]);
  });
});

describe('alert and resolution share one chat thread (finding store on dynalite)', () => {
  const dynamo = useDynalite();

  it('threads both under the finding id the email carries', async () => {
    const tableName = await createFindingsTable(dynamo.client, 'chat');
    let clock = NOW;
    const checker = testChecker(
      testSettings({ chatTopicArn: CHAT, findings: { tableName, resolvedRetentionDays: 90 } }),
      () => clock,
      { findings: new FindingStore({ client: dynamo.client, tableName }) },
    );
    iamSays(0);
    await checker(projectFixture('deactivatemfa-user-console.json'), TEST_CONTEXT);
    clock = new Date('2026-10-05T12:00:00Z');
    iamSays(1);
    await checker(projectFixture('enablemfa-user-self.json'), TEST_CONTEXT);

    const emails = publishes().filter((p) => p.topic === ALERTS);
    expect(emails.map((e) => e.attributes.findingState)).toEqual(['OPEN', 'RESOLVED']);
    const id = emails[0]?.attributes.findingId;
    expect(id).toMatch(/^f-[0-9a-f]{20}$/);
    const chats = chatMessages();
    expect(chats.map((c) => c.metadata?.threadId)).toEqual([id, id]);
    expect(chats.map((c) => c.content.keywords?.[0])).toEqual(['HIGH', 'RESOLVED']);
    for (const chat of chats) expect(chatNotificationProblems(chat)).toEqual([]);
  });
});
