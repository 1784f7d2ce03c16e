import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateUserCommand,
  DeleteUserCommand,
  GetRoleCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsFailureKind } from '../../scripts/aws-failure';
import { loadConfig } from '../../scripts/cli';
import { E2E_CONFIG_ENV } from '../../scripts/e2e';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { e2eProblems } from '../helpers/e2e-preconditions';

// End to end in a real sandbox organization (`npm run test:e2e -- --config my-org.json`). It creates a
// throwaway IAM user, waits for the message on a temporary SQS queue subscribed to the alert topic, and
// deletes everything it created, even when it fails. Its preconditions (security-account credentials,
// AWS_REGION = homeRegion, the security account inside a targeted OU, a grace period that lets a message
// arrive) are in docs/deployment.md ("Verify end to end") and checked before anything is created.
// E2E_TOPIC_ARN overrides the stack output.

const configFile = process.env[E2E_CONFIG_ENV];
const config = loadConfig(configFile === undefined || configFile === '' ? undefined : configFile);
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
const runId = `omw-e2e-${Date.now()}`;
const sts = new STSClient({ region });
const iam = new IAMClient({ region: 'us-east-1' });
const sns = new SNSClient({ region });
const sqs = new SQSClient({ region });

let account: string | undefined;
let skipReason: string | undefined;
let topicArn: string | undefined;
let queueUrl: string | undefined;
let subscriptionArn: string | undefined;
let userCreated = false;

/** True when the member check role exists in the caller's account (its member resources are deployed). */
async function checkRoleExists(): Promise<boolean> {
  try {
    await iam.send(new GetRoleCommand({ RoleName: NAMES.memberCheckRole }));
    return true;
  } catch (error) {
    if (error instanceof NoSuchEntityException) return false;
    throw error;
  }
}

async function alertTopicArn(): Promise<string> {
  if (process.env.E2E_TOPIC_ARN) return process.env.E2E_TOPIC_ARN;
  const stacks = await new CloudFormationClient({ region }).send(
    new DescribeStacksCommand({ StackName: STACK_IDS.central }),
  );
  const output = stacks.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'AlertTopicArn')?.OutputValue;
  if (!output) throw new Error(`stack ${STACK_IDS.central} in ${region} has no AlertTopicArn output`);
  return output;
}

beforeAll(async () => {
  try {
    account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (error) {
    // Only missing credentials skip; no network or rejected credentials fail, saying so.
    if (awsFailureKind(error) !== 'no-credentials') throw error;
    skipReason = `no usable AWS credentials (${error instanceof Error ? error.name : String(error)})`;
    console.log(
      `e2e skipped: ${skipReason}; run it in a sandbox with security-account credentials after deploying`,
    );
    return;
  }
  // Fail fast, before creating anything, naming every precondition that does not hold.
  const problems = e2eProblems(config, {
    account: account ?? '',
    region,
    checkRoleExists: await checkRoleExists(),
  });
  if (problems.length > 0) {
    throw new Error(
      `e2e preconditions not met (docs/deployment.md, "Verify end to end"):\n- ${problems.join('\n- ')}`,
    );
  }
  topicArn = await alertTopicArn();
  const queue = await sqs.send(
    new CreateQueueCommand({ QueueName: runId, Attributes: { MessageRetentionPeriod: '3600' } }),
  );
  queueUrl = queue.QueueUrl;
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = attributes.Attributes?.QueueArn ?? '';
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: queueUrl,
      Attributes: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
          ],
        }),
      },
    }),
  );
  subscriptionArn = (
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: queueArn,
        ReturnSubscriptionArn: true,
      }),
    )
  ).SubscriptionArn;
}, 120_000);

afterAll(async () => {
  // Clean up whatever was created, each step on its own so one failure does not leak the rest.
  const steps: [string, () => Promise<unknown>][] = [
    [
      'delete IAM user',
      async () => (userCreated ? iam.send(new DeleteUserCommand({ UserName: runId })) : undefined),
    ],
    [
      'unsubscribe',
      async () =>
        subscriptionArn ? sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn })) : undefined,
    ],
    [
      'delete queue',
      async () => (queueUrl ? sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })) : undefined),
    ],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (error) {
      console.log(
        `e2e cleanup: could not ${name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
});

interface SnsEnvelope {
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Value: string }>;
}

describe('org-mfa-watch end to end', () => {
  it('alerts on a new IAM user without MFA in the organization', async (context) => {
    if (skipReason !== undefined) context.skip();
    await iam.send(
      new CreateUserCommand({ UserName: runId, Tags: [{ Key: 'purpose', Value: 'org-mfa-watch e2e test' }] }),
    );
    userCreated = true;

    let found: SnsEnvelope | undefined;
    const deadline = Date.now() + 8 * 60_000;
    while (!found && Date.now() < deadline) {
      const received = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }),
      );
      found = (received.Messages ?? [])
        .map((m) => JSON.parse(m.Body ?? '{}') as SnsEnvelope)
        .find((m) => (m.Subject ?? '').includes(runId));
    }
    expect(found, `no alert for ${runId} within 8 minutes`).toBeDefined();
    const attributes = Object.fromEntries(
      Object.entries(found?.MessageAttributes ?? {}).map(([k, v]) => [k, v.Value]),
    );
    expect(attributes.accountId).toBe(account);
    expect(attributes.eventName).toBe('CreateUser');
    // With a grace period the first message is the creation notice; without one, the finding itself.
    expect(['USER_CREATED', 'NO_MFA_NO_CONSOLE']).toContain(attributes.finding);
    expect(found?.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(found?.Message).toContain(runId);
  });
});
