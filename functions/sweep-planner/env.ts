import * as z from 'zod/mini';
import { ENFORCEMENT_ENV } from '../contract/enforcement';
import { SWEEP_ENV } from '../contract/sweep';
import { PlannerConfigurationError } from './errors';
import type { RolloutSource } from './rollout';

/** The planner's deployment settings, parsed once at init. */
export interface PlannerSettings {
  /** Bucket the account list is written to (SSE is the bucket's default). */
  readonly bucketName: string;
  /** OU and root ids the StackSet deploys to. */
  readonly rolloutTargetIds: readonly string[];
  /** `rollout.excludeAccountIds` of the configuration. */
  readonly excludedAccountIds: readonly string[];
  readonly managementAccountId: string;
  /** `joined` mode: accounts that joined within this many hours are swept. */
  readonly joinedWithinHours: number;
  /** Where the StackSet's instances are read (the rollout reader role, the StackSet, `CallAs`). */
  readonly rollout: RolloutSource;
  /** `enforcement.organizationalUnitIds` (enforcement on; absent or empty: no account is marked). */
  readonly enforcementOuIds?: readonly string[];
}

const ACCOUNT_ID = /^\d{12}$/;
// Organizations API reference: OU ids are ou-<root suffix 4-32>-<8-32>, root ids r-<4-32>.
const OU_OR_ROOT_ID = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
// S3 bucket naming rules (general purpose buckets): 3-63 of lower-case letters, digits, dots and hyphens.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

// IAM role ARN in any partition (the reader role has no path).
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@-]{1,64}$/;
// StackSet names: a letter, then letters, digits and hyphens, at most 128 (API reference, CreateStackSet).
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

const pattern = (re: RegExp, error: string) => z.string({ error }).check(z.regex(re, { error }));

/** A JSON array in an environment variable, each element checked against `element`. */
function jsonArrayOf<T extends z.ZodMiniType>(element: T, what: string) {
  return z.pipe(
    z.string(),
    z.pipe(
      z.transform((text: string, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.issues.push({ code: 'custom', message: `expected a JSON array of ${what}`, input: text });
          return z.NEVER;
        }
      }),
      z.array(element, { error: `expected a JSON array of ${what}` }),
    ),
  );
}

const schema = z.object({
  [SWEEP_ENV.sweepBucketName]: pattern(BUCKET_NAME, 'expected an S3 bucket name'),
  [SWEEP_ENV.rolloutOrganizationalUnitIds]: jsonArrayOf(
    pattern(OU_OR_ROOT_ID, 'expected an OU id "ou-xxxx-xxxxxxxx" or a root id "r-xxxx"'),
    'OU or root ids',
  ),
  [SWEEP_ENV.excludedAccountIds]: jsonArrayOf(
    pattern(ACCOUNT_ID, 'expected a 12-digit account id'),
    '12-digit account ids',
  ),
  [SWEEP_ENV.managementAccountId]: pattern(ACCOUNT_ID, 'expected a 12-digit account id'),
  [SWEEP_ENV.joinedWithinHours]: z.pipe(
    pattern(/^\d{1,3}$/, 'expected a whole number of hours (1-720)'),
    z.pipe(
      z.transform(Number),
      z
        .number()
        .check(
          z.minimum(1, { error: 'expected at least 1 hour' }),
          z.maximum(720, { error: 'expected at most 720 hours' }),
        ),
    ),
  ),
  [SWEEP_ENV.rolloutReaderRoleArn]: pattern(ROLE_ARN, 'expected an IAM role ARN'),
  [SWEEP_ENV.stackSetName]: pattern(STACK_SET_NAME, 'expected a StackSet name'),
  [SWEEP_ENV.stackSetCallAs]: z.enum(['SELF', 'DELEGATED_ADMIN'], {
    error: 'expected SELF or DELEGATED_ADMIN',
  }),
  [SWEEP_ENV.stackSetRegion]: pattern(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS Region, e.g. us-east-1'),
  [ENFORCEMENT_ENV.organizationalUnitIds]: z.optional(
    jsonArrayOf(
      pattern(/^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/, 'expected an OU id "ou-xxxx-xxxxxxxx"'),
      'OU ids',
    ),
  ),
});

/**
 * Read the planner's settings from its environment. Pure over the given record.
 * @throws PlannerConfigurationError naming every missing or malformed variable
 */
export function loadPlannerSettings(env: Readonly<Record<string, string | undefined>>): PlannerSettings {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new PlannerConfigurationError(
      result.error.issues.map((issue) => {
        const name = issue.path.map(String).join('.');
        return env[String(issue.path[0])] === undefined ? `${name} is not set` : `${name}: ${issue.message}`;
      }),
    );
  }
  const v = result.data;
  return {
    bucketName: v[SWEEP_ENV.sweepBucketName],
    rolloutTargetIds: v[SWEEP_ENV.rolloutOrganizationalUnitIds],
    excludedAccountIds: v[SWEEP_ENV.excludedAccountIds],
    managementAccountId: v[SWEEP_ENV.managementAccountId],
    joinedWithinHours: v[SWEEP_ENV.joinedWithinHours],
    rollout: {
      readerRoleArn: v[SWEEP_ENV.rolloutReaderRoleArn],
      stackSetName: v[SWEEP_ENV.stackSetName],
      callAs: v[SWEEP_ENV.stackSetCallAs],
      region: v[SWEEP_ENV.stackSetRegion],
    },
    ...(v[ENFORCEMENT_ENV.organizationalUnitIds] === undefined
      ? {}
      : { enforcementOuIds: v[ENFORCEMENT_ENV.organizationalUnitIds] }),
  };
}
