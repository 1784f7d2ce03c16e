import { z } from 'zod';

/** An IAM role or user ARN; `*` wildcards allowed (the SCP compares it with ArnNotLike). */
const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov|\*):iam::(\d{12}|\*):(role|user)\/\S+$/;

/**
 * Optional service control policy on the rollout OUs: members cannot change or delete the forward
 * rule, its role, the check role or the exempt tag (docs/deployment.md, "Tamper protection").
 */
export const tamperProtectionSchema = z
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
  .prefault({});
