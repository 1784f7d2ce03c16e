/**
 * Environment variables the checker and the sweep worker both read, parsed the same way: each field's
 * schema and the error text, so a variable means one thing in both functions.
 */
import * as z from 'zod/mini';
import { ALERT_LOCALES, CHECKER_ENV, CONSOLE_ENV, type AlertLocale } from '../contract/contract';
import { ACCESS_PORTAL_URL, PERMISSION_SET_NAME, type ConsoleAccess } from './console-link';
import { exemptionSchema, type Exemption } from '../contract/exemption';
import { FINDINGS_ENV } from '../contract/findings';
import { isIanaTimeZone } from '../contract/time-zone';

/** An SNS topic ARN of any partition (the partition is read from it). */
export const SNS_TOPIC_ARN = /^arn:(aws[a-z-]*):sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

/** A string matching `re`, else `error`. */
export const pattern = (re: RegExp, error: string) => z.string().check(z.regex(re, { error }));

/** A whole number written in the variable, from `min` to `max`, with `unit` in the messages. */
export function wholeNumber(min: number, max: number, unit: string) {
  const digits = String(max).length;
  return z.pipe(
    pattern(new RegExp(`^\\d{1,${digits}}$`), `expected a whole number of ${unit} (${min}-${max})`),
    z.pipe(
      z.transform(Number),
      z
        .number()
        .check(
          z.minimum(min, { error: `expected at least ${min} ${min === 1 ? unit.replace(/s$/, '') : unit}` }),
          z.maximum(max, { error: `expected at most ${max} ${unit}` }),
        ),
    ),
  );
}

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

const trueOrFalse = z.enum(['true', 'false'], { error: 'expected "true" or "false"' });

/** Fields of the environment both functions read (check role, alerts, grace period, exemptions, store). */
export const SHARED_ENV_FIELDS = {
  [CHECKER_ENV.checkRoleName]: pattern(/^[\w+=,.@-]{1,64}$/, 'expected an IAM role name'),
  [CHECKER_ENV.alertTopicArn]: pattern(SNS_TOPIC_ARN, 'expected an SNS topic ARN'),
  [CHECKER_ENV.alertLocale]: z.enum(ALERT_LOCALES, { error: `expected one of ${ALERT_LOCALES.join(', ')}` }),
  [CHECKER_ENV.alertTimeZone]: z
    .string()
    .check(z.refine(isIanaTimeZone, { error: 'expected an IANA time zone name' })),
  [CHECKER_ENV.gracePeriodHours]: wholeNumber(0, 720, 'hours'),
  [CHECKER_ENV.exemptions]: z.pipe(jsonArray, z.array(exemptionSchema, { error: 'expected a JSON array' })),
  [CHECKER_ENV.trustExemptionTags]: trueOrFalse,
  [FINDINGS_ENV.tableName]: pattern(/^[\w.-]{3,255}$/, 'expected a DynamoDB table name'),
  [FINDINGS_ENV.resolvedRetentionDays]: wholeNumber(1, 3650, 'days'),
  [CONSOLE_ENV.accessPortalUrl]: z.optional(pattern(ACCESS_PORTAL_URL, 'expected an AWS access portal URL')),
  [CONSOLE_ENV.permissionSet]: z.optional(pattern(PERMISSION_SET_NAME, 'expected a permission set name')),
} as const;

/** `"true"` / `"false"` variables. */
export const booleanVariable = trueOrFalse;

/**
 * Optional outputs besides the email, read the same way by both functions: the chat topic, and the
 * Security Hub export with its region (the home region, where findings are imported).
 */
export const OUTPUT_ENV_FIELDS = {
  [CHECKER_ENV.chatTopicArn]: z.optional(pattern(SNS_TOPIC_ARN, 'expected an SNS topic ARN')),
  [CHECKER_ENV.securityHubExport]: z.optional(trueOrFalse),
  [CHECKER_ENV.securityHubRegion]: z.optional(
    pattern(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'expected an AWS region name'),
  ),
} as const;

/** The output variables as parsed by {@link OUTPUT_ENV_FIELDS}. */
export type OutputEnvironment = z.infer<z.ZodMiniObject<typeof OUTPUT_ENV_FIELDS>>;

