import { beforeAll, describe, expect, it } from 'vitest';
import { NAMES } from '../../stacks/names';
import { synthAppOnce, testConfig } from '../helpers/app';
import {
  logicalIdOf,
  policiesOfRole,
  resolveIntrinsics,
  simulate,
  withoutCondition,
  type PolicyDocument,
} from '../helpers/policy-simulation';

// Issue 23, items 2, 3 and 6: the quarantine policy, the enforce role and the SCP's protection of both,
// simulated offline (@cloud-copilot/iam-simulate) on the synthesized templates. Each allowed case is
// shown to flip when the condition (or statement) that allows it is removed.
// The policy follows IAM User Guide, "AWS: Allows MFA-authenticated IAM users to manage their own MFA
// device on the Security credentials page",
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage-mfa-only.html

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties: Json };

const ORG = 'o-a1b2c3d4e5';
const SECURITY = '222222222222';
const MANAGEMENT = '111111111111';
const MEMBER = '333333333333';
const WORKER = `arn:aws:iam::${SECURITY}:role/${NAMES.sweepWorkerRole}`;
const CHECKER = `arn:aws:iam::${SECURITY}:role/${NAMES.checkerRole}`;
const ENFORCE = `arn:aws:iam::${MEMBER}:role/${NAMES.memberEnforceRole}`;
const QUARANTINE = `arn:aws:iam::${MEMBER}:policy/${NAMES.quarantinePolicy}`;
const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
const OTHER_POLICY = `arn:aws:iam::${MEMBER}:policy/team-power-user`;
const ALICE = `arn:aws:iam::${MEMBER}:user/alice`;
const BOB = `arn:aws:iam::${MEMBER}:user/bob`;
const ALLOW_ALL: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const enforcementOn = (mode: 'dry-run' | 'quarantine' = 'quarantine') =>
  testConfig({
    enforcement: { mode, organizationalUnitIds: ['ou-ab12-34cd56ef'] },
    tamperProtection: { enabled: true, exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] },
  });

let quarantine: PolicyDocument;
let enforceTrust: PolicyDocument;
let enforcePolicies: PolicyDocument[];
let scp: PolicyDocument;

function resourcesOf(template: Json): Record<string, Resource> {
  return template.Resources as Record<string, Resource>;
}

beforeAll(() => {
  const app = synthAppOnce(enforcementOn());
  const member = app.memberTemplateJson;
  const scope = { account: MEMBER, region: 'us-east-1' };
  const policyId = logicalIdOf(member, 'AWS::IAM::ManagedPolicy', {
    ManagedPolicyName: NAMES.quarantinePolicy,
  });
  quarantine = resolveIntrinsics(
    resourcesOf(member)[policyId]?.Properties.PolicyDocument,
    scope,
  ) as PolicyDocument;
  const roleId = logicalIdOf(member, 'AWS::IAM::Role', { RoleName: NAMES.memberEnforceRole });
  enforceTrust = resolveIntrinsics(
    resourcesOf(member)[roleId]?.Properties.AssumeRolePolicyDocument,
    scope,
  ) as PolicyDocument;
  enforcePolicies = policiesOfRole(member, roleId, scope);
  const management = app.management.toJSON();
  const scpResource = Object.values(resourcesOf(management)).find(
    (r) => r.Type === 'AWS::Organizations::Policy',
  );
  scp = resolveIntrinsics(scpResource?.Properties.Content, {
    account: MANAGEMENT,
    region: 'us-east-1',
  }) as PolicyDocument;
}, 120_000);

describe('the member template', () => {
  const named = (template: Json) =>
    Object.values(resourcesOf(template))
      .map((r) => r.Properties.ManagedPolicyName ?? r.Properties.RoleName)
      .filter((name) => name === NAMES.quarantinePolicy || name === NAMES.memberEnforceRole)
      .sort();

  it('has neither the quarantine policy nor the enforce role with enforcement off', () => {
    const app = synthAppOnce(testConfig());
    expect(named(app.memberTemplateJson)).toEqual([]);
    expect(named(app.management.toJSON())).toEqual([]);
  });

  it.each(['dry-run', 'quarantine'] as const)(
    'has both in the StackSet template and the management-account stack in %s mode',
    (mode) => {
      const app = synthAppOnce(enforcementOn(mode));
      const both = [NAMES.memberEnforceRole, NAMES.quarantinePolicy].sort();
      expect(named(app.memberTemplateJson)).toEqual(both);
      expect(named(app.management.toJSON())).toEqual(both);
    },
  );

  it('keeps the check role read-only: it gains no IAM write', () => {
    const member = synthAppOnce(enforcementOn()).memberTemplateJson;
    const checkId = logicalIdOf(member, 'AWS::IAM::Role', { RoleName: NAMES.memberCheckRole });
    const actions = policiesOfRole(member, checkId, { account: MEMBER, region: 'us-east-1' }).flatMap((p) =>
      p.Statement.flatMap((s) => [s.Action].flat() as string[]),
    );
    expect(actions.filter((a) => /^iam:(Attach|Detach|Put|Delete|Create|Update)/.test(a))).toEqual([]);
  });
});

