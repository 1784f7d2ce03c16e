import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { Context } from 'aws-lambda';
import { FindingStore } from '../core/finding-store';
import { createIdempotentProcessor } from '../core/idempotency';
import { SDK_CLIENT_CONFIG as clientConfig } from '../shared/timing';
import { AccountSessions } from '../core/credentials';
import { createSecurityHubExporter } from '../core/security-hub';
import { EVENT_KEY_PATH, deduplicated } from './deduplicate';
import { loadSettings } from './env';
import { AccountAliases } from '../core/iam-facts';
import { MetricsRecorder, createMetrics } from '../core/metrics';
import { withMetrics } from './metrics';
import { createChecker, type CheckResult } from './process-event';

// Init once per container: a bad deployment fails here, with the variable named, not mid-event.
// Clients: adaptive retries inside one invocation (ADR 0001), socket timeouts (functions/shared/timing.ts).
const logger = new Logger({ serviceName: 'org-mfa-watch' });
const settings = loadSettings(process.env);
const dynamo = new DynamoDBClient(clientConfig);
const { tableName } = settings.findings;
// EMF to stdout, written at the end of every invocation (functions/core/metrics.ts).
const metrics = new MetricsRecorder(createMetrics(logger));
const sessions = new AccountSessions(new STSClient(clientConfig), {
  roleName: settings.checkRoleName,
  partition: settings.partition,
  iamClientConfig: clientConfig,
  ...(settings.securityHub === undefined
    ? {}
    : { securityHubClientConfig: { ...clientConfig, region: settings.securityHub.region } }),
});

const checker = createChecker({
  settings,
  sessions,
  ...(settings.securityHub === undefined
    ? {}
    : {
        securityHub: createSecurityHubExporter({
          sessions,
          settings: {
            partition: settings.partition,
            region: settings.securityHub.region,
            locale: settings.locale,
          },
          logger,
          // Counted once per finding not imported; the reason is in the log line the exporter writes.
          onExportFailure: (failure) => {
            metrics.recordExportFailure(failure.ids.length);
          },
        }),
      }),
  aliases: new AccountAliases(),
  sns: new SNSClient(clientConfig),
  sqs: new SQSClient(clientConfig),
  scheduler: new SchedulerClient(clientConfig),
  findings: new FindingStore({ client: dynamo, tableName }),
  logger,
  now: () => new Date(),
  metrics,
});
const processOnce = createIdempotentProcessor<unknown, Context, CheckResult>(checker, {
  client: dynamo,
  tableName,
  eventKeyJmesPath: EVENT_KEY_PATH,
});
const check = withMetrics(deduplicated(checker, processOnce, logger), metrics, logger);

/** Entry point: one EventBridge event (or scheduled re-check) per invocation. */
export async function handler(event: unknown, context: Context): Promise<CheckResult> {
  logger.addContext(context);
  return check(event, context);
}