/** Where alerts go besides the email, when the deployment configures it. */
export interface OutputSettings {
  /** The chat topic (Slack, Microsoft Teams), when configured: alerts go there too, after the email. */
  readonly chatTopicArn?: string;
  /** Present when the Security Hub export is on: the region findings are imported to (home region). */
  readonly securityHub?: { readonly region: string };
}

/**
 * The output settings from parsed variables. Pure.
 * @throws the error `fail` makes when the export is on without its region
 */
export function outputSettings(v: OutputEnvironment, fail: (problems: string[]) => Error): OutputSettings {
  const chatTopicArn = v[CHECKER_ENV.chatTopicArn];
  const region = v[CHECKER_ENV.securityHubRegion];
  const exportOn = v[CHECKER_ENV.securityHubExport] === 'true';
  if (exportOn && region === undefined) {
    throw fail([
      `${CHECKER_ENV.securityHubRegion} must be set when ${CHECKER_ENV.securityHubExport} is "true"`,
    ]);
  }
  return {
    ...(chatTopicArn === undefined ? {} : { chatTopicArn }),
    ...(exportOn && region !== undefined ? { securityHub: { region } } : {}),
  };
}

/**
 * Parse `env` with `schema`; on failure, one problem per variable (`NAME is not set` or
 * `NAME: expectation`), all at once, handed to `fail` (which throws the caller's typed error).
 */
export function parseEnvironment<T>(
  schema: z.ZodMiniType<T>,
  env: Readonly<Record<string, string | undefined>>,
  fail: (problems: string[]) => Error,
): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw fail(
    result.error.issues.map((issue) => {
      const name = issue.path.map(String).join('.');
      return env[String(issue.path[0])] === undefined ? `${name} is not set` : `${name}: ${issue.message}`;
    }),
  );
}

/** The partition of the deployment, from the alert topic's ARN (never assumed to be `aws`). */
export function partitionOf(topicArn: string): string {
  return topicArn.split(':')[1] ?? 'aws';
}

/** The shared variables alone, as one schema. */
export const SHARED_ENV_SCHEMA = z.object(SHARED_ENV_FIELDS);

/** The shared variables as parsed by {@link SHARED_ENV_FIELDS}. */
export type SharedEnvironment = z.infer<typeof SHARED_ENV_SCHEMA>;

/** Settings both functions read from the shared variables. */
export interface SharedSettings {
  readonly checkRoleName: string;
  readonly alertTopicArn: string;
  /** Partition of the deployment, taken from the topic ARN (never assumed to be `aws`). */
  readonly partition: string;
  readonly locale: AlertLocale;
  readonly timeZone: string;
  readonly gracePeriodHours: number;
  readonly exemptions: readonly Exemption[];
  /** Honour the exemption tag (off unless the deployment opts in). */
  readonly trustExemptionTags: boolean;
  /** The finding store: its table, and how long resolved findings are kept. */
  readonly findings: { readonly tableName: string; readonly resolvedRetentionDays: number };
  /** IAM Identity Center sign-in for console links; absent: links name the account to sign in to. */
  readonly consoleAccess?: ConsoleAccess;
}

/** The shared settings from parsed variables. Pure. */
export function sharedSettings(v: SharedEnvironment): SharedSettings {
  const topicArn = v[CHECKER_ENV.alertTopicArn];
  return {
    checkRoleName: v[CHECKER_ENV.checkRoleName],
    alertTopicArn: topicArn,
    partition: partitionOf(topicArn),
    locale: v[CHECKER_ENV.alertLocale],
    timeZone: v[CHECKER_ENV.alertTimeZone],
    gracePeriodHours: v[CHECKER_ENV.gracePeriodHours],
    exemptions: v[CHECKER_ENV.exemptions],
    trustExemptionTags: v[CHECKER_ENV.trustExemptionTags] === 'true',
    findings: {
      tableName: v[FINDINGS_ENV.tableName],
      resolvedRetentionDays: v[FINDINGS_ENV.resolvedRetentionDays],
    },
    ...consoleAccessOf(v[CONSOLE_ENV.accessPortalUrl], v[CONSOLE_ENV.permissionSet]),
  };
}

/** Both console variables, or neither (the stack sets them together). Pure. */
function consoleAccessOf(
  accessPortalUrl: string | undefined,
  permissionSet: string | undefined,
): { consoleAccess?: ConsoleAccess } {
  if (accessPortalUrl === undefined || permissionSet === undefined) return {};
  return { consoleAccess: { accessPortalUrl, permissionSet } };
}
