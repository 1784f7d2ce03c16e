import { Arn, ArnFormat, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { memberForwardPattern } from '../event-pattern';
import { CANARY_TAG_KEY } from '../../functions/contract/canary';
import type { EnforcementMode } from '../../functions/contract/enforcement';
import {
  NAMES,
  USERS_OF_THIS_ACCOUNT,
  USERS_OF_THIS_ACCOUNT_RENDERED,
  centralBusArn,
  checkerRoleArn,
  sweepWorkerRoleArn,
} from '../names';
import { EnforcementResources } from './enforcement-resources';

/** Properties of {@link MemberResources}. */
export interface MemberResourcesProps {
  /** AWS Organizations id; fences the check role's trust to principals of the organization. */
  readonly organizationId: string;
  /** Account of the central bus and the checker role. */
  readonly securityAccountId: string;
  /** Region of the central bus (the member rule forwards across regions when it is not us-east-1). */
  readonly homeRegion: string;
  /**
   * Let the check role import this account's findings into Security Hub (default product, home region).
   * @default false
   */
  readonly securityHubExport?: boolean;
  /**
   * Enforcement mode: anything but `off` adds the quarantine policy and the enforce role (ADR 0022).
   * @default 'off'
   */
  readonly enforcementMode?: EnforcementMode;
}

/**
 * The default product of this account in `region`: the product a custom integration imports its own
 * findings to (AWS Security Hub User Guide, "BatchImportFindings": the caller must be the account the
 * finding belongs to when it uses the default product ARN).
 */
function defaultProductArn(region: string): string {
  return Arn.format({
    partition: Aws.PARTITION,
    service: 'securityhub',
    region,
    account: Aws.ACCOUNT_ID,
    resource: 'product',
    resourceName: `${Aws.ACCOUNT_ID}/default`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * What every member account gets (through the StackSet) and the management account too (through its
 * own stack): a rule that forwards successful IAM user/MFA events (and the sweep's canary) to the
 * central bus, and the role the checker assumes: read-only, but for tagging itself with the canary key
 * (docs/adr/0021-canary.md). It holds no assets, so it fits a StackSet template.
 */
export class MemberResources extends Construct {
  /** Rule `org-mfa-watch-forward` on the default bus. */
  readonly forwardRule: events.Rule;
  /** Dead-letter queue for events the rule could not deliver to the central bus. */
  readonly deadLetterQueue: sqs.Queue;
  /** Role `org-mfa-watch-check`, assumable only by the checker role. */
  readonly checkRole: iam.Role;
  /** The quarantine policy and the enforce role (only when enforcement is not `off`). */
  readonly enforcement?: EnforcementResources;

  constructor(scope: Construct, id: string, props: MemberResourcesProps) {
    super(scope, id);
    this.deadLetterQueue = forwardDeadLetterQueue(this);
    const ruleArn = forwardRuleArn();
    this.forwardRule = forwardRule(this, props, ruleArn, this.deadLetterQueue);
    this.checkRole = checkRole(this, props);
    addReadStatements(this.checkRole, props, ruleArn);
    addCanaryTagStatement(this.checkRole);
    acknowledgeCheckRoleWildcards(this.checkRole);
    if ((props.enforcementMode ?? 'off') !== 'off')
      this.enforcement = new EnforcementResources(this, 'Enforcement', props);
  }
}

/**
 * The forward rule's dead-letter queue. SQS-managed encryption: EventBridge cannot write to a queue
 * encrypted with the AWS-managed alias/aws/sqs KMS key, and a customer key per member account would add
 * cost and key policy upkeep. Named: the sweep worker derives its URL, and the check role may read its
 * depth (and nothing else).
 */
function forwardDeadLetterQueue(scope: Construct): sqs.Queue {
  const queue = new sqs.Queue(scope, 'ForwardDlq', {
    queueName: NAMES.memberForwardDeadLetterQueue,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the forward rule target.',
  });
  return queue;
}

/** ARN of this account's forward rule (pseudo parameters, so every member renders it alike). */
function forwardRuleArn(): string {
  return Arn.format({
    partition: Aws.PARTITION,
    service: 'events',
    region: Aws.REGION,
    account: Aws.ACCOUNT_ID,
    resource: 'rule',
    resourceName: NAMES.memberForwardRule,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * Rule `org-mfa-watch-forward` on the default bus, targeting the central bus through a role that only
 * EventBridge acting for this rule may use, with `deadLetterQueue` for what it cannot deliver.
 */
function forwardRule(
  scope: Construct,
  props: MemberResourcesProps,
  ruleArn: string,
  deadLetterQueue: sqs.Queue,
): events.Rule {
  const centralBus = events.EventBus.fromEventBusArn(
    scope,
    'CentralBus',
    centralBusArn(Stack.of(scope), props.securityAccountId, props.homeRegion),
  );
  // The central bus policy only admits principals of the organization, so the target needs a role.
  // Only EventBridge acting for this account's forward rule may use the role (confused deputy).
  const forwardRole = new iam.Role(scope, 'ForwardRole', {
    // Named so the optional tamper-protection SCP can name it.
    roleName: NAMES.memberForwardRole,
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': ruleArn },
      },
    }),
    description: 'Lets the org-mfa-watch-forward rule put events on the central org-mfa-watch bus',
  });
  const rule = new events.Rule(scope, 'ForwardRule', {
    ruleName: NAMES.memberForwardRule,
    description:
      'org-mfa-watch: forward successful IAM user and MFA changes, and the canary, to the central bus',
    eventPattern: memberForwardPattern(NAMES.memberCheckRole),
  });
  // Event-bus targets take no RetryPolicy (the API rejects it): EventBridge retries them for up to
  // 24 hours, 185 attempts, then writes to the dead-letter queue.
  rule.addTarget(new targets.EventBus(centralBus, { role: forwardRole, deadLetterQueue }));
  return rule;
}

/** Role `org-mfa-watch-check` with its trust: only the checker and sweep worker roles, in the organization. */
function checkRole(scope: Construct, props: MemberResourcesProps): iam.Role {
  const stack = Stack.of(scope);
  return new iam.Role(scope, 'CheckRole', {
    roleName: NAMES.memberCheckRole,
    description: 'org-mfa-watch: read-only MFA check, assumable only by the central checker and sweep worker',
    maxSessionDuration: Duration.hours(1),
    // Trust the security account, narrowed to the checker and sweep worker roles by ARN: the trust
    // deploys before they exist and survives their re-creation (an ARN principal would turn into an id).
    assumedBy: new iam.AccountPrincipal(props.securityAccountId).withConditions({
      ArnEquals: {
        'aws:PrincipalArn': [
          checkerRoleArn(stack, props.securityAccountId),
          sweepWorkerRoleArn(stack, props.securityAccountId),
        ],
      },
      StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
    }),
  });
}

/**
 * The check role's reads (users' MFA, account alias and root state, the credential report, the forward
 * rule and its dead-letter queue depth) and, when asked, the Security Hub import of its own findings.
 */
function addReadStatements(role: iam.Role, props: MemberResourcesProps, ruleArn: string): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadUserMfaAndConsoleAccess',
      actions: ['iam:ListMFADevices', 'iam:GetLoginProfile', 'iam:ListUserTags'],
      resources: [USERS_OF_THIS_ACCOUNT],
    }),
  );
  // iam:ListAccountAliases and iam:GetAccountSummary support no resource-level permissions: "*" is the
  // only valid resource. GetAccountSummary tells whether the root user has a password and MFA.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadAccountAliasAndRootState',
      actions: ['iam:ListAccountAliases', 'iam:GetAccountSummary'],
      resources: ['*'],
    }),
  );
  if (props.securityHubExport === true) {
    // The checker imports findings from inside this account (the caller must own the finding), in the
    // home region. securityhub:TargetAccount is the finding's AwsAccountId (Service Authorization
    // Reference, Security Hub): even with this account's credentials, no finding of another account.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ImportOwnFindingsToSecurityHub',
        actions: ['securityhub:BatchImportFindings'],
        resources: [defaultProductArn(props.homeRegion)],
        conditions: { StringEquals: { 'securityhub:TargetAccount': Aws.ACCOUNT_ID } },
      }),
    );
  }
  // The sweep's candidate list. Neither action supports resource-level permissions ("*" only);
  // GenerateCredentialReport only starts building the report, it changes nothing else.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadCredentialReport',
      actions: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
      resources: ['*'],
    }),
  );
  // The sweep verifies that this account's forward rule exists, is enabled and targets the central bus.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadForwardRule',
      actions: ['events:DescribeRule', 'events:ListTargetsByRule'],
      resources: [ruleArn],
    }),
  );
  // The sweep reports FORWARDING_BROKEN (deliveries failing) when events wait in the dead-letter queue:
  // the depth only (ApproximateNumberOfMessages), of that one queue; never the messages themselves.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadForwardDeadLetterQueueDepth',
      actions: ['sqs:GetQueueAttributes'],
      resources: [
        Arn.format({
          partition: Aws.PARTITION,
          service: 'sqs',
          region: Aws.REGION,
          account: Aws.ACCOUNT_ID,
          resource: NAMES.memberForwardDeadLetterQueue,
        }),
      ],
    }),
  );
}

