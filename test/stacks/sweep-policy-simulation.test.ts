import { beforeAll, describe, expect, it } from 'vitest';
import { EXEMPT_TAG_KEY, EXEMPT_UNTIL_TAG_KEY } from '../../functions/contract/exemption';
import { PLANNER_ORGANIZATIONS_ACTIONS } from '../../functions/contract/sweep';
import { NAMES } from '../../stacks/names';
import { synthAppOnce, testConfig } from '../helpers/app';
import {
  logicalIdOf,
  policiesOfRole,
  resolveIntrinsics,
  simulate,
  type PolicyDocument,
  type TemplateScope,
  withoutCondition,
} from '../helpers/policy-simulation';

// Every role the sweep adds, its trust, the Organizations delegation policy and the tamper-protection
// SCP, proven with the offline IAM simulator on the synthesized templates. A "denied" case is shown to
// flip to allowed when the condition that denies it is removed, so no test passes by accident.

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties: Json };

const ORG = 'o-a1b2c3d4e5';
const MANAGEMENT = '111111111111';
const SECURITY = '222222222222';
const MEMBER = '333333333333';
const REGION = 'eu-central-1';
const BUCKET = 'org-mfa-watch-sweep-bucket';
const TABLE = `arn:aws:dynamodb:${REGION}:${SECURITY}:table/org-mfa-watch-findings`;
const TOPIC = `arn:aws:sns:${REGION}:${SECURITY}:org-mfa-watch-alerts`;
const STATE_MACHINE = `arn:aws:states:${REGION}:${SECURITY}:stateMachine:org-mfa-watch-sweep`;
const BUS = `arn:aws:events:${REGION}:${SECURITY}:event-bus/org-mfa-watch`;
const PLANNER = `arn:aws:iam::${SECURITY}:role/${NAMES.sweepPlannerRole}`;
const WORKER = `arn:aws:iam::${SECURITY}:role/${NAMES.sweepWorkerRole}`;
const REPORTER = `arn:aws:iam::${SECURITY}:role/org-mfa-watch-sweep-reporter`;
const CHECK_ROLE = `arn:aws:iam::${MEMBER}:role/${NAMES.memberCheckRole}`;
const FORWARD_RULE = `arn:aws:events:us-east-1:${MEMBER}:rule/${NAMES.memberForwardRule}`;
const ADMIN_POLICY: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

let central: Json;
let centralScope: TemplateScope;
let plannerPolicies: PolicyDocument[];
let workerPolicies: PolicyDocument[];
let reporterPolicies: PolicyDocument[];
let schedulerTrust: PolicyDocument;
let schedulerPolicies: PolicyDocument[];
let joinedRuleTrust: PolicyDocument;
let joinedRulePolicies: PolicyDocument[];
let delegationPolicy: PolicyDocument;
let orgForwardTrust: PolicyDocument;
let orgForwardPolicies: PolicyDocument[];
let checkRoleTrust: PolicyDocument;
let checkRolePolicies: PolicyDocument[];
let scp: PolicyDocument;

const resourcesOf = (json: Json) => json.Resources as Record<string, Resource>;
const roleStartingWith = (json: Json, prefix: string): string => {
  const ids = Object.entries(resourcesOf(json))
    .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(prefix))
    .map(([id]) => id);
  if (ids.length !== 1 || ids[0] === undefined)
    throw new Error(`expected one role ${prefix}*, found ${ids.length}`);
  return ids[0];
};
const trustOf = (json: Json, roleId: string, scope: TemplateScope): PolicyDocument =>
  resolveIntrinsics(resourcesOf(json)[roleId]?.Properties.AssumeRolePolicyDocument, scope) as PolicyDocument;

