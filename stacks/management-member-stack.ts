import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import { MemberResources } from './constructs/member-resources';
import { OrganizationResources } from './constructs/organization-resources';

/** Properties of {@link ManagementMemberStack}. */
export interface ManagementMemberStackProps extends StackProps {
  /** The validated application configuration. */
  readonly config: AppConfig;
}

/**
 * The member resources in the management account, which a service-managed StackSet never deploys to,
 * and what only the management account can deploy for the sweep: the Organizations delegation policy,
 * the account-joined events rule and the optional tamper-protection SCP. Deployed in us-east-1 (where
 * IAM's and Organizations' events arrive).
 */
export class ManagementMemberStack extends Stack {
  /** The same construct the StackSet deploys to every member account. */
  readonly member: MemberResources;
  /** Delegation policy, org-events forward rule, tamper-protection SCP. */
  readonly organization: OrganizationResources;

  constructor(scope: Construct, id: string, props: ManagementMemberStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.member = new MemberResources(this, 'Member', {
      organizationId: config.organizationId,
      securityAccountId: config.securityAccountId,
      homeRegion: config.homeRegion,
      securityHubExport: config.securityHub.enabled,
      enforcementMode: config.enforcement.mode,
    });
    this.organization = new OrganizationResources(this, 'Organization', {
      securityAccountId: config.securityAccountId,
      homeRegion: config.homeRegion,
      rolloutOrganizationalUnitIds: config.rollout.organizationalUnitIds,
      tamperProtection: config.tamperProtection.enabled,
      exemptPrincipalArns: config.tamperProtection.exemptPrincipalArns,
      protectTrails: config.tamperProtection.protectTrails,
      protectEnforcement: config.enforcement.mode !== 'off',
    });
    new CfnOutput(this, 'ForwardRuleArn', { value: this.member.forwardRule.ruleArn });
    new CfnOutput(this, 'CheckRoleArn', { value: this.member.checkRole.roleArn });
    new CfnOutput(this, 'ForwardDeadLetterQueueUrl', { value: this.member.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'OrgEventsRuleArn', { value: this.organization.orgEventsRule.ruleArn });
    new CfnOutput(this, 'OrgEventsDeadLetterQueueUrl', {
      value: this.organization.orgEventsDeadLetterQueue.queueUrl,
    });
  }
}
