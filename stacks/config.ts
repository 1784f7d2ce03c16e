import { z } from 'zod';
import { ALERT_LOCALES } from '../functions/contract/contract';
import { exemptionSchema } from '../functions/contract/exemption';
import { isIanaTimeZone } from '../functions/contract/time-zone';
import { ACCESS_PORTAL_URL, PERMISSION_SET_NAME } from '../functions/contract/console-access';
import { accountWarnings, crossFieldProblems, problemField } from './config-rules';
import { enforcementSchema } from './config-enforcement';
import { homeRegionProblem } from './regions';

const ACCOUNT_ID = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const OU_OR_ROOT_ID = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
/** A KMS key ARN of the aws partition (the only partition the configuration accepts). */
const KMS_KEY_ARN = /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;
/** EventBridge Scheduler recurring expressions: `cron(<6 fields>)` or `rate(<n> <unit>)`. */
const SCHEDULE_EXPRESSION = /^(cron\(\S+( \S+){5}\)|rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\))$/;
/** An IAM role or user ARN; `*` wildcards allowed (the SCP compares it with ArnNotLike). */
const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov|\*):iam::(\d{12}|\*):(role|user)\/\S+$/;
const wholeNumber = (what: string, min: number, max: number, fallback: number) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int({ error: `expected a whole number of ${what}` })
    .min(min, { error: `expected at least ${min} ${what}` })
    .max(max, { error: `expected at most ${max} ${what}` })
    .default(fallback);
const accountId = z.string({ error: 'expected a 12-digit AWS account id string' }).regex(ACCOUNT_ID, {
  error: 'expected a 12-digit AWS account id, e.g. "111122223333" (as a string, leading zeros kept)',
});

// Ids of Amazon Q Developer in chat applications (formerly AWS Chatbot), as its CloudFormation resources
// accept them (CloudFormation Template Reference, AWS::Chatbot::SlackChannelConfiguration and
// AWS::Chatbot::MicrosoftTeamsChannelConfiguration): a Slack workspace id of upper-case letters and
// digits, a Slack channel id of letters and digits, a Teams team and tenant id that are GUIDs, and a
// Teams channel id as the console shows it, URL-encoded with %3a and %40 (19%3a...%40thread.tacv2).
const SLACK_WORKSPACE_ID = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_ID = /^[A-Za-z0-9]{1,255}$/;
const GUID = /^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const TEAMS_CHANNEL_ID = /^[a-zA-Z0-9-_=+/.,]*%3[aA][a-zA-Z0-9-_=+/.,]*%40[a-zA-Z0-9-_=+/.,]*$/;

/**
 * AWS managed policies that are read-only and may serve as the chat channels' guardrail (the upper
 * bound of what anyone can do from the channel). Never AdministratorAccess, CDK's default.
 */
export const CHAT_GUARDRAIL_POLICIES = ['CloudWatchReadOnlyAccess', 'ReadOnlyAccess'] as const;

/** Logging levels of a chat channel configuration (ERROR, INFO or NONE). */
export const CHAT_LOGGING_LEVELS = ['ERROR', 'INFO', 'NONE'] as const;

const slackChannel = z.strictObject(
  {
    /** The Slack workspace authorized in the Amazon Q Developer in chat applications console. */
    workspaceId: z.string({ error: 'expected a Slack workspace id string' }).regex(SLACK_WORKSPACE_ID, {
      error:
        'expected a Slack workspace id of upper-case letters and digits, e.g. "T07EA123LEP" (copy it from the Amazon Q Developer in chat applications console)',
    }),
    /** The Slack channel, e.g. `C07EZ1ABC23` (the end of the channel link). */
    channelId: z.string({ error: 'expected a Slack channel id string' }).regex(SLACK_CHANNEL_ID, {
      error:
        'expected a Slack channel id of letters and digits, e.g. "C07EZ1ABC23" (the end of the channel link)',
    }),
  },
  { error: 'expected { "workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23" }' },
);

