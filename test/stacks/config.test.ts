import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, parseConfig } from '../../stacks/config';
import { knownRegionPartition } from '../../stacks/regions';
import { rawTestConfig, testConfig } from '../helpers/app';
import { PROJECT_ROOT } from '../helpers/events';

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const withRollout = (rollout: Record<string, unknown>) => ({
  ...rawTestConfig(),
  rollout: { ...(rawTestConfig().rollout as object), ...rollout },
});
const withNotifications = (n: Record<string, unknown>) => ({
  ...rawTestConfig(),
  notifications: { ...(rawTestConfig().notifications as object), ...n },
});

describe('parseConfig', () => {
  it('accepts the example in cdk.json, which synthesizes with no edits', () => {
    const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
      context: { orgMfaWatch: unknown };
    };
    expect(parseConfig(cdkJson.context.orgMfaWatch)).toMatchObject({
      homeRegion: 'us-east-1',
      gracePeriodHours: 24,
    });
  });

  it('fills defaults', () => {
    const minimal = {
      organizationId: 'o-a1b2c3d4e5',
      managementAccountId: '111111111111',
      securityAccountId: '222222222222',
      rollout: { deployFrom: 'management', organizationalUnitIds: ['r-ab12'] },
      notifications: { emails: ['a@example.com'] },
    };
    expect(parseConfig(minimal)).toMatchObject({
      homeRegion: 'us-east-1',
      notifications: { locale: 'en', timeZone: 'UTC' },
      gracePeriodHours: 24,
      notifyOnCreate: true,
      exemptions: [],
      archiveRetentionDays: 30,
      rollout: { excludeAccountIds: [] },
    });
  });

  it.each([
    [
      'a short account id',
      { ...rawTestConfig(), securityAccountId: '12345' },
      'securityAccountId: expected a 12-digit AWS account id',
    ],
    [
      'a numeric account id',
      { ...rawTestConfig(), managementAccountId: 111111111111 },
      'managementAccountId: expected a 12-digit',
    ],
    [
      'an organization id without o-',
      { ...rawTestConfig(), organizationId: 'a1b2c3d4e5' },
      'organizationId: expected an organization id "o-"',
    ],
    [
      'a bad OU id',
      withRollout({ organizationalUnitIds: ['ou-xyz'] }),
      'rollout.organizationalUnitIds[0]: expected an OU id',
    ],
    [
      'no OU',
      withRollout({ organizationalUnitIds: [] }),
      'rollout.organizationalUnitIds: expected at least one OU or root id',
    ],
    [
      'a bad deployFrom',
      withRollout({ deployFrom: 'security' }),
      'rollout.deployFrom: expected "management" or "delegated-admin"',
    ],
    [
      'a bad email',
      withNotifications({ emails: ['not-an-email'] }),
      'notifications.emails[0]: expected an email address',
    ],
    [
      'an unknown time zone',
      withNotifications({ timeZone: 'Seoul' }),
      'notifications.timeZone: expected an IANA time zone name',
    ],
    [
      'an unknown locale',
      withNotifications({ locale: 'fr' }),
      'notifications.locale: expected one of: en, ko',
    ],
    ['a bad region', { ...rawTestConfig(), homeRegion: 'europe' }, 'homeRegion: expected an AWS region name'],
    [
      'a fractional grace period',
      { ...rawTestConfig(), gracePeriodHours: 1.5 },
      'gracePeriodHours: expected a whole number of hours',
    ],
    [
      'a too long grace period',
      { ...rawTestConfig(), gracePeriodHours: 1000 },
      'gracePeriodHours: expected at most 720 hours',
    ],
    [
      'an unknown field',
      { ...rawTestConfig(), gracePeriodHour: 2 },
      '(root): unknown field(s) "gracePeriodHour"',
    ],
    [
      'an exemption with both userName and pathPrefix',
      {
        ...rawTestConfig(),
        exemptions: [{ accountId: '333333333333', userName: 'a', pathPrefix: '/x/', reason: 'because' }],
      },
      'exemptions[0]: expected exactly one of "userName" or "pathPrefix"',
    ],
    [
      'an exemption with an impossible date',
      {
        ...rawTestConfig(),
        exemptions: [{ accountId: '333333333333', userName: 'a', reason: 'because', expires: '2027-02-30' }],
      },
      'exemptions[0].expires: expected a real calendar date YYYY-MM-DD',
    ],
    [
      'the management account excluded',
      withRollout({ excludeAccountIds: ['111111111111'] }),
      'rollout.excludeAccountIds[0]: the management account is never a StackSet target',
    ],
    [
      'a delegated admin with deployFrom management',
      withRollout({ delegatedAdminAccountId: '555555555555' }),
      'rollout.delegatedAdminAccountId: only meaningful',
    ],
  ])('rejects %s with a message naming the field', (_name, raw, message) => {
    expect(problemsOf(raw).some((p) => p.startsWith(message))).toBe(true);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      ...rawTestConfig(),
      organizationId: 'x',
      securityAccountId: '1',
      homeRegion: 'mars',
      extra: true,
    });
    expect(problems).toHaveLength(4);
  });

  it('rejects a configuration that is not an object', () => {
    expect(problemsOf(undefined)[0]).toMatch(/^\(root\): /);
  });
});

