import { Arn, ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import { ENFORCE_ROLE_NAME, QUARANTINE_POLICY_NAME } from '../functions/contract/enforcement';
import { FINDINGS_TABLE_NAME } from '../functions/contract/findings';

/**
 * Every IAM user of the account the template is deployed in. Built from the pseudo parameters (not a
 * stack's literal account) so the StackSet template and the management-account stack render it alike.
 */
export const USERS_OF_THIS_ACCOUNT = Arn.format({
  partition: Aws.PARTITION,
  service: 'iam',
  region: '',
  account: Aws.ACCOUNT_ID,
  resource: 'user',
  resourceName: '*',
  arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
});
/** {@link USERS_OF_THIS_ACCOUNT} as cdk-nag names it in a finding. */
export const USERS_OF_THIS_ACCOUNT_RENDERED = 'arn:<AWS::Partition>:iam::<AWS::AccountId>:user/*';

/**
 * Physical names that more than one template (or the function) must agree on. Defined once here;
 * the function receives the ones it needs through environment variables set by the central stack.
 */
export const NAMES = {
  /** Central event bus in the security account. */
  centralBus: 'org-mfa-watch',
  /** EventBridge rule on each member account's default bus that forwards IAM events. */
  memberForwardRule: 'org-mfa-watch-forward',
  /** Read-only role in each member account that the checker assumes. */
  memberCheckRole: 'org-mfa-watch-check',
  /** Execution role of the checker function in the security account. */
  checkerRole: 'org-mfa-watch-checker',
  /** SNS topic the central inbox subscribes to. */
  alertTopic: 'org-mfa-watch-alerts',
  /** SNS topic of the chat channels (custom notifications only; created when chat is configured). */
  chatTopic: 'org-mfa-watch-chat',
  /** Service-managed StackSet that carries the member template. */
  stackSet: 'org-mfa-watch-member',
  /** EventBridge Scheduler group of the one-time MFA re-checks. */
  scheduleGroup: 'org-mfa-watch',
  /** DynamoDB table of the finding store (defined in the shared contract: the CLI and functions use it). */
  findingsTable: FINDINGS_TABLE_NAME,
  /** Step Functions state machine of the org-wide sweep (security account). */
  sweepStateMachine: 'org-mfa-watch-sweep',
  /** Execution role of the sweep worker; the member check role trusts it besides the checker role. */
  sweepWorkerRole: 'org-mfa-watch-sweep-worker',
  /**
   * The sweep worker function: `npm run findings -- release` invokes it (lambda:InvokeFunction, the
   * operator's permission in docs/operations.md) to detach a quarantine by hand.
   */
  sweepWorkerFunction: 'org-mfa-watch-sweep-worker',
  /** Execution role of the sweep planner; the Organizations delegation policy names it. */
  sweepPlannerRole: 'org-mfa-watch-sweep-planner',
  /** Rule in the management account that forwards `aws.organizations` account events to the central bus. */
  orgEventsForwardRule: 'org-mfa-watch-forward-org',
  /** CloudWatch dashboard in the security account (only with `dashboard.enabled`). */
  dashboard: 'org-mfa-watch',
  /**
   * Role of the member forward rule's target. Named so the tamper-protection SCP can name it (IAM and
   * rule names are separate namespaces: it may share the rule's name).
   */
  memberForwardRole: 'org-mfa-watch-forward',
  /**
   * Dead-letter queue of the member forward rule's target (us-east-1 of each member account). Named so
   * the sweep worker can derive its URL and the check role may read its depth, and nothing else.
   */
  memberForwardDeadLetterQueue: 'org-mfa-watch-forward-dlq',
  /** EventBridge Scheduler group of the daily sweep (the scheduler role's trust names this group). */
  sweepScheduleGroup: 'org-mfa-watch-sweep',
  /** Rules on the central bus that start a sweep of a joining account (created; invited). */
  sweepJoinedCreatedRule: 'org-mfa-watch-sweep-account-created',
  sweepJoinedInvitedRule: 'org-mfa-watch-sweep-account-joined',
  /**
   * Read-only role in the account that administers the StackSet (the rollout stack's account): the
   * sweep planner lists the StackSet's instances through it.
   */
  rolloutReaderRole: 'org-mfa-watch-rollout-reader',
  /** Service control policy that protects the member resources (optional, `tamperProtection`). */
  tamperProtectionPolicy: 'org-mfa-watch-tamper-protection',
  /** Customer managed policy of each member account that quarantines a user (only with enforcement on). */
  quarantinePolicy: QUARANTINE_POLICY_NAME,
  /** Member role the sweep worker assumes to attach and detach the quarantine policy (enforcement on). */
  memberEnforceRole: ENFORCE_ROLE_NAME,
} as const;

/** The only region the member template is deployed to: IAM publishes its events to EventBridge there. */
export const MEMBER_REGION = 'us-east-1';

/** CDK ids of the stacks of the app (also their CloudFormation stack names). */
export const STACK_IDS = {
  central: 'OrgMfaWatch-Central',
  rollout: 'OrgMfaWatch-Rollout',
  managementMember: 'OrgMfaWatch-ManagementMember',
} as const;

/** ARN of the central event bus, in the partition of the stack that uses it. */
export function centralBusArn(scope: Stack, securityAccountId: string, homeRegion: string): string {
  return Arn.format(
    {
      partition: Aws.PARTITION,
      service: 'events',
      region: homeRegion,
      account: securityAccountId,
      resource: 'event-bus',
      resourceName: NAMES.centralBus,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    },
    scope,
  );
}

/** ARN of the checker function's execution role (IAM ARNs have no region). */
export function checkerRoleArn(scope: Stack, securityAccountId: string): string {
  return iamRoleArn(scope, securityAccountId, NAMES.checkerRole);
}

/**
 * ARN of the member check role. With `account` = `'*'` it matches that role in every account,
 * for the checker's `sts:AssumeRole` permission (fenced to the organization by a condition).
 */
export function memberCheckRoleArn(scope: Stack, account: string): string {
  return iamRoleArn(scope, account, NAMES.memberCheckRole);
}

/** ARN of the sweep worker's execution role (the member check role trusts it besides the checker role). */
export function sweepWorkerRoleArn(scope: Stack, securityAccountId: string): string {
  return iamRoleArn(scope, securityAccountId, NAMES.sweepWorkerRole);
}

/** ARN of the sweep planner's execution role (the Organizations delegation policy names it). */
export function sweepPlannerRoleArn(scope: Stack, securityAccountId: string): string {
  return iamRoleArn(scope, securityAccountId, NAMES.sweepPlannerRole);
}

/** ARN of the rollout reader role in the account that administers the StackSet. */
export function rolloutReaderRoleArn(scope: Stack, rolloutAccountId: string): string {
  return iamRoleArn(scope, rolloutAccountId, NAMES.rolloutReaderRole);
}

/** ARN of the member enforce role (`account` = `'*'`: that role in every account, for the SCP). */
export function memberEnforceRoleArn(scope: Stack, account: string): string {
  return iamRoleArn(scope, account, NAMES.memberEnforceRole);
}

/** ARN of the quarantine policy in `account` (`'*'`: in every account, for the SCP). */
export function quarantinePolicyArn(scope: Stack, account: string): string {
  return Arn.format(
    {
      partition: Aws.PARTITION,
      service: 'iam',
      region: '',
      account,
      resource: 'policy',
      resourceName: NAMES.quarantinePolicy,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    },
    scope,
  );
}

function iamRoleArn(scope: Stack, account: string, roleName: string): string {
  return Arn.format(
    {
      partition: Aws.PARTITION,
      service: 'iam',
      region: '',
      account,
      resource: 'role',
      resourceName: roleName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    },
    scope,
  );
}