const teamsChannel = z.strictObject(
  {
    /** The team authorized in the Amazon Q Developer in chat applications console (a GUID). */
    teamId: z.string({ error: 'expected a Microsoft Teams team id string' }).regex(GUID, {
      error: 'expected a Microsoft Teams team id, a GUID such as "74361522-da01-538d-aa2e-ac7918c6bb92"',
    }),
    /** The Microsoft Entra tenant of the team (a GUID). */
    tenantId: z.string({ error: 'expected a Microsoft Teams tenant id string' }).regex(GUID, {
      error: 'expected a Microsoft Teams tenant id, a GUID such as "a1b2c3d4-0000-4000-8000-123456789abc"',
    }),
    /** The channel, URL-encoded as in its link: `19%3a...%40thread.tacv2`. */
    channelId: z
      .string({ error: 'expected a Microsoft Teams channel id string' })
      .max(255, { error: 'expected a Microsoft Teams channel id of at most 255 characters' })
      .regex(TEAMS_CHANNEL_ID, {
        error:
          'expected a Microsoft Teams channel id, URL-encoded as in the channel link, e.g. "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"',
      }),
  },
  { error: 'expected { "teamId": "<GUID>", "tenantId": "<GUID>", "channelId": "19%3a...%40thread.tacv2" }' },
);

/**
 * One channel or a list of them; always a list after parsing. A single channel is read as a list of one
 * first, so that a mistake in it is reported by field (`chat.slack[0].channelId`), not as "no match".
 */
const oneOrMore = <T extends z.ZodType>(channel: T, what: string) =>
  z.preprocess(
    (value) => (value !== undefined && value !== null && !Array.isArray(value) ? [value] : value),
    z
      .array(channel, { error: `expected one ${what} channel or a list of them` })
      .min(1, { error: `expected at least one ${what} channel` }),
  );