beforeAll(() => {
  const app = synthAppOnce(
    testConfig({
      tamperProtection: { enabled: true, exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] },
    }),
  );
  central = app.central.toJSON();
  const management = app.management.toJSON();
  const member = app.memberTemplateJson;

  const resources: Record<string, string> = {};
  for (const [id, r] of Object.entries(resourcesOf(central))) {
    if (r.Type === 'AWS::S3::Bucket') {
      resources[id] = BUCKET;
      resources[`${id}.Arn`] = `arn:aws:s3:::${BUCKET}`;
    }
    if (r.Type === 'AWS::StepFunctions::StateMachine') resources[id] = STATE_MACHINE;
  }
  resources[logicalIdOf(central, 'AWS::SNS::Topic', { TopicName: NAMES.alertTopic })] = TOPIC;
  resources[`${logicalIdOf(central, 'AWS::DynamoDB::GlobalTable', { TableName: NAMES.findingsTable })}.Arn`] =
    TABLE;
  resources[`${logicalIdOf(central, 'AWS::Events::EventBus', { Name: NAMES.centralBus })}.Arn`] = BUS;
  centralScope = { account: SECURITY, region: REGION, resources };

  const id = (name: string) => logicalIdOf(central, 'AWS::IAM::Role', { RoleName: name });
  plannerPolicies = policiesOfRole(central, id(NAMES.sweepPlannerRole), centralScope);
  workerPolicies = policiesOfRole(central, id(NAMES.sweepWorkerRole), centralScope);
  reporterPolicies = policiesOfRole(central, roleStartingWith(central, 'SweepReporterRole'), centralScope);
  const schedulerId = roleStartingWith(central, 'SweepSchedulerRole');
  schedulerTrust = trustOf(central, schedulerId, centralScope);
  schedulerPolicies = policiesOfRole(central, schedulerId, centralScope);
  const joinedId = roleStartingWith(central, 'SweepJoinedRuleRole');
  joinedRuleTrust = trustOf(central, joinedId, centralScope);
  joinedRulePolicies = policiesOfRole(central, joinedId, centralScope);

  const managementScope = { account: MANAGEMENT, region: 'us-east-1' };
  const orgResource = (type: string) =>
    Object.values(resourcesOf(management)).find((r) => r.Type === type)?.Properties.Content;
  delegationPolicy = resolveIntrinsics(
    orgResource('AWS::Organizations::ResourcePolicy'),
    managementScope,
  ) as PolicyDocument;
  scp = resolveIntrinsics(orgResource('AWS::Organizations::Policy'), managementScope) as PolicyDocument;
  const orgForwardId = roleStartingWith(management, 'OrganizationOrgEventsForwardRole');
  orgForwardTrust = trustOf(management, orgForwardId, managementScope);
  orgForwardPolicies = policiesOfRole(management, orgForwardId, managementScope);

  const memberScope = { account: MEMBER, region: 'us-east-1' };
  const checkRoleId = logicalIdOf(member, 'AWS::IAM::Role', { RoleName: NAMES.memberCheckRole });
  checkRoleTrust = trustOf(member, checkRoleId, memberScope);
  checkRolePolicies = policiesOfRole(member, checkRoleId, memberScope);
}, 180_000);

describe('the sweep planner reads the organization through the delegation policy', () => {
  const ask = (principal: string, action: string, identity: PolicyDocument[], policy = delegationPolicy) =>
    simulate({
      principal,
      action,
      resource: '*',
      resourceAccount: MANAGEMENT,
      identityPolicies: identity,
      resourcePolicy: policy,
      context: { 'aws:PrincipalArn': principal, 'aws:PrincipalOrgID': ORG },
    });

  it.each([...PLANNER_ORGANIZATIONS_ACTIONS])('the planner role may %s', async (action) => {
    expect(await ask(PLANNER, action, plannerPolicies)).toBe('Allowed');
  });

  // The Organizations operations functions/sweep-planner/organization.ts sends (ListAccounts,
  // DescribeAccount, ListAccountsForParent, ListOrganizationalUnitsForParent, ListParents). Each is its
  // own IAM action ("Actions, resources, and condition keys for AWS Organizations", Service Authorization
  // Reference, https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html):
  // organizations:ListChildren does not authorize ListOrganizationalUnitsForParent. A call from the
  // security account needs both the caller's identity policy and the delegation policy to allow it
  // ("Create a resource-based delegation policy with AWS Organizations", AWS Organizations User Guide,
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs-policy-delegate.html: "you must grant
  // roles and users in the delegated administrator account the corresponding IAM permissions").
  const PLANNER_CALLS = [
    'organizations:DescribeAccount',
    'organizations:ListAccounts',
    'organizations:ListAccountsForParent',
    'organizations:ListOrganizationalUnitsForParent',
    'organizations:ListParents',
  ];

  it.each(PLANNER_CALLS)(
    'the planner role may call %s: its identity policy and the delegation policy both allow it',
    async (action) => {
      expect(await ask(PLANNER, action, plannerPolicies)).toBe('Allowed');
      const noDelegation: PolicyDocument = { Statement: [] };
      expect(await ask(PLANNER, action, plannerPolicies, noDelegation)).not.toBe('Allowed');
      expect(await ask(PLANNER, action, [ADMIN_POLICY])).toBe('Allowed');
    },
  );

  it('grants exactly the Organizations actions the planner calls, nothing more', () => {
    expect([...PLANNER_ORGANIZATIONS_ACTIONS].sort()).toEqual([...PLANNER_CALLS].sort());
  });

  it('another role of the security account may not, only because of aws:PrincipalArn', async () => {
    const other = `arn:aws:iam::${SECURITY}:role/Admin`;
    expect(await ask(other, 'organizations:ListAccounts', [ADMIN_POLICY])).not.toBe('Allowed');
    expect(
      await ask(
        other,
        'organizations:ListAccounts',
        [ADMIN_POLICY],
        withoutCondition(delegationPolicy, 'aws:PrincipalArn'),
      ),
    ).toBe('Allowed');
  });

  it.each(['organizations:CreateAccount', 'organizations:AttachPolicy', 'organizations:ListPolicies'])(
    'the planner role may not %s',
    async (action) => {
      expect(await ask(PLANNER, action, plannerPolicies)).not.toBe('Allowed');
    },
  );

  it('writes account lists under sweeps/ only', async () => {
    const put = (key: string) =>
      simulate({
        principal: PLANNER,
        action: 's3:PutObject',
        resource: `arn:aws:s3:::${BUCKET}/${key}`,
        resourceAccount: SECURITY,
        identityPolicies: plannerPolicies,
      });
    expect(await put('sweeps/s-1/accounts.json')).toBe('Allowed');
    expect(await put('reports/s-1/report.csv')).not.toBe('Allowed');
  });
});