describe('parseConfig: problems across fields and missing fields', () => {
  it.each([
    [
      'the same email twice, in another case',
      withNotifications({ emails: ['secops@example.com', 'SecOps@Example.com'] }),
      'notifications.emails[1]: "SecOps@Example.com" repeats notifications.emails[0] (addresses are compared ignoring case)',
    ],
    [
      'the same OU twice',
      withRollout({ organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-34cd56ef'] }),
      'rollout.organizationalUnitIds[1]: "ou-ab12-34cd56ef" repeats rollout.organizationalUnitIds[0]',
    ],
    [
      'a GovCloud home region',
      { ...rawTestConfig(), homeRegion: 'us-gov-west-1' },
      'homeRegion: "us-gov-west-1" is in partition aws-us-gov, but the member resources live in us-east-1 (partition aws)',
    ],
    [
      'a China home region',
      { ...rawTestConfig(), homeRegion: 'cn-north-1' },
      'homeRegion: "cn-north-1" is in partition aws-cn',
    ],
    [
      'an ISO home region',
      { ...rawTestConfig(), homeRegion: 'us-iso-east-1' },
      'homeRegion: "us-iso-east-1" is in partition aws-iso,',
    ],
    [
      'a missing security account',
      { ...rawTestConfig(), securityAccountId: undefined },
      'securityAccountId: required; expected a 12-digit AWS account id string',
    ],
    [
      'a missing rollout',
      { ...rawTestConfig(), rollout: undefined },
      'rollout: required; expected an object such as { "deployFrom": "management"',
    ],
    [
      'a missing email list',
      withNotifications({ emails: undefined }),
      'notifications.emails: required; expected a list of email addresses',
    ],
    [
      'an exemption without a reason',
      { ...rawTestConfig(), exemptions: [{ accountId: '333333333333', userName: 'a' }] },
      'exemptions[0].reason: required; expected a reason of 3-256 characters',
    ],
    [
      'a home region that is not a string',
      { ...rawTestConfig(), homeRegion: 5 },
      'homeRegion: expected an AWS region name string',
    ],
  ])('rejects %s in one line', (_name, raw, message) => {
    const problems = problemsOf(raw);
    expect(problems.filter((p) => p.startsWith(message))).toHaveLength(1);
    expect(problems.join('\n')).not.toMatch(/Invalid input|received undefined/);
  });

  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-1', 'aws'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('puts %s in partition %s', (region, partition) => {
    expect(knownRegionPartition(region)).toBe(partition);
  });
});

describe('configWarnings', () => {
  const exemption = { accountId: '333333333333', userName: 'legacy-bridge', reason: 'vendor appliance' };
  const config = (expires: string) => testConfig({ exemptions: [{ ...exemption, expires }] });

  it('names a configured exemption whose last day is past', () => {
    expect(configWarnings(config('2026-11-29'), new Date('2026-11-30T08:00:00Z'))).toEqual([
      'exemptions[0] (account 333333333333, userName legacy-bridge) expired on 2026-11-29 and no longer applies: remove it or set a new "expires"',
    ]);
  });

  it('is quiet on the last day itself (an exemption applies through the end of that day, UTC)', () => {
    expect(configWarnings(config('2026-11-30'), new Date('2026-11-30T23:59:59Z'))).toEqual([]);
  });
});