/** The validated configuration schema (every field and constraint: docs/configuration.md). */
export const configSchema = z.strictObject({
  /** AWS Organizations id, `o-` followed by 10-32 lower-case letters or digits. */
  organizationId: z
    .string({ error: 'expected an organization id string' })
    .regex(ORG_ID, { error: 'expected an organization id "o-" + 10-32 lower-case letters or digits' }),
  /** The organization's management account. */
  managementAccountId: accountId,
  /** The account that hosts the central bus, the checker and the alert topic. */
  securityAccountId: accountId,
  /** Region of the central stack. */
  homeRegion: z
    .string({ error: 'expected an AWS region name string such as "us-east-1"' })
    .superRefine((region, ctx) => {
      // One message per field: the form first, then whether the region exists in the aws partition.
      const problem = REGION.test(region)
        ? homeRegionProblem(region)
        : 'expected an AWS region name such as "us-east-1" or "eu-central-1"';
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .default('us-east-1'),
  rollout: z.strictObject(
    {
      /** Which account deploys the StackSet: the management account or a delegated StackSets administrator. */
      deployFrom: z.enum(['management', 'delegated-admin'], {
        error: 'expected "management" or "delegated-admin"',
      }),
      /** OUs (or the root, `r-...`) whose accounts, present and future, receive the member resources. */
      organizationalUnitIds: z
        .array(
          z.string({ error: 'expected an OU or root id string' }).regex(OU_OR_ROOT_ID, {
            error: 'expected an OU id "ou-xxxx-xxxxxxxx" or a root id "r-xxxx"',
          }),
          { error: 'expected a list of OU or root ids' },
        )
        .min(1, { error: 'expected at least one OU or root id' }),
      /** Accounts in those OUs that must not receive the member resources. */
      excludeAccountIds: z.array(accountId, { error: 'expected a list of account ids' }).default([]),
      /** With deployFrom delegated-admin: the registered StackSets administrator. Default: the security account. */
      delegatedAdminAccountId: accountId.optional(),
    },
    {
      error: 'expected an object such as { "deployFrom": "management", "organizationalUnitIds": ["r-ab12"] }',
    },
  ),
  notifications: z.strictObject(
    {
      /** Addresses subscribed to the alert topic (each confirms by email once). */
      emails: z
        .array(z.email({ error: 'expected an email address such as "security@example.com"' }), {
          error: 'expected a list of email addresses',
        })
        .min(1, { error: 'expected at least one email address' }),
      /** Language of the alert body. */
      locale: z.enum(ALERT_LOCALES, { error: `expected one of: ${ALERT_LOCALES.join(', ')}` }).default('en'),
      /** IANA time zone the alert shows times in, besides UTC. */
      timeZone: z
        .string({ error: 'expected an IANA time zone name string such as "UTC"' })
        .refine(isIanaTimeZone, { error: 'expected an IANA time zone name such as "Asia/Seoul" or "UTC"' })
        .default('UTC'),
    },
    { error: 'expected an object such as { "emails": ["security@example.com"] }' },
  ),
  /** Hours between a user's creation (or console password) and the MFA check; 0 checks at once. */
  gracePeriodHours: z
    .number({ error: 'expected a whole number of hours' })
    .int({ error: 'expected a whole number of hours' })
    .min(0, { error: 'expected 0 (check at once) or more hours' })
    .max(720, { error: 'expected at most 720 hours (30 days)' })
    .default(24),
  /** Send a low-severity notice when a user is created (before the grace period ends). */
  notifyOnCreate: z.boolean({ error: 'expected true or false' }).default(true),
  /** Approved exceptions: users that never need MFA, each with a reason and an optional expiry. */
  exemptions: z.array(exemptionSchema, { error: 'expected a list of exemptions' }).default([]),
  /**
   * Trust the `org-mfa-watch:exempt` user tag as an exemption. Off by default: whoever may call
   * CreateUser may usually tag the user too, so a tag would let the creator silence the check. When on,
   * every tag-based skip still sends an INFO notice (never a silent exemption); pair it with an SCP.
   */
  trustExemptionTags: z.boolean({ error: 'expected true or false' }).default(false),
  /**
   * Reserved concurrency of the checker (caps the STS/IAM request rate in a burst). 0 = no reservation,
   * for accounts whose Lambda concurrency quota is too low to reserve any (new accounts).
   */
  checkerReservedConcurrency: z
    .number({ error: 'expected a whole number of concurrent executions' })
    .int({ error: 'expected a whole number of concurrent executions' })
    .min(0, { error: 'expected 0 (no reservation) or more' })
    .max(1000, { error: 'expected at most 1000' })
    .default(5),
  /**
   * How analysts sign in (docs/configuration.md, "Console links"): with IAM Identity Center, console
   * links in alerts are access-portal shortcut links into the member account. Absent: links name the
   * account to sign in to.
   */
  console: z
    .strictObject(
      {
        accessPortalUrl: z
          .string({ error: 'expected an AWS access portal URL string' })
          .regex(ACCESS_PORTAL_URL, {
            error:
              'expected an AWS access portal URL such as "https://d-1234567890.awsapps.com/start", "https://my-company.awsapps.com/start" or "https://ssoins-1234567890abcdef.portal.us-east-1.app.aws"',
          }),
        permissionSet: z
          .string({ error: 'expected a permission set name string' })
          .regex(PERMISSION_SET_NAME, {
            error:
              'expected a permission set name of 1-32 letters, digits and +=,.@_- (e.g. "SecurityAudit")',
          }),
      },
      {
        error:
          'expected { "accessPortalUrl": "https://d-1234567890.awsapps.com/start", "permissionSet": "SecurityAudit" }',
      },
    )
    .optional(),
  /** The finding store (docs/operations.md, "Findings"). */
  findings: z
    .strictObject({
      /** Days a resolved finding is kept in the finding store before its TTL deletes it. */
      resolvedRetentionDays: z
        .number({ error: 'expected a whole number of days' })
        .int({ error: 'expected a whole number of days' })
        .min(1, { error: 'expected at least 1 day' })
        .max(3650, { error: 'expected at most 3650 days' })
        .default(90),
      /**
       * After a `cdk destroy`, the ARN of the retained table's key: the stack then reuses the retained
       * table `org-mfa-watch-findings` and its key instead of creating them (docs/deployment.md, "Removal").
       */
      retainedTableKeyArn: z
        .string({ error: 'expected the ARN of a KMS key string' })
        .regex(KMS_KEY_ARN, {
          error:
            'expected the ARN of the retained KMS key, e.g. "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab" (stack output FindingsKeyArn, or the table\'s encryption settings)',
        })
        .optional(),
    })
    .prefault({}),
  /**
   * The CloudWatch dashboard `org-mfa-watch` (docs/operations.md, "Metrics and dashboard"). Off by default:
   * a dashboard is billed per month. The metrics it shows are written either way (EMF, in the logs).
   */
  dashboard: z
    .strictObject(
      {
        /** Create the dashboard in the central stack. */
        enabled: z.boolean({ error: 'expected true or false' }).default(false),
      },
      { error: 'expected an object such as { "enabled": true }' },
    )
    .prefault({}),
  /**
   * Export findings to AWS Security Hub (docs/configuration.md, "Security Hub"). Off by default. When on,
   * the member template lets the check role call `securityhub:BatchImportFindings` for its own account,
   * and the checker imports each finding from inside the member account into the home region.
   */
  securityHub: z
    .strictObject(
      {
        /** Import findings (ASFF) into Security Hub in each member account, in `homeRegion`. */
        enabled: z.boolean({ error: 'expected true or false' }).default(false),
        /**
         * The sweep re-imports an open finding not imported for this many days: Security Hub deletes a
         * finding 90 days after its last update, so the age must stay well under 90.
         */
        reimportAfterDays: wholeNumber('days', 1, 89, 30),
      },
      { error: 'expected an object such as { "enabled": true }' },
    )
    .prefault({}),
  /**
   * Chat channels (Slack, Microsoft Teams) through Amazon Q Developer in chat applications. Off unless
   * configured; alerts still go by email (docs/configuration.md, "Chat").
   */
  chat: z
    .strictObject(
      {
        slack: oneOrMore(slackChannel, 'Slack').optional(),
        teams: oneOrMore(teamsChannel, 'Microsoft Teams').optional(),
        /** What the service logs to CloudWatch Logs about deliveries to the channels. */
        loggingLevel: z
          .enum(CHAT_LOGGING_LEVELS, { error: `expected one of: ${CHAT_LOGGING_LEVELS.join(', ')}` })
          .default('ERROR'),
        /** Read-only AWS managed policies that cap what can be done from the channels. */
        guardrailPolicies: z
          .array(
            z.enum(CHAT_GUARDRAIL_POLICIES, {
              error: `expected a read-only guardrail policy: ${CHAT_GUARDRAIL_POLICIES.join(', ')}`,
            }),
            { error: 'expected a list of guardrail policy names' },
          )
          .min(1, { error: 'expected at least one guardrail policy' })
          .default(['CloudWatchReadOnlyAccess']),
      },
      {
        error:
          'expected an object such as { "slack": { "workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23" } }',
      },
    )
    .optional(),
  /** The org-wide sweep (docs/configuration.md, "Sweep"). */
  sweep: z
    .strictObject(
      {
        /** When the scheduled sweep runs (EventBridge Scheduler). */
        schedule: z
          .strictObject(
            {
              /** `cron(...)` (six fields) or `rate(...)`, as EventBridge Scheduler reads them. */
              expression: z
                .string({ error: 'expected a schedule expression string such as "cron(0 6 * * ? *)"' })
                .regex(SCHEDULE_EXPRESSION, {
                  error:
                    'expected an EventBridge Scheduler expression "cron(minutes hours day-of-month month day-of-week year)" or "rate(1 day)"',
                })
                .default('cron(0 6 * * ? *)'),
              /** IANA time zone of the cron expression. Default: notifications.timeZone. */
              timeZone: z
                .string({ error: 'expected an IANA time zone name string such as "UTC"' })
                .refine(isIanaTimeZone, {
                  error: 'expected an IANA time zone name such as "Asia/Seoul" or "UTC"',
                })
                .optional(),
            },
            { error: 'expected an object such as { "expression": "cron(0 6 * * ? *)" }' },
          )
          .prefault({}),
        /** Worker invocations running at once (the Distributed Map's MaxConcurrency). */
        maxConcurrency: wholeNumber('concurrent batches', 1, 1000, 20),
        /** Accounts per worker invocation (the ItemBatcher's MaxItemsPerBatch). */
        batchSize: wholeNumber('accounts per batch', 1, 50, 10),
        /** Percentage of failed batches the sweep tolerates before it fails. */
        toleratedFailurePercentage: z
          .number({ error: 'expected a percentage from 0 to 100' })
          .min(0, { error: 'expected a percentage from 0 to 100' })
          .max(100, { error: 'expected a percentage from 0 to 100' })
          .default(5),
        /** Hours a credential report is read as it is before the worker generates a new one. */
        credentialReportMaxAgeHours: wholeNumber('hours', 1, 24, 4),
        /** Days the sweep reports (CSV and JSON) are kept in the sweep bucket. */
        reportRetentionDays: wholeNumber('days', 1, 3650, 365),
        /**
         * Run the sweep: false pauses the daily schedule and the joining-account trigger (both stay
         * deployed, disabled) and `npm run sweep` says the sweep is paused.
         */
        enabled: z.boolean({ error: 'expected true or false' }).default(true),
        /**
         * When one sweep opens the same kind of finding in more accounts than this, one alert lists them
         * all instead of one alert each (docs/adr/0017-rollout-status-and-alert-storms.md).
         */
        alertStormThreshold: wholeNumber('accounts', 1, 1000, 10),
        /** Sweeping an account that just joined: wait for its StackSet instance, then retry a bounded time. */
        joinedAccount: z
          .strictObject(
            {
              /** Minutes to wait before each attempt. */
              waitMinutes: wholeNumber('minutes', 1, 120, 15),
              /** Attempts before an unreachable account is reported ACCOUNT_NOT_COVERED. */
              attempts: wholeNumber('attempts', 1, 24, 4),
            },
            { error: 'expected an object such as { "waitMinutes": 15, "attempts": 4 }' },
          )
          .prefault({}),
      },
      { error: 'expected an object such as { "maxConcurrency": 20 }' },
    )
    .prefault({}),
  /**
   * Optional service control policy on the rollout OUs: members cannot change or delete the forward
   * rule, its role, the check role or the exempt tag (docs/deployment.md, "Tamper protection").
   */
  tamperProtection: z
    .strictObject(
      {
        /** Create and attach the SCP. Off by default: SCPs must be enabled in the organization. */
        enabled: z.boolean({ error: 'expected true or false' }).default(false),
        /** Principals (besides the StackSet execution role) the SCP lets change those resources. */
        exemptPrincipalArns: z
          .array(
            z.string({ error: 'expected an IAM role or user ARN string' }).regex(PRINCIPAL_ARN, {
              error: 'expected an IAM role or user ARN such as "arn:aws:iam::*:role/BreakGlass"',
            }),
            { error: 'expected a list of IAM principal ARNs' },
          )
          .default([]),
        /**
         * Also deny member principals stopping, deleting or narrowing CloudTrail trails (the real-time
         * path needs a trail logging management events). Off by default: an organization may let its
         * accounts manage their own trails.
         */
        protectTrails: z.boolean({ error: 'expected true or false' }).default(false),
      },
      { error: 'expected an object such as { "enabled": true }' },
    )
    .prefault({}),
  /** Opt-in quarantine of users who ignore the alert (stacks/config-enforcement.ts). */
  enforcement: enforcementSchema,
  /** Days the central bus archive keeps events for replay. */
  archiveRetentionDays: z
    .number({ error: 'expected a whole number of days' })
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'expected at least 1 day' })
    .max(3650, { error: 'expected at most 3650 days' })
    .default(30),
});

