import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../bin/app';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { testConfig, testAppProps } from '../helpers/app';
import {
  logicalIdOf,
  policiesOfRole,
  resolveIntrinsics,
  simulate,
  withoutCondition,
  type PolicyDocument,
} from '../helpers/policy-simulation';

/** The stack `id` of the app. */
function stackOf(app: App, id: string): Stack {
  const child = app.node.findChild(id);
  if (!(child instanceof Stack)) throw new Error(`${id} is not a stack`);
  return child;
}

// The rollout reader role (docs/adr/0017-rollout-status-and-alert-storms.md), proven with the offline IAM
// simulator on the synthesized templates: the sweep planner, and only it, may assume it; it may only list
// the member StackSet's instances. Each "denied" that rests on a condition flips when it is removed.

type Json = Record<string, unknown>;
const ORG = 'o-a1b2c3d4e5';
const MANAGEMENT = '111111111111';
const SECURITY = '222222222222';
const PLANNER = `arn:aws:iam::${SECURITY}:role/${NAMES.sweepPlannerRole}`;
const ADMIN: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const stackSetArn = (account: string, name: string = NAMES.stackSet) =>
  `arn:aws:cloudformation:us-east-1:${account}:stackset/${name}:6b1e6f0a-1c1d-4e1f-9a2b-3c4d5e6f7a8b`;

interface Reader {
  readonly trust: PolicyDocument;
  readonly policies: PolicyDocument[];
  readonly plannerPolicies: PolicyDocument[];
  readonly account: string;
}

/** Synthesize without bundling (the policies do not depend on the code) and read the reader role. */
function readerOf(rollout: Record<string, unknown>, account: string): Reader {
  const app = new App(testAppProps());
  const config = testConfig({ rollout });
  buildApp(app, config);
  const rolloutJson = Template.fromStack(stackOf(app, STACK_IDS.rollout)).toJSON();
  const centralJson = Template.fromStack(stackOf(app, STACK_IDS.central)).toJSON();
  const scope = { account, region: 'us-east-1' };
  const roleId = logicalIdOf(rolloutJson, 'AWS::IAM::Role', { RoleName: NAMES.rolloutReaderRole });
  const resources = rolloutJson.Resources as Record<string, { Properties: Json }>;
  const centralScope = { account: SECURITY, region: config.homeRegion };
  const plannerId = logicalIdOf(centralJson, 'AWS::IAM::Role', { RoleName: NAMES.sweepPlannerRole });
  return {
    trust: resolveIntrinsics(resources[roleId]?.Properties.AssumeRolePolicyDocument, scope) as PolicyDocument,
    policies: policiesOfRole(rolloutJson, roleId, scope),
    plannerPolicies: policiesOfRole(centralJson, plannerId, centralScope),
    account,
  };
}

let management: Reader;
let delegated: Reader;

beforeAll(() => {
  management = readerOf(
    { deployFrom: 'management', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
    MANAGEMENT,
  );
  // A delegated administrator that is not the security account: the role lives in that account.
  delegated = readerOf(
    {
      deployFrom: 'delegated-admin',
      delegatedAdminAccountId: '444444444444',
      organizationalUnitIds: ['ou-ab12-34cd56ef'],
    },
    '444444444444',
  );
}, 120_000);

const assume = (reader: Reader, principal: string, identity: PolicyDocument[], trust = reader.trust) =>
  simulate({
    principal,
    action: 'sts:AssumeRole',
    resource: `arn:aws:iam::${reader.account}:role/${NAMES.rolloutReaderRole}`,
    resourceAccount: reader.account,
    identityPolicies: identity,
    resourcePolicy: trust,
    context: { 'aws:PrincipalArn': principal, 'aws:PrincipalOrgID': ORG },
  });

const list = (reader: Reader, action: string, resource: string) =>
  simulate({
    principal: `arn:aws:iam::${reader.account}:role/${NAMES.rolloutReaderRole}`,
    action,
    resource,
    resourceAccount: reader.account,
    identityPolicies: reader.policies,
  });

describe.each([
  ['deployFrom management (the role is in the management account)', () => management],
  ['deployFrom delegated-admin (the role is in the delegated administrator account)', () => delegated],
])('the rollout reader role, %s', (_name, reader) => {
  it('the sweep planner may assume it', async () => {
    expect(await assume(reader(), PLANNER, reader().plannerPolicies)).toBe('Allowed');
  });

  it('another role of the security account may not, only because of aws:PrincipalArn', async () => {
    const other = `arn:aws:iam::${SECURITY}:role/Admin`;
    expect(await assume(reader(), other, [ADMIN])).not.toBe('Allowed');
    expect(await assume(reader(), other, [ADMIN], withoutCondition(reader().trust, 'aws:PrincipalArn'))).toBe(
      'Allowed',
    );
  });

  it('may list the instances of the member StackSet', async () => {
    expect(await list(reader(), 'cloudformation:ListStackInstances', stackSetArn(reader().account))).toBe(
      'Allowed',
    );
  });

  it.each([
    ['list the instances of another StackSet', 'cloudformation:ListStackInstances', 'other-stackset'],
    ['update the StackSet', 'cloudformation:UpdateStackSet', NAMES.stackSet],
    ['delete instances', 'cloudformation:DeleteStackInstances', NAMES.stackSet],
    ['create instances', 'cloudformation:CreateStackInstances', NAMES.stackSet],
  ])('may not %s', async (_what, action, name) => {
    expect(await list(reader(), action, stackSetArn(reader().account, name))).not.toBe('Allowed');
  });
});

describe('the planner role', () => {
  it('may assume only the reader role of the rollout account, no other role', async () => {
    const ask = (resource: string) =>
      simulate({
        principal: PLANNER,
        action: 'sts:AssumeRole',
        resource,
        resourceAccount: MANAGEMENT,
        identityPolicies: management.plannerPolicies,
        // A trust that lets anyone in: only the planner's own policy decides.
        resourcePolicy: {
          Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Resource: '*' }],
        },
      });
    expect(await ask(`arn:aws:iam::${MANAGEMENT}:role/${NAMES.rolloutReaderRole}`)).toBe('Allowed');
    expect(await ask(`arn:aws:iam::${MANAGEMENT}:role/OrganizationAccountAccessRole`)).not.toBe('Allowed');
    expect(await ask(`arn:aws:iam::444444444444:role/${NAMES.rolloutReaderRole}`)).not.toBe('Allowed');
  });
});

describe('organizations:ListDelegatedAdministrators', () => {
  // AWS CloudFormation User Guide, "Register a delegated administrator member account": delegated
  // administrators need organizations:ListDelegatedAdministrators.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
  it('is allowed to the reader role of a delegated administrator only', async () => {
    expect(await list(delegated, 'organizations:ListDelegatedAdministrators', '*')).toBe('Allowed');
    expect(await list(management, 'organizations:ListDelegatedAdministrators', '*')).not.toBe('Allowed');
  });
});
