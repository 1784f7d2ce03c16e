import { Logger } from '@aws-lambda-powertools/logger';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { AccountSessions } from '../../functions/core/credentials';
import type { CheckerSettings } from '../../functions/checker/env';
import { AccountAliases } from '../../functions/core/iam-facts';
import { createChecker, type CheckerDeps } from '../../functions/checker/process-event';

/** The checker's settings in tests: grace period off unless overridden. */
export function testSettings(overrides: Partial<CheckerSettings> = {}): CheckerSettings {
  return {
    checkRoleName: 'org-mfa-watch-check',
    alertTopicArn: 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts',
    partition: 'aws',
    locale: 'en',
    timeZone: 'Asia/Seoul',
    quarantineQueueUrl: 'https://sqs.us-east-1.amazonaws.com/222222222222/quarantine',
    gracePeriodHours: 0,
    notifyOnCreate: true,
    exemptions: [],
    trustExemptionTags: false,
    findings: { tableName: 'org-mfa-watch-findings', resolvedRetentionDays: 90 },
    scheduler: {
      groupName: 'org-mfa-watch',
      roleArn: 'arn:aws:iam::222222222222:role/org-mfa-watch-scheduler',
      deadLetterQueueArn: 'arn:aws:sqs:us-east-1:222222222222:recheck-dlq',
    },
    ...overrides,
  };
}

/** Lambda context with the checker's own ARN (the re-check schedule target). */
export const TEST_CONTEXT = {
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:222222222222:function:org-mfa-watch-checker',
};

/**
 * A checker on REAL SDK clients whose HTTP layer is the given fake AWS: serialization, retries and
 * parsing run as in Lambda. `retryMode` as in handler.ts (adaptive) unless overridden.
 */
export function fakeAwsChecker(
  requestHandler: unknown,
  settings: CheckerSettings = testSettings(),
  now: Date | (() => Date) = new Date('2026-10-05T10:00:00Z'),
  /** More dependencies, e.g. a finding store on dynalite. */
  extra: Pick<CheckerDeps, 'findings'> = {},
) {
  const clock = typeof now === 'function' ? now : () => now;
  const clientConfig = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDCHECKER', secretAccessKey: 'secret' },
    retryMode: 'adaptive',
    maxAttempts: 6,
    requestHandler: requestHandler as never,
  } as const;
  return createChecker({
    settings,
    sessions: new AccountSessions(new STSClient(clientConfig), {
      roleName: settings.checkRoleName,
      partition: settings.partition,
      iamClientConfig: {
        region: 'us-east-1',
        retryMode: 'adaptive',
        maxAttempts: 6,
        requestHandler: requestHandler as never,
      },
      now: () => clock().getTime(),
    }),
    aliases: new AccountAliases(),
    sns: new SNSClient(clientConfig),
    sqs: new SQSClient(clientConfig),
    scheduler: new SchedulerClient(clientConfig),
    logger: new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' }),
    now: clock,
    ...extra,
  });
}
