import { beforeAll, describe, expect, it } from 'vitest';
import { CANARY_TAG_KEY } from '../../functions/contract/canary';
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

// Issue 22 (docs/adr/0021-canary.md): the check role may tag only itself, only with the canary key,
// and the tamper-protection SCP lets exactly that call through. TagRole supports the condition keys
// aws:TagKeys and aws:RequestTag/${TagKey} (Service Authorization Reference, "Actions, resources, and
// condition keys for AWS Identity and Access Management", TagRole:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).

const MANAGEMENT = '111111111111';
const MEMBER = '333333333333';
const ROLE = (name: string, account = MEMBER) => `arn:aws:iam::${account}:role/${name}`;
const CHECK_ROLE = ROLE(NAMES.memberCheckRole);
const ADMIN_POLICY: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const FULL_ACCESS = ADMIN_POLICY;

type Json = Record<string, unknown>;
type Context = Record<string, string | string[]>;
let memberPolicies: PolicyDocument[];
let managementPolicies: PolicyDocument[];
let scp: PolicyDocument;

/** The request context of a TagRole with these tags (IAM sets aws:TagKeys and one aws:RequestTag per key). */
function tags(entries: Record<string, string>): Context {
  return {
    'aws:TagKeys': Object.keys(entries),
    ...Object.fromEntries(Object.entries(entries).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  };
}
const CANARY = tags({ [CANARY_TAG_KEY]: 'sweep-2026-12-07' });

function checkRolePolicies(template: Json, account: string): PolicyDocument[] {
  const id = logicalIdOf(template, 'AWS::IAM::Role', { RoleName: NAMES.memberCheckRole });
  return policiesOfRole(template, id, { account, region: 'us-east-1' });
}

/** `policy` without the statement `sid`: the mutant that shows the statement is what decides. */
function withoutStatement(policy: PolicyDocument, sid: string): PolicyDocument {
  const kept = policy.Statement.filter((s) => s.Sid !== sid);
  if (kept.length === policy.Statement.length) throw new Error(`no statement ${sid}`);
  return { ...policy, Statement: kept };
}

/** `policy` with `arn` taken out of every aws:PrincipalArn list of statement `sid`. */
function withoutPrincipalException(policy: PolicyDocument, sid: string, arn: string): PolicyDocument {
  const named = (s: Record<string, unknown>): string[] =>
    (s.Condition as { ArnNotLike?: Record<string, string[]> } | undefined)?.ArnNotLike?.[
      'aws:PrincipalArn'
    ] ?? [];
  const statement = policy.Statement.find((s) => s.Sid === sid);
  if (statement === undefined || !named(statement).includes(arn)) throw new Error(`${sid} names no ${arn}`);
  const Statement = policy.Statement.map((s) =>
    s.Sid !== sid
      ? s
      : {
          ...s,
          Condition: {
            ...(s.Condition as Record<string, unknown>),
            ArnNotLike: { 'aws:PrincipalArn': named(s).filter((a) => a !== arn) },
          },
        },
  );
  return { ...policy, Statement };
}

beforeAll(() => {
  const app = synthAppOnce(
    testConfig({
      tamperProtection: { enabled: true, exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] },
    }),
  );
  memberPolicies = checkRolePolicies(app.memberTemplateJson, MEMBER);
  const management = app.management.toJSON();
  managementPolicies = checkRolePolicies(management, MANAGEMENT);
  const policy = Object.values(
    management.Resources as Record<string, { Type: string; Properties: Json }>,
  ).find((r) => r.Type === 'AWS::Organizations::Policy');
  scp = resolveIntrinsics(policy?.Properties.Content, {
    account: MANAGEMENT,
    region: 'us-east-1',
  }) as PolicyDocument;
});

