import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { memberAccess } from '../core/member-access';
import { FindingStore } from '../core/finding-store';
import { AccountAliases } from '../core/iam-facts';
import { MetricsRecorder, createMetrics, flushedAfter } from '../core/metrics';
import { StormGuard } from '../core/storm-guard';
import { describeError } from '../core/errors';
import type { EnforcementSummary } from '../contract/enforcement';
import type { ReleaseResponse } from '../contract/release';
import type { SweepBatchResult } from '../contract/sweep';
import { SDK_CLIENT_CONFIG as clientConfig } from '../contract/timing';
import { isEnforceRequest, InvalidEnforceRequestError } from './enforce-sweep';
import { enforceStepOf, enforcementDeps } from './enforcement-wiring';
import { loadSweepSettings } from './env';
import { createReleaseRoute } from './release-route';
import { isReleaseInvocation } from './release-request';
import { createSweepWorker } from './sweep-batch';

// Init once per container: a bad deployment fails here, with the variable named, not mid-batch.
const logger = new Logger({ serviceName: 'org-mfa-watch-sweep' });
const settings = loadSweepSettings(process.env);
const metrics = new MetricsRecorder(createMetrics(logger));

// One session per member account for the reads and the Security Hub import (home region). The worker
// counts the findings not imported from the exporter's result: no onExportFailure here.
const { sessions, securityHub } = memberAccess(settings, { clientConfig, logger });

const dynamodb = new DynamoDBClient(clientConfig);
const sns = new SNSClient(clientConfig);
// Enforcement (ADR 0022): off unless the stack set its variables; a malformed one fails here.
const enforcement = enforcementDeps(process.env, settings, { clientConfig, dynamodb });
const enforce =
  enforcement === undefined
    ? undefined
    : enforceStepOf(enforcement, process.env, {
        settings,
        s3: new S3Client(clientConfig),
        sns,
        ...(securityHub === undefined ? {} : { securityHub }),
        logger,
        now: () => new Date(),
      });
const sweep = createSweepWorker({
  settings,
  sessions,
  ...(securityHub === undefined ? {} : { securityHub }),
  // The forward rule lives in us-east-1 of each member account, wherever the sweep runs.
  eventBridgeFor: (credentials) =>
    new EventBridgeClient({ ...clientConfig, region: settings.forwardRuleRegion, credentials }),
  // Its dead-letter queue is beside it. The queue URL is built from its name; the client's own endpoint
  // (not the URL's host) is where the call goes, so an endpoint override (FIPS, a VPC endpoint) holds.
  sqsFor: (credentials) =>
    new SQSClient({
      ...clientConfig,
      region: settings.forwardRuleRegion,
      credentials,
      useQueueUrlAsEndpoint: false,
    }),
  aliases: new AccountAliases(),
  findings: new FindingStore({
    client: dynamodb,
    tableName: settings.findings.tableName,
  }),
  stormGuard: new StormGuard(dynamodb, settings.findings.tableName, settings.alertStormThreshold, (error) => {
    logger.warn('Storm guard count failed; alerting individually', { error: describeError(error) });
  }),
  sns,
  logger,
  now: () => new Date(),
  metrics,
  ...(enforcement === undefined ? {} : { enforcement }),
});
const sweepWithMetrics = flushedAfter(metrics, logger, sweep);
// A release by hand (`npm run findings -- release`, ADR 0022): only this role may assume the enforce role.
const release = createReleaseRoute({
  settings,
  env: process.env,
  clientConfig,
  dynamodb,
  sns,
  ...(securityHub === undefined ? {} : { securityHub }),
  logger,
});

/**
 * Entry point, one of per invocation: a Distributed Map batch `{ Items, BatchInput? }`; the sweep's
 * Enforce step `{ enforce: { sweepId, results } }` after the map (enforcement on); or a release by hand
 * `{ release }` (`npm run findings -- release`).
 */
export async function handler(
  batch: unknown,
  context: Context,
): Promise<SweepBatchResult | EnforcementSummary | ReleaseResponse> {
  logger.addContext(context);
  if (isReleaseInvocation(batch)) return release(batch.release);
  if (isEnforceRequest(batch)) {
    if (enforce === undefined) throw new InvalidEnforceRequestError('enforce', 'enforcement is off here');
    return enforce(batch);
  }
  return sweepWithMetrics(batch, context);
}
