import { describe, expect, it } from 'vitest';
import { formatSweepAlert, type SweepAlertInput } from '../../../functions/sweep-worker/format';
import type { FormatSettings } from '../../../functions/core/message-parts';

const EN: FormatSettings = { locale: 'en', timeZone: 'Asia/Seoul', partition: 'aws' };
const KO: FormatSettings = { ...EN, locale: 'ko' };

const USER: SweepAlertInput = {
  accountId: '111122223333',
  accountName: 'Payments prod',
  accountAlias: 'payments',
  kind: 'USER_NO_MFA',
  detail: 'NO_MFA_CONSOLE',
  severity: 'HIGH',
  userName: 'alice',
  findingId: 'f-0123456789abcdef0123',
  firstSeen: new Date('2026-10-05T10:00:00Z'),
  consolePassword: true,
  lastUsed: new Date('2026-09-30T08:00:00Z'),
  sweepId: 'daily-2026-10-05',
};

describe('formatSweepAlert', () => {
  it('writes an English body with account, user, console password, last use in UTC and the zone, and the sweep', () => {
    const { body, subject, attributes } = formatSweepAlert(USER, EN);
    expect(subject).toBe('[org-mfa-watch] HIGH: sweep found IAM user alice without MFA (111122223333)');
    expect(body).toContain('IAM user "alice" in account 111122223333 (payments) "Payments prod" without MFA');
    expect(body).toContain('Console password: yes');
    expect(body).toContain('Last used: 2026-09-30 08:00:00 UTC / 2026-09-30 17:00:00 (Asia/Seoul)');
    expect(body).toContain('Sweep: daily-2026-10-05');
    expect(body).toContain('https://console.aws.amazon.com/iam/home#/users/details/alice');
    expect(attributes).toEqual({
      severity: 'HIGH',
      accountId: '111122223333',
      eventName: 'Sweep',
      finding: 'NO_MFA_CONSOLE',
      findingId: 'f-0123456789abcdef0123',
      findingState: 'OPEN',
    });
  });

  it('writes Korean with the right particle form after a quoted Latin name, and an ASCII subject', () => {
    const { body, subject } = formatSweepAlert(USER, KO);
    expect(body).toContain('IAM 사용자 "alice"이(가) MFA 없이 발견되었습니다');
    expect(body).toContain('콘솔 비밀번호: 있음');
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('says "never" when the report has no last use', () => {
    const { lastUsed: _lastUsed, ...neverUsed } = USER;
    expect(formatSweepAlert(neverUsed, EN).body).toContain('Last used: never (or before IAM recorded it)');
  });

  it.each([
    ['a 64-character user name', 'u'.repeat(64)],
    ['a name with characters SNS refuses in subjects', 'é'.repeat(10)],
  ])('keeps the subject ASCII and under 100 characters for %s', (_name, userName) => {
    const { subject } = formatSweepAlert({ ...USER, userName }, EN);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toContain('(111122223333)');
  });

  it.each([
    [
      { kind: 'ROOT_NO_MFA', detail: 'ROOT_NO_MFA', severity: 'CRITICAL' },
      'root user with a password and no MFA',
      '/iam/home#/security_credentials',
    ],
    [
      {
        kind: 'ACCOUNT_NOT_COVERED',
        detail: 'ACCOUNT_NOT_COVERED',
        reason: 'sts:AssumeRole: AccessDenied: x',
      },
      'account 111122223333 not covered',
      '/cloudformation/home#/stacksets',
    ],
    [
      {
        kind: 'FORWARDING_BROKEN',
        detail: 'RULE_DISABLED',
        rule: { name: 'org-mfa-watch-forward', region: 'us-east-1' },
      },
      'event forwarding broken in 111122223333 (RULE_DISABLED)',
      '/events/home?region=us-east-1#/eventbus/default/rules/org-mfa-watch-forward',
    ],
  ] as const)('renders account-level and root findings (%#)', (overrides, subjectPart, link) => {
    const { userName: _u, consolePassword: _c, ...base } = USER;
    for (const settings of [EN, KO]) {
      const message = formatSweepAlert({ ...base, ...overrides }, settings);
      expect(message.subject).toContain(subjectPart);
      expect(message.body).toContain(link);
      expect(message.body).not.toContain('alice');
      expect(message.attributes.finding).toBe(overrides.detail);
    }
  });
});

describe('sweep alerts a reader can act on (issue 19, item 7)', () => {
  const kinds: SweepAlertInput[] = [
    USER,
    { ...USER, kind: 'ROOT_NO_MFA', detail: 'ROOT_NO_MFA', severity: 'CRITICAL' },
    {
      ...USER,
      kind: 'ACCOUNT_NOT_COVERED',
      detail: 'ACCOUNT_NOT_COVERED',
      reason: 'sts:AssumeRole: AccessDenied',
    },
    {
      ...USER,
      kind: 'FORWARDING_BROKEN',
      detail: 'RULE_DISABLED',
      rule: { name: 'org-mfa-watch-forward', region: 'us-east-1' },
    },
    { ...USER, kind: 'ROLLOUT_FAILED', detail: 'ROLLOUT_FAILED', reason: 'FAILED: AccessDenied by an SCP' },
    { ...USER, kind: 'REALTIME_PATH_BROKEN', detail: 'REALTIME_PATH_BROKEN' },
  ];

  it.each(
    kinds.flatMap((input) =>
      [EN, KO].map((settings) => [input.kind, settings.locale, input, settings] as const),
    ),
  )('%s (%s) names no repository path and no "(local run)"', (_kind, _locale, input, settings) => {
    const { body } = formatSweepAlert(input, settings);
    expect(body).not.toMatch(/docs\/|\.md\b|\(local run\)/);
  });

  it('WRONG_TARGET shows the expected bus beside the actual targets, in both locales', () => {
    const input: SweepAlertInput = {
      ...USER,
      kind: 'FORWARDING_BROKEN',
      detail: 'WRONG_TARGET',
      rule: {
        name: 'org-mfa-watch-forward',
        region: 'us-east-1',
        expectedBusArn: 'arn:aws:events:eu-central-1:222222222222:event-bus/org-mfa-watch',
        actualTargetArns: ['arn:aws:events:us-east-1:999999999999:event-bus/look-alike'],
      },
    };
    const en = formatSweepAlert(input, EN).body;
    expect(en).toContain('Expected target: arn:aws:events:eu-central-1:222222222222:event-bus/org-mfa-watch');
    expect(en).toContain('Actual targets: arn:aws:events:us-east-1:999999999999:event-bus/look-alike');
    const ko = formatSweepAlert({ ...input, rule: { ...input.rule!, actualTargetArns: [] } }, KO).body;
    expect(ko).toContain('기대한 대상: arn:aws:events:eu-central-1:222222222222:event-bus/org-mfa-watch');
    expect(ko).toContain('실제 대상: 없음');
  });

  it('ROLLOUT_FAILED carries the StackSet status reason and an ASCII subject', () => {
    const { subject, body, attributes } = formatSweepAlert(kinds[4]!, EN);
    expect(subject).toBe(
      '[org-mfa-watch] HIGH: StackSet instance failed in 111122223333: account not watched',
    );
    expect(body).toContain('Cause: FAILED: AccessDenied by an SCP');
    expect(attributes.finding).toBe('ROLLOUT_FAILED');
  });
});
