import { beforeAll, describe, expect, it } from 'vitest';
import { ENFORCEMENT_ENV } from '../../functions/contract/enforcement';
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

// Issue 23, items 3 and 5: with enforcement on, the sweep worker's role (and no other) may assume the
// member enforce role, only in accounts of the organization; the release by hand goes through it
// (ADR 0022). Off: no grant and no enforcement variable. The worker function has the physical name the
// operator's CLI invokes (NAMES.sweepWorkerFunction). Proven with the offline IAM simulator on the
// synthesized templates; the denial outside the organization flips when aws:ResourceOrgID is removed.

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties: Json };

const ORG = 'o-a1b2c3d4e5';
const SECURITY = '222222222222';
const MEMBER = '333333333333';
const REGION = 'eu-central-1';
const WORKER = `arn:aws:iam::${SECURITY}:role/${NAMES.sweepWorkerRole}`;
const ENFORCE_ROLE = `arn:aws:iam::${MEMBER}:role/${NAMES.memberEnforceRole}`;

const resourcesOf = (json: Json) => json.Resources as Record<string, Resource>;
let workerOn: PolicyDocument[];
let workerOff: PolicyDocument[];
let enforceTrust: PolicyDocument;
let workerFunctionOn: Json;
let workerFunctionOff: Json;

function workerOf(central: Json): { policies: PolicyDocument[]; fn: Json } {
  const scope = { account: SECURITY, region: REGION };
  const roleId = logicalIdOf(central, 'AWS::IAM::Role', { RoleName: NAMES.sweepWorkerRole });
  const fn = Object.values(resourcesOf(central)).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === NAMES.sweepWorkerFunction,
  );
  if (fn === undefined) throw new Error(`no function named ${NAMES.sweepWorkerFunction}`);
  return { policies: policiesOfRole(central, roleId, scope), fn: fn.Properties };
}

beforeAll(() => {
  const on = synthAppOnce(
    testConfig({ enforcement: { mode: 'quarantine', organizationalUnitIds: ['ou-ab12-34cd56ef'] } }),
  );
  const off = synthAppOnce(testConfig());
  ({ policies: workerOn, fn: workerFunctionOn } = workerOf(on.central.toJSON()));
  ({ policies: workerOff, fn: workerFunctionOff } = workerOf(off.central.toJSON()));
  const member = on.memberTemplateJson;
  const roleId = logicalIdOf(member, 'AWS::IAM::Role', { RoleName: NAMES.memberEnforceRole });
  enforceTrust = resolveIntrinsics(resourcesOf(member)[roleId]?.Properties.AssumeRolePolicyDocument, {
    account: MEMBER,
    region: 'us-east-1',
  }) as PolicyDocument;
}, 180_000);

const assume = (identity: PolicyDocument[], trust: PolicyDocument, resourceOrg = ORG) =>
  simulate({
    principal: WORKER,
    action: 'sts:AssumeRole',
    resource: ENFORCE_ROLE,
    resourceAccount: MEMBER,
    identityPolicies: identity,
    resourcePolicy: trust,
    context: { 'aws:PrincipalArn': WORKER, 'aws:PrincipalOrgID': ORG, 'aws:ResourceOrgID': resourceOrg },
  });

describe('the sweep worker and the member enforce role', () => {
  it('may assume it in an account of the organization when enforcement is on', async () => {
    expect(await assume(workerOn, enforceTrust)).toBe('Allowed');
  });

  it('may not assume a look-alike outside the organization, only because of aws:ResourceOrgID', async () => {
    const foreignTrust: PolicyDocument = {
      Statement: [{ Effect: 'Allow', Principal: { AWS: WORKER }, Action: 'sts:AssumeRole' }],
    };
    expect(await assume(workerOn, foreignTrust, 'o-zzzzzzzzzz')).not.toBe('Allowed');
    expect(
      await assume(
        workerOn.map((p) => withoutCondition(p, 'aws:ResourceOrgID')),
        foreignTrust,
        'o-zzzzzzzzzz',
      ),
    ).toBe('Allowed');
  });

  it('has no grant on it, and no enforcement variable, when enforcement is off', async () => {
    expect(await assume(workerOff, enforceTrust)).not.toBe('Allowed');
    const variables = (workerFunctionOff.Environment as { Variables: Json }).Variables;
    expect(Object.keys(variables)).not.toContain(ENFORCEMENT_ENV.roleName);
    const on = (workerFunctionOn.Environment as { Variables: Json }).Variables;
    expect(on).toMatchObject({
      [ENFORCEMENT_ENV.roleName]: NAMES.memberEnforceRole,
      [ENFORCEMENT_ENV.mode]: 'quarantine',
      [ENFORCEMENT_ENV.afterHours]: '72',
      [ENFORCEMENT_ENV.organizationalUnitIds]: '["ou-ab12-34cd56ef"]',
    });
  });

  it('the worker function has the name the release CLI invokes, in both modes', () => {
    expect(workerFunctionOn.FunctionName).toBe('org-mfa-watch-sweep-worker');
    expect(workerFunctionOff.FunctionName).toBe(NAMES.sweepWorkerFunction);
  });
});
