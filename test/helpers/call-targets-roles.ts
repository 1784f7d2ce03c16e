/**
 * Rows for the calls made with another role's credentials than the function's own: in a member account,
 * the check role (reads, the canary's TagRole, the forward rule and its dead-letter queue) and the enforce
 * role (the quarantine policy); in the management account, the rollout reader. See
 * test/helpers/call-targets.ts for what a row is.
 */
import { CANARY_TAG_KEY } from '../../functions/contract/canary';
import { QUARANTINE_POLICY_NAME } from '../../functions/contract/enforcement';
import { rolloutReaderOf, type Row, type RowInput } from './call-targets';
import { resourcePolicyOf, resourcesOf, scopeOf } from './template-scope';

function inMember(input: RowInput): { id: string; template: Record<string, unknown> } {
  if (input.account === undefined) throw new Error(`${input.fn}: a check-role row needs the member account`);
  return input.account;
}

const memberCall =
  (action: string, resource: (input: RowInput, account: string) => string | undefined): Row =>
  (input) => {
    const { id } = inMember(input);
    const arn = resource(input, id);
    return arn === undefined ? [] : [{ action, resource: arn, resourceAccount: id }];
  };

const user = (input: RowInput, account: string): string =>
  `arn:${input.deployment.partition}:iam::${account}:user/alice`;
const forwardRule = (input: RowInput, account: string): string | undefined =>
  input.env.FORWARD_RULE_NAME === undefined
    ? undefined
    : `arn:${input.deployment.partition}:events:${input.env.FORWARD_RULE_REGION ?? 'us-east-1'}:${account}:rule/${input.env.FORWARD_RULE_NAME}`;

/**
 * The dead-letter queue(s) of the account's forward rule (the queue the check role may read: where the
 * member rule's undeliverable events land), from the member's own template.
 */
const forwardRuleQueues =
  (action: string): Row =>
  (input) => {
    const { id, template } = inMember(input);
    const scope = scopeOf(template, id, 'us-east-1', input.deployment.partition);
    const rule = Object.values(resourcesOf(template)).find(
      (r) => r.Type === 'AWS::Events::Rule' && r.Properties?.Name === input.env.FORWARD_RULE_NAME,
    );
    const targets = (rule?.Properties?.Targets ?? []) as { DeadLetterConfig?: { Arn?: unknown } }[];
    return targets
      .map(
        (t) =>
          (t.DeadLetterConfig?.Arn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0],
      )
      .filter((queueId): queueId is string => queueId !== undefined)
      .map((queueId) => {
        const policy = resourcePolicyOf(template, scope, queueId);
        return {
          action,
          resource: scope.resources?.[`${queueId}.Arn`] ?? queueId,
          resourceAccount: id,
          ...(policy === undefined ? {} : { resourcePolicy: policy, resourcePolicyName: queueId }),
        };
      });
  };

/** Rows for the calls made in a member account with the check role's credentials, by IAM action. */
export const CHECK_ROLE_ROWS: Readonly<Record<string, Row>> = {
  'iam:ListMFADevices': memberCall('iam:ListMFADevices', user),
  'iam:GetLoginProfile': memberCall('iam:GetLoginProfile', user),
  'iam:ListUserTags': memberCall('iam:ListUserTags', user),
  // Account-level reads: IAM lists no resource type for these (Service Authorization Reference, "IAM").
  'iam:GetAccountSummary': memberCall('iam:GetAccountSummary', () => '*'),
  'iam:ListAccountAliases': memberCall('iam:ListAccountAliases', () => '*'),
  'iam:GenerateCredentialReport': memberCall('iam:GenerateCredentialReport', () => '*'),
  'iam:GetCredentialReport': memberCall('iam:GetCredentialReport', () => '*'),
  'events:DescribeRule': memberCall('events:DescribeRule', forwardRule),
  'events:ListTargetsByRule': memberCall('events:ListTargetsByRule', forwardRule),
  // Only with the export on; the default product of the account, imported by the account itself.
  'securityhub:BatchImportFindings': (input) => {
    const region = input.env.SECURITY_HUB_REGION;
    if (input.env.SECURITY_HUB_EXPORT !== 'true' || region === undefined) return [];
    const { id } = inMember(input);
    return [
      {
        action: 'securityhub:BatchImportFindings',
        resource: `arn:${input.deployment.partition}:securityhub:${region}:${id}:product/${id}/default`,
        resourceAccount: id,
        context: { 'securityhub:TargetAccount': id },
      },
    ];
  },
  'sqs:GetQueueAttributes': forwardRuleQueues('sqs:GetQueueAttributes'),
  // The canary (docs/adr/0021-canary.md): the check role tags itself, with the canary key only
  // (IAM API Reference, TagRole; the request carries aws:TagKeys and aws:RequestTag/<key>).
  'iam:TagRole': (input) => {
    const { id } = inMember(input);
    const roleName = input.env.CHECK_ROLE_NAME;
    if (roleName === undefined) throw new Error(`${input.fn}: TagRole needs CHECK_ROLE_NAME`);
    return [
      {
        action: 'iam:TagRole',
        resource: `arn:${input.deployment.partition}:iam::${id}:role/${roleName}`,
        resourceAccount: id,
        context: { 'aws:TagKeys': [CANARY_TAG_KEY], [`aws:RequestTag/${CANARY_TAG_KEY}`]: 'sweep-id' },
      },
    ];
  },
};

