import * as z from 'zod/mini';
import { CHECKER_ENV } from '../contract/contract';
import {
  OUTPUT_ENV_FIELDS,
  SHARED_ENV_FIELDS,
  booleanVariable,
  outputSettings,
  parseEnvironment,
  pattern,
  sharedSettings,
  type OutputSettings,
  type SharedSettings,
} from '../core/env';
import { ConfigurationError } from './errors';

/** The checker's deployment settings, parsed once at init (those it shares with the sweep worker, and its own). */
export interface CheckerSettings extends SharedSettings, OutputSettings {
  readonly quarantineQueueUrl: string;
  readonly notifyOnCreate: boolean;
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
  ...OUTPUT_ENV_FIELDS,
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
  const outputs = outputSettings(v, (problems) => new ConfigurationError(problems));
  return {
    ...sharedSettings(v),
    quarantineQueueUrl: v[CHECKER_ENV.quarantineQueueUrl],
    notifyOnCreate: v[CHECKER_ENV.notifyOnCreate] === 'true',
    ...outputs,
    ...(groupName !== undefined && roleArn !== undefined && deadLetterQueueArn !== undefined
      ? { scheduler: { groupName, roleArn, deadLetterQueueArn } }
      : {}),
  };
}