type ParsedConfig = z.infer<typeof configSchema>;

/** The sweep settings, with the schedule's time zone filled in (default: notifications.timeZone). */
export type SweepConfig = Readonly<
  Omit<ParsedConfig['sweep'], 'schedule'> & {
    readonly schedule: Readonly<{ expression: string; timeZone: string }>;
  }
>;

/** The whole, validated application configuration. */
export type AppConfig = Readonly<Omit<ParsedConfig, 'sweep'> & { readonly sweep: SweepConfig }>;

/** The account the rollout (StackSet) stack is deployed from. */
export function rolloutAccountId(config: AppConfig): string {
  return config.rollout.deployFrom === 'management'
    ? config.managementAccountId
    : (config.rollout.delegatedAdminAccountId ?? config.securityAccountId);
}

/** A configuration that failed validation; `problems` has one line per invalid field. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid org-mfa-watch configuration (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigError';
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** The value at `path` inside `raw`, or undefined when any step is missing. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/**
 * One line per schema issue. A field that is absent says "required" and the expected form; zod's own
 * wording ("Invalid input: expected string, received undefined") never reaches the operator.
 */
function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const where = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  const generic = issue.message.startsWith('Invalid input');
  const expected =
    issue.code === 'invalid_type' && generic
      ? `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`
      : issue.message;
  if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(raw, issue.path) === undefined) {
    return `${where}: required; ${expected}`;
  }
  return `${where}: ${expected}`;
}

