import { beforeAll, describe, expect, it } from 'vitest';
import {
  logicalIdOf,
  policiesOfRole,
  resolveIntrinsics,
  simulate,
  type PolicyDocument,
} from '../helpers/policy-simulation';
import { synthApp, testConfig } from '../helpers/app';

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

beforeAll(() => {
  const app = synthApp(testConfig());
  member = app.memberTemplateJson;
  central = app.central.toJSON();
  const memberScope = { account: MEMBER, region: 'us-east-1' };
  const centralScope = {
    account: SECURITY,
    region: 'eu-central-1',
    resources: { [`${logicalIdOf(central, 'AWS::Events::EventBus', { Name: 'org-mfa-watch' })}.Arn`]: BUS },
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

  it('a principal outside the organization may not', async () => {
    const outsider = 'arn:aws:iam::999999999999:role/org-mfa-watch-checker';
    expect(
      await simulate({
        principal: outsider,
        action: 'sts:AssumeRole',
        resource: CHECK_ROLE,
        resourceAccount: MEMBER,
        identityPolicies: [{ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }],
        resourcePolicy: checkRoleTrust,
        context: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz', 'aws:PrincipalArn': outsider },
      }),
    ).not.toBe('Allowed');
  });

  it('the checker role may not assume the check role in an account outside the organization', async () => {
    expect(
      await simulate({
        principal: CHECKER_ROLE,
        action: 'sts:AssumeRole',
        resource: 'arn:aws:iam::999999999999:role/org-mfa-watch-check',
        resourceAccount: '999999999999',
        identityPolicies: checkerPolicies,
        context: {
          'aws:PrincipalOrgID': ORG,
          'aws:ResourceOrgID': 'o-zzzzzzzzzz',
          'aws:PrincipalArn': CHECKER_ROLE,
        },
      }),
    ).not.toBe('Allowed');
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

  it('may list the account alias', async () => {
    expect(await ask('iam:ListAccountAliases', '*')).toBe('Allowed');
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

  it('a principal outside the organization may not', async () => {
    expect(await put('arn:aws:iam::999999999999:role/attacker', 'o-zzzzzzzzzz')).not.toBe('Allowed');
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
