/**
 * The worker's enforcement wiring (ADR 0022), built once per container by the handler: the enforce
 * role's sessions and the quarantine records when enforcement is on, and the Enforce step.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { EnforcementSummary } from '../contract/enforcement';
import type { SDK_CLIENT_CONFIG } from '../contract/timing';
import { AccountSessions } from '../core/credentials';
import { enforcementFromEnv, InvalidEnforcementEnvError } from '../core/enforcement-env';
import { SWEEP_ENV } from '../contract/sweep';
import { createNotifier, type Notifier } from '../core/notify';
import { FindingStore } from '../core/finding-store';
import { QuarantineStore } from '../core/quarantine-store';
import type { SecurityHubExporter } from '../core/security-hub';
import { createEnforceStep } from './enforce-sweep';
import type { EnforcementDeps } from './enforcement-deps';
import type { SweepWorkerSettings } from './env';

/**
 * Enforcement's dependencies from the environment, or undefined when it is off.
 * @throws InvalidEnforcementEnvError naming the variable (at init)
 */
export function enforcementDeps(
  env: Readonly<Record<string, string | undefined>>,
  settings: SweepWorkerSettings,
  clients: { readonly clientConfig: typeof SDK_CLIENT_CONFIG; readonly dynamodb: DynamoDBClient },
): EnforcementDeps | undefined {
  const enforcement = enforcementFromEnv(env);
  if (enforcement.mode === 'off' || enforcement.roleName === undefined) return undefined;
  return {
    settings: enforcement,
    sessions: new AccountSessions(new STSClient(clients.clientConfig), {
      roleName: enforcement.roleName,
      partition: settings.partition,
      iamClientConfig: clients.clientConfig,
    }),
    quarantine: new QuarantineStore({ client: clients.dynamodb, tableName: settings.findings.tableName }),
    partition: settings.partition,
    findings: new FindingStore({ client: clients.dynamodb, tableName: settings.findings.tableName }),
  };
}

/**
 * The Enforce step on the worker's clients (email and chat through the one notification path).
 * @throws InvalidEnforcementEnvError when SWEEP_BUCKET_NAME is missing (at init)
 */
export function enforceStepOf(
  enforcement: EnforcementDeps,
  env: Readonly<Record<string, string | undefined>>,
  deps: {
    readonly settings: SweepWorkerSettings;
    readonly s3: S3Client;
    readonly sns: SNSClient;
    /** With the Security Hub export on: the quarantine notices import the finding's new state. */
    readonly securityHub?: Pick<SecurityHubExporter, 'exportFindings'>;
    readonly logger: Logger;
    readonly now: () => Date;
  },
): (raw: unknown) => Promise<EnforcementSummary> {
  const { settings, securityHub } = deps;
  const bucketName = env[SWEEP_ENV.sweepBucketName];
  if (bucketName === undefined || bucketName === '') {
    throw new InvalidEnforcementEnvError(
      SWEEP_ENV.sweepBucketName,
      'the sweep bucket when enforcement is on',
    );
  }
  return createEnforceStep({
    enforcement,
    s3: deps.s3,
    bucketName,
    notify: enforcementNotifier({ ...deps, settings, ...(securityHub === undefined ? {} : { securityHub }) }),
    logger: deps.logger,
    now: deps.now,
  });
}

/**
 * The notification path of enforcement's notices (the Enforce step, a release by hand): email, chat, and,
 * with the Security Hub export on, the finding's new quarantine state imported with its notice.
 */
export function enforcementNotifier(deps: {
  readonly settings: Pick<SweepWorkerSettings, 'alertTopicArn' | 'chatTopicArn'>;
  readonly sns: SNSClient;
  readonly securityHub?: Pick<SecurityHubExporter, 'exportFindings'>;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => Date;
}): Notifier {
  const { settings, securityHub } = deps;
  return createNotifier({
    sns: deps.sns,
    alertTopicArn: settings.alertTopicArn,
    ...(settings.chatTopicArn === undefined ? {} : { chatTopicArn: settings.chatTopicArn }),
    ...(securityHub === undefined
      ? {}
      : {
          exportFinding: async ({ finding, sessionHint }) => {
            await securityHub.exportFindings(finding.accountId, [{ finding }], sessionHint);
          },
        }),
    logger: deps.logger,
    now: deps.now,
  });
}
