import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { S3Client } from '@aws-sdk/client-s3';
import { ENFORCE_ROLE_NAME } from '../../functions/contract/enforcement';
import { AccountSessions } from '../../functions/core/credentials';
import type { EnforcementEnv } from '../../functions/core/enforcement-env';
import { createNotifier } from '../../functions/core/notify';
import { QuarantineStore } from '../../functions/core/quarantine-store';
import { createEnforceStep } from '../../functions/sweep-worker/enforce-sweep';
import type { EnforcementDeps } from '../../functions/sweep-worker/enforcement-deps';
import { FindingStore } from '../../functions/core/finding-store';
import { createSecurityHubExporter } from '../../functions/core/security-hub';
import { AccountAliases } from '../../functions/core/iam-facts';
import type { SweepWorkerSettings } from '../../functions/sweep-worker/env';
import {
  createSweepWorker,
  type SweepTuning,
  type SweepWorkerDeps,
} from '../../functions/sweep-worker/sweep-batch';
import { testSettings } from './checker-harness';
import type { LocalDynamo } from '../../scripts/simulation/dynalite';
import { createFindingsTable } from '../../scripts/simulation/dynalite';

/** The central bus the member rules must target, in tests. */
export const TEST_BUS_ARN = 'arn:aws:events:us-east-1:222222222222:event-bus/org-mfa-watch';

/** The sweep worker's settings in tests: grace period off, report max age 4 h, unless overridden. */
export function sweepSettings(overrides: Partial<SweepWorkerSettings> = {}): SweepWorkerSettings {
  // The settings the sweep shares with the checker are the checker's test settings.
  const { quarantineQueueUrl: _q, notifyOnCreate: _n, scheduler: _s, ...shared } = testSettings();
  return {
    ...shared,
    credentialReportMaxAgeHours: 4,
    centralBusArn: TEST_BUS_ARN,
    forwardRuleName: 'org-mfa-watch-forward',
    forwardRuleRegion: 'us-east-1',
    forwardDeadLetterQueueName: 'org-mfa-watch-forward-dlq',
    securityHubReimportAfterDays: 30,
    alertStormThreshold: 10,
    canaryEnabled: false,
    ...overrides,
  };
}

/** Options of {@link sweepWorker}. */
export interface SweepWorkerHarnessOptions {
  readonly settings?: Partial<SweepWorkerSettings>;
  readonly tuning?: Partial<SweepTuning>;
  readonly now?: () => Date;
  /** Either a requestHandler (injected) or an endpoint URL (the fake over HTTP). */
  readonly transport: { readonly requestHandler: unknown } | { readonly endpoint: string };
  /**
   * Where the worker counts the findings it opens and resolves, and those Security Hub did not import.
   * With `settings.securityHub`, the worker exports through the real exporter, in that region.
   */
  readonly metrics?: SweepWorkerDeps['metrics'];
  /** SDK attempts per call. @default 1 (the SDK's retries are not what these tests are about) */
  readonly maxAttempts?: number;
  /** The storm guard (functions/core/storm-guard.ts). @default none: every alert goes out on its own */
  readonly stormGuard?: SweepWorkerDeps['stormGuard'];
  /** Enforcement on (ADR 0022), through the enforce role's sessions on the same fake. @default off */
  readonly enforcement?: Omit<EnforcementEnv, 'roleName'>;
  /** Reuse this findings table (a second worker with other settings on the same store). @default a new one */
  readonly tableName?: string;
}

/**
 * A sweep worker on REAL SDK clients whose HTTP layer is the fake AWS, and a finding store on a fresh
 * dynalite table. Sleeps are recorded, never waited.
 */
export async function sweepWorker(dynamo: LocalDynamo, options: SweepWorkerHarnessOptions) {
  const tableName = options.tableName ?? (await createFindingsTable(dynamo.client, 'sweep'));
  const settings = sweepSettings({
    ...options.settings,
    findings: { tableName, resolvedRetentionDays: 90 },
  });
  const now = options.now ?? (() => new Date('2026-10-05T10:00:00Z'));
  const transport =
    'requestHandler' in options.transport
      ? { requestHandler: options.transport.requestHandler as never }
      : { endpoint: options.transport.endpoint };
  const base = {
    region: 'us-east-1',
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? 1,
    ...transport,
  } as const;
  const credentials = { accessKeyId: 'AKIDSWEEP', secretAccessKey: 'secret' };
  const store = new FindingStore({ client: dynamo.client, tableName });
  const sleeps: number[] = [];
  const sessions = new AccountSessions(new STSClient({ ...base, credentials }), {
    roleName: settings.checkRoleName,
    partition: settings.partition,
    iamClientConfig: base,
    now: () => now().getTime(),
    ...(settings.securityHub === undefined
      ? {}
      : { securityHubClientConfig: { ...base, region: settings.securityHub.region } }),
  });
  const logger = new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' });
  const sns = new SNSClient({ ...base, credentials });
  const enforcement: EnforcementDeps | undefined =
    options.enforcement === undefined
      ? undefined
      : {
          settings: { ...options.enforcement, roleName: ENFORCE_ROLE_NAME },
          sessions: new AccountSessions(new STSClient({ ...base, credentials }), {
            roleName: ENFORCE_ROLE_NAME,
            partition: settings.partition,
            iamClientConfig: base,
            now: () => now().getTime(),
          }),
          quarantine: new QuarantineStore({ client: dynamo.client, tableName }),
          partition: settings.partition,
        };
  /** The sweep's Enforce step on the same clients, reading the map's results through `s3`. */
  const enforceStep = (s3: S3Client, bucket: string) => {
    if (enforcement === undefined) throw new Error('harness: enforcement is off');
    return createEnforceStep({
      enforcement,
      s3,
      bucketName: bucket,
      notify: createNotifier({
        sns,
        alertTopicArn: settings.alertTopicArn,
        ...(settings.chatTopicArn === undefined ? {} : { chatTopicArn: settings.chatTopicArn }),
        logger,
        now,
      }),
      logger,
      now,
    });
  };
  const sweep = createSweepWorker({
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
          }),
        }),
    eventBridgeFor: (roleCredentials) =>
      new EventBridgeClient({ ...base, region: settings.forwardRuleRegion, credentials: roleCredentials }),
    sqsFor: (roleCredentials) =>
      new SQSClient({ ...base, region: settings.forwardRuleRegion, credentials: roleCredentials }),
    aliases: new AccountAliases(),
    findings: store,
    sns,
    logger,
    now,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.stormGuard === undefined ? {} : { stormGuard: options.stormGuard }),
    ...(enforcement === undefined ? {} : { enforcement }),
  });
  return {
    sweep,
    store,
    settings,
    sleeps,
    tableName,
    quarantine: new QuarantineStore({ client: dynamo.client, tableName }),
    enforceStep,
  };
}