describe('the enforce role', () => {
  const ask = (action: string, resource: string, policyArn?: string, policies = enforcePolicies) =>
    simulate({
      principal: ENFORCE,
      action,
      resource,
      resourceAccount: MEMBER,
      identityPolicies: policies,
      context: policyArn === undefined ? {} : { 'iam:PolicyARN': policyArn },
    });

  it.each(['iam:AttachUserPolicy', 'iam:DetachUserPolicy'])(
    'may %s the quarantine policy',
    async (action) => {
      expect(await ask(action, ALICE, QUARANTINE)).toBe('Allowed');
    },
  );

  it.each([
    ['AdministratorAccess', ADMINISTRATOR_ACCESS],
    ['another customer managed policy', OTHER_POLICY],
    [
      'the quarantine policy of another account',
      `arn:aws:iam::444444444444:policy/${NAMES.quarantinePolicy}`,
    ],
  ])('may not attach %s, and could without the iam:PolicyARN condition', async (_, policyArn) => {
    expect(await ask('iam:AttachUserPolicy', ALICE, policyArn)).not.toBe('Allowed');
    const mutant = enforcePolicies.map((p) => withoutCondition(p, 'iam:PolicyARN'));
    expect(await ask('iam:AttachUserPolicy', ALICE, policyArn, mutant)).toBe('Allowed');
  });

  it('may list the policies attached to a user', async () => {
    expect(await ask('iam:ListAttachedUserPolicies', ALICE)).toBe('Allowed');
  });

  it.each([
    ['iam:AttachRolePolicy', `arn:aws:iam::${MEMBER}:role/Admin`],
    ['iam:DetachRolePolicy', `arn:aws:iam::${MEMBER}:role/${NAMES.memberCheckRole}`],
    ['iam:AttachGroupPolicy', `arn:aws:iam::${MEMBER}:group/admins`],
    ['iam:DetachGroupPolicy', `arn:aws:iam::${MEMBER}:group/admins`],
    ['iam:PutUserPolicy', ALICE],
    ['iam:DeleteLoginProfile', ALICE],
    ['iam:UpdateAccessKey', ALICE],
    ['iam:CreatePolicyVersion', QUARANTINE],
    ['iam:AttachUserPolicy', `arn:aws:iam::444444444444:user/alice`],
  ])('may not %s on %s, even with the quarantine policy named', async (action, resource) => {
    expect(await ask(action, resource, QUARANTINE)).not.toBe('Allowed');
  });
});

describe('the enforce role trust', () => {
  const assume = (principal: string, orgId = ORG, trust = enforceTrust) =>
    simulate({
      principal,
      action: 'sts:AssumeRole',
      resource: ENFORCE,
      resourceAccount: MEMBER,
      identityPolicies: [ALLOW_ALL],
      resourcePolicy: trust,
      context: { 'aws:PrincipalArn': principal, 'aws:PrincipalOrgID': orgId },
    });

  it('lets the sweep worker role of the organization assume it', async () => {
    expect(await assume(WORKER)).toBe('Allowed');
  });

  it.each([
    ['the checker role (the real-time path never acts)', CHECKER],
    ['another role of the security account', `arn:aws:iam::${SECURITY}:role/Admin`],
  ])('refuses %s, which it would admit without aws:PrincipalArn', async (_, principal) => {
    expect(await assume(principal)).not.toBe('Allowed');
    expect(await assume(principal, ORG, withoutCondition(enforceTrust, 'aws:PrincipalArn'))).toBe('Allowed');
  });

  it('refuses the worker role name outside the organization, which it would admit without aws:PrincipalOrgID', async () => {
    expect(await assume(WORKER, 'o-zzzzzzzzzz')).not.toBe('Allowed');
    expect(await assume(WORKER, 'o-zzzzzzzzzz', withoutCondition(enforceTrust, 'aws:PrincipalOrgID'))).toBe(
      'Allowed',
    );
  });

  it('refuses a role of a member account', async () => {
    expect(await assume(`arn:aws:iam::${MEMBER}:role/${NAMES.sweepWorkerRole}`)).not.toBe('Allowed');
  });
});

