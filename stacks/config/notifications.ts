import { z } from 'zod';
import { ALERT_LOCALES } from '../../functions/contract/contract';
import { ACCESS_PORTAL_URL, PERMISSION_SET_NAME } from '../../functions/contract/console-access';
import { isIanaTimeZone } from '../../functions/contract/time-zone';

/** Who receives the alerts by email, and the language and time zone they are written in. */
export const notificationsSchema = z.strictObject(
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
);

/**
 * How analysts sign in (docs/configuration.md, "Console links"): with IAM Identity Center, console
 * links in alerts are access-portal shortcut links into the member account. Absent: links name the
 * account to sign in to.
 */
export const consoleSchema = z
  .strictObject(
    {
      accessPortalUrl: z
        .string({ error: 'expected an AWS access portal URL string' })
        .regex(ACCESS_PORTAL_URL, {
          error:
            'expected an AWS access portal URL such as "https://d-1234567890.awsapps.com/start", "https://my-company.awsapps.com/start" or "https://ssoins-1234567890abcdef.portal.us-east-1.app.aws"',
        }),
      permissionSet: z.string({ error: 'expected a permission set name string' }).regex(PERMISSION_SET_NAME, {
        error: 'expected a permission set name of 1-32 letters, digits and +=,.@_- (e.g. "SecurityAudit")',
      }),
    },
    {
      error:
        'expected { "accessPortalUrl": "https://d-1234567890.awsapps.com/start", "permissionSet": "SecurityAudit" }',
    },
  )
  .optional();