/** The member account's own quarantine policy: the one policy the enforce role may attach or detach. */
const withQuarantinePolicy =
  (action: string): Row =>
  (input) => {
    const { id } = inMember(input);
    const policy = `arn:${input.deployment.partition}:iam::${id}:policy/${QUARANTINE_POLICY_NAME}`;
    return [{ action, resource: user(input, id), resourceAccount: id, context: { 'iam:PolicyARN': policy } }];
  };

/**
 * Rows for the calls made in a member account with the enforce role's credentials (enforcement on;
 * functions/sweep-worker/enforce.ts), by IAM action. iam:PolicyARN is the policy attached or detached
 * (Service Authorization Reference, "AWS Identity and Access Management": condition keys of
 * AttachUserPolicy and DetachUserPolicy).
 */
export const ENFORCE_ROLE_ROWS: Readonly<Record<string, Row>> = {
  'iam:AttachUserPolicy': withQuarantinePolicy('iam:AttachUserPolicy'),
  'iam:DetachUserPolicy': withQuarantinePolicy('iam:DetachUserPolicy'),
  'iam:ListAttachedUserPolicies': memberCall('iam:ListAttachedUserPolicies', user),
};

/** The id CloudFormation generates for a StackSet, after its name (any value: the grant cannot know it). */
const STACK_SET_ID = '5e2b7c1a-93f4-4d8e-a6b0-7c1d2e3f4a5b';
const DELEGATED_ADMIN_CHECK =
  'AWS CloudFormation User Guide, "Register a delegated administrator member account": a delegated StackSets administrator needs organizations:ListDelegatedAdministrators (CallAs DELEGATED_ADMIN); it has no resource type and is authorized by the account\'s registration, not a delegation policy';

/**
 * Rows for the calls the sweep planner makes with the rollout reader's credentials: the member StackSet
 * in its region, in the account that administers it (Service Authorization Reference, "AWS
 * CloudFormation": resource type stackset, `stackset/<name>:<generated id>`).
 */
export const ROLLOUT_READER_ROWS: Readonly<Record<string, Row>> = {
  'cloudformation:ListStackInstances': (input) => {
    const reader = rolloutReaderOf(input);
    const { STACK_SET_NAME: name, STACK_SET_REGION: region, STACK_SET_CALL_AS: callAs } = input.env;
    if (reader === undefined || name === undefined || region === undefined || callAs === undefined) {
      throw new Error(`${input.fn}: ListStackInstances needs ROLLOUT_READER_ROLE_ARN and STACK_SET_*`);
    }
    const { partition } = input.deployment;
    const stackSet = `arn:${partition}:cloudformation:${region}:${reader.account}:stackset/${name}:${STACK_SET_ID}`;
    return [
      { action: 'cloudformation:ListStackInstances', resource: stackSet, resourceAccount: reader.account },
      ...(callAs === 'DELEGATED_ADMIN'
        ? [
            {
              action: 'organizations:ListDelegatedAdministrators',
              resource: '*',
              resourceAccount: reader.account,
              impliedBy: DELEGATED_ADMIN_CHECK,
            },
          ]
        : []),
    ];
  },
};