describe('a quarantined user (the quarantine policy beside an allow-all policy)', () => {
  const ask = (
    action: string,
    resource: string,
    mfa: 'true' | 'false' | undefined,
    policies: PolicyDocument[] = [quarantine, ALLOW_ALL],
    userName = 'alice',
  ) =>
    simulate({
      principal: ALICE,
      action,
      resource,
      resourceAccount: MEMBER,
      identityPolicies: policies,
      context: {
        'aws:username': userName,
        ...(mfa === undefined ? {} : { 'aws:MultiFactorAuthPresent': mfa }),
      },
    });
  const withoutStatement = (sid: string): PolicyDocument => ({
    ...quarantine,
    Statement: quarantine.Statement.filter((s) => s.Sid !== sid),
  });

  it.each([
    ['iam:CreateVirtualMFADevice', `arn:aws:iam::${MEMBER}:mfa/alice-phone`],
    ['iam:EnableMFADevice', ALICE],
    ['iam:ResyncMFADevice', ALICE],
    ['iam:ListMFADevices', ALICE],
    ['iam:GetUser', ALICE],
    ['iam:ChangePassword', ALICE],
    ['iam:GetAccountPasswordPolicy', '*'],
    ['iam:ListVirtualMFADevices', '*'],
    ['sts:GetSessionToken', '*'],
  ])('may %s without MFA', async (action, resource) => {
    expect(await ask(action, resource, 'false')).toBe('Allowed');
  });

  it.each([
    ['signed in without MFA', 'false'],
    ['with a long-term access key (no MFA key at all)', undefined],
  ] as const)('may not list S3 buckets %s', async (_, mfa) => {
    expect(await ask('s3:ListAllMyBuckets', '*', mfa)).toBe('ExplicitlyDenied');
  });

  it('may list S3 buckets once signed in with MFA, which the deny would block without its MFA condition', async () => {
    expect(await ask('s3:ListAllMyBuckets', '*', 'true')).toBe('Allowed');
    const mutant = withoutCondition(quarantine, 'aws:MultiFactorAuthPresent');
    expect(await ask('s3:ListAllMyBuckets', '*', 'true', [mutant, ALLOW_ALL])).toBe('ExplicitlyDenied');
  });

  it.each([
    ['iam:EnableMFADevice', BOB],
    ['iam:ChangePassword', BOB],
    ['iam:ResyncMFADevice', BOB],
  ])(
    'may not %s for another user, which the allow-all policy would allow without the second deny',
    async (action, resource) => {
      expect(await ask(action, resource, 'false')).toBe('ExplicitlyDenied');
      const mutant = withoutStatement('DenyOtherUsersUnlessSignedInWithMfa');
      expect(await ask(action, resource, 'false', [mutant, ALLOW_ALL])).toBe('Allowed');
    },
  );

  it('may manage another user with MFA present (their own policies decide again)', async () => {
    expect(await ask('iam:EnableMFADevice', BOB, 'true')).toBe('Allowed');
  });

  it('may enrol with no other policy at all, and only on their own user', async () => {
    expect(await ask('iam:EnableMFADevice', ALICE, 'false', [quarantine])).toBe('Allowed');
    expect(await ask('iam:EnableMFADevice', ALICE, 'false', [quarantine], 'bob')).not.toBe('Allowed');
    const mutant = withoutStatement('AllowManageOwnMfaAndPassword');
    expect(await ask('iam:EnableMFADevice', ALICE, 'false', [mutant])).not.toBe('Allowed');
    expect(await ask('s3:ListAllMyBuckets', '*', 'false', [quarantine])).not.toBe('Allowed');
  });

  it.each([
    ['iam:DetachUserPolicy', ALICE],
    ['iam:DeleteUser', BOB],
    ['iam:CreateAccessKey', ALICE],
    ['sts:AssumeRole', `arn:aws:iam::${MEMBER}:role/Admin`],
  ])('may not %s without MFA', async (action, resource) => {
    expect(await ask(action, resource, 'false')).toBe('ExplicitlyDenied');
  });
});

