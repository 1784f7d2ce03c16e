import { z } from 'zod';
import { accountWarnings, crossFieldProblems, problemField } from './config-rules';
import { canaryConfigSchema } from './config/canary';
import { chatSchema } from './config/chat';
import { archiveRetentionDaysSchema, checkerFields } from './config/checker';
import { dashboardSchema } from './config/dashboard';
import { enforcementSchema } from './config/enforcement';
import { findingsSchema, securityHubSchema } from './config/findings';
import { describeIssue } from './config/issues';
import { consoleSchema, notificationsSchema } from './config/notifications';
import { organizationFields, rolloutSchema } from './config/organization';
import { sweepSchema } from './config/sweep';
import { tamperProtectionSchema } from './config/tamper-protection';

export { CHAT_GUARDRAIL_POLICIES, CHAT_LOGGING_LEVELS } from './config/chat';

/**
 * The validated configuration schema (every field and constraint: docs/configuration.md), one section
 * per module under stacks/config/. A new section is a new module there and one line here; the key order
 * is the order problems are reported in.
 */
export const configSchema = z.strictObject({
  ...organizationFields,
  rollout: rolloutSchema,
  notifications: notificationsSchema,
  ...checkerFields,
  console: consoleSchema,
  findings: findingsSchema,
  canary: canaryConfigSchema,
  dashboard: dashboardSchema,
  securityHub: securityHubSchema,
  chat: chatSchema,
  sweep: sweepSchema,
  tamperProtection: tamperProtectionSchema,
  /** Opt-in quarantine of users who ignore the alert (stacks/config/enforcement.ts). */
  enforcement: enforcementSchema,
  archiveRetentionDays: archiveRetentionDaysSchema,
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
