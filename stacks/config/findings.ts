import { z } from 'zod';
import { wholeNumber } from './fields';

/** A KMS key ARN of the aws partition (the only partition the configuration accepts). */
const KMS_KEY_ARN = /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

/** The finding store (docs/operations.md, "Findings"). */
export const findingsSchema = z
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
  .prefault({});

/**
 * Export findings to AWS Security Hub (docs/configuration.md, "Security Hub"). Off by default. When on,
 * the member template lets the check role call `securityhub:BatchImportFindings` for its own account,
 * and the checker imports each finding from inside the member account into the home region.
 */
export const securityHubSchema = z
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
  .prefault({});