describe('the tamper-protection SCP with enforcement on', () => {
  const ADMIN = `arn:aws:iam::${MEMBER}:role/Admin`;
  const STACKSETS = `arn:aws:iam::${MEMBER}:role/stacksets-exec-0123456789abcdef`;
  const BREAK_GLASS = `arn:aws:iam::${MEMBER}:role/BreakGlass`;
  const ask = (principal: string, action: string, resource: string, policyArn?: string, policy = scp) =>
    simulate({
      principal,
      action,
      resource,
      resourceAccount: MEMBER,
      identityPolicies: [ALLOW_ALL],
      serviceControlPolicies: [[ALLOW_ALL], [ALLOW_ALL, policy]],
      context: {
        'aws:PrincipalArn': principal,
        ...(policyArn === undefined ? {} : { 'iam:PolicyARN': policyArn }),
      },
    });

  it('stays within the 5,120-character SCP quota with every option on', () => {
    const all = synthAppOnce(
      testConfig({
        enforcement: { mode: 'quarantine', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
        tamperProtection: {
          enabled: true,
          protectTrails: true,
          exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::*:role/SecurityAutomation'],
        },
      }),
    ).management.toJSON();
    const content = Object.values(resourcesOf(all)).find((r) => r.Type === 'AWS::Organizations::Policy')
      ?.Properties.Content;
    // AWS Organizations User Guide, "Quotas and service limits": an SCP is at most 5,120 characters.
    const resolved = resolveIntrinsics(content, { account: MANAGEMENT, region: 'us-east-1' });
    expect(JSON.stringify(resolved).length).toBeLessThan(5120);
  });

  it.each(['iam:DetachUserPolicy', 'iam:AttachUserPolicy'])(
    'denies a member administrator %s with the quarantine policy',
    async (action) => {
      expect(await ask(ADMIN, action, ALICE, QUARANTINE)).toBe('ExplicitlyDenied');
    },
  );

  it('lets the enforce role detach it, which it would deny without the aws:PrincipalArn exception', async () => {
    expect(await ask(ENFORCE, 'iam:DetachUserPolicy', ALICE, QUARANTINE)).toBe('Allowed');
    const mutant = withoutCondition(scp, 'aws:PrincipalArn');
    expect(await ask(ENFORCE, 'iam:DetachUserPolicy', ALICE, QUARANTINE, mutant)).toBe('ExplicitlyDenied');
  });

  it('lets an exempt break-glass role detach it', async () => {
    expect(await ask(BREAK_GLASS, 'iam:DetachUserPolicy', ALICE, QUARANTINE)).toBe('Allowed');
  });

  it('lets a member administrator detach any other policy, which it would deny without the iam:PolicyARN condition', async () => {
    expect(await ask(ADMIN, 'iam:DetachUserPolicy', ALICE, OTHER_POLICY)).toBe('Allowed');
    const mutant = withoutCondition(scp, 'iam:PolicyARN');
    expect(await ask(ADMIN, 'iam:DetachUserPolicy', ALICE, OTHER_POLICY, mutant)).toBe('ExplicitlyDenied');
  });

  it.each([
    ['iam:CreatePolicyVersion', QUARANTINE],
    ['iam:SetDefaultPolicyVersion', QUARANTINE],
    ['iam:DeletePolicyVersion', QUARANTINE],
    ['iam:DeletePolicy', QUARANTINE],
    ['iam:UpdateAssumeRolePolicy', ENFORCE],
    ['iam:PutRolePolicy', ENFORCE],
    ['iam:AttachRolePolicy', ENFORCE],
    ['iam:DeleteRole', ENFORCE],
  ])(
    'denies a member administrator %s on %s and lets the StackSet execution role do it',
    async (action, resource) => {
      expect(await ask(ADMIN, action, resource)).toBe('ExplicitlyDenied');
      expect(await ask(STACKSETS, action, resource)).toBe('Allowed');
    },
  );

  it('lets a member administrator change their own customer managed policies', async () => {
    expect(await ask(ADMIN, 'iam:CreatePolicyVersion', OTHER_POLICY)).toBe('Allowed');
  });
});
