import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENFORCEMENT_ENV } from '../../../functions/contract/enforcement';
import { PLANNER_ORGANIZATIONS_ACTIONS, SWEEP_ENV } from '../../../functions/contract/sweep';
import { MEMBER_REGION, NAMES, rolloutReaderRoleArn } from '../../names';
import { grantKeyVia } from '../central-key';
import { bucketObjectsFinding, WORKING_FILES_PREFIX } from './bucket';
import { acknowledgeWildcard, COMMON_ENV, lambdaRole, SWEEP_ENTRIES, sweepFunction } from './lambda';
import type { SweepProps } from './props';

/**
 * Hours after joining during which an account counts as "just joined" for a `joined` sweep that carries
 * no account id (an invited account): a day covers late CloudTrail delivery and a retried trigger.
 */
export const JOINED_WITHIN_HOURS = 24;

/**
 * The planner `Planner` and its role: lists the organization's ACTIVE accounts (through the management
 * account's delegation policy) and the StackSet's instances (through the rollout reader role), and
 * writes the account list under the bucket's working-files prefix.
 */
export function sweepPlanner(scope: Construct, props: SweepProps, bucket: s3.Bucket): NodejsFunction {
  const stack = Stack.of(scope);
  const role = lambdaRole(scope, 'PlannerRole', NAMES.sweepPlannerRole, 'sweep planner: list accounts');
  // Organizations' read actions take "*" (ListAccounts has no resource type); the management account's
  // delegation policy is what makes them answer, and only for this role.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadOrganizationThroughDelegationPolicy',
      actions: [...PLANNER_ORGANIZATIONS_ACTIONS],
      resources: ['*'],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'WriteAccountLists',
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${WORKING_FILES_PREFIX}*`)],
    }),
  );
  // Upload only: no kms:Decrypt (the planner never reads an object back).
  grantKeyVia(props.key, role, 's3', ['kms:GenerateDataKey']);
  // The StackSet's instances, through the read-only role the rollout stack deploys (docs/adr/0017).
  const readerRoleArn = rolloutReaderRoleArn(stack, props.rollout.accountId);
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeRolloutReader',
      actions: ['sts:AssumeRole'],
      resources: [readerRoleArn],
    }),
  );
  const planner = sweepFunction(scope, 'Planner', {
    entry: SWEEP_ENTRIES.planner,
    role,
    description: 'org-mfa-watch sweep: lists the ACTIVE accounts of the organization into S3',
    // Listing 10,000 accounts pages through Organizations (a few requests per second).
    timeout: Duration.minutes(15),
    memorySize: 512,
    environment: {
      [SWEEP_ENV.sweepBucketName]: bucket.bucketName,
      [SWEEP_ENV.rolloutOrganizationalUnitIds]: JSON.stringify(props.rolloutOrganizationalUnitIds),
      [SWEEP_ENV.excludedAccountIds]: JSON.stringify(props.excludedAccountIds),
      [SWEEP_ENV.managementAccountId]: props.managementAccountId,
      [SWEEP_ENV.joinedWithinHours]: String(JOINED_WITHIN_HOURS),
      [SWEEP_ENV.rolloutReaderRoleArn]: readerRoleArn,
      [SWEEP_ENV.stackSetName]: NAMES.stackSet,
      [SWEEP_ENV.stackSetCallAs]: props.rollout.callAs,
      [SWEEP_ENV.stackSetRegion]: MEMBER_REGION,
      // Marks the accounts enforcement applies to (ADR 0022); absent when enforcement is off.
      ...((props.enforcement?.mode ?? 'off') === 'off'
        ? {}
        : {
            [ENFORCEMENT_ENV.organizationalUnitIds]: JSON.stringify(
              props.enforcement?.organizationalUnitIds ?? [],
            ),
          }),
      ...COMMON_ENV,
    },
  });
  acknowledgeWildcard(
    role,
    'Resource::*',
    'Organizations List/Describe actions: ListAccounts has no resource type; all are read-only and answer only through the delegation policy.',
  );
  acknowledgeWildcard(
    role,
    bucketObjectsFinding(bucket, WORKING_FILES_PREFIX),
    'Account list keys are per execution (sweeps/<execution>/accounts.json); fenced to the working-files prefix.',
  );
  return planner;
}