describe('the sweep worker', () => {
  const assume = (principal: string, identity: PolicyDocument[], trust: PolicyDocument, resourceOrg = ORG) =>
    simulate({
      principal,
      action: 'sts:AssumeRole',
      resource: CHECK_ROLE,
      resourceAccount: MEMBER,
      identityPolicies: identity,
      resourcePolicy: trust,
      context: { 'aws:PrincipalArn': principal, 'aws:PrincipalOrgID': ORG, 'aws:ResourceOrgID': resourceOrg },
    });

  it('may assume the member check role in an account of the organization', async () => {
    expect(await assume(WORKER, workerPolicies, checkRoleTrust)).toBe('Allowed');
  });

  it('an outsider role of the security account may not, only because of aws:PrincipalArn', async () => {
    const other = `arn:aws:iam::${SECURITY}:role/Admin`;
    expect(await assume(other, [ADMIN_POLICY], checkRoleTrust)).not.toBe('Allowed');
    expect(await assume(other, [ADMIN_POLICY], withoutCondition(checkRoleTrust, 'aws:PrincipalArn'))).toBe(
      'Allowed',
    );
  });

  it('may not assume a look-alike check role outside the organization, only because of aws:ResourceOrgID', async () => {
    const foreignTrust: PolicyDocument = {
      Statement: [{ Effect: 'Allow', Principal: { AWS: WORKER }, Action: 'sts:AssumeRole' }],
    };
    expect(await assume(WORKER, workerPolicies, foreignTrust, 'o-zzzzzzzzzz')).not.toBe('Allowed');
    expect(
      await assume(
        WORKER,
        workerPolicies.map((p) => withoutCondition(p, 'aws:ResourceOrgID')),
        foreignTrust,
        'o-zzzzzzzzzz',
      ),
    ).toBe('Allowed');
  });

  it.each([
    ['dynamodb:PutItem', TABLE, 'Allowed'],
    ['dynamodb:Query', TABLE, 'Allowed'],
    ['dynamodb:Scan', TABLE, 'ImplicitlyDenied'],
    ['sns:Publish', TOPIC, 'Allowed'],
    ['s3:GetObject', `arn:aws:s3:::${BUCKET}/sweeps/x`, 'ImplicitlyDenied'],
    ['organizations:ListAccounts', '*', 'ImplicitlyDenied'],
  ])('%s on %s: %s', async (action, resource, result) => {
    expect(
      await simulate({
        principal: WORKER,
        action,
        resource,
        resourceAccount: SECURITY,
        identityPolicies: workerPolicies,
      }),
    ).toBe(result);
  });
});

