import { ListAccountsCommand, ListParentsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SWEEP_ENV } from '../../../functions/shared/sweep';

// The real handler module: settings read from the environment at import, module-scope clients
// (aws-sdk-client-mock on the client classes answers for them).
const organizations = mockClient(OrganizationsClient);
const s3 = mockClient(S3Client);
const context = { functionName: 'org-mfa-watch-sweep-planner', awsRequestId: 'r1' } as unknown as Context;
const env = {
  [SWEEP_ENV.sweepBucketName]: 'org-mfa-watch-sweep-222222222222',
  [SWEEP_ENV.rolloutOrganizationalUnitIds]: '["ou-ab12-prod0001"]',
  [SWEEP_ENV.excludedAccountIds]: '[]',
  [SWEEP_ENV.managementAccountId]: '999999999999',
  [SWEEP_ENV.joinedWithinHours]: '24',
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
    vi.resetModules();
    const { handler } = await import('../../../functions/sweep-planner/handler');
    const plan = await handler({ sweepId: 'exec-1', input: { mode: 'scheduled' } }, context);
    expect(plan).toMatchObject({ count: 1, fullSweep: true, bucket: 'org-mfa-watch-sweep-222222222222' });
    expect(plan.items).toEqual([{ accountId: '111111111111', name: 'prod', coverage: 'stackset' }]);
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