describe('the check role may tag only itself, only with the canary key', () => {
  const ask = (
    action: string,
    resource: string,
    context: Context,
    policies: readonly PolicyDocument[] = memberPolicies,
    principal = CHECK_ROLE,
  ) =>
    simulate({
      principal,
      action,
      resource,
      resourceAccount: MEMBER,
      identityPolicies: policies,
      context: { 'aws:PrincipalArn': principal, ...context },
    });

  it('may TagRole on itself with the canary key and the sweep id as value', async () => {
    expect(await ask('iam:TagRole', CHECK_ROLE, CANARY)).toBe('Allowed');
  });

  it('has the same grant in the management-account stack', async () => {
    const management = ROLE(NAMES.memberCheckRole, MANAGEMENT);
    expect(
      await simulate({
        principal: management,
        action: 'iam:TagRole',
        resource: management,
        resourceAccount: MANAGEMENT,
        identityPolicies: managementPolicies,
        context: { 'aws:PrincipalArn': management, ...CANARY },
      }),
    ).toBe('Allowed');
    expect(await ask('iam:TagRole', CHECK_ROLE, tags({ other: 'x' }), managementPolicies)).not.toBe(
      'Allowed',
    );
  });

  it.each([
    ['another role of the account', ROLE('Admin')],
    ['the forward role', ROLE(NAMES.memberForwardRole)],
    ['the check role of another account', ROLE(NAMES.memberCheckRole, '444444444444')],
  ])('may not tag %s, even with the canary key', async (_what, resource) => {
    expect(await ask('iam:TagRole', resource, CANARY)).not.toBe('Allowed');
  });

  it('is held to its own role by the Resource: a grant on any role would allow another role', async () => {
    const anyRole = memberPolicies.map((p) => ({
      ...p,
      Statement: p.Statement.map((s) => (s.Sid === 'TagItselfForTheCanary' ? { ...s, Resource: '*' } : s)),
    }));
    expect(await ask('iam:TagRole', ROLE('Admin'), CANARY, anyRole)).toBe('Allowed');
  });

  // Third column: whether aws:TagKeys alone denies (the request carries aws:RequestTag/<canary key>;
  // condition key names are not case-sensitive, so a differently spelled canary key carries it too).
  it.each([
    ['another key', tags({ Owner: 'me' }), false],
    ['the canary key and an extra key', tags({ [CANARY_TAG_KEY]: 'sweep-1', Owner: 'me' }), true],
    ['an exemption tag key', tags({ 'org-mfa-watch:exempt': 'true' }), false],
    ['the canary key spelled in another case', tags({ 'ORG-MFA-WATCH:CANARY': 'sweep-1' }), true],
  ])('may not tag itself with %s, because of aws:TagKeys', async (_what, context, keysAlone) => {
    expect(await ask('iam:TagRole', CHECK_ROLE, context)).not.toBe('Allowed');
    const keysRemoved = memberPolicies.map((p) => withoutCondition(p, 'aws:TagKeys'));
    expect(await ask('iam:TagRole', CHECK_ROLE, context, keysRemoved)).toBe(
      keysAlone ? 'Allowed' : 'ImplicitlyDenied',
    );
    const bothRemoved = keysRemoved.map((p) => withoutCondition(p, `aws:RequestTag/${CANARY_TAG_KEY}`));
    expect(await ask('iam:TagRole', CHECK_ROLE, context, bothRemoved)).toBe('Allowed');
  });

  it('may not tag itself in a request without the canary tag (aws:RequestTag Null condition)', async () => {
    // ForAllValues over a missing aws:TagKeys is true (IAM User Guide, "Single-valued vs. multivalued
    // context keys"): only the Null condition on aws:RequestTag/<canary key> denies such a request.
    expect(await ask('iam:TagRole', CHECK_ROLE, {})).not.toBe('Allowed');
    const mutant = memberPolicies.map((p) => withoutCondition(p, `aws:RequestTag/${CANARY_TAG_KEY}`));
    expect(await ask('iam:TagRole', CHECK_ROLE, {}, mutant)).toBe('Allowed');
  });

  it.each([
    'iam:UntagRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePolicy',
    'iam:AttachRolePolicy',
    'iam:DeleteRole',
    'iam:UpdateRole',
  ])('may not %s on itself', async (action) => {
    expect(await ask(action, CHECK_ROLE, CANARY)).not.toBe('Allowed');
  });
});

