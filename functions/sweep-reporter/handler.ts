import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { CanaryStore } from '../core/canary-store';
import { FindingStore } from '../core/finding-store';
import { MetricsRecorder, createMetrics, flushedAfter } from '../core/metrics';
import type { SweepReportSummary } from '../contract/sweep';
import { SDK_CLIENT_CONFIG as clientConfig } from '../contract/timing';
import { loadReporterSettings } from './env';
import { createReporter } from './report';

// Init once per container: a bad deployment fails here, naming the variable.
const logger = new Logger({ serviceName: 'org-mfa-watch' });
const settings = loadReporterSettings(process.env);
const metrics = new MetricsRecorder(createMetrics(logger));
const dynamodb = new DynamoDBClient(clientConfig);
const report = createReporter({
  settings,
  s3: new S3Client(clientConfig),
  sns: new SNSClient(clientConfig),
  store: new FindingStore({ client: dynamodb, tableName: settings.findings.tableName }),
  canaries: new CanaryStore({ client: dynamodb, tableName: settings.findings.tableName }),
  logger,
  now: () => new Date(),
  metrics,
});
const reportWithMetrics = flushedAfter(metrics, logger, report);

/** Entry point: the state machine's last task, `{ plan, results?, batches? }` → {@link SweepReportSummary}. */
export async function handler(event: unknown, context: Context): Promise<SweepReportSummary> {
  logger.addContext(context);
  try {
    return await reportWithMetrics(event);
  } catch (error) {
    logger.error('sweep report failed', { error });
    throw error;
  }
}
