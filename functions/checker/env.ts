import * as z from 'zod/mini';
import { ALERT_LOCALES, CHECKER_ENV, type AlertLocale } from '../shared/contract';
import { FINDINGS_ENV } from '../shared/findings';
import { exemptionSchema, type Exemption } from '../shared/exemption';
import { isIanaTimeZone } from '../shared/time-zone';
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
  /** Present when the Security Hub export is on: the region findings are imported to (home region). */
  readonly securityHub?: { readonly region: string };
  /** Present when the grace period is on. */
  readonly scheduler?: {
    readonly groupName: string;
    readonly roleArn: string;
    readonly deadLetterQueueArn: string;
  };
}

const SNS_TOPIC_ARN = /^arn:(aws[a-z-]*):sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

const jsonArray = z.pipe(
  z.string(),
  z.transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.issues.push({ code: 'custom', message: 'expected a JSON array', input: text });
      return z.NEVER;
    }
  }),
);

const pattern = (re: RegExp, error: string) => z.string().check(z.regex(re, { error }));

const schema = z.object({
  [CHECKER_ENV.checkRoleName]: pattern(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name'),
  [CHECKER_ENV.alertTopicArn]: pattern(SNS_TOPIC_ARN, 'expected an SNS topic ARN'),
  [CHECKER_ENV.alertLocale]: z.enum(ALERT_LOCALES, { error: `expected one of ${ALERT_LOCALES.join(', ')}` }),
  [CHECKER_ENV.alertTimeZone]: z
    .string()
    .check(z.refine(isIanaTimeZone, { error: 'expected an IANA time zone name' })),
  [CHECKER_ENV.quarantineQueueUrl]: pattern(/^https:\/\/\S+$/, 'expected an SQS queue URL'),
  [CHECKER_ENV.gracePeriodHours]: z.pipe(
    pattern(/^\d{1,3}$/, 'expected a whole number of hours (0-720)'),
    z.pipe(z.transform(Number), z.number().check(z.maximum(720, { error: 'expected at most 720 hours' }))),
  ),
  [CHECKER_ENV.notifyOnCreate]: z.enum(['true', 'false'], { error: 'expected "true" or "false"' }),
  [CHECKER_ENV.exemptions]: z.pipe(jsonArray, z.array(exemptionSchema, { error: 'expected a JSON array' })),
  [CHECKER_ENV.trustExemptionTags]: z.enum(['true', 'false'], { error: 'expected "true" or "false"' }),
  [FINDINGS_ENV.tableName]: pattern(/^[\w.-]{3,255}$/, 'expected a DynamoDB table name'),
  [FINDINGS_ENV.resolvedRetentionDays]: z.pipe(
    pattern(/^\d{1,4}$/, 'expected a whole number of days (1-3650)'),
    z.pipe(
      z.transform(Number),
      z
        .number()
        .check(
          z.minimum(1, { error: 'expected at least 1 day' }),
          z.maximum(3650, { error: 'expected at most 3650 days' }),
        ),
    ),
  ),
  [CHECKER_ENV.scheduleGroupName]: z.optional(
    pattern(/^[0-9a-zA-Z\-_.]{1,64}$/, 'expected a schedule group name'),
  ),
  [CHECKER_ENV.schedulerRoleArn]: z.optional(
    pattern(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'expected an IAM role ARN'),
  ),
  [CHECKER_ENV.securityHubExport]: z.optional(
    z.enum(['true', 'false'], { error: 'expected "true" or "false"' }),
  ),
  [CHECKER_ENV.securityHubRegion]: z.optional(
    pattern(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'expected an AWS region name'),
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
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigurationError(
      result.error.issues.map((issue) => {
        const name = issue.path.map(String).join('.');
        return env[String(issue.path[0])] === undefined ? `${name} is not set` : `${name}: ${issue.message}`;
      }),
    );
  }
  const v = result.data;
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
  const securityHubRegion = v[CHECKER_ENV.securityHubRegion];
  const securityHubExport = v[CHECKER_ENV.securityHubExport] === 'true';
  if (securityHubExport && securityHubRegion === undefined) {
    throw new ConfigurationError([
      `${CHECKER_ENV.securityHubRegion} must be set when ${CHECKER_ENV.securityHubExport} is "true"`,
    ]);
  }
  const topicArn = v[CHECKER_ENV.alertTopicArn];
  return {
    checkRoleName: v[CHECKER_ENV.checkRoleName],
    alertTopicArn: topicArn,
    partition: topicArn.split(':')[1] ?? 'aws',
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
    ...(securityHubExport && securityHubRegion !== undefined
      ? { securityHub: { region: securityHubRegion } }
      : {}),
    ...(groupName !== undefined && roleArn !== undefined && deadLetterQueueArn !== undefined
      ? { scheduler: { groupName, roleArn, deadLetterQueueArn } }
      : {}),
  };
}
