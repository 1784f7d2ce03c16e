import { Arn, ArnFormat, Aws, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CANARY_TAG_KEY } from '../../functions/contract/canary';
import { EXEMPT_TAG_KEY, EXEMPT_UNTIL_TAG_KEY } from '../../functions/contract/exemption';
import { PLANNER_ORGANIZATIONS_ACTIONS } from '../../functions/contract/sweep';
import { NAMES, centralBusArn, sweepPlannerRoleArn } from '../names';
import { enforcementProtectionStatements } from './enforcement-protection';
import { organizationJoinEventsPattern } from '../org-events';

/**
 * The role service-managed StackSets use in every target account (created by Organizations' trusted
 * access, named `stacksets-exec-<hash>`; AWS CloudFormation User Guide, "Activate trusted access with
 * AWS Organizations"). The SCP lets it change the member resources: it deploys them.
 */
export const STACKSET_EXECUTION_ROLE_PATTERN = 'arn:*:iam::*:role/stacksets-exec-*';

/** IAM actions that change a role, its policies, trust or tags: what the SCP denies on the member roles. */
export const ROLE_CHANGE_ACTIONS = [
  'iam:AttachRolePolicy',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
] as const;

/** EventBridge actions that change or remove a rule or its targets. */
export const RULE_CHANGE_ACTIONS = [
  'events:DeleteRule',
  'events:DisableRule',
  'events:PutRule',
  'events:PutTargets',
  'events:RemoveTargets',
] as const;

/**
 * What the SCP denies on `role/stacksets-exec-*` to everyone but `exemptPrincipalArns`: the SCP trusts
 * that name, so nobody in a member account may create a role under it, re-trust the real one, change
 * its policies, boundary or tags, pass it to a service, or delete it. The role is created and managed
 * by the StackSets service-linked role `AWSServiceRoleForCloudFormationStackSetsOrgMember`, which SCPs
 * do not affect (AWS Organizations User Guide, "Service control policies (SCPs)": "SCPs do not affect
 * service-linked roles").
 */
export const STACKSET_EXECUTION_ROLE_GUARD_ACTIONS = [
  'iam:CreateRole',
  ...ROLE_CHANGE_ACTIONS,
  'iam:PassRole',
] as const;

/**
 * CloudTrail actions that stop a trail or narrow what it logs (with `protectTrails`). Not
 * PutInsightSelectors: Insights only adds anomaly analysis on top of what the trail logs; it neither
 * starts nor stops the delivery of management events to EventBridge.
 */
export const TRAIL_CHANGE_ACTIONS = [
  'cloudtrail:DeleteTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:StopLogging',
  'cloudtrail:UpdateTrail',
] as const;

/**
 * IAM actions that set or remove a user tag. CreateUser is among them: it takes tags, so a new user
 * could be created already exempt.
 */
export const USER_TAG_ACTIONS = ['iam:CreateUser', 'iam:TagUser', 'iam:UntagUser'] as const;

/** A role name in every account of the organization (partition token, any account). */
function roleInEveryAccount(name: string): string {
  return Arn.format({
    partition: Aws.PARTITION,
    service: 'iam',
    region: '',
    account: '*',
    resource: 'role',
    resourceName: name,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** The SCP condition that spares the StackSet execution role and the exempt principals. */
type ExceptDeployers = { readonly ArnNotLike: { readonly 'aws:PrincipalArn': string[] } };

/** Deny changing the forward rule, the member roles and the forward role's tags. */
function memberResourceStatements(exceptDeployers: ExceptDeployers): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ProtectForwardRule',
      effect: iam.Effect.DENY,
      actions: [...RULE_CHANGE_ACTIONS],
      resources: [
        Arn.format({
          partition: Aws.PARTITION,
          service: 'events',
          region: '*',
          account: '*',
          resource: 'rule',
          resourceName: NAMES.memberForwardRule,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
      conditions: exceptDeployers,
    }),
    new iam.PolicyStatement({
      sid: 'ProtectMemberRoles',
      effect: iam.Effect.DENY,
      actions: ROLE_CHANGE_ACTIONS.filter((action) => action !== 'iam:TagRole'),
      resources: [roleInEveryAccount(NAMES.memberCheckRole), roleInEveryAccount(NAMES.memberForwardRole)],
      conditions: exceptDeployers,
    }),
    new iam.PolicyStatement({
      sid: 'ProtectForwardRoleTags',
      effect: iam.Effect.DENY,
      actions: ['iam:TagRole'],
      resources: [roleInEveryAccount(NAMES.memberForwardRole)],
      conditions: exceptDeployers,
    }),
  ];
}

/**
 * The canary (docs/adr/0021-canary.md): the check role tags itself with the canary key each sweep.
 * An SCP Deny cannot say "unless A and B", so two statements: tagging the check role is denied to
 * every principal but the deployers and the check role itself, and (to those) with any other key.
 */
function canaryStatements(
  exceptDeployers: ExceptDeployers,
  exemptPrincipalArns: readonly string[],
): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'CanaryOnlyByTheCheckRole',
      effect: iam.Effect.DENY,
      actions: ['iam:TagRole'],
      resources: [roleInEveryAccount(NAMES.memberCheckRole)],
      conditions: {
        ArnNotLike: {
          'aws:PrincipalArn': [
            STACKSET_EXECUTION_ROLE_PATTERN,
            ...exemptPrincipalArns,
            roleInEveryAccount(NAMES.memberCheckRole),
          ],
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'CanaryOnlyWithItsKey',
      effect: iam.Effect.DENY,
      actions: ['iam:TagRole'],
      resources: [roleInEveryAccount(NAMES.memberCheckRole)],
      conditions: {
        'ForAnyValue:StringNotEquals': { 'aws:TagKeys': [CANARY_TAG_KEY] },
        ...exceptDeployers,
      },
    }),
  ];
}

