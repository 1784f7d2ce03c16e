import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackInstancesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAwsServer, type FakeAwsServer } from '../../../scripts/simulation/fake-aws-server';
import { SimulatedOrganization } from '../../../scripts/simulation/organization';
import { organizationOptions } from '../../../scripts/demo/scenario';

/**
 * The simulated organization answers the real SDK clients over HTTP (as the demo's functions reach it
 * through AWS_ENDPOINT_URL) and refuses, at once and on the record, any operation it does not simulate.
 */

const BUCKET = 'demo-bucket';
let org: SimulatedOrganization;
let server: FakeAwsServer;
const config = () => ({
  endpoint: server.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'secret' },
  maxAttempts: 3,
});

beforeAll(async () => {
  org = new SimulatedOrganization(organizationOptions(new Date('2026-12-01T00:00:00Z'), BUCKET));
  server = await startFakeAwsServer(org.aws);
});

afterAll(async () => {
  await server.close();
});

describe('SimulatedOrganization', () => {
  it('refuses an operation no simulated service lists, without retries or a hang, and records the gap', async () => {
    const started = Date.now();
    await expect(
      new CloudFormationClient(config()).send(new DescribeStacksCommand({ StackName: 'x' })),
    ).rejects.toMatchObject({ name: 'UnknownOperationException' });
    // An operation a simulated service (awsJson1_0) does not answer.
    await expect(
      new SQSClient(config()).send(new PurgeQueueCommand({ QueueUrl: 'https://sqs/q' })),
    ).rejects.toMatchObject({ name: 'UnknownOperationException' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(org.aws.takeGaps()).toEqual([
      {
        service: 'cloudformation',
        operation: 'DescribeStacks',
        account: 'central',
        file: 'scripts/simulation/services/cloudformation.ts',
      },
      {
        service: 'sqs',
        operation: 'PurgeQueue',
        account: 'central',
        file: 'scripts/simulation/services/sqs.ts',
      },
    ]);
  });

  it("lists the member StackSet's instances: one per member account, none in the management account", async () => {
    const client = new CloudFormationClient(config());
    const { Summaries = [] } = await client.send(
      new ListStackInstancesCommand({ StackSetName: 'org-mfa-watch-member', CallAs: 'SELF' }),
    );
    expect(Summaries.map((s) => s.Account)).toEqual(
      org.tree.accounts.filter((a) => a.id !== org.tree.managementAccountId).map((a) => a.id),
    );
    expect(Summaries[0]).toMatchObject({
      Status: 'CURRENT',
      StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' },
    });
    const one = await client.send(
      new ListStackInstancesCommand({
        StackSetName: 'org-mfa-watch-member',
        StackInstanceAccount: '210987654321',
      }),
    );
    expect(one.Summaries?.map((s) => s.Account)).toEqual(['210987654321']);
    expect(org.aws.takeGaps()).toEqual([]);
  });

  it("answers a queue's depth (the sweep reads each member forward rule's dead-letter queue)", async () => {
    const sqs = new SQSClient({ ...config(), useQueueUrlAsEndpoint: false });
    const url = 'https://sqs.us-east-1.amazonaws.com/210987654321/org-mfa-watch-forward-dlq';
    const depth = async () =>
      (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        )
      ).Attributes?.ApproximateNumberOfMessages;
    expect(await depth()).toBe('0');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: '{"detail-type":"x"}' }));
    expect(await depth()).toBe('1');
    expect(org.aws.takeGaps()).toEqual([]);
  });

  it('lists every account through Organizations pages of at most 20', async () => {
    const client = new OrganizationsClient(config());
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client, pageSize: 5 }, {})) {
      expect(page.Accounts?.length).toBeLessThanOrEqual(5);
      ids.push(...(page.Accounts ?? []).map((a) => a.Id ?? ''));
    }
    expect(ids).toEqual(org.tree.accounts.map((a) => a.id));
    expect(org.aws.takeGaps()).toEqual([]);
  });

  it('keeps S3 objects by bucket and key (path style) and answers NoSuchKey for a missing one', async () => {
    const s3 = new S3Client(config());
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/a/report.csv', Body: 'x,y\n' }));
    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/a/report.csv' }));
    expect(await object.Body?.transformToString()).toBe('x,y\n');
    await expect(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
    });
  });
});
