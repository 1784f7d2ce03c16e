import { beforeAll, describe, expect, it } from 'vitest';
import {
  logicalIdOf,
  policiesOfRole,
  resolveIntrinsics,
  simulate,
  type PolicyDocument,
  withoutCondition,
} from '../helpers/policy-simulation';
import { synthAppOnce, testConfig } from '../helpers/app';

const ORG = 'o-a1b2c3d4e5';
const SECURITY = '222222222222';
const MEMBER = '333333333333';
const CHECKER_ROLE = `arn:aws:iam::${SECURITY}:role/org-mfa-watch-checker`;
const CHECK_ROLE = `arn:aws:iam::${MEMBER}:role/org-mfa-watch-check`;
const BUS = `arn:aws:events:eu-central-1:${SECURITY}:event-bus/org-mfa-watch`;

type Json = Record<string, unknown>;
let member: Json;
let central: Json;
let checkRoleTrust: PolicyDocument;
let checkRolePolicies: PolicyDocument[];
let checkerPolicies: PolicyDocument[];
let busPolicy: PolicyDocument;
let forwardRolePolicies: PolicyDocument[];
let forwardRoleTrust: PolicyDocument;
let schedulerRoleTrust: PolicyDocument;
let topicPolicy: PolicyDocument;
let keyPolicy: PolicyDocument;
const REGION = 'eu-central-1';
const TOPIC = `arn:aws:sns:${REGION}:${SECURITY}:org-mfa-watch-alerts`;
const KEY = `arn:aws:kms:${REGION}:${SECURITY}:key/11111111-2222-3333-4444-555555555555`;
const ALARM = `arn:aws:cloudwatch:${REGION}:${SECURITY}:alarm:OrgMfaWatch-Central-CheckerErrors`;
const FORWARD_RULE = `arn:aws:events:us-east-1:${MEMBER}:rule/org-mfa-watch-forward`;
const FINDINGS_TABLE = `arn:aws:dynamodb:${REGION}:${SECURITY}:table/org-mfa-watch-findings`;
const SCHEDULE_GROUP = `arn:aws:scheduler:${REGION}:${SECURITY}:schedule-group/org-mfa-watch`;

function trustOf(
  template: Json,
  logicalId: string,
  scope: Parameters<typeof resolveIntrinsics>[1],
): PolicyDocument {
  const resources = template.Resources as Record<string, { Properties: Json }>;
  return resolveIntrinsics(
    resources[logicalId]?.Properties.AssumeRolePolicyDocument,
    scope,
  ) as PolicyDocument;
}

function roleTrustedBy(template: Json, service: string, alsoMentioning = ''): string {
  const resources = template.Resources as Record<string, { Type: string; Properties: Json }>;
  const ids = Object.entries(resources)
    .filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::Role' &&
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes(service) &&
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes(alsoMentioning),
    )
    .map(([id]) => id);
  if (ids.length !== 1 || ids[0] === undefined) throw new Error(`expected one role trusted by ${service}`);
  return ids[0];
}

