import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import { MemberResources } from './constructs/member-resources';

/** Properties of {@link ManagementMemberStack}. */
export interface ManagementMemberStackProps extends StackProps {
  /** The validated application configuration. */
  readonly config: AppConfig;
}

/**
 * The member resources in the management account, which a service-managed StackSet never deploys to.
 * Deployed in us-east-1 (where IAM's events arrive).
 */
export class ManagementMemberStack extends Stack {
  /** The same construct the StackSet deploys to every member account. */
  readonly member: MemberResources;

  constructor(scope: Construct, id: string, props: ManagementMemberStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.member = new MemberResources(this, 'Member', {
      organizationId: config.organizationId,
      securityAccountId: config.securityAccountId,
      homeRegion: config.homeRegion,
      securityHubExport: config.securityHub.enabled,
    });
    new CfnOutput(this, 'ForwardRuleArn', { value: this.member.forwardRule.ruleArn });
    new CfnOutput(this, 'CheckRoleArn', { value: this.member.checkRole.roleArn });
    new CfnOutput(this, 'ForwardDeadLetterQueueUrl', { value: this.member.deadLetterQueue.queueUrl });
  }
}