/**
 * Validate raw configuration (from cdk.json context or a JSON file). Pure: reports every problem
 * at once, one line per field with the expected form.
 * @throws ConfigError when anything is invalid
 */
export function parseConfig(raw: unknown): AppConfig {
  const result = configSchema.safeParse(raw);
  const fieldProblems = result.success ? [] : result.error.issues.map((issue) => describeIssue(raw, issue));
  // Rules across fields run on the raw input too, so every problem is reported at once; a field the
  // schema already rejects is not reported twice.
  const fields = new Set(fieldProblems.map(problemField));
  const problems = [...fieldProblems, ...crossFieldProblems(raw).filter((p) => !fields.has(problemField(p)))];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const { sweep, ...rest } = result.data;
  return {
    ...rest,
    sweep: {
      ...sweep,
      schedule: {
        expression: sweep.schedule.expression,
        timeZone: sweep.schedule.timeZone ?? rest.notifications.timeZone,
      },
    },
  };
}

/**
 * Warnings that do not stop synth, one line each: a security account that is the management account
 * (see accountWarnings for why), and configured exemptions whose last day (UTC) is before `now`. They are a warning, not an error, so that the same commit does not start failing to deploy
 * on a calendar date (a security fix must never wait for an exemption clean-up); the checker already
 * ignores an expired exemption and says so in the alert. Pure: the caller passes the clock.
 */
export function configWarnings(config: AppConfig, now: Date): string[] {
  const today = now.toISOString().slice(0, 10);
  const expired = config.exemptions.flatMap((e, i) =>
    e.expires !== undefined && e.expires < today
      ? [
          `exemptions[${i}] (account ${e.accountId}, ${e.userName === undefined ? `pathPrefix ${e.pathPrefix ?? ''}` : `userName ${e.userName}`}) expired on ${e.expires} and no longer applies: remove it or set a new "expires"`,
        ]
      : [],
  );
  return [...accountWarnings(config), ...expired];
}
