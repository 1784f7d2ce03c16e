import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../bin/app';
import { chatAlert } from '../../../functions/checker/chat-format';
import { formatAlert } from '../../../functions/checker/format';
import { parseEvent } from '../../../functions/checker/parse-event';
import { toAsff } from '../../../functions/core/asff';
import { consoleLinkFor } from '../../../functions/core/console-link';
import { sharedSettings, SHARED_ENV_SCHEMA } from '../../../functions/core/env';
import { ALERT_LOCALES, CHECKER_ENV, CONSOLE_ENV } from '../../../functions/contract/contract';
import type { Finding as StoredFinding } from '../../../functions/core/finding-store';
import { FINDINGS_ENV, findingId } from '../../../functions/contract/findings';
import { formatSweepAlert, type SweepAlertInput } from '../../../functions/sweep-worker/format';
import { ConfigError, parseConfig } from '../../../stacks/config';
import { rawTestConfig, testConfig, testAppProps } from '../../helpers/app';
import { projectFixture } from '../../helpers/events';

// Issue 19, item 5: console links open the right account. The analyst reading an alert is signed in to
// the security account; a plain console URL opens there. IAM Identity Center User Guide, "Create shortcut
// links to specific AWS Management Console pages"
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/createshortcutlink.html): a shortcut link is
// `<access portal URL>/#/console?account_id=<id>&role_name=<permission set>&destination=<URL-encoded URL>`.

const ACCESS = { accessPortalUrl: 'https://d-1234567890.awsapps.com/start', permissionSet: 'SecurityAudit' };
const MEMBER = '210987654321';
const IAM_PAGE = 'https://console.aws.amazon.com/iam/home#/users/details/contractor.kim';
const SHORTCUT = `https://d-1234567890.awsapps.com/start/#/console?account_id=${MEMBER}&role_name=SecurityAudit&destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fiam%2Fhome%23%2Fusers%2Fdetails%2Fcontractor.kim`;

describe('consoleLinkFor', () => {
  it('builds the shortcut link of the IAM Identity Center User Guide', () => {
    expect(consoleLinkFor('en', MEMBER, IAM_PAGE, ACCESS)).toEqual({
      label: `Console (IAM Identity Center: account ${MEMBER}, permission set SecurityAudit)`,
      url: SHORTCUT,
    });
  });

  it('accepts the dual-stack portal form and a trailing slash', () => {
    const url = consoleLinkFor('en', MEMBER, IAM_PAGE, {
      accessPortalUrl: 'https://ssoins-1234567890abcdef.portal.us-east-1.app.aws/',
      permissionSet: 'ViewOnly',
    }).url;
    expect(url).toMatch(
      /^https:\/\/ssoins-1234567890abcdef\.portal\.us-east-1\.app\.aws\/#\/console\?account_id=210987654321&role_name=ViewOnly&destination=/,
    );
  });

  it.each([
    ['en', `Console (sign in to account ${MEMBER} first)`],
    ['ko', `콘솔 (먼저 계정 ${MEMBER}에 로그인하십시오)`],
  ] as const)('without IAM Identity Center names the account to sign in to (%s)', (locale, label) => {
    expect(consoleLinkFor(locale, MEMBER, IAM_PAGE)).toEqual({ label, url: IAM_PAGE });
  });
});

describe('the alerts use it, in every locale and channel', () => {
  const event = parseEvent(projectFixture('createuser-sso-console.json'));
  const input = { finding: 'NO_MFA_CONSOLE', severity: 'HIGH', event, userName: 'contractor.kim' } as const;

  it.each(ALERT_LOCALES)(
    'the checker email links through the portal into the member account (%s)',
    (locale) => {
      const body = formatAlert(input, {
        locale,
        timeZone: 'UTC',
        partition: 'aws',
        consoleAccess: ACCESS,
      }).body;
      expect(body).toContain(`: ${SHORTCUT}`);
      expect(body).toContain(
        locale === 'ko'
          ? `콘솔 (IAM Identity Center: 계정 ${MEMBER}, 권한 세트 SecurityAudit)`
          : 'permission set SecurityAudit',
      );
    },
  );

  it.each(ALERT_LOCALES)('the checker email names the user in the suggested command (%s)', (locale) => {
    const body = formatAlert(input, { locale, timeZone: 'UTC', partition: 'aws' }).body;
    expect(body).toContain('aws iam delete-login-profile --user-name contractor.kim');
  });

  it('the chat message carries the same link', () => {
    const chat = JSON.stringify(
      chatAlert(input, { locale: 'en', timeZone: 'UTC', partition: 'aws', consoleAccess: ACCESS }),
    );
    expect(chat).toContain(SHORTCUT);
  });

  const sweepInput = (kind: SweepAlertInput['kind']): SweepAlertInput => ({
    accountId: MEMBER,
    kind,
    detail: kind === 'USER_NO_MFA' ? 'NO_MFA_CONSOLE' : kind,
    severity: 'HIGH',
    ...(kind === 'USER_NO_MFA' ? { userName: 'contractor.kim', consolePassword: true } : {}),
    findingId: 'f-00000000000000000000',
    firstSeen: new Date('2026-12-01T00:00:00Z'),
  });

  it.each(ALERT_LOCALES)(
    'the sweep alert links through the portal into the member account (%s)',
    (locale) => {
      const body = formatSweepAlert(sweepInput('USER_NO_MFA'), {
        locale,
        timeZone: 'UTC',
        partition: 'aws',
        consoleAccess: ACCESS,
      }).body;
      expect(body).toContain(SHORTCUT);
    },
  );

  it('the sweep alert of an uncovered account points to the StackSet account, not the member', () => {
    const body = formatSweepAlert(sweepInput('ACCOUNT_NOT_COVERED'), {
      locale: 'en',
      timeZone: 'UTC',
      partition: 'aws',
      consoleAccess: ACCESS,
    }).body;
    expect(body).toContain(
      'Console (in the account that deploys the StackSet): https://console.aws.amazon.com/',
    );
  });

  it('the Security Hub finding names the user in the suggested command', () => {
    const finding: StoredFinding = {
      findingId: findingId(MEMBER, 'USER_NO_MFA', 'contractor.kim'),
      accountId: MEMBER,
      kind: 'USER_NO_MFA',
      subject: 'contractor.kim',
      detail: 'NO_MFA_CONSOLE',
      state: 'OPEN',
      severity: 'HIGH',
      source: 'event',
      firstSeen: '2026-12-01T00:00:00.000Z',
      openedAt: '2026-12-01T00:00:00.000Z',
      lastSeen: '2026-12-01T00:00:00.000Z',
      reopenCount: 0,
      previousNames: [],
      version: 1,
    };
    const asff = toAsff(finding, { locale: 'ko', partition: 'aws', region: 'eu-central-1' });
    expect(asff.Remediation?.Recommendation?.Text).toContain('--user-name contractor.kim');
  });
});

