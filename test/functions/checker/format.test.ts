import { describe, expect, it } from 'vitest';
import type { AlertNote, Finding, Severity } from '../../../functions/core/judge';
import { formatAlert, type AlertInput } from '../../../functions/checker/format';
import { MAX_SUBJECT_LENGTH } from '../../../functions/core/message-text';
import { parseEvent } from '../../../functions/checker/parse-event';
import { projectFixture } from '../../helpers/events';

const event = parseEvent(projectFixture('createuser-sso-console.json'));
const en = { locale: 'en', timeZone: 'Asia/Seoul', partition: 'aws' } as const;
const ko = { ...en, locale: 'ko' } as const;

const findings: [Finding, Severity][] = [
  ['NO_MFA_CONSOLE', 'HIGH'],
  ['NO_MFA_NO_CONSOLE', 'MEDIUM'],
  ['ROOT_NO_MFA', 'CRITICAL'],
  ['ROOT_MFA_REMOVED', 'CRITICAL'],
  ['ROOT_PASSWORD_CREATED', 'CRITICAL'],
  ['CHECK_FAILED', 'HIGH'],
  ['USER_CREATED', 'INFO'],
  ['TAG_EXEMPTED', 'INFO'],
];
const isRoot = (finding: Finding) => finding.startsWith('ROOT_');

function input(finding: Finding, severity: Severity, extra: Partial<AlertInput> = {}): AlertInput {
  return {
    finding,
    severity,
    event,
    ...(isRoot(finding) ? {} : { userName: 'contractor.kim' }),
    ...(finding === 'USER_CREATED' ? { checkDueAt: new Date('2026-10-06T09:16:40Z') } : {}),
    ...extra,
  };
}

