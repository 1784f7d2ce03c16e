import { Logger } from '@aws-lambda-powertools/logger';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatNotification } from '../../../functions/core/chat-schema';
import type { Finding } from '../../../functions/core/finding-store';
import {
  NoticeWithoutMessagesError,
  UNNOTIFIED_AFTER_MS,
  channelsFor,
  createNotifier,
  neverNotified,
  type Notice,
  type NoticeKind,
  type NoticeSource,
  type NotifierDeps,
} from '../../../functions/core/notify';
import type { AlertSeverity } from '../../../functions/contract/metrics';

const NOW = new Date('2026-10-05T10:00:00Z');
const ALERTS = 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts';
const CHAT = 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-chat';
const sns = mockClient(SNSClient);

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    findingId: 'f-0123456789abcdef0123',
    accountId: '111111111111',
    kind: 'USER_NO_MFA',
    subject: 'alice',
    state: 'OPEN',
    severity: 'HIGH',
    detail: 'NO_MFA_CONSOLE',
    source: 'event',
    firstSeen: '2026-10-05T09:00:00.000Z',
    openedAt: '2026-10-05T09:00:00.000Z',
    lastSeen: '2026-10-05T09:00:00.000Z',
    reopenCount: 0,
    previousNames: [],
    version: 1,
    ...overrides,
  };
}

const CHAT_MESSAGE = { version: '1.0', source: 'custom', content: { description: 'x' } } as ChatNotification;

/** Every step the path takes, in order, as one log: what the test asserts on. */
let steps: string[];
let rendered: string[];

function notice(overrides: Partial<Notice> = {}): Notice {
  const stored = finding();
  return {
    kind: 'alert',
    source: 'event',
    severity: 'HIGH',
    stored: {
      ref: { accountId: stored.accountId, kind: 'USER_NO_MFA', userName: 'alice' },
      finding: stored,
      userPath: '/dev/',
      sessionHint: 'event-1',
    },
    messages: {
      email: () => {
        rendered.push('email');
        return { subject: 'MFA alert', body: 'alice has no MFA', attributes: { severity: 'HIGH' } };
      },
      chat: () => {
        rendered.push('chat');
        return CHAT_MESSAGE;
      },
    },
    counted: { severity: 'HIGH', finding: 'NO_MFA_CONSOLE' },
    ...overrides,
  };
}

interface Faults {
  email?: Error;
  chat?: Error;
  markNotified?: Error;
  securityHub?: Error;
}

function notifier(faults: Faults = {}, overrides: Partial<NotifierDeps> = {}) {
  sns.on(PublishCommand).callsFake((input: { TopicArn?: string }) => {
    const channel = input.TopicArn === CHAT ? 'chat' : 'email';
    steps.push(channel);
    const fault = faults[channel];
    if (fault) throw fault;
    return { MessageId: `m-${steps.length}` };
  });
  return createNotifier({
    sns: new SNSClient({ region: 'us-east-1' }),
    alertTopicArn: ALERTS,
    chatTopicArn: CHAT,
    findings: {
      markNotified: (input) => {
        steps.push(`markNotified:${input.kind}:${'userName' in input ? input.userName : ''}`);
        if (faults.markNotified) return Promise.reject(faults.markNotified);
        return Promise.resolve(true);
      },
    },
    exportFinding: (stored) => {
      steps.push(`securityHub:${stored.finding.findingId}:${stored.userPath ?? ''}:${stored.sessionHint}`);
      if (faults.securityHub) return Promise.reject(faults.securityHub);
      return Promise.resolve();
    },
    metrics: { alertPublished: (severity, name) => steps.push(`metric:${severity}:${name}`) },
    logger: new Logger({ logLevel: 'SILENT' }),
    now: () => NOW,
    ...overrides,
  });
}

beforeEach(() => {
  sns.reset();
  steps = [];
  rendered = [];
});

const SECURITY_HUB = 'securityHub:f-0123456789abcdef0123:/dev/:event-1';
const MARK = 'markNotified:USER_NO_MFA:alice';
const METRIC = 'metric:HIGH:NO_MFA_CONSOLE';