describe('the sweep reporter', () => {
  it.each([
    ['s3:GetObject', `arn:aws:s3:::${BUCKET}/sweeps/map-results/run/manifest.json`, 'Allowed'],
    ['s3:PutObject', `arn:aws:s3:::${BUCKET}/reports/s-1/report.json`, 'Allowed'],
    ['s3:PutObject', `arn:aws:s3:::${BUCKET}/sweeps/s-1/accounts.json`, 'ImplicitlyDenied'],
    ['s3:GetObject', `arn:aws:s3:::${BUCKET}/reports/s-1/report.json`, 'ImplicitlyDenied'],
    // The reporter reads its digest receipt before publishing (once per sweep, even when retried), and a
    // missing object answers NoSuchKey only to a caller allowed s3:ListBucket on the bucket; otherwise
    // 403 AccessDenied (Amazon S3 API Reference, GetObject, "Permissions"): every report would fail.
    ['s3:GetObject', `arn:aws:s3:::${BUCKET}/reports/s-1/digest.json`, 'Allowed'],
    ['s3:ListBucket', `arn:aws:s3:::${BUCKET}`, 'Allowed'],
    ['dynamodb:Scan', TABLE, 'Allowed'],
    ['dynamodb:UpdateItem', TABLE, 'Allowed'],
    ['dynamodb:DeleteTable', TABLE, 'ImplicitlyDenied'],
    ['sns:Publish', TOPIC, 'Allowed'],
    ['sts:AssumeRole', CHECK_ROLE, 'ImplicitlyDenied'],
  ])('%s on %s: %s', async (action, resource, result) => {
    expect(
      await simulate({
        principal: REPORTER,
        action,
        resource,
        resourceAccount: SECURITY,
        identityPolicies: reporterPolicies,
      }),
    ).toBe(result);
  });
});

describe('the sweep schedule role', () => {
  // EventBridge Scheduler User Guide, "Cross-service confused deputy prevention": aws:SourceArn is the
  // ARN of the schedule GROUP.
  const GROUP = `arn:aws:scheduler:${REGION}:${SECURITY}:schedule-group/${NAMES.sweepScheduleGroup}`;
  const assume = (trust: PolicyDocument, account: string, sourceArn: string) =>
    simulate({
      principal: 'scheduler.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${SECURITY}:role/sweep-scheduler`,
      resourceAccount: SECURITY,
      identityPolicies: [],
      resourcePolicy: trust,
      context: { 'aws:SourceAccount': account, 'aws:SourceArn': sourceArn },
    });

  it('Scheduler may assume it for the sweep group', async () => {
    expect(await assume(schedulerTrust, SECURITY, GROUP)).toBe('Allowed');
  });

  it('not for the re-checks group, only because of aws:SourceArn', async () => {
    const other = `arn:aws:scheduler:${REGION}:${SECURITY}:schedule-group/${NAMES.scheduleGroup}`;
    expect(await assume(schedulerTrust, SECURITY, other)).not.toBe('Allowed');
    expect(await assume(withoutCondition(schedulerTrust, 'aws:SourceArn'), SECURITY, other)).toBe('Allowed');
  });

  it('not for another account, only because of aws:SourceAccount', async () => {
    const foreign = `arn:aws:scheduler:${REGION}:999999999999:schedule-group/${NAMES.sweepScheduleGroup}`;
    const onlyAccount = withoutCondition(schedulerTrust, 'aws:SourceArn');
    expect(await assume(onlyAccount, '999999999999', foreign)).not.toBe('Allowed');
    expect(await assume(withoutCondition(onlyAccount, 'aws:SourceAccount'), '999999999999', foreign)).toBe(
      'Allowed',
    );
  });

  it('may start the sweep and no other state machine', async () => {
    const start = (resource: string) =>
      simulate({
        principal: `arn:aws:iam::${SECURITY}:role/sweep-scheduler`,
        action: 'states:StartExecution',
        resource,
        resourceAccount: SECURITY,
        identityPolicies: schedulerPolicies,
      });
    expect(await start(STATE_MACHINE)).toBe('Allowed');
    expect(await start(`arn:aws:states:${REGION}:${SECURITY}:stateMachine:other`)).not.toBe('Allowed');
  });
});

describe('the joined-account rule role (central bus)', () => {
  const rule = (name: string) => `arn:aws:events:${REGION}:${SECURITY}:rule/${NAMES.centralBus}/${name}`;
  const assume = (trust: PolicyDocument, account: string, sourceArn: string) =>
    simulate({
      principal: 'events.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${SECURITY}:role/joined`,
      resourceAccount: SECURITY,
      identityPolicies: [],
      resourcePolicy: trust,
      context: { 'aws:SourceAccount': account, 'aws:SourceArn': sourceArn },
    });

  it.each([NAMES.sweepJoinedCreatedRule, NAMES.sweepJoinedInvitedRule])(
    'EventBridge may, for rule %s',
    async (name) => {
      expect(await assume(joinedRuleTrust, SECURITY, rule(name))).toBe('Allowed');
    },
  );

  it('not for another rule of the bus, only because of aws:SourceArn', async () => {
    expect(await assume(joinedRuleTrust, SECURITY, rule('someone-elses'))).not.toBe('Allowed');
    expect(
      await assume(withoutCondition(joinedRuleTrust, 'aws:SourceArn'), SECURITY, rule('someone-elses')),
    ).toBe('Allowed');
  });

  it('not for another account, only because of aws:SourceAccount', async () => {
    const onlyAccount = withoutCondition(joinedRuleTrust, 'aws:SourceArn');
    expect(await assume(onlyAccount, '999999999999', 'arn:aws:events:x:999999999999:rule/r')).not.toBe(
      'Allowed',
    );
    expect(
      await assume(
        withoutCondition(onlyAccount, 'aws:SourceAccount'),
        '999999999999',
        'arn:aws:events:x:999999999999:rule/r',
      ),
    ).toBe('Allowed');
  });

  it('may start the sweep only', async () => {
    const start = (resource: string) =>
      simulate({
        principal: `arn:aws:iam::${SECURITY}:role/joined`,
        action: 'states:StartExecution',
        resource,
        resourceAccount: SECURITY,
        identityPolicies: joinedRulePolicies,
      });
    expect(await start(STATE_MACHINE)).toBe('Allowed');
    expect(await start(`arn:aws:states:${REGION}:${SECURITY}:stateMachine:other`)).not.toBe('Allowed');
  });
});

