import { z } from 'zod';
import { homeRegionProblem } from '../regions';
import { accountId } from './fields';

const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const OU_OR_ROOT_ID = /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** The organization and the accounts and region the app is deployed to. */
export const organizationFields = {
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
};

/** Where the member resources go: the StackSet's deploying account, OUs and excluded accounts. */
export const rolloutSchema = z.strictObject(
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
);