describe('the order of one notification', () => {
  it('sends the email, records it as notified, posts to chat, imports into Security Hub, then counts it', async () => {
    await expect(notifier()(notice())).resolves.toBe('sent');
    expect(steps).toEqual(['email', MARK, 'chat', SECURITY_HUB, METRIC]);
  });

  it('sends the chat message with the email attributes, after the email', async () => {
    await notifier()(notice());
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.TopicArn)).toEqual([ALERTS, CHAT]);
    expect(calls[0]).toMatchObject({ Subject: 'MFA alert', Message: 'alice has no MFA' });
    expect(JSON.parse(calls[1]?.Message ?? '')).toEqual(CHAT_MESSAGE);
    expect(calls[1]?.MessageAttributes).toEqual({ severity: { DataType: 'String', StringValue: 'HIGH' } });
  });

  it('posts nothing to chat without a chat topic', async () => {
    await notifier({}, { chatTopicArn: undefined })(notice());
    expect(steps).toEqual(['email', MARK, SECURITY_HUB, METRIC]);
    expect(rendered).toEqual(['email']);
  });

  it('without a stored finding (store unreachable) sends the email and chat only: nothing to mark or import', async () => {
    await notifier()(notice({ stored: undefined }));
    expect(steps).toEqual(['email', 'chat', METRIC]);
  });

  it('counts nothing when the notice is not counted', async () => {
    await notifier()(notice({ counted: undefined }));
    expect(steps).toEqual(['email', MARK, 'chat', SECURITY_HUB]);
  });
});

describe('one failure policy', () => {
  it('a failed email throws its own error and nothing after it runs: the finding stays unnotified', async () => {
    const down = new Error('SNS down');
    await expect(notifier({ email: down })(notice())).rejects.toBe(down);
    expect(steps).toEqual(['email']);
    expect(rendered).toEqual(['email']);
  });

  it('a failed email of a sweep alert behaves the same', async () => {
    const down = new Error('SNS down');
    await expect(notifier({ email: down })(notice({ source: 'sweep' }))).rejects.toBe(down);
    expect(steps).toEqual(['email']);
  });

  it.each([
    ['chat publish', { chat: new Error('chat topic gone') }, ['email', MARK, 'chat', SECURITY_HUB, METRIC]],
    ['markNotified', { markNotified: new Error('throttled') }, ['email', MARK, 'chat', SECURITY_HUB, METRIC]],
    ['Security Hub', { securityHub: new Error('boom') }, ['email', MARK, 'chat', SECURITY_HUB, METRIC]],
  ] as const)(
    'a failed %s after the email is logged: the notice is sent, once, and the rest still runs',
    async (_, faults, expected) => {
      await expect(notifier(faults)(notice())).resolves.toBe('sent');
      expect(steps).toEqual(expected);
      expect(steps.filter((s) => s === 'email')).toHaveLength(1);
    },
  );

  it('a chat message that cannot be rendered is logged like a failed chat publish', async () => {
    const failing = notice();
    const result = await notifier()({
      ...failing,
      messages: {
        email: failing.messages!.email,
        chat: () => Promise.reject(new Error('formatting failed')),
      },
    });
    expect(result).toBe('sent');
    expect(steps).toEqual(['email', MARK, SECURITY_HUB, METRIC]);
  });

  it('refuses, before sending anything, a notice sent by email without messages', async () => {
    await expect(notifier()(notice({ messages: undefined }))).rejects.toBeInstanceOf(
      NoticeWithoutMessagesError,
    );
    expect(steps).toEqual([]);
  });
});

describe('MEDIUM, the storm guard and resolutions', () => {
  it('a sweep MEDIUM finding gets no email or chat (the digest), but is marked notified and imported', async () => {
    const result = await notifier()(notice({ source: 'sweep', severity: 'MEDIUM' }));
    expect(result).toBe('no-email');
    expect(steps).toEqual([MARK, SECURITY_HUB]);
    expect(rendered).toEqual([]);
  });

  it('an event MEDIUM finding is emailed like any other (no digest on the event path)', async () => {
    await expect(notifier()(notice({ severity: 'MEDIUM' }))).resolves.toBe('sent');
    expect(steps).toEqual(['email', MARK, 'chat', SECURITY_HUB, METRIC]);
  });

  it('a held alert sends nothing and stays unnotified, but Security Hub still gets the finding', async () => {
    const result = await notifier()(notice({ source: 'sweep', admit: () => Promise.resolve(false) }));
    expect(result).toBe('held');
    expect(steps).toEqual([SECURITY_HUB]);
  });

  it('an admitted alert is sent; a MEDIUM sweep finding never asks the guard', async () => {
    let asked = 0;
    const admit = () => {
      asked += 1;
      return Promise.resolve(true);
    };
    await expect(notifier()(notice({ source: 'sweep', admit }))).resolves.toBe('sent');
    await notifier()(notice({ source: 'sweep', severity: 'MEDIUM', admit }));
    expect(asked).toBe(1);
  });

  it('an event resolution is emailed, posted and archived, but not marked notified', async () => {
    await notifier()(notice({ kind: 'resolution', counted: undefined }));
    expect(steps).toEqual(['email', 'chat', SECURITY_HUB]);
  });

  it('a sweep resolution goes to Security Hub only (the digest lists it), with no messages needed', async () => {
    const result = await notifier()(notice({ kind: 'resolution', source: 'sweep', messages: undefined }));
    expect(result).toBe('no-email');
    expect(steps).toEqual([SECURITY_HUB]);
  });

  it('a notice without a finding (user created, check failed) is emailed and posted only', async () => {
    await notifier()(notice({ kind: 'notice', severity: 'INFO', stored: undefined }));
    expect(steps).toEqual(['email', 'chat', METRIC]);
  });
});

