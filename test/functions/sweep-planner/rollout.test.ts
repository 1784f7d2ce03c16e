import {
  CloudFormationClient,
  ListStackInstancesCommand,
  StackSetNotFoundException,
} from '@aws-sdk/client-cloudformation';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlannerSettings } from '../../../functions/sweep-planner/env';
import { createPlanner } from '../../../functions/sweep-planner/plan';
import {
  judgeInstance,
  readRollout,
  rolloutOf,
  type InstanceFields,
  type RolloutSource,
} from '../../../functions/sweep-planner/rollout';
import type { SweepAccountItem } from '../../../functions/contract/sweep';
import { mockOrganization, type FakeOrgTree } from './fake-organization';

// AWS CloudFormation API reference, StackInstanceSummary (Status: CURRENT, OUTDATED, INOPERABLE) and
// StackInstanceComprehensiveStatus (DetailedStatus: CANCELLED, FAILED, FAILED_IMPORT, INOPERABLE,
// PENDING, RUNNING, SKIPPED_SUSPENDED_ACCOUNT, SUCCEEDED):
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackInstanceSummary.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackInstanceComprehensiveStatus.html
const summary = (status: string, detailed?: string, reason?: string): InstanceFields =>
  ({
    Status: status,
    ...(detailed === undefined ? {} : { StackInstanceStatus: { DetailedStatus: detailed } }),
    ...(reason === undefined ? {} : { StatusReason: reason }),
  }) as InstanceFields;

describe('judgeInstance: one StackSet instance, per the CloudFormation API reference', () => {
  it.each([
    ['no instance', undefined, { status: 'pending', reason: 'no StackSet instance yet' }],
    ['OUTDATED, operation PENDING', summary('OUTDATED', 'PENDING'), { status: 'pending', reason: 'PENDING' }],
    ['OUTDATED, operation RUNNING', summary('OUTDATED', 'RUNNING'), { status: 'pending', reason: 'RUNNING' }],
    ['CURRENT, SUCCEEDED', summary('CURRENT', 'SUCCEEDED'), { status: 'current' }],
    ['CURRENT without a detailed status', summary('CURRENT'), { status: 'current' }],
    [
      'OUTDATED, FAILED (the reason is kept)',
      summary('OUTDATED', 'FAILED', 'Resource handler returned message: "Role already exists"'),
      { status: 'failed', reason: 'FAILED: Resource handler returned message: "Role already exists"' },
    ],
    [
      'OUTDATED, FAILED_IMPORT',
      summary('OUTDATED', 'FAILED_IMPORT'),
      { status: 'failed', reason: 'FAILED_IMPORT' },
    ],
    [
      'INOPERABLE',
      summary('INOPERABLE', 'INOPERABLE', 'delete failed'),
      { status: 'failed', reason: 'INOPERABLE: delete failed' },
    ],
    ['Status INOPERABLE alone', summary('INOPERABLE'), { status: 'failed', reason: 'INOPERABLE' }],
    [
      'OUTDATED, CANCELLED (failure tolerance exceeded elsewhere)',
      summary('OUTDATED', 'CANCELLED', 'Cancelled since failure tolerance has exceeded'),
      { status: 'failed', reason: 'CANCELLED: Cancelled since failure tolerance has exceeded' },
    ],
    [
      'CURRENT, CANCELLED (an earlier deployment stands)',
      summary('CURRENT', 'CANCELLED'),
      { status: 'current' },
    ],
    [
      'OUTDATED, SKIPPED_SUSPENDED_ACCOUNT',
      summary('OUTDATED', 'SKIPPED_SUSPENDED_ACCOUNT'),
      { status: 'failed', reason: 'SKIPPED_SUSPENDED_ACCOUNT' },
    ],
    ['OUTDATED with no operation running', summary('OUTDATED'), { status: 'failed', reason: 'OUTDATED' }],
  ])('%s', (_name, instance, expected) => {
    expect(judgeInstance(instance)).toEqual(expected);
  });

  it('keeps a long or multi-line status reason to one bounded line', () => {
    const judged = judgeInstance(summary('OUTDATED', 'FAILED', `line one\n${'x'.repeat(400)}`));
    expect(judged.reason).not.toContain('\n');
    expect(judged.reason?.length).toBeLessThanOrEqual(300);
  });
});

const source: RolloutSource = {
  readerRoleArn: 'arn:aws:iam::999999999999:role/org-mfa-watch-rollout-reader',
  stackSetName: 'org-mfa-watch-member',
  callAs: 'DELEGATED_ADMIN',
  region: 'us-east-1',
};
const sts = mockClient(STSClient);
const cloudformation = mockClient(CloudFormationClient);
const credentials = {
  AccessKeyId: 'AKID',
  SecretAccessKey: 'secret',
  SessionToken: 'token',
  Expiration: new Date(),
};
const read = () =>
  readRollout(
    new STSClient({ region: 'us-east-1' }),
    source,
    () => new CloudFormationClient({ region: 'us-east-1' }),
  );

beforeEach(() => {
  sts.reset();
  cloudformation.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: credentials });
});