beforeAll(() => {
  const app = synthAppOnce(testConfig());
  member = app.memberTemplateJson;
  central = app.central.toJSON();
  const memberScope = { account: MEMBER, region: 'us-east-1' };
  const centralScope = {
    account: SECURITY,
    region: REGION,
    resources: {
      [`${logicalIdOf(central, 'AWS::Events::EventBus', { Name: 'org-mfa-watch' })}.Arn`]: BUS,
      [`${logicalIdOf(central, 'AWS::DynamoDB::GlobalTable', { TableName: 'org-mfa-watch-findings' })}.Arn`]:
        FINDINGS_TABLE,
    },
  };
  const checkRoleId = logicalIdOf(member, 'AWS::IAM::Role', { RoleName: 'org-mfa-watch-check' });
  const resources = member.Resources as Record<string, { Properties: Json }>;
  checkRoleTrust = resolveIntrinsics(
    resources[checkRoleId]?.Properties.AssumeRolePolicyDocument,
    memberScope,
  ) as PolicyDocument;
  checkRolePolicies = policiesOfRole(member, checkRoleId, memberScope);
  const forwardRoleId = Object.entries(resources).find(
    ([id, r]) => id.includes('ForwardRole') && (r as unknown as { Type: string }).Type === 'AWS::IAM::Role',
  )?.[0];
  forwardRolePolicies = policiesOfRole(member, forwardRoleId ?? '', {
    ...memberScope,
  });
  forwardRoleTrust = trustOf(member, forwardRoleId ?? '', memberScope);
  // The re-checks' role (the sweep's own scheduler role is proven in sweep-policy-simulation.test.ts).
  schedulerRoleTrust = trustOf(
    central,
    roleTrustedBy(central, 'scheduler.amazonaws.com', 'schedule-group/org-mfa-watch"'),
    centralScope,
  );
  const centralResources = central.Resources as Record<string, { Type: string; Properties: Json }>;
  const topicId = logicalIdOf(central, 'AWS::SNS::Topic', { TopicName: 'org-mfa-watch-alerts' });
  const withTopic = { ...centralScope, resources: { ...centralScope.resources, [topicId]: TOPIC } };
  topicPolicy = resolveIntrinsics(
    Object.values(centralResources).find((r) => r.Type === 'AWS::SNS::TopicPolicy')?.Properties
      .PolicyDocument,
    withTopic,
  ) as PolicyDocument;
  keyPolicy = resolveIntrinsics(
    Object.values(centralResources).find((r) => r.Type === 'AWS::KMS::Key')?.Properties.KeyPolicy,
    centralScope,
  ) as PolicyDocument;
  checkerPolicies = policiesOfRole(
    central,
    logicalIdOf(central, 'AWS::IAM::Role', { RoleName: 'org-mfa-watch-checker' }),
    centralScope,
  );
  const busPolicyResource = Object.values(
    central.Resources as Record<string, { Type: string; Properties: Json }>,
  ).find((r) => r.Type === 'AWS::Events::EventBusPolicy');
  busPolicy = {
    Statement: [resolveIntrinsics(busPolicyResource?.Properties.Statement, centralScope) as Json],
  };
});

const inOrg = { 'aws:PrincipalOrgID': ORG, 'aws:ResourceOrgID': ORG };

describe('who may assume the member check role', () => {
  it('the checker role may assume it in an account of the organization', async () => {
    expect(
      await simulate({
        principal: CHECKER_ROLE,
        action: 'sts:AssumeRole',
        resource: CHECK_ROLE,
        resourceAccount: MEMBER,
        identityPolicies: checkerPolicies,
        resourcePolicy: checkRoleTrust,
        context: { ...inOrg, 'aws:PrincipalArn': CHECKER_ROLE },
      }),
    ).toBe('Allowed');
  });

  it('another role of the security account may not, even with the same permissions', async () => {
    const other = `arn:aws:iam::${SECURITY}:role/Admin`;
    expect(
      await simulate({
        principal: other,
        action: 'sts:AssumeRole',
        resource: CHECK_ROLE,
        resourceAccount: MEMBER,
        identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }],
        resourcePolicy: checkRoleTrust,
        context: { ...inOrg, 'aws:PrincipalArn': other },
      }),
    ).not.toBe('Allowed');
  });

  it('the checker role of a security account that left the organization may not (aws:PrincipalOrgID)', async () => {
    // Everything else matches (the trusted account, the checker role ARN): only the org condition denies.
    const ask = (trust: PolicyDocument) =>
      simulate({
        principal: CHECKER_ROLE,
        action: 'sts:AssumeRole',
        resource: CHECK_ROLE,
        resourceAccount: MEMBER,
        identityPolicies: checkerPolicies,
        resourcePolicy: trust,
        context: {
          'aws:PrincipalOrgID': 'o-zzzzzzzzzz',
          'aws:ResourceOrgID': ORG,
          'aws:PrincipalArn': CHECKER_ROLE,
        },
      });
    expect(await ask(checkRoleTrust)).not.toBe('Allowed');
    expect(await ask(withoutCondition(checkRoleTrust, 'aws:PrincipalOrgID'))).toBe('Allowed');
  });

  it('the checker role may not assume a look-alike check role outside the organization (aws:ResourceOrgID)', async () => {
    // A foreign account may create a role with the check role's name that trusts the checker (a confused
    // deputy): only the checker's own aws:ResourceOrgID condition stops it.
    const foreignRole = 'arn:aws:iam::999999999999:role/org-mfa-watch-check';
    const foreignTrust: PolicyDocument = {
      Statement: [{ Effect: 'Allow', Principal: { AWS: CHECKER_ROLE }, Action: 'sts:AssumeRole' }],
    };
    const ask = (identity: PolicyDocument[]) =>
      simulate({
        principal: CHECKER_ROLE,
        action: 'sts:AssumeRole',
        resource: foreignRole,
        resourceAccount: '999999999999',
        identityPolicies: identity,
        resourcePolicy: foreignTrust,
        context: {
          'aws:PrincipalOrgID': ORG,
          'aws:ResourceOrgID': 'o-zzzzzzzzzz',
          'aws:PrincipalArn': CHECKER_ROLE,
        },
      });
    expect(await ask(checkerPolicies)).not.toBe('Allowed');
    expect(await ask(checkerPolicies.map((p) => withoutCondition(p, 'aws:ResourceOrgID')))).toBe('Allowed');
  });

  it('the checker role may not assume any other role, even inside the organization', async () => {
    expect(
      await simulate({
        principal: CHECKER_ROLE,
        action: 'sts:AssumeRole',
        resource: `arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`,
        resourceAccount: MEMBER,
        identityPolicies: checkerPolicies,
        context: { ...inOrg, 'aws:PrincipalArn': CHECKER_ROLE },
      }),
    ).not.toBe('Allowed');
  });
});

