import * as z from 'zod/mini';
import { CHECKER_ENV, type AlertLocale } from '../shared/contract';
import { FINDINGS_ENV } from '../shared/findings';
import type { Exemption } from '../shared/exemption';
import { SHARED_ENV_FIELDS, booleanVariable, parseEnvironment, partitionOf, pattern } from '../core/env';
import { ConfigurationError } from './errors';

/** The checker's deployment settings, parsed once at init. */
export interface CheckerSettings {
  readonly checkRoleName: string;
  readonly alertTopicArn: string;
  /** Partition of the deployment, taken from the topic ARN (never assumed to be `aws`). */
  readonly partition: string;
  readonly locale: AlertLocale;
  readonly timeZone: string;
  readonly quarantineQueueUrl: string;
  readonly gracePeriodHours: number;
  readonly notifyOnCreate: boolean;
  readonly exemptions: readonly Exemption[];
  /** Honour the exemption tag (off unless the deployment opts in). */
  readonly trustExemptionTags: boolean;
  /** The finding store: its table, and how long resolved findings are kept. */
  readonly findings: { readonly tableName: string; readonly resolvedRetentionDays: number };
  /** Present when the grace period is on. */
  readonly scheduler?: {
    readonly groupName: string;
    readonly roleArn: string;
    readonly deadLetterQueueArn: string;
  };
}

const schema = z.object({
  ...SHARED_ENV_FIELDS,
  [CHECKER_ENV.quarantineQueueUrl]: pattern(/^https:\/\/\S+$/, 'expected an SQS queue URL'),
  [CHECKER_ENV.notifyOnCreate]: booleanVariable,
  [CHECKER_ENV.scheduleGroupName]: z.optional(
    pattern(/^[0-9a-zA-Z\-_.]{1,64}$/, 'expected a schedule group name'),
  ),
  [CHECKER_ENV.schedulerRoleArn]: z.optional(
    pattern(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'expected an IAM role ARN'),
  ),
  [CHECKER_ENV.recheckDlqArn]: z.optional(
    pattern(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[\w-]+$/, 'expected an SQS queue ARN'),
  ),
});

/**
 * Read the checker's settings from its environment. Pure over the given record.
 * @throws ConfigurationError naming every missing or malformed variable
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): CheckerSettings {
  const v = parseEnvironment(schema, env, (problems) => new ConfigurationError(problems));
  const gracePeriodHours = v[CHECKER_ENV.gracePeriodHours];
  const groupName = v[CHECKER_ENV.scheduleGroupName];
  const roleArn = v[CHECKER_ENV.schedulerRoleArn];
  const deadLetterQueueArn = v[CHECKER_ENV.recheckDlqArn];
  if (
    gracePeriodHours > 0 &&
    (groupName === undefined || roleArn === undefined || deadLetterQueueArn === undefined)
  ) {
    throw new ConfigurationError([
      `${CHECKER_ENV.scheduleGroupName}, ${CHECKER_ENV.schedulerRoleArn} and ${CHECKER_ENV.recheckDlqArn} must be set when ${CHECKER_ENV.gracePeriodHours} > 0`,
    ]);
  }
  const topicArn = v[CHECKER_ENV.alertTopicArn];
  return {
    checkRoleName: v[CHECKER_ENV.checkRoleName],
    alertTopicArn: topicArn,
    partition: partitionOf(topicArn),
    locale: v[CHECKER_ENV.alertLocale],
    timeZone: v[CHECKER_ENV.alertTimeZone],
    quarantineQueueUrl: v[CHECKER_ENV.quarantineQueueUrl],
    gracePeriodHours,
    notifyOnCreate: v[CHECKER_ENV.notifyOnCreate] === 'true',
    exemptions: v[CHECKER_ENV.exemptions],
    trustExemptionTags: v[CHECKER_ENV.trustExemptionTags] === 'true',
    findings: {
      tableName: v[FINDINGS_ENV.tableName],
      resolvedRetentionDays: v[FINDINGS_ENV.resolvedRetentionDays],
    },
    ...(groupName !== undefined && roleArn !== undefined && deadLetterQueueArn !== undefined
      ? { scheduler: { groupName, roleArn, deadLetterQueueArn } }
      : {}),
  };
}
