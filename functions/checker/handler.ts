import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { CanaryStore } from '../core/canary-store';
import { FindingStore } from '../core/finding-store';
import { createIdempotentProcessor } from '../core/idempotency';
import { onFirstUse } from '../core/lazy';
import { SDK_CLIENT_CONFIG as clientConfig } from '../contract/timing';
import { memberAccess } from '../core/member-access';
import { EVENT_KEY_PATH, deduplicated } from './deduplicate';
import { loadSettings } from './env';
import { AccountAliases } from '../core/iam-facts';
import { MetricsRecorder, createMetrics } from '../core/metrics';
import { withMetrics } from './metrics';
import { createChecker, type CheckResult } from './process-event';

// Init once per container: a bad deployment fails here, with the variable named, not mid-event.
// Clients: adaptive retries inside one invocation (ADR 0001), socket timeouts (functions/contract/timing.ts).
const logger = new Logger({ serviceName: 'org-mfa-watch' });
const settings = loadSettings(process.env);
const dynamo = new DynamoDBClient(clientConfig);
const { tableName } = settings.findings;
// EMF to stdout, written at the end of every invocation (functions/core/metrics.ts).
const metrics = new MetricsRecorder(createMetrics(logger));
const { sessions, securityHub } = memberAccess(settings, {
  clientConfig,
  logger,
  // Counted once per finding not imported; the reason is in the log line the exporter writes.
  onExportFailure: (failure) => {
    metrics.recordExportFailure(failure.ids.length);
  },
});

const checker = createChecker({
  settings,
  sessions,
  ...(securityHub === undefined ? {} : { securityHub }),
  aliases: new AccountAliases(),
  sns: new SNSClient(clientConfig),
  // Only an invalid event (quarantine) and the grace-period paths use these: loaded on first use.
  sqs: onFirstUse(async () => new (await import('../core/sdk/sqs')).SQSClient(clientConfig)),
  scheduler: onFirstUse(
    async () => new (await import('../core/sdk/scheduler')).SchedulerClient(clientConfig),
  ),
  findings: new FindingStore({ client: dynamo, tableName }),
  canaries: new CanaryStore({ client: dynamo, tableName }),
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
