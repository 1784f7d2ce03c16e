import { Logger } from '@aws-lambda-powertools/logger';
import { IAMClient } from '@aws-sdk/client-iam';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { AccountSessions } from '../../functions/core/credentials';
import type { CheckerSettings } from '../../functions/checker/env';
import { AccountAliases } from '../../functions/core/iam-facts';
import { createChecker, type CheckerDeps } from '../../functions/checker/process-event';
import { testSettings } from './checker-harness';

// Importing this module mocks every instance of these clients for the importing test file.
/** Mocks of every client the checker uses; `mockClient(X)` on a class mocks all its instances. */
export const mocks = {
  sts: mockClient(STSClient),
  iam: mockClient(IAMClient),
  sns: mockClient(SNSClient),
  sqs: mockClient(SQSClient),
  scheduler: mockClient(SchedulerClient),
};

/** Reset every mock and give AssumeRole a default answer: credentials valid for an hour from `now`. */
export function resetMocks(now: Date): void {
  for (const mock of Object.values(mocks)) mock.reset();
  mocks.sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIATESTKEY',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(now.getTime() + 60 * 60 * 1000),
    },
  });
}

/** A checker wired to the mocked clients, with a fixed clock and silent logs. */
export function testChecker(
  settings: CheckerSettings = testSettings(),
  now = new Date('2026-10-05T10:00:00Z'),
) {
  const deps: CheckerDeps = {
    settings,
    sessions: new AccountSessions(new STSClient({ region: 'us-east-1' }), {
      roleName: settings.checkRoleName,
      partition: settings.partition,
      iamClientConfig: { region: 'us-east-1' },
      now: () => now.getTime(),
    }),
    aliases: new AccountAliases(),
    sns: new SNSClient({ region: 'us-east-1' }),
    sqs: new SQSClient({ region: 'us-east-1' }),
    scheduler: new SchedulerClient({ region: 'us-east-1' }),
    logger: new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' }),
    now: () => now,
  };
  return createChecker(deps);
}
