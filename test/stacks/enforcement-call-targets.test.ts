import { beforeAll, describe, expect, it } from 'vitest';
import { ENFORCEMENT_ENV } from '../../functions/contract/enforcement';
import { NAMES } from '../../stacks/names';
import { testConfig } from '../helpers/app';
import { OWN_ROLE_ROWS, type Deployment, type RowInput } from '../helpers/call-targets';
import { ENFORCE_ROLE_ROWS } from '../helpers/call-targets-roles';
import { decide } from '../helpers/call-verdicts';
import { policiesOfRole, type PolicyDocument } from '../helpers/policy-simulation';
import {
  resolvedPolicy,
  resourcesOf,
  scopeOf,
  synthTemplates,
  type PolicyTemplates,
} from '../helpers/template-scope';

// Issue 23, item 4: the rows test/stacks/permissions-from-code.test.ts will use once the sweep worker
// sends the enforce role's calls (phase 2 wires functions/sweep-worker/enforce.ts into the worker). Here
// every row is simulated against the synthesized templates now: the enforce role's own policies in the
// StackSet template and the management-account stack, under the tamper-protection SCP, and the trust
// that admits the sweep worker's role.

const MEMBER = '333333333333';
const ALLOW_ALL: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const config = testConfig({
  enforcement: { mode: 'quarantine', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
  tamperProtection: { enabled: true },
});
let templates: PolicyTemplates;
let deployment: Deployment;

beforeAll(() => {
  templates = synthTemplates(config);
  deployment = {
    organizationId: config.organizationId,
    managementAccountId: config.managementAccountId,
    securityAccountId: config.securityAccountId,
    memberAccountId: MEMBER,
    homeRegion: config.homeRegion,
    partition: 'aws',
  };
}, 120_000);

function scp(account: string) {
  if (account === deployment.managementAccountId) return {};
  const entry = Object.entries(resourcesOf(templates.management)).find(
    ([, r]) => r.Type === 'AWS::Organizations::Policy',
  );
  if (entry === undefined) throw new Error('no SCP');
  const scope = scopeOf(templates.management, deployment.managementAccountId, 'us-east-1');
  return { scp: { policy: resolvedPolicy(entry[1].Properties?.Content, scope), name: entry[0] } };
}

const where = () =>
  [
    [MEMBER, templates.member, 'StackSet member template'],
    [config.managementAccountId, templates.management, 'management-account stack'],
  ] as const;

const input = (account?: { id: string; template: Record<string, unknown> }): RowInput => ({
  fn: 'sweep-worker',
  env: { [ENFORCEMENT_ENV.roleName]: NAMES.memberEnforceRole },
  templates,
  centralScope: scopeOf(templates.central, deployment.securityAccountId, deployment.homeRegion),
  deployment,
  ...(account === undefined ? {} : { account }),
});

describe('the enforce role rows', () => {
  it.each(Object.keys(ENFORCE_ROLE_ROWS))(
    '%s is allowed in the member and the management account',
    async (action) => {
      for (const [account, template, label] of where()) {
        const roleId = Object.entries(resourcesOf(template)).find(
          ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName === NAMES.memberEnforceRole,
        )?.[0];
        if (roleId === undefined) throw new Error(`no enforce role in the ${label}`);
        const principal = `arn:aws:iam::${account}:role/${NAMES.memberEnforceRole}`;
        const caller = {
          organizationId: deployment.organizationId,
          principal,
          identityPolicies: policiesOfRole(template, roleId, scopeOf(template, account, 'us-east-1')),
          identity: `policies of ${principal} (${label})`,
          ...scp(account),
        };
        const targets = ENFORCE_ROLE_ROWS[action]?.(input({ id: account, template })) ?? [];
        expect(targets.length).toBeGreaterThan(0);
        for (const target of targets) expect((await decide(caller, target)).result, label).toBe('Allowed');
      }
    },
  );

  it('names the enforce role in both templates for sts:AssumeRole, and its trust admits the sweep worker role', async () => {
    const targets = OWN_ROLE_ROWS['sts:AssumeRole']?.(input()) ?? [];
    expect(targets.map((t) => t.resource).sort()).toEqual(
      [
        `arn:aws:iam::${config.managementAccountId}:role/${NAMES.memberEnforceRole}`,
        `arn:aws:iam::${MEMBER}:role/${NAMES.memberEnforceRole}`,
      ].sort(),
    );
    const worker = `arn:aws:iam::${deployment.securityAccountId}:role/${NAMES.sweepWorkerRole}`;
    const checker = `arn:aws:iam::${deployment.securityAccountId}:role/${NAMES.checkerRole}`;
    for (const target of targets) {
      const as = (principal: string) =>
        decide(
          {
            organizationId: deployment.organizationId,
            principal,
            identityPolicies: [ALLOW_ALL],
            identity: principal,
          },
          target,
        );
      expect((await as(worker)).result).toBe('Allowed');
      expect((await as(checker)).result).not.toBe('Allowed');
    }
  });
});
