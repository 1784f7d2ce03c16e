import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHECKER_ENV } from '../../../functions/contract/contract';
import { createFindingsTable, startDynalite, type LocalDynamo } from '../../../scripts/simulation/dynalite';
import { projectFixture } from '../../helpers/events';
import { FakeAws } from '../../../scripts/simulation/fake-aws';
import { startFakeAwsServer, type FakeAwsServer } from '../../../scripts/simulation/fake-aws-server';

// The real handler.ts, with its own module-scope clients and settings, runs against a fake AWS on the
// loopback interface (AWS_ENDPOINT_URL): nothing about its client configuration is copied into the test,
// so turning its retries or timeouts off in production fails here.
const TOPIC = 'arn:aws-us-gov:sns:us-gov-west-1:222222222222:org-mfa-watch-alerts';
const aws = new FakeAws({
  users: () => ({ mfaDevices: 0, console: true }),
  // One throttled answer: the handler's client must retry it.
  throttle: ({ action, attempt }) => action === 'GetLoginProfile' && attempt === 1,
});
let server: FakeAwsServer;
let dynamo: LocalDynamo;
let handler: (event: unknown, context: Context) => Promise<unknown>;

beforeAll(async () => {
  // The first ListMFADevices never answers: only the handler's own request timeout can end it.
  server = await startFakeAwsServer(aws, {
    hang: ({ body, attempt }) => body.includes('Action=ListMFADevices') && attempt === 1,
  });
  // The finding store and idempotency records go to a real DynamoDB implementation.
  dynamo = await startDynalite();
  const tableName = await createFindingsTable(dynamo.client, 'handler');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: server.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    FINDINGS_TABLE_NAME: tableName,
    FINDINGS_RESOLVED_RETENTION_DAYS: '90',
    AWS_REGION: 'us-gov-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDFAKEHANDLER',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_SESSION_TOKEN: 'token-222222222222',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    [CHECKER_ENV.checkRoleName]: 'org-mfa-watch-check',
    [CHECKER_ENV.alertTopicArn]: TOPIC,
    [CHECKER_ENV.alertLocale]: 'en',
    [CHECKER_ENV.alertTimeZone]: 'UTC',
    [CHECKER_ENV.quarantineQueueUrl]: 'https://sqs.us-gov-west-1.amazonaws.com/222222222222/quarantine',
    [CHECKER_ENV.gracePeriodHours]: '0',
    [CHECKER_ENV.notifyOnCreate]: 'false',
    [CHECKER_ENV.exemptions]: '[]',
    [CHECKER_ENV.trustExemptionTags]: 'false',
  });
  vi.resetModules();
  ({ handler } = await import('../../../functions/checker/handler'));
});

afterAll(async () => {
  await server.close();
  await dynamo.close();
});

const context = {
  invokedFunctionArn: 'arn:aws-us-gov:lambda:us-gov-west-1:222222222222:function:org-mfa-watch-checker',
  getRemainingTimeInMillis: () => 120_000,
  functionName: 'org-mfa-watch-checker',
  awsRequestId: 'req-1',
} as unknown as Context;

describe('the real handler on a fake AWS (GovCloud partition)', () => {
  it('assumes the check role in the partition of its topic, survives a hung socket and a throttle, and alerts', async () => {
    const result = await handler(projectFixture('createuser-sso-console.json'), context);
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
    const assume = aws.calls.find((c) => c.action === 'AssumeRole');
    expect(assume?.params.RoleArn).toBe('arn:aws-us-gov:iam::210987654321:role/org-mfa-watch-check');
    // The hung request was abandoned by the request timeout and retried; the throttled one too.
    expect(server.hung).toHaveLength(1);
    expect(aws.count('iam', 'ListMFADevices')).toBe(1);
    expect(aws.count('iam', 'GetLoginProfile')).toBe(2);
    const publish = aws.calls.find((c) => c.action === 'Publish');
    expect(publish?.params.TopicArn).toBe(TOPIC);
    expect(decodeURIComponent(publish?.params.Message ?? '')).toContain('console.amazonaws-us-gov.com');
    // The finding was recorded: the alert carries its id.
    expect(publish?.params['MessageAttributes.entry.5.Name']).toBe('findingId');
  });

  it('checks a redelivered event only once (idempotency on the findings table)', async () => {
    const publishes = aws.count('sns', 'Publish');
    const again = await handler(projectFixture('createuser-sso-console.json'), context);
    expect(again).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('duplicate') as string,
    });
    expect(aws.count('sns', 'Publish')).toBe(publishes);
  });
});
