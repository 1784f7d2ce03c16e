import { describe, expect, it } from 'vitest';
import { loadPlannerSettings } from '../../../functions/sweep-planner/env';
import { PlannerConfigurationError } from '../../../functions/sweep-planner/errors';

const valid = {
  SWEEP_BUCKET_NAME: 'org-mfa-watch-sweep-222222222222',
  ROLLOUT_OU_IDS: '["ou-ab12-prod0001","r-ab12"]',
  EXCLUDED_ACCOUNT_IDS: '["333333333333"]',
  MANAGEMENT_ACCOUNT_ID: '999999999999',
  JOINED_WITHIN_HOURS: '24',
  ROLLOUT_READER_ROLE_ARN: 'arn:aws:iam::999999999999:role/org-mfa-watch-rollout-reader',
  STACK_SET_NAME: 'org-mfa-watch-member',
  STACK_SET_CALL_AS: 'DELEGATED_ADMIN',
  STACK_SET_REGION: 'us-east-1',
};

function problems(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadPlannerSettings(env);
  } catch (error) {
    if (error instanceof PlannerConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadPlannerSettings', () => {
  it('parses a complete environment', () => {
    expect(loadPlannerSettings(valid)).toEqual({
      bucketName: 'org-mfa-watch-sweep-222222222222',
      rolloutTargetIds: ['ou-ab12-prod0001', 'r-ab12'],
      excludedAccountIds: ['333333333333'],
      managementAccountId: '999999999999',
      joinedWithinHours: 24,
      rollout: {
        readerRoleArn: 'arn:aws:iam::999999999999:role/org-mfa-watch-rollout-reader',
        stackSetName: 'org-mfa-watch-member',
        callAs: 'DELEGATED_ADMIN',
        region: 'us-east-1',
      },
    });
  });

  it('reads the enforcement OU ids when enforcement is on (issue 23), and rejects a malformed one', () => {
    expect(
      loadPlannerSettings({ ...valid, ENFORCEMENT_OU_IDS: '["ou-ab12-34cd56ef"]' }).enforcementOuIds,
    ).toEqual(['ou-ab12-34cd56ef']);
    expect(() => loadPlannerSettings({ ...valid, ENFORCEMENT_OU_IDS: '["r-ab12"]' })).toThrow(
      /ENFORCEMENT_OU_IDS\.0: expected an OU id/,
    );
  });

  it.each([
    ['SWEEP_BUCKET_NAME', undefined, 'SWEEP_BUCKET_NAME is not set'],
    ['SWEEP_BUCKET_NAME', 'Upper_Case', 'SWEEP_BUCKET_NAME: expected an S3 bucket name'],
    ['ROLLOUT_OU_IDS', '{oops', 'ROLLOUT_OU_IDS: expected a JSON array of OU or root ids'],
    [
      'ROLLOUT_OU_IDS',
      '["ou-x"]',
      'ROLLOUT_OU_IDS.0: expected an OU id "ou-xxxx-xxxxxxxx" or a root id "r-xxxx"',
    ],
    [
      'EXCLUDED_ACCOUNT_IDS',
      '"333333333333"',
      'EXCLUDED_ACCOUNT_IDS: expected a JSON array of 12-digit account ids',
    ],
    ['EXCLUDED_ACCOUNT_IDS', '[333333333333]', 'EXCLUDED_ACCOUNT_IDS.0: expected a 12-digit account id'],
    ['MANAGEMENT_ACCOUNT_ID', '99999', 'MANAGEMENT_ACCOUNT_ID: expected a 12-digit account id'],
    ['JOINED_WITHIN_HOURS', '0', 'JOINED_WITHIN_HOURS: expected at least 1 hour'],
    ['JOINED_WITHIN_HOURS', '1.5', 'JOINED_WITHIN_HOURS: expected a whole number of hours (1-720)'],
    ['JOINED_WITHIN_HOURS', '721', 'JOINED_WITHIN_HOURS: expected at most 720 hours'],
    [
      'ROLLOUT_READER_ROLE_ARN',
      'org-mfa-watch-rollout-reader',
      'ROLLOUT_READER_ROLE_ARN: expected an IAM role ARN',
    ],
    ['STACK_SET_CALL_AS', 'ADMIN', 'STACK_SET_CALL_AS: expected SELF or DELEGATED_ADMIN'],
    ['STACK_SET_NAME', '1-member', 'STACK_SET_NAME: expected a StackSet name'],
  ])('names %s when it is %j', (name, value, message) => {
    expect(problems({ ...valid, [name]: value })).toEqual([message]);
  });

  it('reports every problem at once', () => {
    expect(problems({})).toHaveLength(9);
  });
});
