import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ENFORCEMENT_ENV } from '../../../functions/contract/enforcement';
import { SWEEP_ENV, SWEEP_KEYS } from '../../../functions/contract/sweep';
import type { EnforcementConfig } from '../../config/enforcement';
import { NAMES, memberEnforceRoleArn } from '../../names';
import { grantKeyVia } from '../central-key';
import { bucketObjectsFinding } from './bucket';
import { acknowledgeWildcard } from './lambda';

/** Enforcement is on: the member template has the enforce role, the sweep runs the Enforce state. */
export function enforcementOn(config: EnforcementConfig | undefined): config is EnforcementConfig {
  return config !== undefined && config.mode !== 'off';
}

/**
 * The worker's enforcement grants (ADR 0022), only when on: assume `org-mfa-watch-enforce` in accounts
 * of the organization (like the check role), and read the Distributed Map's result files (the Enforce
 * step) under the map-results prefix, decrypting them with the central key.
 */
export function grantEnforcement(
  scope: Construct,
  role: iam.Role,
  props: { readonly organizationId: string; readonly key: kms.IKey },
  bucket: s3.Bucket,
): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberEnforceRoleInOrganization',
      actions: ['sts:AssumeRole'],
      resources: [memberEnforceRoleArn(Stack.of(scope), '*')],
      conditions: { StringEquals: { 'aws:ResourceOrgID': props.organizationId } },
    }),
  );
  const prefix = `${SWEEP_KEYS.mapResultsPrefix}/`;
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadMapResultsForEnforcement',
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
  );
  grantKeyVia(props.key, role, 's3', ['kms:Decrypt']);
  acknowledgeWildcard(
    role,
    `Resource::arn:<AWS::Partition>:iam::*:role/${NAMES.memberEnforceRole}`,
    'Any account may host the enforce role; aws:ResourceOrgID limits sts:AssumeRole to accounts of the organization.',
  );
  acknowledgeWildcard(
    role,
    bucketObjectsFinding(bucket, prefix),
    'Map result files are per execution and map run (sweeps/map-results/<run>/...); fenced to that prefix, read only.',
  );
}

/** The worker's enforcement environment (functions/core/enforcement-env.ts reads it); none when off. */
export function enforcementEnvironment(
  config: EnforcementConfig | undefined,
  bucket: s3.IBucket,
): Record<string, string> {
  if (!enforcementOn(config)) return {};
  return {
    // The Enforce step reads the map's results from this bucket only.
    [SWEEP_ENV.sweepBucketName]: bucket.bucketName,
    [ENFORCEMENT_ENV.roleName]: NAMES.memberEnforceRole,
    [ENFORCEMENT_ENV.mode]: config.mode,
    [ENFORCEMENT_ENV.afterHours]: String(config.afterHours),
    [ENFORCEMENT_ENV.organizationalUnitIds]: JSON.stringify(config.organizationalUnitIds),
    [ENFORCEMENT_ENV.includeProgrammaticUsers]: String(config.includeProgrammaticUsers),
    [ENFORCEMENT_ENV.maxPerSweep]: String(config.maxPerSweep),
  };
}
