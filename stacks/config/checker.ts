import { z } from 'zod';
import { exemptionSchema } from '../../functions/contract/exemption';

/** How the real-time checker judges a new user: grace period, notices, exemptions, concurrency. */
export const checkerFields = {
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
};

/** Days the central bus archive keeps events for replay. */
export const archiveRetentionDaysSchema = z
  .number({ error: 'expected a whole number of days' })
  .int({ error: 'expected a whole number of days' })
  .min(1, { error: 'expected at least 1 day' })
  .max(3650, { error: 'expected at most 3650 days' })
  .default(30);
