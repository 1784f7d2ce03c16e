import { ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  ROLLOUT_READER_ACTIONS,
  ROLLOUT_READER_DELEGATED_ADMIN_ACTIONS,
} from '../../functions/contract/sweep';
import { MEMBER_REGION, NAMES, sweepPlannerRoleArn } from '../names';

/** Properties of {@link RolloutReader}. */
export interface RolloutReaderProps {
  /** The security account, where the sweep planner runs. */
  readonly securityAccountId: string;
  readonly organizationId: string;
  /**
   * The StackSet is administered by a delegated administrator (the planner calls with
   * `CallAs: DELEGATED_ADMIN`), which also needs `organizations:ListDelegatedAdministrators`.
   * @default false
   */
  readonly delegatedAdmin?: boolean;
}

/**
 * The read-only role `org-mfa-watch-rollout-reader`, in the account that administers the StackSet (the
 * rollout stack's account): the sweep planner lists the StackSet's instances through it, to tell an
 * account whose instance has not landed (`rollout-pending`) or failed (`ROLLOUT_FAILED`) from one whose
 * check role was removed (`ACCOUNT_NOT_COVERED`). Trusted like the check role (ADR 0003): the security
 * account, narrowed to the planner's role by `aws:PrincipalArn`; allowed only ListStackInstances on
 * the member StackSet.
 */
export class RolloutReader extends Construct {
  /** The role. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: RolloutReaderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: NAMES.rolloutReaderRole,
      description: 'org-mfa-watch: lets the sweep planner list the member StackSet instances (read-only)',
      // An ARN principal would turn into a role id and break when the planner role is re-created; the
      // condition names it by ARN instead, so this role deploys before the central stack (ADR 0003).
      assumedBy: new iam.AccountPrincipal(props.securityAccountId).withConditions({
        ArnEquals: { 'aws:PrincipalArn': sweepPlannerRoleArn(stack, props.securityAccountId) },
        StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListMemberStackSetInstances',
        actions: [...ROLLOUT_READER_ACTIONS],
        // A StackSet's ARN ends in its generated id: stackset/<name>:<id> (Service Authorization
        // Reference, AWS CloudFormation, resource type "stackset").
        resources: [
          stack.formatArn({
            service: 'cloudformation',
            region: MEMBER_REGION,
            resource: 'stackset',
            resourceName: `${NAMES.stackSet}:*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudformation:${MEMBER_REGION}:${account}:stackset/${NAMES.stackSet}:*]`,
      reason:
        'The member StackSet only: its ARN ends in an id CloudFormation generates, unknown before it exists.',
    });
    if (props.delegatedAdmin === true) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'organizations:ListDelegatedAdministrators has no resource type; read-only, needed by a delegated StackSets administrator.',
      });
      this.role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'CheckDelegatedAdministrator',
          // AWS CloudFormation User Guide, "Register a delegated administrator member account": make
          // sure delegated administrators have organizations:ListDelegatedAdministrators. It has no
          // resource type (Service Authorization Reference, AWS Organizations).
          actions: [...ROLLOUT_READER_DELEGATED_ADMIN_ACTIONS],
          resources: ['*'],
        }),
      );
    }
  }
}