/**
 * The exemption of the deployers is by name: without this, a member administrator could create a role
 * named stacksets-exec-<anything> (or re-trust the real one) and act as the StackSet. The execution role
 * itself is not exempt here: it never needs to change a stacksets-exec-* role.
 */
function stackSetsExecutionRoleStatement(exemptPrincipalArns: readonly string[]): iam.PolicyStatement {
  const exceptExempt =
    exemptPrincipalArns.length === 0
      ? undefined
      : { ArnNotLike: { 'aws:PrincipalArn': [...exemptPrincipalArns] } };
  return new iam.PolicyStatement({
    sid: 'ProtectStackSetsExecutionRole',
    effect: iam.Effect.DENY,
    actions: [...STACKSET_EXECUTION_ROLE_GUARD_ACTIONS],
    resources: [roleInEveryAccount('stacksets-exec-*')],
    ...(exceptExempt === undefined ? {} : { conditions: exceptExempt }),
  });
}

/** Deny setting or removing the exemption tags on users (CreateUser included: it takes tags). */
function exemptionTagsStatement(exceptDeployers: ExceptDeployers): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ProtectExemptionTags',
    effect: iam.Effect.DENY,
    actions: [...USER_TAG_ACTIONS],
    resources: ['*'],
    conditions: {
      // Ignoring case: IAM keeps one tag per key whatever its case, so deny every spelling of the keys.
      'ForAnyValue:StringEqualsIgnoreCase': { 'aws:TagKeys': [EXEMPT_TAG_KEY, EXEMPT_UNTIL_TAG_KEY] },
      ...exceptDeployers,
    },
  });
}

/**
 * EventBridge hears of IAM calls only while a trail logs them: a member must not stop, delete or narrow
 * its trails. Organization trails already cannot be changed from a member account; this covers the
 * account's own trails.
 */
function trailsStatement(exceptDeployers: ExceptDeployers): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ProtectTrails',
    effect: iam.Effect.DENY,
    actions: [...TRAIL_CHANGE_ACTIONS],
    resources: [
      Arn.format({
        partition: Aws.PARTITION,
        service: 'cloudtrail',
        region: '*',
        account: '*',
        resource: 'trail',
        resourceName: '*',
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    ],
    conditions: exceptDeployers,
  });
}

/**
 * The tamper-protection SCP's document: deny changing the forward rule, the forward role and the check
 * role, and setting or removing the exemption tags, to every principal except the StackSet execution
 * role and `exemptPrincipalArns`; the one exception is the canary, the check role tagging itself with
 * the canary key only. Pure; every ARN uses the partition token.
 */
export function tamperProtectionDocument(
  exemptPrincipalArns: readonly string[],
  protectTrails = false,
  protectEnforcement = false,
): iam.PolicyDocument {
  const exceptDeployers: ExceptDeployers = {
    ArnNotLike: { 'aws:PrincipalArn': [STACKSET_EXECUTION_ROLE_PATTERN, ...exemptPrincipalArns] },
  };
  return new iam.PolicyDocument({
    statements: [
      ...memberResourceStatements(exceptDeployers),
      ...canaryStatements(exceptDeployers, exemptPrincipalArns),
      stackSetsExecutionRoleStatement(exemptPrincipalArns),
      exemptionTagsStatement(exceptDeployers),
      ...(protectTrails ? [trailsStatement(exceptDeployers)] : []),
      ...(protectEnforcement
        ? enforcementProtectionStatements(ROLE_CHANGE_ACTIONS, exceptDeployers, exemptPrincipalArns)
        : []),
    ],
  });
}

