import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENFORCEMENT_ENV } from '../../functions/contract/enforcement';
import { SWEEP_ENV } from '../../functions/contract/sweep';
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

// Issue 23 (ADR 0022), the sweep's enforcement wiring: with enforcement on, the worker gets its settings
// and grants and the state machine runs Enforce between the map and the report; off, none of it.

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties: Json };

const ORG = 'o-a1b2c3d4e5';
const SECURITY = '222222222222';
const MEMBER = '333333333333';
const REGION = 'eu-central-1';
const BUCKET = 'org-mfa-watch-sweep-bucket';
const OU = 'ou-ab12-34cd56ef';
const onConfig = testConfig({
  enforcement: { mode: 'quarantine', organizationalUnitIds: [OU], maxPerSweep: 5 },
});

let central: Json;
let offCentral: Json;
let enforceTrust: PolicyDocument;

beforeAll(() => {
  const app = synthAppOnce(onConfig);
  central = app.central.toJSON();
  const member = app.memberTemplateJson as Json;
  const roleId = logicalIdOf(member, 'AWS::IAM::Role', { RoleName: NAMES.memberEnforceRole });
  enforceTrust = resolveIntrinsics(resourcesOf(member)[roleId]?.Properties.AssumeRolePolicyDocument, {
    account: MEMBER,
    region: 'us-east-1',
  }) as PolicyDocument;
  offCentral = synthAppOnce(testConfig()).central.toJSON();
}, 180_000);

const resourcesOf = (json: Json) => json.Resources as Record<string, Resource>;
const functionOfRole = (json: Json, roleName: string): Resource => {
  const roleId = logicalIdOf(json, 'AWS::IAM::Role', { RoleName: roleName });
  const fn = Object.values(resourcesOf(json)).find(
    (r) =>
      r.Type === 'AWS::Lambda::Function' &&
      JSON.stringify(r.Properties.Role) === JSON.stringify({ 'Fn::GetAtt': [roleId, 'Arn'] }),
  );
  if (fn === undefined) throw new Error(`no function of ${roleName}`);
  return fn;
};
const envOf = (fn: Resource) => (fn.Properties.Environment as { Variables: Json }).Variables;

function scopeOf(json: Json) {
  const resources: Record<string, string> = {};
  for (const [id, r] of Object.entries(resourcesOf(json))) {
    if (r.Type === 'AWS::Lambda::Function') {
      resources[`${id}.Arn`] = `arn:aws:lambda:${REGION}:${SECURITY}:function:${id}`;
      resources[id] = id;
    }
    if (r.Type === 'AWS::S3::Bucket') {
      resources[id] = BUCKET;
      resources[`${id}.Arn`] = `arn:aws:s3:::${BUCKET}`;
    }
  }
  return { account: SECURITY, region: REGION, resources };
}

function states(json: Json): Record<string, Json> {
  const sm = Object.values(resourcesOf(json)).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const text = resolveIntrinsics(sm?.Properties.DefinitionString, scopeOf(json));
  return (JSON.parse(String(text)) as Json).States as Record<string, Json>;
}

