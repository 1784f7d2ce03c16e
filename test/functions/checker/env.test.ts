import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../functions/checker/env';
import { ConfigurationError } from '../../../functions/checker/errors';

const valid = {
  CHECK_ROLE_NAME: 'org-mfa-watch-check',
  ALERT_TOPIC_ARN: 'arn:aws-us-gov:sns:us-gov-west-1:222222222222:org-mfa-watch-alerts',
  ALERT_LOCALE: 'ko',
  ALERT_TIME_ZONE: 'Asia/Seoul',
  QUARANTINE_QUEUE_URL: 'https://sqs.us-gov-west-1.amazonaws.com/222222222222/q',
  GRACE_PERIOD_HOURS: '24',
  NOTIFY_ON_CREATE: 'false',
  EXEMPTIONS: '[{"accountId":"111122223333","userName":"ci","reason":"keys only"}]',
  TRUST_EXEMPTION_TAGS: 'false',
  FINDINGS_TABLE_NAME: 'org-mfa-watch-findings',
  FINDINGS_RESOLVED_RETENTION_DAYS: '90',
  SCHEDULE_GROUP_NAME: 'org-mfa-watch',
  SCHEDULER_ROLE_ARN: 'arn:aws-us-gov:iam::222222222222:role/scheduler',
  RECHECK_DLQ_ARN: 'arn:aws-us-gov:sqs:us-gov-west-1:222222222222:recheck-dlq',
};

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadSettings', () => {
  it('parses a complete environment, taking the partition from the topic ARN', () => {
    expect(loadSettings(valid)).toMatchObject({
      partition: 'aws-us-gov',
      locale: 'ko',
      gracePeriodHours: 24,
      notifyOnCreate: false,
      exemptions: [{ accountId: '111122223333', userName: 'ci' }],
      scheduler: { groupName: 'org-mfa-watch' },
    });
  });

  it.each([
    ['CHECK_ROLE_NAME', undefined, 'CHECK_ROLE_NAME is not set'],
    ['ALERT_TOPIC_ARN', 'not-an-arn', 'ALERT_TOPIC_ARN: expected an SNS topic ARN'],
    ['ALERT_LOCALE', 'fr', 'ALERT_LOCALE: expected one of en, ko'],
    ['ALERT_TIME_ZONE', 'Mars/Base', 'ALERT_TIME_ZONE: expected an IANA time zone name'],
    ['GRACE_PERIOD_HOURS', '-1', 'GRACE_PERIOD_HOURS: expected a whole number of hours (0-720)'],
    ['NOTIFY_ON_CREATE', 'yes', 'NOTIFY_ON_CREATE: expected "true" or "false"'],
    ['EXEMPTIONS', '{oops', 'EXEMPTIONS: expected a JSON array'],
  ])('names %s when it is %j', (name, value, message) => {
    expect(problems({ ...valid, [name]: value })).toEqual([message]);
  });

  it('requires the scheduler settings when a grace period is configured', () => {
    expect(problems({ ...valid, SCHEDULER_ROLE_ARN: undefined })[0]).toContain(
      'must be set when GRACE_PERIOD_HOURS > 0',
    );
    expect(
      loadSettings({ ...valid, GRACE_PERIOD_HOURS: '0', SCHEDULER_ROLE_ARN: undefined }).scheduler,
    ).toBeUndefined();
  });

  it('reports every problem at once', () => {
    expect(problems({}).length).toBeGreaterThanOrEqual(7);
  });
});