describe('what the member check role may do', () => {
  const checkRole = CHECK_ROLE;
  const ask = (action: string, resource = `arn:aws:iam::${MEMBER}:user/alice`) =>
    simulate({
      principal: checkRole,
      action,
      resource,
      resourceAccount: MEMBER,
      identityPolicies: checkRolePolicies,
    });

  it.each(['iam:ListMFADevices', 'iam:GetLoginProfile', 'iam:ListUserTags'])(
    'may %s on a user',
    async (action) => {
      expect(await ask(action)).toBe('Allowed');
    },
  );

  it('may list the account alias and read the account summary (root password and MFA)', async () => {
    expect(await ask('iam:ListAccountAliases', '*')).toBe('Allowed');
    expect(await ask('iam:GetAccountSummary', '*')).toBe('Allowed');
  });

  it.each([
    ['iam:CreateUser'],
    ['iam:DeleteUser'],
    ['iam:CreateLoginProfile'],
    ['iam:DeactivateMFADevice'],
    ['iam:TagUser'],
    ['iam:CreateAccessKey'],
    ['iam:GetUser'],
  ])('may not %s', async (action) => {
    expect(await ask(action)).not.toBe('Allowed');
  });

  it('may not read users of another account', async () => {
    expect(await ask('iam:ListMFADevices', 'arn:aws:iam::444444444444:user/alice')).not.toBe('Allowed');
  });
});

describe('who may put events on the central bus', () => {
  const put = (principal: string, orgId: string) =>
    simulate({
      principal,
      action: 'events:PutEvents',
      resource: BUS,
      resourceAccount: SECURITY,
      identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] }],
      resourcePolicy: busPolicy,
      context: { 'aws:PrincipalOrgID': orgId },
    });

  it('a principal of the organization may', async () => {
    expect(await put(`arn:aws:iam::${MEMBER}:role/forward`, ORG)).toBe('Allowed');
  });

  it('a principal outside the organization may not, only because of aws:PrincipalOrgID', async () => {
    expect(await put('arn:aws:iam::999999999999:role/attacker', 'o-zzzzzzzzzz')).not.toBe('Allowed');
    const open = await simulate({
      principal: 'arn:aws:iam::999999999999:role/attacker',
      action: 'events:PutEvents',
      resource: BUS,
      resourceAccount: SECURITY,
      identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] }],
      resourcePolicy: withoutCondition(busPolicy, 'aws:PrincipalOrgID'),
      context: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' },
    });
    expect(open).toBe('Allowed');
  });

  it('the member forward role may put events only on the central bus', async () => {
    const role = `arn:aws:iam::${MEMBER}:role/forward`;
    const ask = (resource: string) =>
      simulate({
        principal: role,
        action: 'events:PutEvents',
        resource,
        resourceAccount: MEMBER,
        identityPolicies: forwardRolePolicies,
      });
    expect(await ask(BUS)).toBe('Allowed');
    expect(await ask(`arn:aws:events:eu-central-1:${SECURITY}:event-bus/default`)).not.toBe('Allowed');
  });
});

