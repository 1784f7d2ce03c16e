import { describe, expect, it } from 'vitest';
import {
  CredentialReportFormatError,
  parseCredentialReport,
  parseCsv,
  pathFromArn,
} from '../../../functions/sweep-worker/credential-report';
import { credentialReportCsv } from '../../../scripts/simulation/fake-member-accounts';

const ACCOUNT = '111122223333';

// IAM User Guide, "Getting credential reports": CSV with a header row; the root user's row is
// `<root_account>` with password_enabled `not_supported`; dates are ISO 8601 or `N/A` (no such
// credential) / `no_information` (never used, or before IAM recorded it).
describe('parseCredentialReport', () => {
  it('reads users by column name, keeps root apart, and understands N/A and no_information', () => {
    const csv = credentialReportCsv(
      ACCOUNT,
      [
        {
          user: 'alice',
          mfaActive: false,
          passwordEnabled: true,
          passwordLastUsed: '2026-09-01T10:00:00+00:00',
        },
        {
          user: 'bot',
          mfaActive: false,
          passwordEnabled: false,
          path: '/service/',
          keyLastUsed: '2026-09-02T00:00:00+00:00',
        },
        { user: 'bob', mfaActive: true, passwordEnabled: true },
      ],
      { mfa: false, lastUsed: '2026-08-01T00:00:00+00:00' },
    );
    const report = parseCredentialReport(csv);
    expect(report.root).toEqual({ mfaActive: false, lastUsed: new Date('2026-08-01T00:00:00Z') });
    expect(report.users.map((u) => u.userName)).toEqual(['alice', 'bot', 'bob']);
    expect(report.users[0]).toMatchObject({
      passwordEnabled: true,
      mfaActive: false,
      lastUsed: new Date('2026-09-01T10:00:00Z'),
    });
    expect(report.users[1]).toMatchObject({
      path: '/service/',
      passwordEnabled: false,
      lastUsed: new Date('2026-09-02T00:00:00Z'),
    });
    // bob: password never used (no_information), no access key (N/A): no last use.
    expect(report.users[2]?.lastUsed).toBeUndefined();
  });

  it('does not depend on the column order, and ignores columns it does not know', () => {
    const csv = [
      'mfa_active,extra_column,password_enabled,user_creation_time,arn,user',
      'false,x,true,2024-01-01T00:00:00+00:00,arn:aws:iam::111122223333:user/alice,alice',
      'true,x,not_supported,2020-01-01T00:00:00+00:00,arn:aws:iam::111122223333:root,<root_account>',
    ].join('\r\n');
    const report = parseCredentialReport(csv);
    expect(report.users).toEqual([
      {
        userName: 'alice',
        arn: 'arn:aws:iam::111122223333:user/alice',
        path: '/',
        createdAt: new Date('2024-01-01T00:00:00Z'),
        passwordEnabled: true,
        mfaActive: false,
      },
    ]);
    expect(report.root).toEqual({ mfaActive: true });
  });

  it('reads quoted fields (IAM user names may contain commas)', () => {
    expect(parseCsv('a,b\n"x,y","say ""hi"""\n')).toEqual([
      ['a', 'b'],
      ['x,y', 'say "hi"'],
    ]);
  });

  it.each([
    ['', 1, 'the report is empty'],
    [
      'user,arn\nalice,arn:aws:iam::1:user/alice',
      1,
      'missing column(s) user_creation_time, password_enabled, mfa_active',
    ],
    [
      'user,arn,user_creation_time,password_enabled,mfa_active\nalice,arn:aws:iam::1:user/alice,2024-01-01T00:00:00Z,true,maybe',
      2,
      'mfa_active: expected true or false, got "maybe"',
    ],
    [
      'user,arn,user_creation_time,password_enabled,mfa_active\nalice,arn:aws:iam::1:user/alice,yesterday,true,false',
      2,
      'user_creation_time: expected an ISO 8601 time, got "yesterday"',
    ],
    [
      'user,arn,user_creation_time,password_enabled,mfa_active\nalice,arn',
      2,
      'mfa_active: the row is too short',
    ],
  ])('rejects a malformed report naming line and column (%#)', (csv, line, problem) => {
    const error = (() => {
      try {
        parseCredentialReport(csv);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CredentialReportFormatError);
    expect(error).toMatchObject({ line, problem });
  });

  it.each([
    ['arn:aws:iam::111122223333:user/alice', '/'],
    ['arn:aws:iam::111122223333:user/division/team/alice', '/division/team/'],
    ['arn:aws-us-gov:iam::111122223333:user/svc/bot', '/svc/'],
  ])('takes the IAM path from the ARN %s', (arn, path) => {
    expect(pathFromArn(arn)).toBe(path);
  });
});
