import * as z from 'zod/mini';

/**
 * The shape of one configured exemption, shared by the config schema (stacks/config.ts) and the checker,
 * which receives the list as JSON in an environment variable. Exactly one of `userName` or `pathPrefix`.
 */

// IAM user names: 1-64 of letters, digits and + = , . @ _ -  (IAM API reference, CreateUser).
export const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/;
// IAM paths: "/" or "/segment/.../" of printable ASCII without spaces (IAM API reference, CreateUser).
export const IAM_PATH = /^\/([\x21-\x7e]+\/)*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True when `value` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
}

/** One approved exception: users of an account (by name or path prefix) that need no MFA, and why. */
export const exemptionSchema = z
  .strictObject({
    accountId: z.string({ error: 'expected a 12-digit AWS account id string' }).check(
      z.regex(/^\d{12}$/, {
        error: 'expected a 12-digit AWS account id, e.g. "111122223333" (as a string, leading zeros kept)',
      }),
    ),
    userName: z.optional(
      z.string().check(
        z.regex(IAM_USER_NAME, {
          error: 'expected an IAM user name: 1-64 characters of letters, digits and +=,.@_-',
        }),
      ),
    ),
    pathPrefix: z.optional(
      z.string().check(
        z.regex(IAM_PATH, {
          error: 'expected an IAM path prefix that starts and ends with "/", e.g. "/service/"',
        }),
      ),
    ),
    reason: z
      .string({ error: 'expected a reason of 3-256 characters' })
      .check(
        z.trim(),
        z.minLength(3, { error: 'expected a reason of 3-256 characters' }),
        z.maxLength(256, { error: 'expected a reason of 3-256 characters' }),
      ),
    /** Last day (UTC) the exemption applies, `YYYY-MM-DD`. */
    expires: z.optional(
      z.string().check(z.refine(isCalendarDate, { error: 'expected a real calendar date YYYY-MM-DD' })),
    ),
  })
  .check(
    z.refine((e) => (e.userName === undefined) !== (e.pathPrefix === undefined), {
      error: 'expected exactly one of "userName" or "pathPrefix"',
    }),
  );

/** One configured exemption. */
export type Exemption = z.infer<typeof exemptionSchema>;

/** Tag key whose value (the reason) exempts a user from the MFA requirement. */
export const EXEMPT_TAG_KEY = 'org-mfa-watch:exempt';

/** Optional tag key with the last day (`YYYY-MM-DD`, UTC) the tag exemption applies. */
export const EXEMPT_UNTIL_TAG_KEY = 'org-mfa-watch:exempt-until';
