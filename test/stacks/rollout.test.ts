import { Match } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rolloutAccountId } from '../../stacks/config';
import { synthAppOnce, testConfig } from '../helpers/app';

describe('the rollout StackSet', () => {
  const fromManagement = synthAppOnce(testConfig());

  it('is service-managed, auto-deploys, does not retain stacks, needs named IAM, targets us-east-1 only', () => {
    fromManagement.rollout.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'org-mfa-watch-member',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ManagedExecution: { Active: true },
      CallAs: 'SELF',
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'],
            AccountFilterType: 'NONE',
          },
          Regions: ['us-east-1'],
        },
      ],
    });
  });

  it('rolls out to all accounts at once with a soft failure tolerance', () => {
    fromManagement.rollout.hasResourceProperties('AWS::CloudFormation::StackSet', {
      OperationPreferences: {
        RegionConcurrencyType: 'PARALLEL',
        MaxConcurrentPercentage: 100,
        FailureTolerancePercentage: 10,
        ConcurrencyMode: 'SOFT_FAILURE_TOLERANCE',
      },
    });
  });

  it('is called as the delegated administrator when deployed from one, and excludes accounts', () => {
    const config = testConfig({
      rollout: {
        deployFrom: 'delegated-admin',
        delegatedAdminAccountId: '555555555555',
        organizationalUnitIds: ['r-ab12'],
        excludeAccountIds: ['444444444444'],
      },
    });
    const app = synthAppOnce(config);
    app.rollout.hasResourceProperties('AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: ['r-ab12'],
            Accounts: ['444444444444'],
            AccountFilterType: 'DIFFERENCE',
          },
          Regions: ['us-east-1'],
        },
      ],
    });
    expect(rolloutAccountId(config)).toBe('555555555555');
  });

  it('deploys from the security account when the delegated administrator is not named', () => {
    expect(
      rolloutAccountId(
        testConfig({ rollout: { deployFrom: 'delegated-admin', organizationalUnitIds: ['r-ab12'] } }),
      ),
    ).toBe('222222222222');
    expect(rolloutAccountId(testConfig())).toBe('111111111111');
  });

  it('places each stack in its account and region', () => {
    const manifest = JSON.parse(readFileSync(`${fromManagement.outdir}/manifest.json`, 'utf8')) as {
      artifacts: Record<string, { environment?: string }>;
    };
    expect(manifest.artifacts['OrgMfaWatch-Central']?.environment).toBe('aws://222222222222/eu-central-1');
    expect(manifest.artifacts['OrgMfaWatch-ManagementMember']?.environment).toBe(
      'aws://111111111111/us-east-1',
    );
    expect(manifest.artifacts['OrgMfaWatch-Rollout']?.environment).toBe('aws://111111111111/us-east-1');
  });

  it('outputs the StackSet name', () => {
    fromManagement.rollout.hasOutput('StackSetName', { Value: 'org-mfa-watch-member' });
    fromManagement.rollout.hasOutput('StackSetId', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('MemberStackSet'), 'StackSetId'] },
    });
  });
});
