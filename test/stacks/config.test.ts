import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../stacks/config';
import { rawTestConfig } from '../helpers/app';
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