describe('who may use the member forward role (confused deputy)', () => {
  const FORWARD_ROLE = `arn:aws:iam::${MEMBER}:role/forward`;
  const assume = (trust: PolicyDocument, sourceAccount: string, sourceArn: string) =>
    simulate({
      principal: 'events.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: FORWARD_ROLE,
      resourceAccount: MEMBER,
      identityPolicies: [],
      resourcePolicy: trust,
      context: { 'aws:SourceAccount': sourceAccount, 'aws:SourceArn': sourceArn },
    });

  it('EventBridge may, for the forward rule of this account', async () => {
    expect(await assume(forwardRoleTrust, MEMBER, FORWARD_RULE)).toBe('Allowed');
  });

  it('EventBridge acting for another account may not, only because of aws:SourceAccount', async () => {
    const otherRule = 'arn:aws:events:us-east-1:999999999999:rule/org-mfa-watch-forward';
    const onlyAccount = withoutCondition(forwardRoleTrust, 'aws:SourceArn');
    expect(await assume(onlyAccount, '999999999999', otherRule)).not.toBe('Allowed');
    expect(await assume(withoutCondition(onlyAccount, 'aws:SourceAccount'), '999999999999', otherRule)).toBe(
      'Allowed',
    );
  });

  it('EventBridge acting for another rule of this account may not, only because of aws:SourceArn', async () => {
    const otherRule = `arn:aws:events:us-east-1:${MEMBER}:rule/someone-elses-rule`;
    expect(await assume(forwardRoleTrust, MEMBER, otherRule)).not.toBe('Allowed');
    expect(await assume(withoutCondition(forwardRoleTrust, 'aws:SourceArn'), MEMBER, otherRule)).toBe(
      'Allowed',
    );
  });
});

describe('who may use the Scheduler role of the re-checks', () => {
  // EventBridge Scheduler User Guide, "Cross-service confused deputy prevention": when Scheduler assumes
  // the execution role, aws:SourceArn is the ARN of the schedule GROUP, and aws:SourceAccount its account.
  const assume = (trust: PolicyDocument, sourceAccount: string, sourceArn: string) =>
    simulate({
      principal: 'scheduler.amazonaws.com',
      action: 'sts:AssumeRole',
      resource: `arn:aws:iam::${SECURITY}:role/scheduler`,
      resourceAccount: SECURITY,
      identityPolicies: [],
      resourcePolicy: trust,
      context: { 'aws:SourceAccount': sourceAccount, 'aws:SourceArn': sourceArn },
    });

  it('Scheduler may, for the schedule group of the re-checks (the request Scheduler really makes)', async () => {
    expect(await assume(schedulerRoleTrust, SECURITY, SCHEDULE_GROUP)).toBe('Allowed');
  });

  it('Scheduler may not for another schedule group, only because of aws:SourceArn', async () => {
    const other = `arn:aws:scheduler:${REGION}:${SECURITY}:schedule-group/default`;
    expect(await assume(schedulerRoleTrust, SECURITY, other)).not.toBe('Allowed');
    expect(await assume(withoutCondition(schedulerRoleTrust, 'aws:SourceArn'), SECURITY, other)).toBe(
      'Allowed',
    );
  });

  it('Scheduler acting for another account may not, only because of aws:SourceAccount', async () => {
    const foreignGroup = `arn:aws:scheduler:${REGION}:999999999999:schedule-group/org-mfa-watch`;
    const onlyAccount = withoutCondition(schedulerRoleTrust, 'aws:SourceArn');
    expect(await assume(onlyAccount, '999999999999', foreignGroup)).not.toBe('Allowed');
    expect(
      await assume(withoutCondition(onlyAccount, 'aws:SourceAccount'), '999999999999', foreignGroup),
    ).toBe('Allowed');
  });
});

