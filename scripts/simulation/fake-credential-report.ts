/**
 * IAM's credential report in a fake member account: generation (with IAM's four-hour reuse and its
 * polling states), download, and the CSV exactly as IAM writes it.
 */
import { IAM_NS, xml, xmlError } from './fake-aws';
import type { Answer, FakeAccount, FakeMemberUser, FakeReportRow } from './fake-member-model';

/** The accounts the report is generated in, and IAM's clock. */
export interface FakeIam {
  readonly accounts: Record<string, FakeAccount>;
  readonly now: () => Date;
}

const REPORT_HEADER = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
];

/** IAM generates at most one report every four hours (IAM User Guide, "Getting credential reports"). */
const REPORT_REUSE_MS = 4 * 3_600_000;

/**
 * A credential report CSV as IAM writes it: the full header, the `<root_account>` row first, `N/A` /
 * `no_information` / `not_supported` where IAM writes them.
 */
export function credentialReportCsv(
  accountId: string,
  rows: readonly FakeReportRow[],
  root: { readonly mfa: boolean; readonly lastUsed?: string } = { mfa: true },
): string {
  // access_key_2_* and cert_*: no second key, no signing certificates.
  const unusedCredentials = ['false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'];
  const noKey = ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const rootRow = [
    '<root_account>',
    `arn:aws:iam::${accountId}:root`,
    '2020-01-01T00:00:00+00:00',
    'not_supported',
    root.lastUsed ?? 'no_information',
    'not_supported',
    'not_supported',
    String(root.mfa),
    ...noKey,
    ...unusedCredentials,
  ];
  const userRows = rows.map((r) => [
    r.user,
    `arn:aws:iam::${accountId}:user${r.path ?? '/'}${r.user}`,
    r.createdAt ?? '2024-01-01T00:00:00+00:00',
    String(r.passwordEnabled),
    r.passwordEnabled ? (r.passwordLastUsed ?? 'no_information') : 'N/A',
    r.passwordEnabled ? '2024-01-01T00:00:00+00:00' : 'N/A',
    'N/A',
    String(r.mfaActive),
    ...(r.keyLastUsed === undefined
      ? noKey
      : ['true', '2024-01-01T00:00:00+00:00', r.keyLastUsed, 'us-east-1', 's3']),
    ...unusedCredentials,
  ]);
  return [REPORT_HEADER, rootRow, ...userRows].map((row) => row.join(',')).join('\n');
}

/** The report rows of live users (what a report generated now says). */
export function rowsOf(users: Readonly<Record<string, FakeMemberUser>>): FakeReportRow[] {
  return Object.entries(users).map(([user, u]) => ({
    user,
    mfaActive: u.mfaDevices > 0,
    passwordEnabled: u.console,
    ...(u.createdAt === undefined ? {} : { createdAt: u.createdAt }),
    ...(u.path === undefined ? {} : { path: u.path }),
    ...(u.passwordLastUsed === undefined ? {} : { passwordLastUsed: u.passwordLastUsed }),
    ...(u.keyLastUsed === undefined ? {} : { keyLastUsed: u.keyLastUsed }),
  }));
}

/**
 * GenerateCredentialReport: STARTED, then INPROGRESS while polled, then COMPLETE with a snapshot of
 * the live users; a report younger than four hours is reused.
 */
export function generateReport(iam: FakeIam, accountId: string, account: FakeAccount): Answer {
  const report = account.report ?? { state: 'none' };
  const now = iam.now().getTime();
  if (report.state === 'ready' && now - report.generatedAt.getTime() < REPORT_REUSE_MS) {
    return [200, xml('GenerateCredentialReport', IAM_NS, '<State>COMPLETE</State>'), 'text/xml'];
  }
  if (report.state === 'in-progress') {
    // Polled with GenerateCredentialReport: INPROGRESS until the report is ready (the same clock and
    // poll count as GetCredentialReport's ReportInProgress), then COMPLETE with the report made.
    const ready = report.readyAt !== undefined ? now >= report.readyAt.getTime() : report.pollsLeft <= 0;
    if (!ready) {
      if (report.readyAt === undefined) {
        iam.accounts[accountId] = {
          ...account,
          report: { state: 'in-progress', pollsLeft: report.pollsLeft - 1 },
        };
      }
      return [200, xml('GenerateCredentialReport', IAM_NS, '<State>INPROGRESS</State>'), 'text/xml'];
    }
    iam.accounts[accountId] = {
      ...account,
      report: { state: 'ready', generatedAt: iam.now(), rows: rowsOf(account.users ?? {}) },
    };
    return [200, xml('GenerateCredentialReport', IAM_NS, '<State>COMPLETE</State>'), 'text/xml'];
  }
  iam.accounts[accountId] = {
    ...account,
    report: {
      state: 'in-progress',
      pollsLeft: account.generationPolls ?? 1,
      ...(account.generationMs === undefined ? {} : { readyAt: new Date(now + account.generationMs) }),
    },
  };
  return [
    200,
    xml(
      'GenerateCredentialReport',
      IAM_NS,
      '<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>',
    ),
    'text/xml',
  ];
}

/** GetCredentialReport: the report's CSV when ready, else IAM's error for its state. */
export function getReport(iam: FakeIam, accountId: string, account: FakeAccount): Answer {
  const report = account.report ?? { state: 'none' };
  // Error codes and HTTP statuses of GetCredentialReport (IAM API reference).
  switch (report.state) {
    case 'none':
      return [410, xmlError('ReportNotPresent', 'Credential report not present.'), 'text/xml'];
    case 'expired':
      return [410, xmlError('ReportExpired', 'Credential report has expired.'), 'text/xml'];
    case 'in-progress':
      if (report.readyAt !== undefined) {
        if (iam.now().getTime() < report.readyAt.getTime()) {
          return [404, xmlError('ReportInProgress', 'Credential report is being generated.'), 'text/xml'];
        }
      } else if (report.pollsLeft > 0) {
        iam.accounts[accountId] = {
          ...account,
          report: { state: 'in-progress', pollsLeft: report.pollsLeft - 1 },
        };
        return [404, xmlError('ReportInProgress', 'Credential report is being generated.'), 'text/xml'];
      }
      // Ready now: a snapshot of the live users.
      iam.accounts[accountId] = {
        ...account,
        report: { state: 'ready', generatedAt: iam.now(), rows: rowsOf(account.users ?? {}) },
      };
      return getReport(iam, accountId, iam.accounts[accountId]);
    case 'ready': {
      const root = account.root ?? { mfa: true, password: false };
      const csv = credentialReportCsv(accountId, report.rows ?? rowsOf(account.users ?? {}), root);
      return [
        200,
        xml(
          'GetCredentialReport',
          IAM_NS,
          `<Content>${Buffer.from(csv).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>${report.generatedAt.toISOString()}</GeneratedTime>`,
        ),
        'text/xml',
      ];
    }
  }
}