describe('the org-events forward role (management account)', () => {
  const ORG_RULE = `arn:aws:events:us-east-1:${MANAGEMENT}:rule/${NAMES.orgEventsForwardRule}`;
  const assume = (trust: PolicyDocument, account: string, sourceArn: string) =>
    simulate({
      principal: 'events.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${MANAGEMENT}:role/org-forward`,
      resourceAccount: MANAGEMENT,
      identityPolicies: [],
      resourcePolicy: trust,
      context: { 'aws:SourceAccount': account, 'aws:SourceArn': sourceArn },
    });

  it('EventBridge may, for the org-events rule', async () => {
    expect(await assume(orgForwardTrust, MANAGEMENT, ORG_RULE)).toBe('Allowed');
  });

  it('not for another rule, only because of aws:SourceArn', async () => {
    const other = `arn:aws:events:us-east-1:${MANAGEMENT}:rule/other`;
    expect(await assume(orgForwardTrust, MANAGEMENT, other)).not.toBe('Allowed');
    expect(await assume(withoutCondition(orgForwardTrust, 'aws:SourceArn'), MANAGEMENT, other)).toBe(
      'Allowed',
    );
  });

  it('not for another account, only because of aws:SourceAccount', async () => {
    const foreign = 'arn:aws:events:us-east-1:999999999999:rule/org-mfa-watch-forward-org';
    const onlyAccount = withoutCondition(orgForwardTrust, 'aws:SourceArn');
    expect(await assume(onlyAccount, '999999999999', foreign)).not.toBe('Allowed');
    expect(await assume(withoutCondition(onlyAccount, 'aws:SourceAccount'), '999999999999', foreign)).toBe(
      'Allowed',
    );
  });

  it('may put events on the central bus only', async () => {
    const put = (resource: string) =>
      simulate({
        principal: `arn:aws:iam::${MANAGEMENT}:role/org-forward`,
        action: 'events:PutEvents',
        resource,
        resourceAccount: MANAGEMENT,
        identityPolicies: orgForwardPolicies,
      });
    expect(await put(BUS)).toBe('Allowed');
    expect(await put(`arn:aws:events:us-east-1:${MANAGEMENT}:event-bus/default`)).not.toBe('Allowed');
  });
});

describe('what the member check role may read for the sweep', () => {
  const ask = (action: string, resource: string) =>
    simulate({
      principal: CHECK_ROLE,
      action,
      resource,
      resourceAccount: MEMBER,
      identityPolicies: checkRolePolicies,
    });

  it.each(['iam:GenerateCredentialReport', 'iam:GetCredentialReport'])('may %s', async (action) => {
    expect(await ask(action, '*')).toBe('Allowed');
  });

  it.each(['events:DescribeRule', 'events:ListTargetsByRule'])(
    'may %s on its forward rule',
    async (action) => {
      expect(await ask(action, FORWARD_RULE)).toBe('Allowed');
    },
  );

  it.each(['events:DescribeRule', 'events:ListTargetsByRule'])(
    'may not %s on another rule',
    async (action) => {
      expect(await ask(action, `arn:aws:events:us-east-1:${MEMBER}:rule/other`)).not.toBe('Allowed');
    },
  );

  // The sweep reads the depth of the forward rule's dead-letter queue (GetQueueAttributes,
  // ApproximateNumberOfMessages). Resource type "queue", arn:${Partition}:sqs:${Region}:${Account}:${QueueName}
  // (Service Authorization Reference, "Actions, resources, and condition keys for Amazon SQS",
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html).
  const DLQ = `arn:aws:sqs:us-east-1:${MEMBER}:${NAMES.memberForwardDeadLetterQueue}`;
  it('may read the attributes of the forward dead-letter queue', async () => {
    expect(await ask('sqs:GetQueueAttributes', DLQ)).toBe('Allowed');
  });

  it.each([
    ['sqs:GetQueueAttributes', `arn:aws:sqs:us-east-1:${MEMBER}:another-queue`],
    ['sqs:GetQueueAttributes', `arn:aws:sqs:eu-west-1:${MEMBER}:${NAMES.memberForwardDeadLetterQueue}`],
    ['sqs:ReceiveMessage', DLQ],
    ['sqs:PurgeQueue', DLQ],
    ['sqs:SetQueueAttributes', DLQ],
  ])('may not %s on %s', async (action, resource) => {
    expect(await ask(action, resource)).not.toBe('Allowed');
  });

  it.each([
    ['events:DisableRule', FORWARD_RULE],
    ['events:PutTargets', FORWARD_RULE],
    ['iam:DeleteUser', `arn:aws:iam::${MEMBER}:user/alice`],
  ])('may not %s', async (action, resource) => {
    expect(await ask(action, resource)).not.toBe('Allowed');
  });
});