/** Properties of {@link OrganizationResources}. */
export interface OrganizationResourcesProps {
  /** Account of the sweep planner role and the central bus. */
  readonly securityAccountId: string;
  /** Region of the central bus. */
  readonly homeRegion: string;
  /** OU or root ids the tamper-protection SCP is attached to (the rollout OUs). */
  readonly rolloutOrganizationalUnitIds: readonly string[];
  /**
   * Create the tamper-protection SCP and attach it to the rollout OUs.
   * @default false
   */
  readonly tamperProtection?: boolean;
  /**
   * Principals besides the StackSet execution role that the SCP lets change the member resources.
   * @default []
   */
  readonly exemptPrincipalArns?: readonly string[];
  /**
   * Add to the SCP a deny of stopping, deleting or narrowing CloudTrail trails (same exemptions).
   * @default false
   */
  readonly protectTrails?: boolean;
  /**
   * Add to the SCP the protection of the quarantine policy, its attachments and the enforce role
   * (enforcement on; stacks/constructs/enforcement-protection.ts).
   * @default false
   */
  readonly protectEnforcement?: boolean;
}

/**
 * What only the management account can deploy: the Organizations delegation policy that lets the sweep
 * planner list accounts, the rule that forwards account-joined events to the central bus, and the
 * optional tamper-protection SCP. Deployed in us-east-1, where Organizations' events arrive.
 */
export class OrganizationResources extends Construct {
  /** The Organizations resource-based delegation policy (one per organization). */
  readonly delegationPolicy: organizations.CfnResourcePolicy;
  /** Rule `org-mfa-watch-forward-org` on the default bus. */
  readonly orgEventsRule: events.Rule;
  /** Dead-letter queue of the rule's target. */
  readonly orgEventsDeadLetterQueue: sqs.Queue;
  /** The tamper-protection SCP (only when enabled). */
  readonly tamperProtectionPolicy?: organizations.CfnPolicy;

  constructor(scope: Construct, id: string, props: OrganizationResourcesProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // Read-only Organizations calls for the planner role only: the account is the principal (the trust
    // deploys before the role exists and survives its re-creation), narrowed by aws:PrincipalArn.
    this.delegationPolicy = new organizations.CfnResourcePolicy(this, 'DelegationPolicy', {
      content: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'SweepPlannerReadsAccounts',
            principals: [new iam.AccountPrincipal(props.securityAccountId)],
            actions: [...PLANNER_ORGANIZATIONS_ACTIONS],
            resources: ['*'],
            conditions: {
              ArnEquals: { 'aws:PrincipalArn': sweepPlannerRoleArn(stack, props.securityAccountId) },
            },
          }),
        ],
      }),
    });

    this.orgEventsDeadLetterQueue = new sqs.Queue(this, 'OrgEventsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.orgEventsDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the org-events forward rule target.',
    });
    const ruleArn = Arn.format({
      partition: Aws.PARTITION,
      service: 'events',
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      resource: 'rule',
      resourceName: NAMES.orgEventsForwardRule,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    // The central bus admits only principals of the organization, so the target needs a role; only
    // EventBridge acting for this rule may use it (confused deputy).
    const role = new iam.Role(this, 'OrgEventsForwardRole', {
      description: 'Lets the org-mfa-watch-forward-org rule put account-joined events on the central bus',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': ruleArn } },
      }),
    });
    this.orgEventsRule = new events.Rule(this, 'OrgEventsForwardRule', {
      ruleName: NAMES.orgEventsForwardRule,
      description: 'org-mfa-watch: forward account created/joined events to the central bus (starts a sweep)',
      eventPattern: organizationJoinEventsPattern(),
    });
    this.orgEventsRule.addTarget(
      new targets.EventBus(
        events.EventBus.fromEventBusArn(
          this,
          'CentralBus',
          centralBusArn(stack, props.securityAccountId, props.homeRegion),
        ),
        { role, deadLetterQueue: this.orgEventsDeadLetterQueue },
      ),
    );

    if (props.tamperProtection === true) {
      this.tamperProtectionPolicy = new organizations.CfnPolicy(this, 'TamperProtection', {
        name: NAMES.tamperProtectionPolicy,
        description:
          'org-mfa-watch: members cannot change the forward rule, its role, the check role or the exemption tags',
        type: 'SERVICE_CONTROL_POLICY',
        content: tamperProtectionDocument(
          props.exemptPrincipalArns ?? [],
          props.protectTrails === true,
          props.protectEnforcement === true,
        ),
        targetIds: [...props.rolloutOrganizationalUnitIds],
      });
    }
  }
}
