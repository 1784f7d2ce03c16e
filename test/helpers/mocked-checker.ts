import { Logger } from '@aws-lambda-powertools/logger';
import {
  GetLoginProfileCommand,
  IAMClient,
  ListMFADevicesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
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

/** A checker wired to the mocked clients, with a fixed (or moving) clock and silent logs. */
export function testChecker(
  settings: CheckerSettings = testSettings(),
  now: Date | (() => Date) = new Date('2026-10-05T10:00:00Z'),
  /** More dependencies, e.g. a finding store on dynalite, the handler's logger or metrics. */
  extra: Partial<Pick<CheckerDeps, 'findings' | 'logger' | 'metrics'>> = {},
) {
  const clock = typeof now === 'function' ? now : () => now;
  const deps: CheckerDeps = {
    settings,
    sessions: new AccountSessions(new STSClient({ region: 'us-east-1' }), {
      roleName: settings.checkRoleName,
      partition: settings.partition,
      iamClientConfig: { region: 'us-east-1' },
      now: () => clock().getTime(),
    }),
    aliases: new AccountAliases(),
    sns: new SNSClient({ region: 'us-east-1' }),
    sqs: new SQSClient({ region: 'us-east-1' }),
    scheduler: new SchedulerClient({ region: 'us-east-1' }),
    logger: new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' }),
    now: clock,
    ...extra,
  };
  return createChecker(deps);
}

/** IAM says the user has `mfa` MFA devices and a console password (both from `at`), and no tags. */
export function consoleUserSays(mfa: number, at: Date, userName = 'u'): void {
  mocks.iam.on(ListMFADevicesCommand).resolves({
    MFADevices: Array.from({ length: mfa }, () => ({
      UserName: userName,
      SerialNumber: 'arn:x',
      EnableDate: at,
    })),
  });
  mocks.iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: userName, CreateDate: at } });
  mocks.iam.on(ListUserTagsCommand).resolves({ Tags: [] });
}
