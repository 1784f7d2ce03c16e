import { describe, expect, it } from 'vitest';
import { emailMessage, plainTextBody, type MessageParts } from '../../../functions/core/message-parts';
import {
  MAX_SUBJECT_LENGTH,
  accountLabel,
  asciiOnly,
  consoleHost,
  utcAndZoned,
  wallClock,
} from '../../../functions/core/message-text';

describe('the pieces every message writes the same way', () => {
  it('keeps SNS subjects ASCII: every other character becomes ?', () => {
    expect(asciiOnly('IAM user 김민준 (ok)\n')).toBe('IAM user ??? (ok)?');
    expect(MAX_SUBJECT_LENGTH).toBeLessThan(100);
  });

  it('writes one instant in UTC and in the reader’s zone, ISO-like whatever the runtime locale', () => {
    const time = new Date('2024-08-01T13:33:28Z');
    expect(wallClock(time, 'Asia/Seoul')).toBe('2024-08-01 22:33:28');
    expect(utcAndZoned(time, 'Asia/Seoul')).toBe(
      '2024-08-01 13:33:28 UTC / 2024-08-01 22:33:28 (Asia/Seoul)',
    );
  });

  it('names an account by id, then its alias and name when known (an empty name is left out)', () => {
    expect(accountLabel({ accountId: '111111111111' })).toBe('111111111111');
    expect(
      accountLabel({ accountId: '111111111111', accountAlias: 'prod-main', accountName: 'Production' }),
    ).toBe('111111111111 (prod-main) "Production"');
    expect(accountLabel({ accountId: '111111111111', accountName: '' })).toBe('111111111111');
  });

  it.each([
    ['aws', 'console.aws.amazon.com'],
    ['aws-us-gov', 'console.amazonaws-us-gov.com'],
    ['aws-cn', 'console.amazonaws.cn'],
    ['aws-iso-unknown', 'console.aws.amazon.com'],
  ])('links the console of partition %s at %s', (partition, host) => {
    expect(consoleHost(partition)).toBe(host);
  });
});

describe('the plain-text email of message parts', () => {
  const parts: MessageParts = {
    subject: '[org-mfa-watch] HIGH: something',
    headline: 'Something happened.',
    context: ['The grace period has passed.'],
    facts: [
      ['Severity', 'HIGH'],
      ['Account', '111111111111'],
    ],
    todoLabel: 'What to do',
    todo: ['First.', 'Second.'],
    console: { label: 'Console', url: 'https://console.aws.amazon.com/iam/home' },
    attributes: { severity: 'HIGH', accountId: '111111111111', eventName: 'Sweep', finding: 'X' },
  };

  it('lays out headline, context, facts, numbered steps and the console link', () => {
    expect(plainTextBody(parts)).toBe(
      [
        'Something happened.',
        'The grace period has passed.',
        '',
        'Severity: HIGH',
        'Account: 111111111111',
        '',
        'What to do:',
        '  1. First.',
        '  2. Second.',
        '',
        'Console: https://console.aws.amazon.com/iam/home',
      ].join('\n'),
    );
  });

  it('writes the closing line instead of the steps when there is one (a resolution)', () => {
    const body = plainTextBody({ ...parts, closing: 'Nothing to do.', console: undefined });
    expect(body.split('\n').slice(-2)).toEqual(['', 'Nothing to do.']);
    expect(body).not.toContain('What to do');
  });

  it('keeps subject and attributes as they are', () => {
    const message = emailMessage(parts);
    expect(message.subject).toBe(parts.subject);
    expect(message.attributes).toBe(parts.attributes);
    expect(message.body).toBe(plainTextBody(parts));
  });
});