describe('the tamper-protection SCP lets exactly the canary through', () => {
  const ADMIN = ROLE('Admin');
  const STACKSETS = ROLE('stacksets-exec-0123456789abcdef');
  const BREAK_GLASS = ROLE('BreakGlass');
  const CHECK_ROLE_PATTERN = `arn:aws:iam::*:role/${NAMES.memberCheckRole}`;
  // Everything the principal's own policies allow, so the SCP alone decides.
  const ask = (
    principal: string,
    action: string,
    resource: string,
    context: Context,
    policy: PolicyDocument = scp,
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

  it('lets the check role tag itself with the canary key, only because of its principal exception', async () => {
    expect(await ask(CHECK_ROLE, 'iam:TagRole', CHECK_ROLE, CANARY)).toBe('Allowed');
    const mutant = withoutPrincipalException(scp, 'CanaryOnlyByTheCheckRole', CHECK_ROLE_PATTERN);
    expect(await ask(CHECK_ROLE, 'iam:TagRole', CHECK_ROLE, CANARY, mutant)).toBe('ExplicitlyDenied');
  });

  it.each([
    ['another key', tags({ Owner: 'me' })],
    ['the canary key and an extra key', tags({ [CANARY_TAG_KEY]: 'sweep-1', Owner: 'me' })],
  ])('denies the check role tagging itself with %s (CanaryOnlyWithItsKey)', async (_what, context) => {
    expect(await ask(CHECK_ROLE, 'iam:TagRole', CHECK_ROLE, context)).toBe('ExplicitlyDenied');
    expect(
      await ask(
        CHECK_ROLE,
        'iam:TagRole',
        CHECK_ROLE,
        context,
        withoutStatement(scp, 'CanaryOnlyWithItsKey'),
      ),
    ).toBe('Allowed');
  });

  it('denies a member administrator the canary call on the check role (CanaryOnlyByTheCheckRole)', async () => {
    expect(await ask(ADMIN, 'iam:TagRole', CHECK_ROLE, CANARY)).toBe('ExplicitlyDenied');
    expect(
      await ask(ADMIN, 'iam:TagRole', CHECK_ROLE, CANARY, withoutStatement(scp, 'CanaryOnlyByTheCheckRole')),
    ).toBe('Allowed');
  });

  it.each([
    ['iam:UntagRole', CHECK_ROLE],
    ['iam:UpdateAssumeRolePolicy', CHECK_ROLE],
    ['iam:PutRolePolicy', CHECK_ROLE],
    ['iam:AttachRolePolicy', CHECK_ROLE],
    ['iam:DeleteRole', CHECK_ROLE],
    ['iam:UpdateRole', CHECK_ROLE],
    ['iam:TagRole', ROLE(NAMES.memberForwardRole)],
    ['iam:UntagRole', ROLE(NAMES.memberForwardRole)],
  ])('still denies the check role itself %s on %s', async (action, resource) => {
    expect(await ask(CHECK_ROLE, action, resource, CANARY)).toBe('ExplicitlyDenied');
  });

  it.each([
    ['iam:TagRole', CHECK_ROLE, tags({ Owner: 'me' })],
    ['iam:TagRole', ROLE(NAMES.memberForwardRole), tags({ Owner: 'me' })],
    ['iam:UntagRole', CHECK_ROLE, {}],
  ])('still denies a member administrator %s on %s', async (action, resource, context) => {
    expect(await ask(ADMIN, action, resource, context)).toBe('ExplicitlyDenied');
  });

  it.each([STACKSETS, BREAK_GLASS])(
    'still lets %s (a deployer) tag the check role with any key',
    async (who) => {
      expect(await ask(who, 'iam:TagRole', CHECK_ROLE, tags({ Owner: 'me' }))).toBe('Allowed');
      expect(await ask(who, 'iam:TagRole', ROLE(NAMES.memberForwardRole), tags({ Owner: 'me' }))).toBe(
        'Allowed',
      );
    },
  );

  it('stays within the SCP size quota', () => {
    // SCPs are at most 5,120 characters (AWS Organizations User Guide, "Quotas").
    expect(JSON.stringify(scp).length).toBeLessThan(5120);
  });
});