describe('readRollout: ListStackInstances through the reader role', () => {
  it('assumes the reader role, then lists every page of the StackSet in its region with the configured CallAs', async () => {
    cloudformation
      .on(ListStackInstancesCommand)
      .resolvesOnce({
        Summaries: [
          {
            Account: '111111111111',
            Status: 'CURRENT',
            StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' },
          },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Summaries: [
          { Account: '222222222222', Status: 'OUTDATED', StackInstanceStatus: { DetailedStatus: 'RUNNING' } },
        ],
      });
    const reading = await read();
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: source.readerRoleArn });
    const calls = cloudformation.commandCalls(ListStackInstancesCommand).map((c) => c.args[0].input);
    // Two pages: the NextToken of the first was followed (the paginator reuses one input object).
    expect(calls).toHaveLength(2);
    expect(calls[1]?.NextToken).toBe('page-2');
    for (const call of calls) {
      expect(call).toMatchObject({
        StackSetName: 'org-mfa-watch-member',
        StackInstanceRegion: 'us-east-1',
        CallAs: 'DELEGATED_ADMIN',
        MaxResults: 100,
      });
    }
    expect(rolloutOf(reading, '111111111111')).toEqual({ status: 'current' });
    expect(rolloutOf(reading, '222222222222')).toEqual({ status: 'pending', reason: 'RUNNING' });
    expect(rolloutOf(reading, '333333333333')).toEqual({
      status: 'pending',
      reason: 'no StackSet instance yet',
    });
  });

  it('reads a StackSet that does not exist yet (the central stack deployed first) as every instance pending', async () => {
    cloudformation
      .on(ListStackInstancesCommand)
      .rejects(new StackSetNotFoundException({ message: 'StackSet not found', $metadata: {} }));
    const reading = await read();
    expect(rolloutOf(reading, '111111111111')).toEqual({
      status: 'pending',
      reason: 'the StackSet is not deployed yet',
    });
  });

  it.each([
    ['the reader role refuses', 'sts', 'AccessDenied', 'sts:AssumeRole: AccessDenied: denied'],
    [
      'ListStackInstances is denied',
      'cfn',
      'AccessDeniedException',
      'cloudformation:ListStackInstances: AccessDeniedException: denied',
    ],
    [
      'ListStackInstances stays throttled',
      'cfn',
      'Throttling',
      'cloudformation:ListStackInstances: Throttling: denied',
    ],
  ])('never throws when %s: the status is unknown, with the problem', async (_name, where, code, problem) => {
    const error = Object.assign(new Error('denied'), { name: code });
    if (where === 'sts') sts.on(AssumeRoleCommand).rejects(error);
    else cloudformation.on(ListStackInstancesCommand).rejects(error);
    const reading = await read();
    expect(reading).toEqual({ problem });
    expect(rolloutOf(reading, '111111111111')).toEqual({ status: 'unknown' });
  });
});

describe('the planner adds each StackSet account its rollout state', () => {
  const tree: FakeOrgTree = {
    rootId: 'r-ab12',
    ous: { 'ou-ab12-prod0001': 'r-ab12' },
    accounts: [
      { Id: '999999999999', Name: 'management', parent: 'r-ab12', State: 'ACTIVE' },
      { Id: '111111111111', Name: 'landed', parent: 'ou-ab12-prod0001', State: 'ACTIVE' },
      { Id: '222222222222', Name: 'landing', parent: 'ou-ab12-prod0001', State: 'ACTIVE' },
      { Id: '333333333333', Name: 'broken', parent: 'ou-ab12-prod0001', State: 'ACTIVE' },
      { Id: '444444444444', Name: 'outside', parent: 'r-ab12', State: 'ACTIVE' },
    ],
  };
  const settings: PlannerSettings = {
    bucketName: 'org-mfa-watch-sweep-222222222222',
    rolloutTargetIds: ['ou-ab12-prod0001'],
    excludedAccountIds: [],
    managementAccountId: '999999999999',
    joinedWithinHours: 24,
    rollout: source,
  };
  const s3 = mockClient(S3Client);
  let org: ReturnType<typeof mockOrganization>;
  beforeEach(() => {
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    org = mockOrganization(tree);
  });
  afterEach(() => {
    org.restore();
  });
  const planner = (readRollout: Parameters<typeof createPlanner>[0]['readRollout']) =>
    createPlanner({
      settings,
      organizations: new OrganizationsClient({ region: 'us-east-1' }),
      s3: new S3Client({ region: 'us-east-1' }),
      logger: { info: () => undefined, warn: () => undefined },
      now: () => new Date('2026-12-01T12:00:00Z'),
      ...(readRollout === undefined ? {} : { readRollout }),
    });

  it('writes current, pending and failed per StackSet account; the management and outside accounts carry none', async () => {
    const instances = new Map<string, InstanceFields>([
      ['111111111111', summary('CURRENT', 'SUCCEEDED')],
      ['333333333333', summary('OUTDATED', 'FAILED', 'AccessDenied by SCP')],
    ]);
    const plan = await planner(() => Promise.resolve({ instances }))({
      sweepId: 'day-1',
      input: { mode: 'scheduled' },
    });
    const items = plan.items as SweepAccountItem[];
    expect(Object.fromEntries(items.map((i) => [i.name, i.rollout]))).toEqual({
      management: undefined,
      landed: { status: 'current' },
      landing: { status: 'pending', reason: 'no StackSet instance yet' },
      broken: { status: 'failed', reason: 'FAILED: AccessDenied by SCP' },
      outside: undefined,
    });
    expect(plan.rolloutProblem).toBeUndefined();
  });

  it('goes on with the status unknown when the instances cannot be read, and says why in the plan', async () => {
    const plan = await planner(() => Promise.resolve({ problem: 'sts:AssumeRole: AccessDenied: no' }))({
      sweepId: 'day-1',
      input: { mode: 'scheduled' },
    });
    expect(plan.rolloutProblem).toBe('sts:AssumeRole: AccessDenied: no');
    expect(plan.items?.find((i) => i.name === 'landed')?.rollout).toEqual({ status: 'unknown' });
  });
});