function definition(json: Json): Json {
  const sm = Object.values(resourcesOf(json)).find((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  return JSON.parse(String(resolveIntrinsics(sm?.Properties.DefinitionString, scopeOf(json)))) as Json;
}

describe('the sweep state machine with enforcement on', () => {
  it('runs Enforce after the map and before the canary wait and the report, with the sweep id and the map results', () => {
    const s = states(central);
    expect(s.SweepAccounts?.Next).toBe('Enforce');
    // The canary is on by default (docs/adr/0021-canary.md): its wait follows Enforce, then Report.
    expect(s.WaitForCanaries?.Next).toBe('Report');
    expect(s.Enforce).toMatchObject({
      Type: 'Task',
      Next: 'WaitForCanaries',
      ResultPath: '$.enforcement',
      Parameters: {
        enforce: { 'sweepId.$': '$.plan.sweepId', 'results.$': '$.map.ResultWriterDetails' },
      },
    });
    expect(String(s.Enforce?.Resource)).toContain(':lambda:');
    expect((s.Report?.Parameters as Json).Payload).toMatchObject({ 'enforcement.$': '$.enforcement' });
  });

  it('is valid Amazon States Language (asl-validator)', () => {
    const result = aslValidator(definition(central), { checkArn: true, checkPaths: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('with enforcement off, the map goes straight to the report, which gets no enforcement input', () => {
    const s = states(offCentral);
    expect(s.Enforce).toBeUndefined();
    expect(s.SweepAccounts?.Next).toBe('WaitForCanaries');
    expect(s.WaitForCanaries?.Next).toBe('Report');
    expect((s.Report?.Parameters as Json).Payload).not.toHaveProperty('enforcement.$');
  });
});

describe('the worker and the planner with enforcement on', () => {
  it('the worker gets the enforcement settings from the configuration and the sweep bucket', () => {
    const env = envOf(functionOfRole(central, NAMES.sweepWorkerRole));
    expect(env).toMatchObject({
      [ENFORCEMENT_ENV.roleName]: NAMES.memberEnforceRole,
      [ENFORCEMENT_ENV.mode]: 'quarantine',
      [ENFORCEMENT_ENV.afterHours]: '72',
      [ENFORCEMENT_ENV.organizationalUnitIds]: JSON.stringify([OU]),
      [ENFORCEMENT_ENV.includeProgrammaticUsers]: 'false',
      [ENFORCEMENT_ENV.maxPerSweep]: '5',
    });
    expect(env[SWEEP_ENV.sweepBucketName]).toBeDefined();
    expect(envOf(functionOfRole(central, NAMES.sweepPlannerRole))).toMatchObject({
      [ENFORCEMENT_ENV.organizationalUnitIds]: JSON.stringify([OU]),
    });
  });

  it('with enforcement off, neither gets any of it', () => {
    const worker = envOf(functionOfRole(offCentral, NAMES.sweepWorkerRole));
    const planner = envOf(functionOfRole(offCentral, NAMES.sweepPlannerRole));
    for (const name of Object.values(ENFORCEMENT_ENV)) {
      expect(worker).not.toHaveProperty(name);
      expect(planner).not.toHaveProperty(name);
    }
    expect(worker).not.toHaveProperty(SWEEP_ENV.sweepBucketName);
  });
});

describe('the worker role with enforcement on (policy simulation)', () => {
  const ENFORCE_ROLE = `arn:aws:iam::${MEMBER}:role/${NAMES.memberEnforceRole}`;
  const policies = (json: Json): PolicyDocument[] =>
    policiesOfRole(
      json,
      logicalIdOf(json, 'AWS::IAM::Role', { RoleName: NAMES.sweepWorkerRole }),
      scopeOf(json),
    );
  const assume = (identity: PolicyDocument[], resourceOrg: string) =>
    simulate({
      principal: `arn:aws:iam::${SECURITY}:role/${NAMES.sweepWorkerRole}`,
      action: 'sts:AssumeRole',
      resource: ENFORCE_ROLE,
      resourceAccount: MEMBER,
      identityPolicies: identity,
      // The enforce role's own trust (member template): it admits the sweep worker's role.
      resourcePolicy: enforceTrust,
      context: {
        'aws:PrincipalArn': `arn:aws:iam::${SECURITY}:role/${NAMES.sweepWorkerRole}`,
        'aws:PrincipalOrgID': ORG,
        'aws:ResourceOrgID': resourceOrg,
      },
    });

  it('may assume org-mfa-watch-enforce in an account of the organization only (aws:ResourceOrgID)', async () => {
    expect(await assume(policies(central), ORG)).toBe('Allowed');
    expect(await assume(policies(central), 'o-outsider123')).not.toBe('Allowed');
    const loose = policies(central).map((p) => withoutCondition(p, 'aws:ResourceOrgID'));
    expect(await assume(loose, 'o-outsider123')).toBe('Allowed');
  });

  it('with enforcement off, it may not assume the enforce role at all', async () => {
    expect(await assume(policies(offCentral), ORG)).not.toBe('Allowed');
  });

  it('may read the map results (the Enforce step), and no other key of the bucket', async () => {
    const read = (key: string) =>
      simulate({
        principal: `arn:aws:iam::${SECURITY}:role/${NAMES.sweepWorkerRole}`,
        action: 's3:GetObject',
        resource: `arn:aws:s3:::${BUCKET}/${key}`,
        resourceAccount: SECURITY,
        identityPolicies: policies(central),
      });
    expect(await read('sweeps/map-results/run-1/manifest.json')).toBe('Allowed');
    expect(await read('reports/day-1/report.json')).not.toBe('Allowed');
    expect(await read('sweeps/day-1/accounts.json')).not.toBe('Allowed');
  });
});
