import { Logger } from '@aws-lambda-powertools/logger';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { SDK_CLIENT_CONFIG } from '../shared/timing';
import { AccountSessions } from './credentials';
import { loadSettings } from './env';
import { AccountAliases } from './iam-facts';
import { createChecker, type CheckResult } from './process-event';

// Init once per container: a bad deployment fails here, with the variable named, not mid-event.
const logger = new Logger({ serviceName: 'org-mfa-watch' });
const settings = loadSettings(process.env);

// Adaptive retries absorb IAM/STS throttling inside one invocation (ADR 0001: Lambda's own retries are
// off); socket timeouts bound a hung connection, so the worst case leaves time to publish (timing.ts).
const clientConfig = SDK_CLIENT_CONFIG;

const checker = createChecker({
  settings,
  sessions: new AccountSessions(new STSClient(clientConfig), {
    roleName: settings.checkRoleName,
    partition: settings.partition,
    iamClientConfig: clientConfig,
  }),
  aliases: new AccountAliases(),
  sns: new SNSClient(clientConfig),
  sqs: new SQSClient(clientConfig),
  scheduler: new SchedulerClient(clientConfig),
  logger,
  now: () => new Date(),
});

/** Entry point: one EventBridge event (or scheduled re-check) per invocation. */
export async function handler(event: unknown, context: Context): Promise<CheckResult> {
  logger.addContext(context);
  return checker(event, context);
}
