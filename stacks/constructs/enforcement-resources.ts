import { Arn, ArnFormat, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  NAMES,
  USERS_OF_THIS_ACCOUNT,
  USERS_OF_THIS_ACCOUNT_RENDERED,
  quarantinePolicyArn,
  sweepWorkerRoleArn,
} from '../names';

/** The signed-in user's own IAM user: `${aws:username}` is resolved by IAM at request time. */
function ownUserArn(): string {
  return Arn.format({
    partition: Aws.PARTITION,
    service: 'iam',
    region: '',
    account: Aws.ACCOUNT_ID,
    resource: 'user',
    resourceName: '${aws:username}',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

const MFA_DEVICES_RENDERED = 'arn:<AWS::Partition>:iam::<AWS::AccountId>:mfa/*';

/**
 * Actions a quarantined user keeps without MFA: enrol and use an MFA device, change their own password
 * (an expired or reset one too), see what the Security credentials page shows, and get an MFA session
 * for the CLI. After AWS's documented example (IAM User Guide, "AWS: Allows MFA-authenticated IAM users to
 * manage their own MFA device on the Security credentials page",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only.html),
 * plus iam:ChangePassword and iam:GetAccountPasswordPolicy (IAM User Guide, "How an IAM user changes their
 * own password").
 */
export const QUARANTINE_ALLOWED_WITHOUT_MFA = [
  'iam:ChangePassword',
  'iam:CreateVirtualMFADevice',
  'iam:EnableMFADevice',
  'iam:GetAccountPasswordPolicy',
  'iam:GetMFADevice',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:ListVirtualMFADevices',
  'iam:ResyncMFADevice',
  'sts:GetSessionToken',
] as const;

/** Of those, the actions on a user: allowed on the signed-in user only, whatever else their policies allow. */
export const QUARANTINE_OWN_USER_ACTIONS = [
  'iam:ChangePassword',
  'iam:EnableMFADevice',
  'iam:GetMFADevice',
  'iam:GetUser',
  'iam:ListMFADevices',
  'iam:ResyncMFADevice',
] as const;

/**
 * The quarantine policy's document. Its denies hold only while `aws:MultiFactorAuthPresent` is not true
 * (BoolIfExists: long-term access keys carry no such key, so they are denied too until the user gets an
 * MFA session with sts:GetSessionToken). A user who enrols a device and signs in with it works normally
 * at once, before the policy is even detached. Pure.
 */
export function quarantinePolicyDocument(): iam.PolicyDocument {
  const noMfa = { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } };
  return new iam.PolicyDocument({
    statements: [
      // Allows, so a user whose own policies grant nothing can still enrol; the denies below bound them.
      new iam.PolicyStatement({
        sid: 'AllowViewAccountInfo',
        actions: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'AllowCreateOwnVirtualMfaDevice',
        actions: ['iam:CreateVirtualMFADevice'],
        resources: [
          Arn.format({
            partition: Aws.PARTITION,
            service: 'iam',
            region: '',
            account: Aws.ACCOUNT_ID,
            resource: 'mfa',
            resourceName: '*',
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'AllowManageOwnMfaAndPassword',
        actions: [...QUARANTINE_OWN_USER_ACTIONS],
        resources: [ownUserArn()],
      }),
      new iam.PolicyStatement({
        sid: 'DenyAllExceptMfaEnrolmentUnlessSignedInWithMfa',
        effect: iam.Effect.DENY,
        notActions: [...QUARANTINE_ALLOWED_WITHOUT_MFA],
        resources: ['*'],
        conditions: noMfa,
      }),
      // The example's NotAction leaves the listed actions to the user's other policies: an administrator
      // could still enrol a device for, or change the password of, someone else. Not while quarantined.
      new iam.PolicyStatement({
        sid: 'DenyOtherUsersUnlessSignedInWithMfa',
        effect: iam.Effect.DENY,
        actions: [...QUARANTINE_OWN_USER_ACTIONS],
        notResources: [ownUserArn()],
        conditions: noMfa,
      }),
    ],
  });
}

/** Properties of {@link EnforcementResources}. */
export interface EnforcementResourcesProps {
  /** AWS Organizations id; fences the enforce role's trust to principals of the organization. */
  readonly organizationId: string;
  /** Account of the sweep worker role, the only principal the enforce role trusts. */
  readonly securityAccountId: string;
}

/**
 * Opt-in enforcement in a member account (ADR 0022): the quarantine policy and the role the sweep worker
 * assumes to attach it to, and detach it from, a user. Created only when `enforcement.mode` is not `off`.
 */
export class EnforcementResources extends Construct {
  /** Customer managed policy `org-mfa-watch-quarantine`. */
  readonly quarantinePolicy: iam.ManagedPolicy;
  /** Role `org-mfa-watch-enforce`: attach/detach that one policy, list a user's attached policies. */
  readonly enforceRole: iam.Role;

  constructor(scope: Construct, id: string, props: EnforcementResourcesProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.quarantinePolicy = new iam.ManagedPolicy(this, 'QuarantinePolicy', {
      managedPolicyName: NAMES.quarantinePolicy,
      description:
        'org-mfa-watch: denies everything but MFA enrolment and a password change until the user signs in with MFA',
      document: quarantinePolicyDocument(),
    });
    Validations.of(this.quarantinePolicy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'iam:GetAccountPasswordPolicy and iam:ListVirtualMFADevices support no resource-level permissions; the rest of the policy only denies.',
    });
    Validations.of(this.quarantinePolicy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${MFA_DEVICES_RENDERED}]`,
      reason:
        'A user names their new virtual MFA device; the device only works once enabled on their own user (the only user EnableMFADevice is allowed on).',
    });

    // Same trust model as the check role (ADR 0003): the security account, narrowed to the sweep
    // worker's role by ARN and to the organization; never the checker (the real-time path never acts).
    this.enforceRole = new iam.Role(this, 'EnforceRole', {
      roleName: NAMES.memberEnforceRole,
      description:
        'org-mfa-watch: attach or detach the quarantine policy only, assumable only by the sweep worker',
      maxSessionDuration: Duration.hours(1),
      assumedBy: new iam.AccountPrincipal(props.securityAccountId).withConditions({
        ArnEquals: { 'aws:PrincipalArn': sweepWorkerRoleArn(stack, props.securityAccountId) },
        StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
      }),
    });
    this.enforceRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AttachOrDetachQuarantinePolicyOnly',
        actions: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
        resources: [USERS_OF_THIS_ACCOUNT],
        // iam:PolicyARN is the policy being attached or detached (Service Authorization Reference, IAM).
        conditions: { ArnEquals: { 'iam:PolicyARN': quarantinePolicyArn(stack, Aws.ACCOUNT_ID) } },
      }),
    );
    this.enforceRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAttachedUserPolicies',
        actions: ['iam:ListAttachedUserPolicies'],
        resources: [USERS_OF_THIS_ACCOUNT],
      }),
    );
    Validations.of(this.enforceRole).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${USERS_OF_THIS_ACCOUNT_RENDERED}]`,
      reason:
        'Any user of this account may come to need quarantine; attach and detach are limited to the quarantine policy by the iam:PolicyARN condition.',
    });
  }
}