describe('parseConfig: the sweep and tamper protection', () => {
  const withSweep = (sweep: Record<string, unknown>) => ({ ...rawTestConfig(), sweep });

  it('fills the sweep defaults, the schedule in the time zone of the notifications', () => {
    const config = testConfig();
    expect(config.sweep).toEqual({
      schedule: { expression: 'cron(0 6 * * ? *)', timeZone: 'Asia/Seoul' },
      maxConcurrency: 20,
      batchSize: 10,
      toleratedFailurePercentage: 5,
      credentialReportMaxAgeHours: 4,
      reportRetentionDays: 365,
      enabled: true,
      alertStormThreshold: 10,
      joinedAccount: { waitMinutes: 15, attempts: 4 },
    });
    expect(config.tamperProtection).toEqual({
      enabled: false,
      exemptPrincipalArns: [],
      protectTrails: false,
    });
  });

  it('keeps configured values, and a schedule time zone of its own', () => {
    const config = parseConfig(
      withSweep({
        schedule: { expression: 'rate(12 hours)', timeZone: 'Europe/Berlin' },
        maxConcurrency: 1000,
        batchSize: 1,
        toleratedFailurePercentage: 0,
        credentialReportMaxAgeHours: 24,
        reportRetentionDays: 30,
        joinedAccount: { waitMinutes: 5, attempts: 1 },
      }),
    );
    expect(config.sweep).toMatchObject({
      schedule: { expression: 'rate(12 hours)', timeZone: 'Europe/Berlin' },
      maxConcurrency: 1000,
      batchSize: 1,
      toleratedFailurePercentage: 0,
      joinedAccount: { waitMinutes: 5, attempts: 1 },
    });
  });

  it.each([
    [
      'a schedule that is not a Scheduler expression',
      withSweep({ schedule: { expression: '0 6 * * *' } }),
      'sweep.schedule.expression: expected an EventBridge Scheduler expression',
    ],
    [
      'a cron expression with five fields',
      withSweep({ schedule: { expression: 'cron(0 6 * * ?)' } }),
      'sweep.schedule.expression: expected an EventBridge Scheduler expression',
    ],
    [
      'an unknown schedule time zone',
      withSweep({ schedule: { timeZone: 'Seoul' } }),
      'sweep.schedule.timeZone: expected an IANA time zone name',
    ],
    ['a concurrency of 0', withSweep({ maxConcurrency: 0 }), 'sweep.maxConcurrency: expected at least 1'],
    [
      'a concurrency above the Distributed Map quota',
      withSweep({ maxConcurrency: 1001 }),
      'sweep.maxConcurrency: expected at most 1000',
    ],
    ['a fractional batch', withSweep({ batchSize: 2.5 }), 'sweep.batchSize: expected a whole number'],
    [
      'a percentage above 100',
      withSweep({ toleratedFailurePercentage: 101 }),
      'sweep.toleratedFailurePercentage: expected a percentage from 0 to 100',
    ],
    [
      'a report age of a day and more',
      withSweep({ credentialReportMaxAgeHours: 25 }),
      'sweep.credentialReportMaxAgeHours: expected at most 24',
    ],
    [
      'a report age of 0',
      withSweep({ credentialReportMaxAgeHours: 0 }),
      'sweep.credentialReportMaxAgeHours: expected at least 1',
    ],
    [
      'a retention of 0 days',
      withSweep({ reportRetentionDays: 0 }),
      'sweep.reportRetentionDays: expected at least 1',
    ],
    [
      'no attempt for a joined account',
      withSweep({ joinedAccount: { attempts: 0 } }),
      'sweep.joinedAccount.attempts: expected at least 1',
    ],
    ['an unknown sweep field', withSweep({ concurrency: 5 }), 'sweep: unknown field(s) "concurrency"'],
    [
      'an exempt principal that is not an IAM ARN',
      { ...rawTestConfig(), tamperProtection: { enabled: true, exemptPrincipalArns: ['BreakGlass'] } },
      'tamperProtection.exemptPrincipalArns[0]: expected an IAM role or user ARN',
    ],
    [
      'tamper protection switched on with a string',
      { ...rawTestConfig(), tamperProtection: { enabled: 'yes' } },
      'tamperProtection.enabled: expected true or false',
    ],
    [
      'trail protection switched on with a string',
      { ...rawTestConfig(), tamperProtection: { enabled: true, protectTrails: 'yes' } },
      'tamperProtection.protectTrails: expected true or false',
    ],
    [
      'trail protection without the SCP',
      { ...rawTestConfig(), tamperProtection: { protectTrails: true } },
      'tamperProtection.protectTrails: only meaningful with tamperProtection.enabled true',
    ],
  ])('rejects %s with a message naming the field', (_name, raw, message) => {
    const problems = problemsOf(raw);
    expect(problems.filter((p) => p.startsWith(message))).toHaveLength(1);
    expect(problems.join('\n')).not.toMatch(/Invalid input/);
  });

  it('accepts exempt principals with wildcards', () => {
    const config = testConfig({
      tamperProtection: {
        enabled: true,
        exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::111111111111:user/admin'],
      },
    });
    expect(config.tamperProtection.exemptPrincipalArns).toHaveLength(2);
  });
});