describe('the setting reaches the functions', () => {
  const base = {
    [CHECKER_ENV.checkRoleName]: 'org-mfa-watch-check',
    [CHECKER_ENV.alertTopicArn]: 'arn:aws:sns:eu-central-1:222222222222:org-mfa-watch-alerts',
    [CHECKER_ENV.alertLocale]: 'en',
    [CHECKER_ENV.alertTimeZone]: 'UTC',
    [CHECKER_ENV.gracePeriodHours]: '0',
    [CHECKER_ENV.exemptions]: '[]',
    [CHECKER_ENV.trustExemptionTags]: 'false',
    [FINDINGS_ENV.tableName]: 'org-mfa-watch-findings',
    [FINDINGS_ENV.resolvedRetentionDays]: '90',
  };

  it('reads both variables into the settings, and neither when unset', () => {
    const withAccess = SHARED_ENV_SCHEMA.parse({
      ...base,
      [CONSOLE_ENV.accessPortalUrl]: ACCESS.accessPortalUrl,
      [CONSOLE_ENV.permissionSet]: ACCESS.permissionSet,
    });
    expect(sharedSettings(withAccess).consoleAccess).toEqual(ACCESS);
    expect(sharedSettings(SHARED_ENV_SCHEMA.parse(base)).consoleAccess).toBeUndefined();
  });

  it('the central stack sets them on the checker and the sweep worker', () => {
    const app = new App(testAppProps());
    buildApp(app, testConfig({ console: ACCESS }));
    const template = readFileSync(join(app.synth().directory, 'OrgMfaWatch-Central.template.json'), 'utf8');
    const functions = Object.values(
      (
        JSON.parse(template) as {
          Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
        }
      ).Resources,
    ).filter((r) => r.Type === 'AWS::Lambda::Function');
    const withAccess = functions.filter((f) =>
      JSON.stringify(f.Properties).includes(CONSOLE_ENV.accessPortalUrl),
    );
    // The checker and the sweep worker: the two functions that send alerts about a member account.
    expect(withAccess).toHaveLength(2);
    for (const f of withAccess) {
      expect(JSON.stringify(f.Properties)).toContain(`"${CONSOLE_ENV.permissionSet}":"SecurityAudit"`);
    }
  });
});

describe('configuration: console', () => {
  it.each([
    'https://d-1234567890.awsapps.com/start',
    'https://my-company.awsapps.com/start/',
    'https://ssoins-1234567890abcdef.portal.eu-central-1.app.aws',
  ])('accepts the access portal URL %s', (accessPortalUrl) => {
    expect(
      testConfig({ console: { accessPortalUrl, permissionSet: 'SecurityAudit' } }).console,
    ).toBeDefined();
  });

  it.each([
    [
      { accessPortalUrl: 'https://console.aws.amazon.com', permissionSet: 'X' },
      'console.accessPortalUrl: expected an AWS access portal URL',
    ],
    [
      { accessPortalUrl: 'http://d-1234567890.awsapps.com/start', permissionSet: 'X' },
      'console.accessPortalUrl: expected an AWS access portal URL',
    ],
    [
      { accessPortalUrl: ACCESS.accessPortalUrl, permissionSet: 'a name with spaces' },
      'console.permissionSet: expected a permission set name',
    ],
    [{ accessPortalUrl: ACCESS.accessPortalUrl }, 'console.permissionSet: required'],
  ])('rejects %j, naming the field', (consoleConfig, message) => {
    let problems: readonly string[] = [];
    try {
      parseConfig({ ...rawTestConfig(), console: consoleConfig });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([expect.stringContaining(message)]);
  });
});