describe('formatAlert', () => {
  it.each(findings)(
    '%s: ASCII subject under 100 characters, even for a 64-character user and a long alias',
    (finding, severity) => {
      const message = formatAlert(
        input(finding, severity, {
          ...(isRoot(finding) ? {} : { userName: `${'u'.repeat(60)}@+=.` }),
          accountAlias: 'a'.repeat(63),
        }),
        ko,
      );
      expect(message.subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
      expect(message.subject).toMatch(/^[\x20-\x7e]+$/);
      expect(message.subject).toMatch(new RegExp(`^\\[org-mfa-watch\\] ${severity}: `));
      expect(message.subject).toContain('210987654321');
    },
  );

  it.each(findings)('%s: attributes for subscription filters', (finding, severity) => {
    expect(formatAlert(input(finding, severity), en).attributes).toEqual({
      severity,
      accountId: '210987654321',
      eventName: 'CreateUser',
      finding,
    });
  });

  it('writes the body in English with every field an analyst needs', () => {
    const { body } = formatAlert(input('NO_MFA_CONSOLE', 'HIGH', { accountAlias: 'acme-prod' }), en);
    expect(body).toContain(
      'IAM user "contractor.kim" in account 210987654321 (acme-prod) has a console password and no MFA.',
    );
    expect(body).toContain(
      'Requested by: arn:aws:sts::210987654321:assumed-role/AWSReservedSSO_AdministratorAccess',
    );
    expect(body).toContain('Source IP: 203.0.113.24');
    expect(body).toContain('User agent: AWS Internal');
    expect(body).toContain('Event time: 2026-10-05 09:16:40 UTC / 2026-10-05 18:16:40 (Asia/Seoul)');
    expect(body).toContain('Severity: HIGH');
    expect(body).toContain('What to do:');
    expect(body).toContain(
      'Console (sign in to account 210987654321 first): https://console.aws.amazon.com/iam/home#/users/details/contractor.kim',
    );
  });

  it('writes the body in Korean, with the zoned time', () => {
    const { body, subject } = formatAlert(input('NO_MFA_CONSOLE', 'HIGH'), ko);
    expect(body).toContain('콘솔 비밀번호가 있지만 MFA가 없습니다');
    expect(body).toContain('이벤트 시각: 2026-10-05 09:16:40 UTC / 2026-10-05 18:16:40 (Asia/Seoul)');
    expect(body).toContain('조치 사항:');
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it.each([
    ['aws-us-gov', 'https://console.amazonaws-us-gov.com/iam/'],
    ['aws-cn', 'https://console.amazonaws.cn/iam/'],
  ])('links to the console of partition %s', (partition, host) => {
    expect(formatAlert(input('NO_MFA_NO_CONSOLE', 'MEDIUM'), { ...en, partition }).body).toContain(host);
  });

  it('links the root user to the security credentials page', () => {
    expect(formatAlert(input('ROOT_MFA_REMOVED', 'CRITICAL'), en).body).toContain(
      '/iam/home#/security_credentials',
    );
  });

  it('tells when the creation notice will be followed by the check', () => {
    expect(formatAlert(input('USER_CREATED', 'INFO'), en).body).toContain(
      'MFA will be checked at 2026-10-06 18:16:40 (Asia/Seoul)',
    );
  });

  describe('in Korean, every line a reader reads is Korean', () => {
    const HANGUL = /[\uac00-\ud7a3]/;
    const notes: AlertNote[] = [
      { kind: 'exemption-expired', source: 'config', reason: 'vendor appliance', expires: '2026-01-31' },
      { kind: 'exemption-expired', source: 'tag', reason: 'vendor appliance', expires: '2026-01-31' },
      { kind: 'tag-invalid', problem: { problem: 'empty-reason' } },
      { kind: 'tag-invalid', problem: { problem: 'until-without-reason' } },
      { kind: 'tag-invalid', problem: { problem: 'bad-date', value: 'soon' } },
      { kind: 'tag-untrusted', value: 'trust me' },
      { kind: 'tag-trusted', value: 'break-glass', expires: '2027-01-31' },
      { kind: 'root-read-failed', error: 'AccessDenied: not authorized' },
      { kind: 'renamed', previousUserName: 'alice' },
    ];
    /** The part of a line that is text rather than data: the label before ": ", or the whole line. */
    const textOf = (line: string) => line.split(': ')[0] ?? line;

    it.each(findings)('%s: headline, grace note, labels and what-to-do lines', (finding, severity) => {
      const { body } = formatAlert(
        input(finding, severity, { afterGracePeriod: true, failure: 'AccessDenied: not authorized' }),
        ko,
      );
      const lines = body.split('\n').filter((line) => line.trim() !== '');
      expect(lines.length).toBeGreaterThan(8);
      for (const line of lines) expect(textOf(line), line).toMatch(HANGUL);
      // No English sentence of the English template is left behind.
      const english = formatAlert(input(finding, severity, { afterGracePeriod: true }), en).body;
      const englishHeadline = english.split('\n')[0] ?? '';
      expect(body).not.toContain(englishHeadline);
      expect(body).not.toMatch(/What to do|Severity|Requested by|The grace period/);
    });

    it.each(notes)('note %j is written in Korean', (note) => {
      const { body } = formatAlert(input('NO_MFA_CONSOLE', 'HIGH', { note }), ko);
      const line = body.split('\n').find((l) => l.startsWith('참고: ')) ?? '';
      expect(line.slice('참고: '.length)).toMatch(HANGUL);
      const englishNote = formatAlert(input('NO_MFA_CONSOLE', 'HIGH', { note }), en)
        .body.split('\n')
        .find((l) => l.startsWith('Note: '));
      expect(englishNote).toBeDefined();
      expect(body).not.toContain(englishNote?.slice('Note: '.length, 'Note: '.length + 20) ?? '?');
    });
  });

  it('replaces non-ASCII characters in the subject', () => {
    const message = formatAlert(input('CHECK_FAILED', 'HIGH', { userName: 'kim\u00e9\n' }), en);
    expect(message.subject).toMatch(/^[\x20-\x7e]+$/);
  });
});
