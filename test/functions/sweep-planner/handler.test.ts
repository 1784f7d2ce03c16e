import { ListAccountsCommand, ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SWEEP_ENV } from '../../../functions/contract/sweep';

// The real handler module: settings read from the environment at import, module-scope clients
// (aws-sdk-client-mock on the client classes answers for them).
const organizations = mockClient(OrganizationsClient);
const s3 = mockClient(S3Client);
const sts = mockClient(STSClient);
const context = { functionName: 'org-mfa-watch-sweep-planner', awsRequestId: 'r1' } as unknown as Context;
const env = {
  [SWEEP_ENV.sweepBucketName]: 'org-mfa-watch-sweep-222222222222',
  [SWEEP_ENV.rolloutOrganizationalUnitIds]: '["ou-ab12-prod0001"]',
  [SWEEP_ENV.excludedAccountIds]: '[]',
  [SWEEP_ENV.managementAccountId]: '999999999999',
  [SWEEP_ENV.joinedWithinHours]: '24',
  [SWEEP_ENV.rolloutReaderRoleArn]: 'arn:aws:iam::999999999999:role/org-mfa-watch-rollout-reader',
  [SWEEP_ENV.stackSetName]: 'org-mfa-watch-member',
  [SWEEP_ENV.stackSetCallAs]: 'SELF',
  [SWEEP_ENV.stackSetRegion]: 'us-east-1',
  AWS_REGION: 'us-east-1',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};
const saved = { ...process.env };

beforeAll(() => {
  Object.assign(process.env, env);
});
afterAll(() => {
  process.env = saved;
  organizations.restore();
  s3.restore();
  sts.restore();
});

describe('sweep planner handler', () => {
  it('plans from its environment and writes the items to the configured bucket', async () => {
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [{ Id: '111111111111', Name: 'prod', State: 'ACTIVE' }],
    });
    organizations
      .on(ListParentsCommand)
      .resolves({ Parents: [{ Id: 'ou-ab12-prod0001', Type: 'ORGANIZATIONAL_UNIT' }] });
    s3.on(PutObjectCommand).resolves({});
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    vi.resetModules();
    const { handler } = await import('../../../functions/sweep-planner/handler');
    const plan = await handler({ sweepId: 'exec-1', input: { mode: 'scheduled' } }, context);
    expect(plan).toMatchObject({ count: 1, fullSweep: true, bucket: 'org-mfa-watch-sweep-222222222222' });
    // The reader role refuses the planner: the rollout status is unknown, and the plan says why.
    expect(plan.items).toEqual([
      { accountId: '111111111111', name: 'prod', coverage: 'stackset', rollout: { status: 'unknown' } },
    ]);
    expect(plan.rolloutProblem).toBe('sts:AssumeRole: AccessDenied: not authorized');
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::999999999999:role/org-mfa-watch-rollout-reader',
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'sweeps/exec-1/accounts.json' });
  });

  it('fails at init, naming the variable, when the deployment is incomplete', async () => {
    delete process.env.MANAGEMENT_ACCOUNT_ID;
    vi.resetModules();
    await expect(import('../../../functions/sweep-planner/handler')).rejects.toThrow(
      'MANAGEMENT_ACCOUNT_ID is not set',
    );
  });
});
