import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AccountSessions, type RoleCredentials } from '../../functions/core/credentials';
import { FindingStore } from '../../functions/core/finding-store';
import { AccountAliases } from '../../functions/core/iam-facts';
import type { SweepWorkerSettings } from '../../functions/sweep-worker/env';
import { createSweepWorker } from '../../functions/sweep-worker/sweep-batch';
import type { SweepAccountItem, SweepBatchResult } from '../../functions/contract/sweep';
import type { AppConfig } from '../../stacks/config';
import { MEMBER_REGION, NAMES } from '../../stacks/names';
import { createFindingsTable, startDynalite } from '../simulation/dynalite';

/**
 * `npm run sweep -- --local --account ID`: the sweep worker's own code, run on this machine against one
 * member account with the operator's credentials, recording nothing. The finding store is a scratch
 * table in an in-process DynamoDB (dynalite, a devDependency), so every problem shows as new; the
 * alerts the worker would publish are printed instead of sent. What it answers: "what would the sweep
 * find in this account right now?", before or without deploying.
 */

/** How the local run reaches the account. */
export type LocalAccess =
  /** The credentials given are the account's own (an SSO profile of that account): checked, then used. */
  | { readonly kind: 'direct' }
  /** Assume this role in the account from the credentials given (e.g. OrganizationAccountAccessRole). */
  | { readonly kind: 'assume'; readonly roleName: string };

/** The partition of every region the configuration accepts. */
const PARTITION = 'aws';

/** The worker's settings from the configuration, as the central stack sets them on the function. Pure. */
export function localWorkerSettings(config: AppConfig, tableName: string): SweepWorkerSettings {
  return {
    checkRoleName: NAMES.memberCheckRole,
    alertTopicArn: `arn:${PARTITION}:sns:${config.homeRegion}:${config.securityAccountId}:${NAMES.alertTopic}`,
    partition: PARTITION,
    locale: config.notifications.locale,
    timeZone: config.notifications.timeZone,
    gracePeriodHours: config.gracePeriodHours,
    exemptions: config.exemptions,
    trustExemptionTags: config.trustExemptionTags,
    findings: { tableName, resolvedRetentionDays: config.findings.resolvedRetentionDays },
    credentialReportMaxAgeHours: config.sweep.credentialReportMaxAgeHours,
    centralBusArn: `arn:${PARTITION}:events:${config.homeRegion}:${config.securityAccountId}:event-bus/${NAMES.centralBus}`,
    forwardRuleName: NAMES.memberForwardRule,
    forwardRuleRegion: MEMBER_REGION,
    ...(config.console === undefined ? {} : { consoleAccess: config.console }),
    forwardDeadLetterQueueName: NAMES.memberForwardDeadLetterQueue,
    securityHubReimportAfterDays: config.securityHub.reimportAfterDays,
    alertStormThreshold: config.sweep.alertStormThreshold,
    // A local run has no wait and no comparison after it, and may not run as the check role: no canary.
    canaryEnabled: false,
  };
}

/** The given credentials are not those of the account asked for. */
export class WrongAccountError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `the credentials given are for account ${actual}, not ${expected}: use a profile of ${expected}, or --role-name to assume a role there`,
    );
    this.name = 'WrongAccountError';
  }
}

/**
 * Sessions on the operator's own credentials, for one account: the same interface the worker uses
 * for assumed check-role sessions, after checking (sts:GetCallerIdentity) that the credentials are
 * that account's, so a sweep of one account never reads another.
 */
class DirectSessions {
  private readonly iam = new IAMClient({ region: MEMBER_REGION });

  constructor(
    private readonly accountId: string,
    private readonly sts: STSClient,
  ) {}

  private async verify(accountId: string): Promise<void> {
    const { Account } = await this.sts.send(new GetCallerIdentityCommand({}));
    if (Account !== accountId || accountId !== this.accountId) {
      throw new WrongAccountError(accountId, Account ?? 'unknown');
    }
  }

  async iamFor(accountId: string): Promise<IAMClient> {
    await this.verify(accountId);
    return this.iam;
  }

  async credentialsFor(accountId: string): Promise<RoleCredentials> {
    await this.verify(accountId);
    const c = await this.iam.config.credentials();
    return {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
      ...(c.expiration === undefined ? {} : { expiration: c.expiration }),
    } as RoleCredentials;
  }
}

/** An SNS client that prints each Publish instead of sending it (the local run alerts nobody). */
export function printingSns(print: (text: string) => void): SNSClient {
  const sns = new SNSClient({ region: MEMBER_REGION });
  let count = 0;
  sns.middlewareStack.add(
    () => (args) => {
      const input = args.input as { Subject?: string; Message?: string };
      count += 1;
      print(
        `--- alert the sweep would publish (${count}) ---\n${input.Subject ?? ''}\n\n${input.Message ?? ''}\n`,
      );
      return Promise.resolve({ output: { MessageId: `local-${count}`, $metadata: {} }, response: {} });
    },
    { step: 'initialize', name: 'printInsteadOfPublish' },
  );
  return sns;
}

/** Run the worker once over `accountId` on this machine; the result is the worker's own. */
export async function sweepLocally(options: {
  readonly config: AppConfig;
  readonly accountId: string;
  readonly access: LocalAccess;
  readonly print: (text: string) => void;
}): Promise<SweepBatchResult> {
  const dynamo = await startDynalite();
  try {
    const tableName = await createFindingsTable(dynamo.client, 'local-sweep');
    const settings = localWorkerSettings(options.config, tableName);
    const sts = new STSClient({ region: MEMBER_REGION });
    const sessions =
      options.access.kind === 'direct'
        ? new DirectSessions(options.accountId, sts)
        : new AccountSessions(sts, {
            roleName: options.access.roleName,
            partition: PARTITION,
            iamClientConfig: { region: MEMBER_REGION },
          });
    const worker = createSweepWorker({
      settings,
      sessions,
      eventBridgeFor: (credentials) =>
        new EventBridgeClient({ region: settings.forwardRuleRegion, credentials }),
      // The regional endpoint (AWS_ENDPOINT_URL when set), not the queue URL's host: the same in AWS.
      sqsFor: (credentials) =>
        new SQSClient({ region: settings.forwardRuleRegion, credentials, useQueueUrlAsEndpoint: false }),
      aliases: new AccountAliases(),
      findings: new FindingStore({ client: dynamo.client, tableName }),
      sns: printingSns(options.print),
      logger: new Logger({ serviceName: 'org-mfa-watch-sweep-local', logLevel: 'WARN' }),
      now: () => new Date(),
      // On the operator's own credentials nothing is assumed: a failure there is the identity check's.
      ...(options.access.kind === 'direct' ? { sessionStep: 'sts:GetCallerIdentity' } : {}),
    });
    const item: SweepAccountItem = {
      accountId: options.accountId,
      // No name: an alert the local run prints must read like a real one (no "(local run)" in it).
      name: '',
      coverage: 'stackset',
    };
    return await worker({ Items: [item], BatchInput: { sweepId: `local-${Date.now()}`, mode: 'on-demand' } });
  } finally {
    await dynamo.close();
  }
}
