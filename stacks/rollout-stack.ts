import { CfnOutput, CfnStackSet, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Capability,
  DeploymentType,
  RegionConcurrencyType,
  StackSet,
  StackSetStack,
  StackSetTarget,
  StackSetTemplate,
} from 'cdk-stacksets';
import type { Construct } from 'constructs';
import type { AppConfig } from './config';
import { MemberResources } from './constructs/member-resources';
import { RolloutReader } from './constructs/rollout-reader';
import { MEMBER_REGION, NAMES } from './names';

/** Properties of {@link RolloutStack}. */
export interface RolloutStackProps extends StackProps {
  /** The validated application configuration. */
  readonly config: AppConfig;
}

/** The member template: {@link MemberResources} alone, no assets, deployed by the StackSet. */
export class MemberTemplateStack extends StackSetStack {
  constructor(scope: Construct, id: string, config: AppConfig) {
    super(scope, id);
    new MemberResources(this, 'Member', {
      organizationId: config.organizationId,
      securityAccountId: config.securityAccountId,
      homeRegion: config.homeRegion,
      securityHubExport: config.securityHub.enabled,
      enforcementMode: config.enforcement.mode,
    });
  }
}

/**
 * The org rollout: a service-managed StackSet that deploys the member template to every account of the
 * configured OUs, and to every account that joins them later, in us-east-1 only. Deployed from the
 * management account, or from a delegated StackSets administrator.
 */
export class RolloutStack extends Stack {
  /** The StackSet `org-mfa-watch-member`. */
  readonly stackSet: StackSet;
  /** The member template. */
  readonly memberTemplate: MemberTemplateStack;
  /** The read-only role the sweep planner lists the StackSet's instances through. */
  readonly reader: RolloutReader;

  constructor(scope: Construct, id: string, props: RolloutStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.memberTemplate = new MemberTemplateStack(this, 'MemberTemplate', config);

    this.stackSet = new StackSet(this, 'MemberStackSet', {
      stackSetName: NAMES.stackSet,
      description: 'org-mfa-watch member resources: IAM event forwarding rule and read-only MFA check role',
      template: StackSetTemplate.fromStackSetStack(this.memberTemplate),
      target: StackSetTarget.fromOrganizationalUnits({
        organizationalUnits: [...config.rollout.organizationalUnitIds],
        // IAM publishes its events to EventBridge in us-east-1 only, and IAM names are global.
        regions: [MEMBER_REGION],
        ...(config.rollout.excludeAccountIds.length > 0
          ? { excludeAccounts: [...config.rollout.excludeAccountIds] }
          : {}),
      }),
      deploymentType: DeploymentType.serviceManaged({
        autoDeployEnabled: true,
        autoDeployRetainStacks: false,
        // The construct defaults to delegated admin; say which account deploys, explicitly.
        delegatedAdmin: config.rollout.deployFrom === 'delegated-admin',
      }),
      capabilities: [Capability.NAMED_IAM],
      managedExecution: true,
      operationPreferences: {
        // One region only, so region concurrency is moot; PARALLEL keeps it so if regions are ever added.
        regionConcurrencyType: RegionConcurrencyType.PARALLEL,
        // Roll out to all accounts of the OUs at once: the template is tiny and has no cross-account
        // dependencies, so an org of hundreds of accounts finishes in minutes.
        maxConcurrentPercentage: 100,
        // Tolerate a few accounts failing (an SCP that blocks IAM, a suspended account) without
        // stopping the whole org, but stop a template error that fails everywhere early.
        failureTolerancePercentage: 10,
      },
    });

    // cdk-stacksets has no ConcurrencyMode. Without SOFT_FAILURE_TOLERANCE, CloudFormation caps the
    // concurrency at failure tolerance + 1 accounts, which would serialize the org-wide rollout.
    const cfnStackSet = this.stackSet.node.defaultChild as CfnStackSet;
    cfnStackSet.addPropertyOverride('OperationPreferences.ConcurrencyMode', 'SOFT_FAILURE_TOLERANCE');

    this.reader = new RolloutReader(this, 'RolloutReader', {
      securityAccountId: config.securityAccountId,
      organizationId: config.organizationId,
      delegatedAdmin: config.rollout.deployFrom === 'delegated-admin',
    });

    new CfnOutput(this, 'StackSetId', {
      value: cfnStackSet.attrStackSetId,
      description: 'StackSet id (for aws cloudformation list-stack-instances)',
    });
    new CfnOutput(this, 'StackSetName', {
      value: NAMES.stackSet,
      description: 'StackSet with the member resources',
    });
    new CfnOutput(this, 'TargetOrganizationalUnits', {
      value: config.rollout.organizationalUnitIds.join(','),
    });
  }
}
