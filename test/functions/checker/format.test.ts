import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../../functions/checker/decide';
import { MAX_SUBJECT_LENGTH, formatAlert, type AlertInput } from '../../../functions/checker/format';
import { parseEvent } from '../../../functions/checker/parse-event';
import { projectFixture } from '../../helpers/events';

const event = parseEvent(projectFixture('createuser-sso-console.json'));
const en = { locale: 'en', timeZone: 'Asia/Seoul', partition: 'aws' } as const;
const ko = { ...en, locale: 'ko' } as const;

const findings: [Finding, Severity][] = [
  ['NO_MFA_CONSOLE', 'HIGH'],
  ['NO_MFA_NO_CONSOLE', 'MEDIUM'],
  ['ROOT_MFA_REMOVED', 'CRITICAL'],
  ['CHECK_FAILED', 'HIGH'],
  ['USER_CREATED', 'INFO'],
];

function input(finding: Finding, severity: Severity, extra: Partial<AlertInput> = {}): AlertInput {
  return {
    finding,
    severity,
    event,
    ...(finding === 'ROOT_MFA_REMOVED' ? {} : { userName: 'contractor.kim' }),
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
          ...(finding === 'ROOT_MFA_REMOVED' ? {} : { userName: `${'u'.repeat(60)}@+=.` }),
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
    expect(body).toContain('Console: https://console.aws.amazon.com/iam/home#/users/details/contractor.kim');
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

  it('replaces non-ASCII characters in the subject', () => {
    const message = formatAlert(input('CHECK_FAILED', 'HIGH', { userName: 'kim\u00e9\n' }), en);
    expect(message.subject).toMatch(/^[\x20-\x7e]+$/);
  });
});
