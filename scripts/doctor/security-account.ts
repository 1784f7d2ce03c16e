/**
 * Checks in the security account (home region): the alert topic's email subscriptions are confirmed,
 * and the checker's reserved concurrency fits the account's Lambda quota.
 */
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { ListSubscriptionsByTopicCommand, type SNSClient, type Subscription } from '@aws-sdk/client-sns';
import type { AppConfig } from '../../stacks/config';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { callFailed, type CheckRow, errorText, isNetworkError, notPass, pass, unreachable } from './report';
import type { Caller } from './scope';

/** ARN of the alert topic, in the caller's partition. */
export function alertTopicArn(config: AppConfig, partition: string): string {
  return `arn:${partition}:sns:${config.homeRegion}:${config.securityAccountId}:${NAMES.alertTopic}`;
}

/** 7. (after deploy) Every configured email subscription of the alert topic is confirmed. */
export async function checkSubscriptions(
  sns: SNSClient,
  config: AppConfig,
  caller: Caller,
): Promise<CheckRow> {
  const name = 'alert subscriptions';
  const topicArn = alertTopicArn(config, caller.partition);
  const subs: Subscription[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await sns.send(
        new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }),
      );
      subs.push(...(page.Subscriptions ?? []));
      token = page.NextToken;
    } while (token);
  } catch (err) {
    if (isNetworkError(err)) return unreachable(name, err);
    // Before deploy, or from another account than the security account, the topic is not reachable.
    return notPass(
      name,
      'SKIP',
      `topic ${topicArn} not reachable from these credentials (${errorText(err)})`,
      `rerun with security-account credentials (sns:ListSubscriptionsByTopic) after deploying ${STACK_IDS.central}`,
    );
  }
  const emails = subs.filter((s) => s.Protocol === 'email' || s.Protocol === 'email-json');
  const pending = emails
    .filter((s) => s.SubscriptionArn === 'PendingConfirmation')
    .map((s) => s.Endpoint ?? '?');
  const missing = config.notifications.emails.filter((e) => !emails.some((s) => s.Endpoint === e));
  if (pending.length > 0) {
    return notPass(
      name,
      'FAIL',
      `pending confirmation: ${pending.join(', ')}`,
      'each address must click "Confirm subscription" in the AWS Notification email (resubscribe if it expired)',
    );
  }
  if (missing.length > 0) {
    return notPass(name, 'WARN', `not subscribed: ${missing.join(', ')}`, `redeploy ${STACK_IDS.central}`);
  }
  return pass(name, `${emails.length} email subscription(s) confirmed`);
}

/**
 * Lambda keeps at least 100 unreserved concurrent executions per account and Region: "You can reserve
 * up to the Unreserved account concurrency value minus 100" (AWS Lambda Developer Guide, "Configuring
 * reserved concurrency for a function",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuring-concurrency.html).
 */
export const LAMBDA_MIN_UNRESERVED = 100;

/** The checker function's name from the central stack's output, or undefined before the first deploy. */
async function checkerFunctionName(cfn: CloudFormationClient): Promise<string | undefined> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: STACK_IDS.central }));
    return out.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'CheckerFunctionName')?.OutputValue;
  } catch (err) {
    if (err instanceof Error && /does not exist/.test(err.message)) return undefined;
    throw err;
  }
}

/**
 * 9. The security account can reserve `checkerReservedConcurrency` for the checker in the home region
 * (CloudFormation fails the central stack otherwise). A reservation the deployed checker already holds
 * counts as available, since a redeploy replaces it.
 */
export async function checkLambdaConcurrency(
  lambda: LambdaClient,
  cfn: CloudFormationClient,
  config: AppConfig,
): Promise<CheckRow> {
  const name = 'lambda concurrency';
  const wanted = config.checkerReservedConcurrency;
  if (wanted === 0) {
    return notPass(
      name,
      'SKIP',
      'checkerReservedConcurrency is 0: the checker reserves nothing',
      'nothing to do',
    );
  }
  let unreserved: number;
  let quota: number | undefined;
  try {
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions ?? 0;
    quota = settings.AccountLimit?.ConcurrentExecutions;
  } catch (err) {
    return callFailed(name, 'lambda:GetAccountSettings', err);
  }
  let held = 0;
  try {
    const functionName = await checkerFunctionName(cfn);
    if (functionName !== undefined) {
      const current = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
      held = current.ReservedConcurrentExecutions ?? 0;
    }
  } catch (err) {
    return callFailed(name, 'cloudformation:DescribeStacks and lambda:GetFunctionConcurrency', err);
  }
  const available = unreserved + held;
  const left = available - wanted;
  const where = `${config.securityAccountId}/${config.homeRegion}`;
  const heldText = held > 0 ? ` (${held} of them reserved by the deployed checker)` : '';
  const detail = `${available} concurrent executions available in ${where}${heldText}${quota === undefined ? '' : `, account quota ${quota}`}`;
  if (left >= LAMBDA_MIN_UNRESERVED) {
    return pass(name, `${detail}; reserving ${wanted} leaves ${left} unreserved`);
  }
  return notPass(
    name,
    'FAIL',
    `${detail}; reserving ${wanted} would leave ${left}, but Lambda keeps at least ${LAMBDA_MIN_UNRESERVED} unreserved`,
    `set "checkerReservedConcurrency": 0 in the config (no reservation)${quota === undefined ? '' : `, or raise the Lambda "Concurrent executions" quota (Service Quotas) from ${quota} to at least ${quota + LAMBDA_MIN_UNRESERVED - left}`}`,
  );
}
