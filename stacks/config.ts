import { z } from 'zod';
import { ALERT_LOCALES } from '../functions/shared/contract';
import { exemptionSchema } from '../functions/shared/exemption';
import { isIanaTimeZone } from '../functions/shared/time-zone';

const ACCOUNT_ID = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const OU_OR_ROOT_ID = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const accountId = z.string({ error: 'expected a 12-digit AWS account id string' }).regex(ACCOUNT_ID, {
  error: 'expected a 12-digit AWS account id, e.g. "111122223333" (as a string, leading zeros kept)',
});

/** The validated configuration schema (DESIGN.md section 4). */
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
    .string()
    .regex(REGION, { error: 'expected an AWS region name such as "us-east-1" or "eu-central-1"' })
    .default('us-east-1'),
  rollout: z.strictObject({
    /** Which account deploys the StackSet: the management account or a delegated StackSets administrator. */
    deployFrom: z.enum(['management', 'delegated-admin'], {
      error: 'expected "management" or "delegated-admin"',
    }),
    /** OUs (or the root, `r-...`) whose accounts, present and future, receive the member resources. */
    organizationalUnitIds: z
      .array(
        z.string().regex(OU_OR_ROOT_ID, {
          error: 'expected an OU id "ou-xxxx-xxxxxxxx" or a root id "r-xxxx"',
        }),
        { error: 'expected a list of OU or root ids' },
      )
      .min(1, { error: 'expected at least one OU or root id' }),
    /** Accounts in those OUs that must not receive the member resources. */
    excludeAccountIds: z.array(accountId).default([]),
    /** With deployFrom delegated-admin: the registered StackSets administrator. Default: the security account. */
    delegatedAdminAccountId: accountId.optional(),
  }),
  notifications: z.strictObject({
    /** Addresses subscribed to the alert topic (each confirms by email once). */
    emails: z
      .array(z.email({ error: 'expected an email address such as "security@example.com"' }))
      .min(1, { error: 'expected at least one email address' }),
    /** Language of the alert body. */
    locale: z.enum(ALERT_LOCALES, { error: `expected one of: ${ALERT_LOCALES.join(', ')}` }).default('en'),
    /** IANA time zone the alert shows times in, besides UTC. */
    timeZone: z
      .string()
      .refine(isIanaTimeZone, { error: 'expected an IANA time zone name such as "Asia/Seoul" or "UTC"' })
      .default('UTC'),
  }),
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
  exemptions: z.array(exemptionSchema).default([]),
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
  /** The finding store (DESIGN.md section 8). */
  findings: z
    .strictObject({
      /** Days a resolved finding is kept in the finding store before its TTL deletes it. */
      resolvedRetentionDays: z
        .number({ error: 'expected a whole number of days' })
        .int({ error: 'expected a whole number of days' })
        .min(1, { error: 'expected at least 1 day' })
        .max(3650, { error: 'expected at most 3650 days' })
        .default(90),
    })
    .prefault({}),
  /** Days the central bus archive keeps events for replay. */
  archiveRetentionDays: z
    .number()
    .int({ error: 'expected a whole number of days' })
    .min(1, { error: 'expected at least 1 day' })
    .max(3650, { error: 'expected at most 3650 days' })
    .default(30),
});

/** The whole, validated application configuration. */
export type AppConfig = Readonly<z.infer<typeof configSchema>>;

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

/**
 * Validate raw configuration (from cdk.json context or a JSON file). Pure: reports every problem
 * at once, one line per field with the expected form.
 * @throws ConfigError when anything is invalid
 */
export function parseConfig(raw: unknown): AppConfig {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `${fieldPath(issue.path)}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      }
      return `${fieldPath(issue.path)}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const config = result.data;
  const problems: string[] = [];
  if (
    config.rollout.delegatedAdminAccountId !== undefined &&
    config.rollout.deployFrom !== 'delegated-admin'
  ) {
    problems.push(
      'rollout.delegatedAdminAccountId: only meaningful with rollout.deployFrom "delegated-admin"',
    );
  }
  if (config.rollout.delegatedAdminAccountId === config.managementAccountId) {
    problems.push(
      'rollout.delegatedAdminAccountId: the management account cannot be a delegated administrator',
    );
  }
  config.rollout.excludeAccountIds.forEach((id, i) => {
    if (id === config.managementAccountId) {
      problems.push(
        `rollout.excludeAccountIds[${i}]: the management account is never a StackSet target; remove it`,
      );
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
