import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ENFORCEMENT_ENV } from '../../../functions/contract/enforcement';
import type { EnforcementConfig } from '../../config/enforcement';
import { NAMES, memberEnforceRoleArn } from '../../names';
import { acknowledgeWildcard } from './lambda';

/**
 * Opt-in enforcement on the sweep worker (ADR 0022): with `enforcement.mode` other than `off`, the
 * worker's role may assume the member enforce role (only in accounts of the organization, like the check
 * role), and its environment carries the enforcement settings (functions/core/enforcement-env.ts reads
 * them). Off: nothing is granted and no variable is set (the worker then refuses a release by hand).
 * Returns the environment variables to add.
 */
export function workerEnforcement(
  scope: Construct,
  role: iam.Role,
  organizationId: string,
  enforcement: EnforcementConfig | undefined,
): Record<string, string> {
  if (enforcement === undefined || enforcement.mode === 'off') return {};
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberEnforceRoleInOrganization',
      actions: ['sts:AssumeRole'],
      resources: [memberEnforceRoleArn(Stack.of(scope), '*')],
      conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
    }),
  );
  acknowledgeWildcard(
    role,
    `Resource::arn:<AWS::Partition>:iam::*:role/${NAMES.memberEnforceRole}`,
    'Any account may host the enforce role (enforcement on); aws:ResourceOrgID limits sts:AssumeRole to accounts of the organization, and the role itself may only attach or detach the quarantine policy.',
  );
  return {
    [ENFORCEMENT_ENV.roleName]: NAMES.memberEnforceRole,
    [ENFORCEMENT_ENV.mode]: enforcement.mode,
    [ENFORCEMENT_ENV.afterHours]: String(enforcement.afterHours),
    [ENFORCEMENT_ENV.organizationalUnitIds]: JSON.stringify(enforcement.organizationalUnitIds),
    [ENFORCEMENT_ENV.includeProgrammaticUsers]: String(enforcement.includeProgrammaticUsers),
    [ENFORCEMENT_ENV.maxPerSweep]: String(enforcement.maxPerSweep),
  };
}