describe('the tamper-protection SCP (synthesized, attached below the root)', () => {
  const FULL_ACCESS: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const ADMIN = `arn:aws:iam::${MEMBER}:role/Admin`;
  const STACKSETS = `arn:aws:iam::${MEMBER}:role/stacksets-exec-0123456789abcdef`;
  const BREAK_GLASS = `arn:aws:iam::${MEMBER}:role/BreakGlass`;
  const ask = (
    principal: string,
    action: string,
    resource: string,
    policy: PolicyDocument = scp,
    context: Record<string, string | string[]> = {},
  ) =>
    simulate({
      principal,
      action,
      resource,
      resourceAccount: MEMBER,
      identityPolicies: [ADMIN_POLICY],
      serviceControlPolicies: [[FULL_ACCESS], [FULL_ACCESS, policy]],
      context: { 'aws:PrincipalArn': principal, ...context },
    });
  const ROLE = (name: string) => `arn:aws:iam::${MEMBER}:role/${name}`;

  it('is a service control policy attached to the rollout OUs', () => {
    const policy = Object.values(
      synthAppOnce(testConfig({ tamperProtection: { enabled: true } })).management.toJSON()
        .Resources as Record<string, Resource>,
    ).find((r) => r.Type === 'AWS::Organizations::Policy');
    expect(policy?.Properties).toMatchObject({
      Name: NAMES.tamperProtectionPolicy,
      Type: 'SERVICE_CONTROL_POLICY',
      TargetIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'],
    });
    // SCPs are at most 5,120 characters (AWS Organizations User Guide, "Quotas").
    expect(JSON.stringify(scp).length).toBeLessThan(5120);
  });

  it.each([
    ['events:DeleteRule', FORWARD_RULE],
    ['events:DisableRule', FORWARD_RULE],
    ['events:PutTargets', FORWARD_RULE],
    ['events:RemoveTargets', FORWARD_RULE],
    ['events:PutRule', FORWARD_RULE],
    ['iam:DeleteRole', ROLE(NAMES.memberCheckRole)],
    ['iam:UpdateAssumeRolePolicy', ROLE(NAMES.memberCheckRole)],
    ['iam:PutRolePolicy', ROLE(NAMES.memberCheckRole)],
    ['iam:AttachRolePolicy', ROLE(NAMES.memberForwardRole)],
    ['iam:DeleteRole', ROLE(NAMES.memberForwardRole)],
    ['iam:PutRolePermissionsBoundary', ROLE(NAMES.memberForwardRole)],
  ])('denies a member administrator %s on %s', async (action, resource) => {
    expect(await ask(ADMIN, action, resource)).toBe('ExplicitlyDenied');
  });

  it.each([
    ['events:DeleteRule', FORWARD_RULE],
    ['iam:DeleteRole', ROLE(NAMES.memberCheckRole)],
    ['iam:UpdateAssumeRolePolicy', ROLE(NAMES.memberForwardRole)],
  ])('lets the StackSet execution role %s, only because of aws:PrincipalArn', async (action, resource) => {
    expect(await ask(STACKSETS, action, resource)).toBe('Allowed');
    expect(await ask(STACKSETS, action, resource, withoutCondition(scp, 'aws:PrincipalArn'))).toBe(
      'ExplicitlyDenied',
    );
  });

  it('lets a configured exempt principal through, only because of aws:PrincipalArn', async () => {
    expect(await ask(BREAK_GLASS, 'iam:DeleteRole', ROLE(NAMES.memberCheckRole))).toBe('Allowed');
    expect(
      await ask(
        BREAK_GLASS,
        'iam:DeleteRole',
        ROLE(NAMES.memberCheckRole),
        withoutCondition(scp, 'aws:PrincipalArn'),
      ),
    ).toBe('ExplicitlyDenied');
  });

  it('leaves other rules and roles alone', async () => {
    expect(await ask(ADMIN, 'events:DeleteRule', `arn:aws:events:us-east-1:${MEMBER}:rule/other`)).toBe(
      'Allowed',
    );
    expect(await ask(ADMIN, 'iam:DeleteRole', ROLE('other'))).toBe('Allowed');
  });

  // The exemption above is by role name. A member administrator who could create a role named
  // stacksets-exec-<anything>, or re-trust or re-policy the real one, would pass it. The real role is
  // created and managed by the StackSets service-linked role AWSServiceRoleForCloudFormationStackSetsOrgMember
  // (AWS CloudFormation User Guide, "Activate trusted access for StackSets with AWS Organizations",
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html),
  // and "SCPs do not affect service-linked roles" (AWS Organizations User Guide, "Service control policies
  // (SCPs)", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html):
  // denying these actions to everyone but the configured exempt principals leaves StackSets working.
  describe('the StackSet execution role cannot be faked or taken over', () => {
    const LOOK_ALIKE = ROLE('stacksets-exec-attacker');
    const PATH_LOOK_ALIKE = `arn:aws:iam::${MEMBER}:role/stacksets-exec-/attacker`;

    it.each([
      ['iam:CreateRole', LOOK_ALIKE],
      ['iam:CreateRole', PATH_LOOK_ALIKE],
      ['iam:UpdateAssumeRolePolicy', STACKSETS],
      ['iam:PutRolePolicy', STACKSETS],
      ['iam:AttachRolePolicy', STACKSETS],
      ['iam:DetachRolePolicy', STACKSETS],
      ['iam:DeleteRolePolicy', STACKSETS],
      ['iam:PutRolePermissionsBoundary', STACKSETS],
      ['iam:DeleteRolePermissionsBoundary', STACKSETS],
      ['iam:TagRole', STACKSETS],
      ['iam:UntagRole', STACKSETS],
      ['iam:UpdateRole', STACKSETS],
      ['iam:DeleteRole', STACKSETS],
      ['iam:PassRole', STACKSETS],
    ])('denies a member administrator %s on %s', async (action, resource) => {
      expect(await ask(ADMIN, action, resource)).toBe('ExplicitlyDenied');
    });

    it('denies the execution role itself re-trusting a stacksets-exec-* role', async () => {
      expect(await ask(STACKSETS, 'iam:UpdateAssumeRolePolicy', STACKSETS)).toBe('ExplicitlyDenied');
      expect(await ask(STACKSETS, 'iam:CreateRole', LOOK_ALIKE)).toBe('ExplicitlyDenied');
    });

    it.each([
      ['iam:UpdateAssumeRolePolicy', ROLE(NAMES.memberCheckRole)],
      ['iam:PutRolePolicy', ROLE(NAMES.memberCheckRole)],
      ['iam:CreateRole', ROLE(NAMES.memberForwardRole)],
      ['events:PutRule', FORWARD_RULE],
      ['events:PutTargets', FORWARD_RULE],
    ])('still lets the StackSet update path %s on %s', async (action, resource) => {
      expect(await ask(STACKSETS, action, resource)).toBe('Allowed');
    });

    it('lets a configured exempt principal repair it, only because of aws:PrincipalArn', async () => {
      expect(await ask(BREAK_GLASS, 'iam:UpdateAssumeRolePolicy', STACKSETS)).toBe('Allowed');
      expect(
        await ask(
          BREAK_GLASS,
          'iam:UpdateAssumeRolePolicy',
          STACKSETS,
          withoutCondition(scp, 'aws:PrincipalArn'),
        ),
      ).toBe('ExplicitlyDenied');
    });

    it('leaves roles of other names alone', async () => {
      expect(await ask(ADMIN, 'iam:CreateRole', ROLE('stacksets-other'))).toBe('Allowed');
      expect(await ask(ADMIN, 'iam:UpdateAssumeRolePolicy', ROLE('team-role'))).toBe('Allowed');
    });

    it('with no exempt principal configured, denies everyone (no empty condition)', async () => {
      const policy = Object.values(
        synthAppOnce(testConfig({ tamperProtection: { enabled: true } })).management.toJSON()
          .Resources as Record<string, Resource>,
      ).find((r) => r.Type === 'AWS::Organizations::Policy');
      const document = resolveIntrinsics(policy?.Properties.Content, {
        account: MANAGEMENT,
        region: 'us-east-1',
      }) as PolicyDocument;
      expect(await ask(ADMIN, 'iam:CreateRole', LOOK_ALIKE, document)).toBe('ExplicitlyDenied');
      expect(await ask(BREAK_GLASS, 'iam:CreateRole', LOOK_ALIKE, document)).toBe('ExplicitlyDenied');
      expect(JSON.stringify(document)).not.toContain('[]');
    });
  });

  // With tamperProtection.protectTrails: EventBridge receives "AWS API Call via CloudTrail" events only
  // while a trail logs management events (Amazon EventBridge User Guide, "Events from AWS services",
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events.html), so members may not stop,
  // delete or narrow their trails. Resource ARNs as in the Service Authorization Reference, "Actions,
  // resources, and condition keys for AWS CloudTrail" (trail: arn:${Partition}:cloudtrail:${Region}:${Account}:trail/${TrailName}).
  describe('protectTrails', () => {
    const TRAIL = `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/account-trail`;
    let trailScp: PolicyDocument;
    beforeAll(() => {
      const app = synthAppOnce(
        testConfig({
          tamperProtection: {
            enabled: true,
            exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'],
            protectTrails: true,
          },
        }),
      );
      const policy = Object.values(app.management.toJSON().Resources as Record<string, Resource>).find(
        (r) => r.Type === 'AWS::Organizations::Policy',
      );
      trailScp = resolveIntrinsics(policy?.Properties.Content, {
        account: MANAGEMENT,
        region: 'us-east-1',
      }) as PolicyDocument;
    }, 120_000);

    it.each([
      'cloudtrail:StopLogging',
      'cloudtrail:DeleteTrail',
      'cloudtrail:UpdateTrail',
      'cloudtrail:PutEventSelectors',
    ])('denies a member administrator %s', async (action) => {
      expect(await ask(ADMIN, action, TRAIL, trailScp)).toBe('ExplicitlyDenied');
    });

    it('is off by default: the default SCP lets a member administrator stop a trail', async () => {
      expect(await ask(ADMIN, 'cloudtrail:StopLogging', TRAIL)).toBe('Allowed');
    });

    it.each(['cloudtrail:StartLogging', 'cloudtrail:CreateTrail', 'cloudtrail:PutInsightSelectors'])(
      'leaves %s alone (it starts or adds, never narrows)',
      async (action) => {
        expect(await ask(ADMIN, action, TRAIL, trailScp)).toBe('Allowed');
      },
    );

    it.each([STACKSETS, BREAK_GLASS])(
      'lets %s change a trail, only because of aws:PrincipalArn',
      async (principal) => {
        expect(await ask(principal, 'cloudtrail:StopLogging', TRAIL, trailScp)).toBe('Allowed');
        expect(
          await ask(
            principal,
            'cloudtrail:StopLogging',
            TRAIL,
            withoutCondition(trailScp, 'aws:PrincipalArn'),
          ),
        ).toBe('ExplicitlyDenied');
      },
    );

    it('keeps the SCP, every option on, under the 5,120-character quota', () => {
      expect(JSON.stringify(trailScp).length).toBeLessThan(5120);
    });
  });

  it.each([
    ['iam:TagUser', [EXEMPT_TAG_KEY]],
    ['iam:UntagUser', [EXEMPT_TAG_KEY]],
    ['iam:TagUser', [EXEMPT_UNTIL_TAG_KEY]],
    ['iam:TagUser', ['team', EXEMPT_TAG_KEY.toUpperCase()]],
    ['iam:CreateUser', [EXEMPT_TAG_KEY]],
  ])('denies a member administrator %s with tag keys %j', async (action, keys) => {
    const user = `arn:aws:iam::${MEMBER}:user/alice`;
    expect(await ask(ADMIN, action, user, scp, { 'aws:TagKeys': keys })).toBe('ExplicitlyDenied');
  });

  it('allows other tags, only because of aws:TagKeys', async () => {
    const user = `arn:aws:iam::${MEMBER}:user/alice`;
    expect(await ask(ADMIN, 'iam:TagUser', user, scp, { 'aws:TagKeys': ['team'] })).toBe('Allowed');
    expect(
      await ask(ADMIN, 'iam:TagUser', user, withoutCondition(scp, 'aws:TagKeys'), {
        'aws:TagKeys': ['team'],
      }),
    ).toBe('ExplicitlyDenied');
  });

  it('lets the StackSet execution role set the exempt tag', async () => {
    const user = `arn:aws:iam::${MEMBER}:user/alice`;
    expect(await ask(STACKSETS, 'iam:TagUser', user, scp, { 'aws:TagKeys': [EXEMPT_TAG_KEY] })).toBe(
      'Allowed',
    );
  });
});
