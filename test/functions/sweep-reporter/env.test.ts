import { describe, expect, it } from 'vitest';
import { loadReporterSettings } from '../../../functions/sweep-reporter/env';
import { ReporterConfigurationError } from '../../../functions/sweep-reporter/errors';

const valid = {
  SWEEP_BUCKET_NAME: 'org-mfa-watch-sweep-222222222222',
  ALERT_TOPIC_ARN: 'arn:aws-us-gov:sns:us-gov-west-1:222222222222:org-mfa-watch-alerts',
  ALERT_LOCALE: 'ko',
  ALERT_TIME_ZONE: 'Asia/Seoul',
  FINDINGS_TABLE_NAME: 'org-mfa-watch-findings',
  FINDINGS_RESOLVED_RETENTION_DAYS: '90',
};

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadReporterSettings(env);
  } catch (error) {
    if (error instanceof ReporterConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadReporterSettings', () => {
  it('parses a complete environment, taking partition and region from the topic ARN', () => {
    expect(loadReporterSettings(valid)).toEqual({
      bucketName: 'org-mfa-watch-sweep-222222222222',
      alertTopicArn: valid.ALERT_TOPIC_ARN,
      partition: 'aws-us-gov',
      region: 'us-gov-west-1',
      locale: 'ko',
      timeZone: 'Asia/Seoul',
      findings: { tableName: 'org-mfa-watch-findings', resolvedRetentionDays: 90 },
    });
  });

  it.each([
    ['SWEEP_BUCKET_NAME', undefined, 'SWEEP_BUCKET_NAME is not set'],
    ['ALERT_TOPIC_ARN', 'arn:aws:sqs:us-east-1:222222222222:q', 'ALERT_TOPIC_ARN: expected an SNS topic ARN'],
    ['ALERT_LOCALE', 'fr', 'ALERT_LOCALE: expected one of en, ko'],
    ['ALERT_TIME_ZONE', 'Mars/Base', 'ALERT_TIME_ZONE: expected an IANA time zone name'],
    ['FINDINGS_TABLE_NAME', 'ab', 'FINDINGS_TABLE_NAME: expected a DynamoDB table name'],
    ['FINDINGS_RESOLVED_RETENTION_DAYS', '0', 'FINDINGS_RESOLVED_RETENTION_DAYS: expected at least 1 day'],
  ])('names %s when it is %j', (name, value, message) => {
    expect(problems({ ...valid, [name]: value })).toEqual([message]);
  });
});