describe('channelsFor (pure): the one table', () => {
  const severities: AlertSeverity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'INFO'];
  const rows: [NoticeKind, NoticeSource, AlertSeverity, boolean, boolean, boolean][] = [];
  for (const severity of severities) {
    rows.push(['alert', 'event', severity, true, true, true]);
    rows.push(['alert', 'sweep', severity, severity !== 'MEDIUM', true, true]);
    rows.push(['resolution', 'event', severity, true, false, true]);
    rows.push(['resolution', 'sweep', severity, false, false, true]);
    rows.push(['notice', 'event', severity, true, false, false]);
    rows.push(['notice', 'sweep', severity, true, false, false]);
    // Quarantined, released, halted (ADR 0022): email and chat; not a new alert state, but Security Hub
    // shows the quarantine (a halt carries no finding, so nothing is imported for it).
    rows.push(['enforcement', 'event', severity, true, false, true]);
    rows.push(['enforcement', 'sweep', severity, true, false, true]);
    rows.push(['manual-release', 'sweep', severity, true, false, true]);
  }
  it.each(rows)(
    '%s from the %s at %s: email %s, markNotified %s, Security Hub %s',
    (kind, source, severity, email, mark, hub) => {
      expect(channelsFor(kind, source, severity)).toEqual({ email, markNotified: mark, securityHub: hub });
    },
  );
});

describe('dedupe: markNotified is the record that stops a second email', () => {
  const later = (ms: number) => new Date(Date.parse('2026-10-05T09:00:00.000Z') + ms);

  it.each([
    [
      'notified in this open period',
      { lastNotified: '2026-10-05T09:00:01.000Z' },
      UNNOTIFIED_AFTER_MS + 1,
      false,
    ],
    ['never notified, a first attempt may still be running', {}, UNNOTIFIED_AFTER_MS, false],
    ['never notified, past one checker timeout', {}, UNNOTIFIED_AFTER_MS + 1, true],
    [
      'notified only in an earlier open period',
      { lastNotified: '2026-10-05T08:00:00.000Z' },
      UNNOTIFIED_AFTER_MS + 1,
      true,
    ],
    [
      'never notified but accepted (suppressed)',
      {
        suppression: {
          until: '2026-10-06',
          reason: 'r',
          by: 'arn:aws:iam::1:user/x',
          at: '2026-10-05T09:00:00Z',
        },
      },
      UNNOTIFIED_AFTER_MS + 1,
      false,
    ],
  ] as const)('%s: alert again = %s', (_, overrides, age, expected) => {
    expect(neverNotified(finding(overrides), later(age))).toBe(expected);
  });

  it('an email that failed leaves no record, so the next attempt sends exactly one email and records it', async () => {
    let stored = finding();
    const deps: Partial<NotifierDeps> = {
      findings: {
        markNotified: ({ now }) => {
          steps.push('markNotified');
          stored = { ...stored, lastNotified: now.toISOString() };
          return Promise.resolve(true);
        },
      },
      now: () => later(UNNOTIFIED_AFTER_MS + 1),
    };
    await expect(notifier({ email: new Error('down') }, deps)(notice())).rejects.toThrow('down');
    expect(neverNotified(stored, later(UNNOTIFIED_AFTER_MS + 1))).toBe(true);
    steps = [];
    await notifier({}, deps)(notice());
    expect(steps.filter((s) => s === 'email')).toHaveLength(1);
    expect(steps.filter((s) => s === 'markNotified')).toHaveLength(1);
    // Recorded: a later sighting of the same open finding is quiet.
    expect(neverNotified(stored, later(10 * UNNOTIFIED_AFTER_MS))).toBe(false);
  });

  it('the record is written before chat and Security Hub, so a run cut off there cannot cause a second email', async () => {
    let cut = false;
    const deps: Partial<NotifierDeps> = {
      exportFinding: () => {
        cut = true;
        return new Promise<void>(() => undefined); // never settles: the invocation times out here
      },
    };
    void notifier({}, deps)(notice());
    await expect.poll(() => cut).toBe(true);
    expect(steps).toEqual(['email', MARK, 'chat']);
  });
});
