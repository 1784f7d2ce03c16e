import { Arn, ArnFormat, Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NAMES } from '../names';

/** `arn:<partition>:iam::*:<resource>/<name>`: the named IAM resource in every account. */
const inEveryAccount = (resource: 'policy' | 'role', name: string): string =>
  Arn.format({
    partition: Aws.PARTITION,
    service: 'iam',
    region: '',
    account: '*',
    resource,
    resourceName: name,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });

/** What changes the quarantine policy itself (CloudFormation updates it through a new default version). */
export const QUARANTINE_POLICY_CHANGE_ACTIONS = [
  'iam:CreatePolicyVersion',
  'iam:DeletePolicy',
  'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion',
] as const;

/** Attaching or detaching a managed policy to or from a user (iam:PolicyARN names the policy). */
export const USER_POLICY_ATTACHMENT_ACTIONS = ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'] as const;

/**
 * The tamper-protection SCP's statements for enforcement (ADR 0022), added when enforcement is on:
 * nobody but the enforce role (and `exemptPrincipalArns`, e.g. a break-glass role) attaches or detaches
 * the quarantine policy, so a member administrator cannot release a user the sweep quarantined; nobody
 * but the StackSet execution role (and the exempt) edits or deletes the policy or changes the enforce
 * role. Every ARN uses the partition token; the account is `*` (the SCP serves every member). Pure.
 * @param roleChangeActions what changes a role (the SCP's ROLE_CHANGE_ACTIONS)
 * @param exceptDeployers the `ArnNotLike aws:PrincipalArn` condition of the other statements
 *   (StackSet execution role and exempt principals)
 */
export function enforcementProtectionStatements(
  roleChangeActions: readonly string[],
  exceptDeployers: { readonly ArnNotLike: { readonly 'aws:PrincipalArn': readonly string[] } },
  exemptPrincipalArns: readonly string[],
): iam.PolicyStatement[] {
  const policy = inEveryAccount('policy', NAMES.quarantinePolicy);
  const enforceRole = inEveryAccount('role', NAMES.memberEnforceRole);
  return [
    new iam.PolicyStatement({
      sid: 'ProtectQuarantineAttachments',
      effect: iam.Effect.DENY,
      actions: [...USER_POLICY_ATTACHMENT_ACTIONS],
      resources: ['*'],
      conditions: {
        ArnLike: { 'iam:PolicyARN': policy },
        ArnNotLike: { 'aws:PrincipalArn': [enforceRole, ...exemptPrincipalArns] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ProtectQuarantinePolicy',
      effect: iam.Effect.DENY,
      actions: [...QUARANTINE_POLICY_CHANGE_ACTIONS],
      resources: [policy],
      conditions: exceptDeployers,
    }),
    new iam.PolicyStatement({
      sid: 'ProtectEnforceRole',
      effect: iam.Effect.DENY,
      actions: [...roleChangeActions],
      resources: [enforceRole],
      conditions: exceptDeployers,
    }),
  ];
}