describe('who may publish to the alert topic (alarm actions)', () => {
  // The topic policy replaces SNS's default policy (Amazon SNS Developer Guide): CloudWatch alarms can
  // publish only if it names cloudwatch.amazonaws.com, and only if the key policy lets them encrypt.
  const publish = (policy: PolicyDocument, context: Record<string, string>) =>
    simulate({
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: TOPIC,
      resourceAccount: SECURITY,
      identityPolicies: [],
      resourcePolicy: policy,
      context: { 'aws:SecureTransport': 'true', ...context },
    });
  const encrypt = (policy: PolicyDocument, context: Record<string, string>) =>
    simulate({
      principal: 'cloudwatch.amazonaws.com',
      action: 'kms:GenerateDataKey',
      resource: KEY,
      resourceAccount: SECURITY,
      identityPolicies: [],
      resourcePolicy: policy,
      context: { 'aws:SecureTransport': 'true', ...context },
    });
  const ownAlarm = { 'aws:SourceAccount': SECURITY, 'aws:SourceArn': ALARM };
  const foreignAlarm = {
    'aws:SourceAccount': '999999999999',
    'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:999999999999:alarm:x`,
  };

  it('an alarm of this account may publish, and use the key', async () => {
    expect(await publish(topicPolicy, ownAlarm)).toBe('Allowed');
    expect(await encrypt(keyPolicy, ownAlarm)).toBe('Allowed');
  });

  it("another account's alarm may not, only because of aws:SourceAccount", async () => {
    const onlyAccount = withoutCondition(topicPolicy, 'aws:SourceArn');
    expect(await publish(onlyAccount, foreignAlarm)).not.toBe('Allowed');
    expect(await publish(withoutCondition(onlyAccount, 'aws:SourceAccount'), foreignAlarm)).toBe('Allowed');
    const keyOnlyAccount = withoutCondition(keyPolicy, 'aws:SourceArn');
    expect(await encrypt(keyOnlyAccount, foreignAlarm)).not.toBe('Allowed');
  });

  it('a request from something other than an alarm of this account may not, because of aws:SourceArn', async () => {
    const notAnAlarm = {
      'aws:SourceAccount': SECURITY,
      'aws:SourceArn': `arn:aws:sns:${REGION}:${SECURITY}:other`,
    };
    expect(await publish(topicPolicy, notAnAlarm)).not.toBe('Allowed');
    expect(await publish(withoutCondition(topicPolicy, 'aws:SourceArn'), notAnAlarm)).toBe('Allowed');
  });

  it('a request without TLS may not, even from an alarm of this account', async () => {
    expect(await publish(topicPolicy, { ...ownAlarm, 'aws:SecureTransport': 'false' })).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('what the checker may do with the finding store', () => {
  const ask = (action: string, resource = FINDINGS_TABLE) =>
    simulate({
      principal: CHECKER_ROLE,
      action,
      resource,
      resourceAccount: SECURITY,
      identityPolicies: checkerPolicies,
    });

  it.each([
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:Query',
  ])('may %s on the findings table', async (action) => {
    expect(await ask(action)).toBe('Allowed');
  });

  it.each(['dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:BatchWriteItem'])(
    'may not %s on it',
    async (action) => {
      expect(await ask(action)).not.toBe('Allowed');
    },
  );

  it('may not touch any other table', async () => {
    expect(await ask('dynamodb:GetItem', `arn:aws:dynamodb:${REGION}:${SECURITY}:table/other`)).not.toBe(
      'Allowed',
    );
    expect(await ask('dynamodb:PutItem', `arn:aws:dynamodb:${REGION}:${SECURITY}:table/other`)).not.toBe(
      'Allowed',
    );
  });
});
