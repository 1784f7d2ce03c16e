import { describe, expect, it } from 'vitest';
import { SweepConfigurationError, loadSweepSettings } from '../../../functions/sweep-worker/env';

const VALID = {
  CHECK_ROLE_NAME: 'org-mfa-watch-check',
  ALERT_TOPIC_ARN: 'arn:aws-us-gov:sns:us-gov-west-1:222222222222:org-mfa-watch-alerts',
  ALERT_LOCALE: 'ko',
  ALERT_TIME_ZONE: 'Asia/Seoul',
  GRACE_PERIOD_HOURS: '24',
  EXEMPTIONS: '[{"accountId":"111122223333","userName":"ci","reason":"CI robot"}]',
  TRUST_EXEMPTION_TAGS: 'false',
  FINDINGS_TABLE_NAME: 'org-mfa-watch-findings',
  FINDINGS_RESOLVED_RETENTION_DAYS: '90',
  CREDENTIAL_REPORT_MAX_AGE_HOURS: '4',
  CENTRAL_BUS_ARN: 'arn:aws-us-gov:events:us-gov-west-1:222222222222:event-bus/org-mfa-watch',
  FORWARD_RULE_NAME: 'org-mfa-watch-forward',
  FORWARD_RULE_REGION: 'us-east-1',
  FORWARD_DLQ_NAME: 'org-mfa-watch-forward-dlq',
};

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadSweepSettings(env);
  } catch (error) {
    if (error instanceof SweepConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadSweepSettings', () => {
  it('reads a complete environment, the partition from the topic ARN', () => {
    expect(loadSweepSettings(VALID)).toMatchObject({
      partition: 'aws-us-gov',
      locale: 'ko',
      gracePeriodHours: 24,
      credentialReportMaxAgeHours: 4,
      exemptions: [{ accountId: '111122223333', userName: 'ci', reason: 'CI robot' }],
      findings: { tableName: 'org-mfa-watch-findings', resolvedRetentionDays: 90 },
      forwardRuleRegion: 'us-east-1',
    });
  });

  it('sends the canary only when CANARY_ENABLED is "true" (absent: a deployment from before it)', () => {
    expect(loadSweepSettings(VALID).canaryEnabled).toBe(false);
    expect(loadSweepSettings({ ...VALID, CANARY_ENABLED: 'true' }).canaryEnabled).toBe(true);
    expect(loadSweepSettings({ ...VALID, CANARY_ENABLED: 'false' }).canaryEnabled).toBe(false);
    expect(problems({ ...VALID, CANARY_ENABLED: 'yes' })).toEqual([
      'CANARY_ENABLED: expected "true" or "false"',
    ]);
  });

  it('does not need the checker-only variables (quarantine queue, scheduler, notify on create)', () => {
    expect(problems(VALID)).toEqual([]);
  });

  it.each([
    ['CREDENTIAL_REPORT_MAX_AGE_HOURS', '0', 'CREDENTIAL_REPORT_MAX_AGE_HOURS: expected at least 1 hour'],
    ['CREDENTIAL_REPORT_MAX_AGE_HOURS', '48', 'CREDENTIAL_REPORT_MAX_AGE_HOURS: expected at most 24 hours'],
    ['CENTRAL_BUS_ARN', 'org-mfa-watch', 'CENTRAL_BUS_ARN: expected an EventBridge event bus ARN'],
    ['FORWARD_RULE_NAME', 'bad name!', 'FORWARD_RULE_NAME: expected an EventBridge rule name'],
    ['FORWARD_RULE_REGION', 'virginia', 'FORWARD_RULE_REGION: expected an AWS Region, e.g. us-east-1'],
    ['GRACE_PERIOD_HOURS', '-1', 'GRACE_PERIOD_HOURS: expected a whole number of hours (0-720)'],
    ['ALERT_TOPIC_ARN', 'nope', 'ALERT_TOPIC_ARN: expected an SNS topic ARN'],
  ])('names %s when it is malformed', (name, value, problem) => {
    expect(problems({ ...VALID, [name]: value })).toEqual([problem]);
  });

  it('names every missing variable at once', () => {
    expect(problems({ ...VALID, CENTRAL_BUS_ARN: undefined, FINDINGS_TABLE_NAME: undefined })).toEqual([
      'FINDINGS_TABLE_NAME is not set',
      'CENTRAL_BUS_ARN is not set',
    ]);
  });

  it('reads the chat topic and the Security Hub export as the checker does (optional, off by default)', () => {
    const plain = loadSweepSettings(VALID);
    expect(plain.chatTopicArn).toBeUndefined();
    expect(plain.securityHub).toBeUndefined();
    expect(
      loadSweepSettings({
        ...VALID,
        CHAT_TOPIC_ARN: 'arn:aws-us-gov:sns:us-gov-west-1:222222222222:org-mfa-watch-chat',
        SECURITY_HUB_EXPORT: 'true',
        SECURITY_HUB_REGION: 'us-gov-west-1',
      }),
    ).toMatchObject({
      chatTopicArn: 'arn:aws-us-gov:sns:us-gov-west-1:222222222222:org-mfa-watch-chat',
      securityHub: { region: 'us-gov-west-1' },
    });
    expect(plain.securityHubReimportAfterDays).toBe(30);
    expect(
      loadSweepSettings({ ...VALID, SECURITY_HUB_REIMPORT_AFTER_DAYS: '7' }).securityHubReimportAfterDays,
    ).toBe(7);
    expect(problems({ ...VALID, SECURITY_HUB_REIMPORT_AFTER_DAYS: '90' }).join()).toContain(
      'SECURITY_HUB_REIMPORT_AFTER_DAYS',
    );
    // A region alone does not turn the export on.
    expect(loadSweepSettings({ ...VALID, SECURITY_HUB_REGION: 'us-east-1' }).securityHub).toBeUndefined();
  });

  it.each([
    [{ CHAT_TOPIC_ARN: 'chat' }, 'CHAT_TOPIC_ARN: expected an SNS topic ARN'],
    [{ SECURITY_HUB_EXPORT: 'yes' }, 'SECURITY_HUB_EXPORT: expected "true" or "false"'],
    [
      { SECURITY_HUB_EXPORT: 'true', SECURITY_HUB_REGION: 'home' },
      'SECURITY_HUB_REGION: expected an AWS region name',
    ],
    [{ SECURITY_HUB_EXPORT: 'true' }, 'SECURITY_HUB_REGION must be set when SECURITY_HUB_EXPORT is "true"'],
  ])('names a malformed output variable: %o', (vars, problem) => {
    expect(problems({ ...VALID, ...vars })).toEqual([problem]);
  });
});
