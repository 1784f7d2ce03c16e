import * as z from 'zod/mini';
import { ALERT_LOCALES, CHECKER_ENV, type AlertLocale } from '../contract/contract';
import { FINDINGS_ENV } from '../contract/findings';
import { SWEEP_ENV } from '../contract/sweep';
import { isIanaTimeZone } from '../contract/time-zone';
import { ReporterConfigurationError } from './errors';

/** The reporter's deployment settings, parsed once at init. */
export interface ReporterSettings {
  /** Bucket of the item list, the ResultWriter output and the reports. */
  readonly bucketName: string;
  readonly alertTopicArn: string;
  /** Partition and region of the deployment, from the topic ARN (console links; never assumed `aws`). */
  readonly partition: string;
  readonly region: string;
  readonly locale: AlertLocale;
  readonly timeZone: string;
  readonly findings: { readonly tableName: string; readonly resolvedRetentionDays: number };
}

const SNS_TOPIC_ARN = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):\d{12}:[\w-]{1,256}$/;
// S3 bucket naming rules (general purpose buckets): 3-63 of lower-case letters, digits, dots and hyphens.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const pattern = (re: RegExp, error: string) => z.string({ error }).check(z.regex(re, { error }));

const schema = z.object({
  [SWEEP_ENV.sweepBucketName]: pattern(BUCKET_NAME, 'expected an S3 bucket name'),
  [CHECKER_ENV.alertTopicArn]: pattern(SNS_TOPIC_ARN, 'expected an SNS topic ARN'),
  [CHECKER_ENV.alertLocale]: z.enum(ALERT_LOCALES, { error: `expected one of ${ALERT_LOCALES.join(', ')}` }),
  [CHECKER_ENV.alertTimeZone]: z
    .string({ error: 'expected an IANA time zone name' })
    .check(z.refine(isIanaTimeZone, { error: 'expected an IANA time zone name' })),
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
});

/**
 * Read the reporter's settings from its environment. Pure over the given record.
 * @throws ReporterConfigurationError naming every missing or malformed variable
 */
export function loadReporterSettings(env: Readonly<Record<string, string | undefined>>): ReporterSettings {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ReporterConfigurationError(
      result.error.issues.map((issue) => {
        const name = issue.path.map(String).join('.');
        return env[String(issue.path[0])] === undefined ? `${name} is not set` : `${name}: ${issue.message}`;
      }),
    );
  }
  const v = result.data;
  const topicArn = v[CHECKER_ENV.alertTopicArn];
  const [, partition = 'aws', region = 'us-east-1'] = SNS_TOPIC_ARN.exec(topicArn) ?? [];
  return {
    bucketName: v[SWEEP_ENV.sweepBucketName],
    alertTopicArn: topicArn,
    partition,
    region,
    locale: v[CHECKER_ENV.alertLocale],
    timeZone: v[CHECKER_ENV.alertTimeZone],
    findings: {
      tableName: v[FINDINGS_ENV.tableName],
      resolvedRetentionDays: v[FINDINGS_ENV.resolvedRetentionDays],
    },
  };
}