/**
 * The canary (docs/adr/0021-canary.md): each sweep the worker tags this role itself, so the call
 * travels CloudTrail -> this account's default bus -> the forward rule -> the central bus like a
 * CreateUser. Only this role, only the canary key: aws:TagKeys lists every key of the request
 * (ForAllValues: no other key), and aws:RequestTag/<key> must be present (ForAllValues alone also
 * holds for a request with no keys). IAM Service Authorization Reference: TagRole supports both keys.
 */
function addCanaryTagStatement(role: iam.Role): void {
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'TagItselfForTheCanary',
      actions: ['iam:TagRole'],
      resources: [
        Arn.format({
          partition: Aws.PARTITION,
          service: 'iam',
          region: '',
          account: Aws.ACCOUNT_ID,
          resource: 'role',
          resourceName: NAMES.memberCheckRole,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
      conditions: {
        'ForAllValues:StringEquals': { 'aws:TagKeys': [CANARY_TAG_KEY] },
        Null: { [`aws:RequestTag/${CANARY_TAG_KEY}`]: 'false' },
      },
    }),
  );
}

/** cdk-nag acknowledgements, with their reasons, of the check role's wildcard resources. */
function acknowledgeCheckRoleWildcards(role: iam.Role): void {
  Validations.of(role).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::${USERS_OF_THIS_ACCOUNT_RENDERED}]`,
    reason: 'Read-only actions on any user of this account: any user created here may need checking.',
  });
  Validations.of(role).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'iam:ListAccountAliases, iam:GetAccountSummary, iam:GenerateCredentialReport and iam:GetCredentialReport support no resource-level permissions; all only read (GenerateCredentialReport builds the report).',
  });
}
