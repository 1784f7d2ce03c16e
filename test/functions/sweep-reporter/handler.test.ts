import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFindingsTable, startDynalite, type LocalDynamo } from '../../../scripts/simulation/dynalite';
import { fakeBucket, type FakeBucket } from './fake-bucket';

// The real handler module: settings from the environment at import, module-scope clients; S3 and SNS
// answered by aws-sdk-client-mock, the finding store by dynalite (AWS_ENDPOINT_URL_DYNAMODB).
const BUCKET = 'org-mfa-watch-sweep-222222222222';
const sns = mockClient(SNSClient);
let s3: FakeBucket;
let dynamo: LocalDynamo;
const saved = { ...process.env };
const context = { functionName: 'org-mfa-watch-sweep-reporter', awsRequestId: 'r1' } as unknown as Context;

beforeAll(async () => {
  dynamo = await startDynalite();
  const tableName = await createFindingsTable(dynamo.client, 'reporter-handler');
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local-secret',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    SWEEP_BUCKET_NAME: BUCKET,
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts',
    ALERT_LOCALE: 'en',
    ALERT_TIME_ZONE: 'UTC',
    FINDINGS_TABLE_NAME: tableName,
    FINDINGS_RESOLVED_RETENTION_DAYS: '90',
  });
  s3 = fakeBucket(BUCKET);
  sns.on(PublishCommand).resolves({ MessageId: 'm1' });
});
afterAll(async () => {
  process.env = saved;
  s3.mock.restore();
  sns.restore();
  await dynamo.close();
});

describe('sweep reporter handler', () => {
  it('reports a full sweep from inline batches, reading the store through its own DynamoDB client', async () => {
    vi.resetModules();
    const { handler } = await import('../../../functions/sweep-reporter/handler');
    const summary = await handler(
      {
        plan: {
          sweepId: 'exec-1',
          mode: 'on-demand',
          fullSweep: true,
          bucket: BUCKET,
          key: 'sweeps/exec-1/accounts.json',
          count: 1,
          items: [{ accountId: '111111111111', name: 'prod', coverage: 'stackset' }],
        },
        batches: [{ accounts: [{ accountId: '111111111111', outcome: 'checked', findings: [] }] }],
      },
      context,
    );
    expect(summary).toMatchObject({ sweepId: 'exec-1', accounts: 1, checked: 1, digestPublished: true });
    expect([...s3.objects.keys()].sort()).toEqual([
      'reports/exec-1/digest.json',
      'reports/exec-1/report.csv',
      'reports/exec-1/report.json',
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('fails at init, naming the variable, when the deployment is incomplete', async () => {
    delete process.env.ALERT_TOPIC_ARN;
    vi.resetModules();
    await expect(import('../../../functions/sweep-reporter/handler')).rejects.toThrow(
      'ALERT_TOPIC_ARN is not set',
    );
  });
});
