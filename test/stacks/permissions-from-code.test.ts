import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENFORCEMENT_ENV } from '../../functions/contract/enforcement';
import { parseConfig, type AppConfig } from '../../stacks/config';
import { FUNCTION_BUNDLING } from '../../stacks/constructs/bundling';
import { NAMES } from '../../stacks/names';
import { testConfig } from '../helpers/app';
import { OWN_ROLE_ROWS, rolloutReaderOf, type Deployment, type RowInput } from '../helpers/call-targets';
import { CHECK_ROLE_ROWS, ENFORCE_ROLE_ROWS, ROLLOUT_READER_ROWS } from '../helpers/call-targets-roles';
import { decide, unusedGrants, type Verdict } from '../helpers/call-verdicts';
import {
  BUNDLED_NOT_SENT,
  FUNCTIONS,
  GRANTED_NOT_SENT,
  PLACEMENT_OVERRIDES,
  type FunctionName,
} from '../helpers/permission-reasons';
import { policiesOfRole, type PolicyDocument } from '../helpers/policy-simulation';
import {
  operationsOf,
  placementOfService,
  type FunctionOperations,
  type Placement,
} from '../helpers/sdk-operations';
import {
  resolvedPolicy,
  resourcesOf,
  scopeOf,
  synthTemplates,
  type PolicyTemplates,
} from '../helpers/template-scope';

// Issue 18, item 7: every AWS operation a function's bundled code can send (found in its import graph,
// not typed by hand) is simulated against the policies AWS evaluates for that request, in the
// synthesized templates: the function role's identity policies; for calls in a member account the
// check role's policies in the StackSet template AND in the management account's own stack; the
// Organizations delegation policy; the topic, queue, bucket, table and key policies on the way. And the
// reverse: every action those policies grant is sent by the code, or listed below with its reason.

type Json = Record<string, unknown>;
const PROJECT_ROOT = join(__dirname, '..', '..');
const MEMBER = '333333333333';

interface Setup {
  readonly label: string;
  readonly config: AppConfig;
  templates: PolicyTemplates;
  deployment: Deployment;
}

const setups: Setup[] = [];
const operations = new Map<FunctionName, FunctionOperations>();

function exampleConfig(): AppConfig {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: { orgMfaWatch: unknown };
  };
  return parseConfig(cdkJson.context.orgMfaWatch);
}

function everyOptionOn(): AppConfig {
  return testConfig({
    chat: {
      slack: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' }],
      teams: [
        {
          teamId: '5d8d1d10-b1f2-4e8c-9a44-3b8c1bf1a0b2',
          tenantId: '0b4f1b8c-1d2e-4f3a-8b5c-6d7e8f9a0b1c',
          channelId: '19%3ab6fa1c2d3e4f5a6b7c8d9e0f1a2b3c4d%40thread.tacv2',
        },
      ],
    },
    securityHub: { enabled: true },
    dashboard: { enabled: true },
    // The StackSet administered by a delegated administrator (the security account by default): the
    // rollout reader role lives there, under the tamper SCP, and also needs ListDelegatedAdministrators.
    rollout: {
      deployFrom: 'delegated-admin',
      organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'],
    },
    tamperProtection: { enabled: true, exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] },
    // Enforcement (ADR 0022): the worker assumes the member enforce role to detach (and attach) the
    // quarantine policy.
    enforcement: { mode: 'quarantine', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
  });
}

beforeAll(async () => {
  for (const f of FUNCTIONS) operations.set(f.name, await operationsOf(f.entry, FUNCTION_BUNDLING));
  for (const [label, config] of [
    ['the example configuration (cdk.json)', exampleConfig()],
    [
      'every option on (chat, Security Hub, dashboard, tamper protection, delegated StackSets admin, enforcement)',
      everyOptionOn(),
    ],
  ] as const) {
    setups.push({
      label,
      config,
      templates: synthTemplates(config),
      deployment: {
        organizationId: config.organizationId,
        managementAccountId: config.managementAccountId,
        securityAccountId: config.securityAccountId,
        memberAccountId: MEMBER,
        homeRegion: config.homeRegion,
        partition: 'aws',
      },
    });
  }
}, 300_000);

/** The function's resolved environment, its role's ARN and identity policies (central template). */
function functionOf(setup: Setup, fnName: FunctionName) {
  const f = FUNCTIONS.find((x) => x.name === fnName);
  const central = setup.templates.central;
  const scope = scopeOf(central, setup.deployment.securityAccountId, setup.deployment.homeRegion);
  const entry = Object.entries(resourcesOf(central)).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(f?.functionId ?? '?'),
  );
  if (entry === undefined) throw new Error(`no function ${fnName} in the central template`);
  const props = entry[1].Properties ?? {};
  const roleId = (props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const env = resolvedPolicy(
    (props.Environment as Json | undefined)?.Variables ?? {},
    scope,
  ) as unknown as Record<string, string>;
  return {
    scope,
    env,
    roleArn: scope.resources?.[`${roleId}.Arn`] ?? roleId,
    policies: policiesOfRole(central, roleId, scope),
  };
}

/** The check role (principal and identity policies) in the member account and in the management account. */
function checkRoles(setup: Setup, roleName: string = NAMES.memberCheckRole) {
  const { memberAccountId, managementAccountId } = setup.deployment;
  return (
    [
      [memberAccountId, setup.templates.member, 'StackSet member template'],
      [managementAccountId, setup.templates.management, 'management-account stack'],
    ] as const
  ).map(([account, template, where]) => {
    const scope = scopeOf(template, account, 'us-east-1');
    const roleId = Object.entries(resourcesOf(template)).find(
      ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName === roleName,
    )?.[0];
    if (roleId === undefined) throw new Error(`no ${roleName} role in the ${where}`);
    return {
      account,
      template,
      where,
      arn: `arn:aws:iam::${account}:role/${roleName}`,
      policies: policiesOfRole(template, roleId, scope),
    };
  });
}

/** The rollout reader role the function's environment names (rollout stack), with its policies. */
function readerRoleOf(setup: Setup, env: Readonly<Record<string, string>>) {
  const reader = rolloutReaderOf({ env, templates: setup.templates, deployment: setup.deployment });
  if (reader === undefined) return undefined;
  return { ...reader, policies: policiesOfRole(setup.templates.rollout, reader.roleId, reader.scope) };
}

/**
 * The tamper-protection SCP (management-account stack), which applies in every account of the rollout
 * OUs, the security account possibly among them; never in the management account.
 */
function scpOf(setup: Setup, account: string): { scp?: { policy: PolicyDocument; name: string } } {
  if (account === setup.deployment.managementAccountId) return {};
  const management = setup.templates.management;
  const entry = Object.entries(resourcesOf(management)).find(
    ([, r]) => r.Type === 'AWS::Organizations::Policy' && r.Properties?.Type === 'SERVICE_CONTROL_POLICY',
  );
  if (entry === undefined) return {};
  const scope = scopeOf(management, setup.deployment.managementAccountId, 'us-east-1');
  return {
    scp: {
      policy: resolvedPolicy(entry[1].Properties?.Content, scope),
      name: `${entry[0]} (management-account stack)`,
    },
  };
}

/** Where the call is signed, derived from how its service's clients are built; or the reviewed override. */
function placementOf(fn: FunctionName, action: string, clientPackage: string): Placement | undefined {
  const override = PLACEMENT_OVERRIDES.find((o) => o.fn === fn && o.action === action);
  return override?.placement ?? placementOfService(operations.get(fn)?.clients ?? [], clientPackage);
}

/** Every request the code of `fn` makes in `setup`, simulated. Problems: calls nothing classifies. */
async function verdictsOf(
  setup: Setup,
  fn: FunctionName,
): Promise<{ verdicts: Verdict[]; problems: string[] }> {
  const scanned = operations.get(fn);
  if (scanned === undefined) throw new Error(`${fn} was not scanned`);
  const own = functionOf(setup, fn);
  const problems = [...scanned.problems];
  const verdicts: Verdict[] = [];
  const input: RowInput = {
    fn,
    env: own.env,
    templates: setup.templates,
    centralScope: own.scope,
    deployment: setup.deployment,
  };
  for (const op of scanned.operations) {
    const notSent = BUNDLED_NOT_SENT.find((n) => n.fn === fn && n.action === op.action);
    if (notSent && op.files.every((file) => file === notSent.file)) continue;
    const placement = placementOf(fn, op.action, op.clientPackage);
    if (placement === undefined) {
      problems.push(
        `${fn}: ${op.action} (${op.files.join(', ')}): its clients are built with own and other credentials; classify it in PLACEMENT_OVERRIDES`,
      );
      continue;
    }
    const rows = {
      'own-role': OWN_ROLE_ROWS,
      'check-role': CHECK_ROLE_ROWS,
      'rollout-reader': ROLLOUT_READER_ROWS,
      'enforce-role': ENFORCE_ROLE_ROWS,
    };
    const row = rows[placement][op.action];
    if (row === undefined) {
      problems.push(
        `${fn}: ${op.action} (${placement}, ${op.files.join(', ')}) has no row in test/helpers/call-targets.ts`,
      );
      continue;
    }
    if (placement === 'own-role') {
      for (const target of row(input)) {
        verdicts.push(
          await decide(
            {
              organizationId: setup.deployment.organizationId,
              principal: own.roleArn,
              identityPolicies: own.policies,
              identity: `identity policies of ${own.roleArn} (central template)`,
              ...scpOf(setup, setup.deployment.securityAccountId),
            },
            target,
          ),
        );
      }
      continue;
    }
    if (placement === 'rollout-reader') {
      const reader = readerRoleOf(setup, own.env);
      if (reader === undefined) throw new Error(`${fn}: ${op.action} through the rollout reader, not named`);
      for (const target of row(input)) {
        verdicts.push(
          await decide(
            {
              organizationId: setup.deployment.organizationId,
              principal: reader.arn,
              identityPolicies: reader.policies,
              identity: `policies of ${reader.arn} (rollout stack)`,
              // The tamper SCP applies unless the StackSet is administered from the management account.
              ...scpOf(setup, reader.account),
            },
            target,
          ),
        );
      }
      continue;
    }
    // The enforce role's calls run only when enforcement is on (its name in the environment, its role
    // in the member templates).
    if (placement === 'enforce-role' && own.env[ENFORCEMENT_ENV.roleName] === undefined) continue;
    const memberRole = placement === 'enforce-role' ? NAMES.memberEnforceRole : NAMES.memberCheckRole;
    for (const role of checkRoles(setup, memberRole)) {
      for (const target of row({ ...input, account: { id: role.account, template: role.template } })) {
        verdicts.push(
          await decide(
            {
              organizationId: setup.deployment.organizationId,
              principal: role.arn,
              identityPolicies: role.policies,
              identity: `policies of ${role.arn} (${role.where})`,
              ...scpOf(setup, role.account),
            },
            target,
          ),
        );
      }
    }
  }
  return { verdicts, problems };
}

const denials = (verdicts: readonly Verdict[]): string[] => [
  ...new Set(
    verdicts
      .filter((v) => v.result !== 'Allowed')
      .map(
        (v) =>
          `${v.target.action} on ${v.target.resource} by ${v.principal}: ${v.result} by ${v.identity}${v.target.impliedBy ? ` [implied: ${v.target.impliedBy}]` : ''}`,
      ),
  ),
];

describe('every AWS operation the bundled code can send is allowed by the policies AWS evaluates for it', () => {
  // sweep-planner fails on the base commit: defect 1 of issue 18 (organizations:ListOrganizationalUnitsForParent,
  // sent by functions/sweep-planner/organization.ts, is granted neither to the planner role nor by the
  // delegation policy, which grant ListChildren). It passes once PLANNER_ORGANIZATIONS_ACTIONS is fixed.
  it.each(FUNCTIONS.map((f) => f.name))('%s', async (fn) => {
    for (const setup of setups) {
      const { verdicts, problems } = await verdictsOf(setup, fn);
      expect(problems, `${fn}, ${setup.label}: calls that nothing classifies`).toEqual([]);
      expect(denials(verdicts), `${fn}, ${setup.label}: denied`).toEqual([]);
      expect(verdicts.length).toBeGreaterThan(0);
    }
  });

  it('finds the calls of each function in its own import graph', () => {
    const actions = (fn: FunctionName) => operations.get(fn)?.operations.map((o) => o.action) ?? [];
    // The whole set each bundle can send, so a scanner that finds nothing (or loses a lazily loaded
    // module) cannot pass the test above. A call added or removed anywhere changes one of these lists.
    const store = [
      // functions/core/finding-*.ts (FindingStore), imported by every function but the planner;
      // UpdateItem also from functions/core/suppression.ts (a suppression ends on the next change).
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
    ];
    const memberIam = [
      // functions/core/iam-facts.ts, through the check role.
      'iam:GetAccountSummary',
      'iam:GetLoginProfile',
      'iam:ListAccountAliases',
      'iam:ListMFADevices',
      'iam:ListUserTags',
    ];
    expect(actions('checker')).toEqual(
      [
        ...store,
        ...memberIam,
        // The three re-check schedule calls and the quarantine's SendMessage are sent with commands
        // loaded by `await import('../core/sdk/scheduler')` / `('../core/sdk/sqs')` (functions/checker/outputs.ts).
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:GetSchedule',
        // functions/core/security-hub.ts, command from `await import('./sdk/security-hub')`, with the
        // client functions/core/credentials.ts builds on the check role's credentials.
        'securityhub:BatchImportFindings',
        'sns:Publish',
        'sqs:SendMessage',
        'sts:AssumeRole',
      ].sort(),
    );
    // Calls a package makes for the code are found too: Powertools idempotency's DynamoDB records.
    const putItem = operations.get('checker')?.operations.find((o) => o.action === 'dynamodb:PutItem');
    expect(putItem?.files.some((f) => f.includes('@aws-lambda-powertools/idempotency'))).toBe(true);
    expect(actions('sweep-planner')).toEqual([
      // functions/sweep-planner/rollout.ts: the StackSet's instances, through the rollout reader role.
      'cloudformation:ListStackInstances',
      'organizations:DescribeAccount',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
      'organizations:ListParents',
      's3:PutObject',
      // Only of the rollout reader role (rollout.ts): the planner never assumes the check role.
      'sts:AssumeRole',
    ]);
    expect(actions('sweep-worker')).toEqual(
      [
        ...store,
        ...memberIam,
        'events:DescribeRule',
        'events:ListTargetsByRule',
        'iam:GenerateCredentialReport',
        'iam:GetCredentialReport',
        // Enforcement (functions/sweep-worker/enforce.ts), with the enforce role's IAM client (override).
        'iam:AttachUserPolicy',
        'iam:DetachUserPolicy',
        'iam:ListAttachedUserPolicies',
        // The Enforce step reads the map's result files (functions/core/map-results.ts).
        's3:GetObject',
        // The canary (functions/sweep-worker/canary.ts): the check role tags itself, once per sweep.
        'iam:TagRole',
        // The re-import of stored findings (functions/sweep-worker/reimport.ts), through the same lazily
        // loaded exporter as the checker's.
        'securityhub:BatchImportFindings',
        'sns:Publish',
        // The member forward rule's dead-letter queue depth (functions/sweep-worker/dead-letter.ts).
        'sqs:GetQueueAttributes',
        'sts:AssumeRole',
      ].sort(),
    );
    expect(actions('sweep-reporter')).toEqual(
      [...store, 's3:GetObject', 's3:PutObject', 'sns:Publish'].sort(),
    );
    // The storm guard's counter (functions/core/storm-guard.ts) is an UpdateItem of the worker only.
    const stormGuard = (fn: FunctionName) =>
      operations
        .get(fn)
        ?.operations.find((o) => o.action === 'dynamodb:UpdateItem')
        ?.files.includes('functions/core/storm-guard.ts');
    expect([stormGuard('checker'), stormGuard('sweep-worker'), stormGuard('sweep-reporter')]).toEqual([
      false,
      true,
      false,
    ]);
    // IAM and Security Hub calls are signed with the check role (their clients are built on
    // RoleCredentials), STS with the own role, the StackSet read with the rollout reader (override).
    expect(placementOf('checker', 'iam:ListMFADevices', '@aws-sdk/client-iam')).toBe('check-role');
    expect(placementOf('checker', 'securityhub:BatchImportFindings', '@aws-sdk/client-securityhub')).toBe(
      'check-role',
    );
    expect(placementOf('sweep-worker', 'events:DescribeRule', '@aws-sdk/client-eventbridge')).toBe(
      'check-role',
    );
    expect(placementOf('checker', 'sts:AssumeRole', '@aws-sdk/client-sts')).toBe('own-role');
    expect(placementOf('checker', 'sqs:SendMessage', '@aws-sdk/client-sqs')).toBe('own-role');
    expect(placementOf('checker', 'scheduler:CreateSchedule', '@aws-sdk/client-scheduler')).toBe('own-role');
    expect(placementOf('sweep-planner', 'sts:AssumeRole', '@aws-sdk/client-sts')).toBe('own-role');
    expect(
      placementOf('sweep-planner', 'cloudformation:ListStackInstances', '@aws-sdk/client-cloudformation'),
    ).toBe('rollout-reader');
    for (const f of FUNCTIONS) expect(operations.get(f.name)?.problems, f.name).toEqual([]);
  });

  it('every PLACEMENT_OVERRIDES entry names a bundled call the scan cannot place alone (or places elsewhere)', () => {
    for (const o of PLACEMENT_OVERRIDES) {
      const op = operations.get(o.fn)?.operations.find((x) => x.action === o.action);
      expect(op, `${o.fn} ${o.action}`).toBeDefined();
      // The enforce role's IAM clients come from the same AccountSessions class as the check role's: the
      // scan places them with the check role, which the override corrects. An override that agrees with
      // the scan is redundant.
      expect(
        placementOfService(operations.get(o.fn)?.clients ?? [], op?.clientPackage ?? ''),
        `${o.fn} ${o.action}`,
      ).not.toBe(o.placement);
    }
  });

  it('every entry of BUNDLED_NOT_SENT still names a bundled operation of only that file', () => {
    for (const n of BUNDLED_NOT_SENT) {
      const op = operations.get(n.fn)?.operations.find((o) => o.action === n.action);
      expect(op?.files, `${n.fn} ${n.action}`).toEqual([n.file]);
    }
  });
});

describe('every action the policies grant is sent by the code, or has a written reason', () => {
  const unexplained = (role: string, grants: { action: string; resource: string }[]): string[] =>
    grants
      .filter(
        (g) =>
          !GRANTED_NOT_SENT.some(
            (r) => r.role === role && r.action === g.action && r.resource.test(g.resource),
          ),
      )
      .map((g) => `${role}: ${g.action} on ${g.resource}`);

  // sweep-planner fails on the base commit too: defect 1 (organizations:ListChildren is granted, by its
  // role and by the delegation policy, but the planner sends ListOrganizationalUnitsForParent).
  it.each(FUNCTIONS.map((f) => f.name))('the role of %s', async (fn) => {
    for (const setup of setups) {
      const own = functionOf(setup, fn);
      const used = (await verdictsOf(setup, fn)).verdicts
        .filter((v) => v.principal === own.roleArn)
        .map((v) => v.target);
      expect(unexplained(fn, unusedGrants(own.policies, used)), setup.label).toEqual([]);
      if (fn !== 'sweep-planner') continue;
      const reader = readerRoleOf(setup, own.env);
      if (reader === undefined) throw new Error('sweep-planner: no ROLLOUT_READER_ROLE_ARN');
      const readerUsed = (await verdictsOf(setup, fn)).verdicts
        .filter((v) => v.principal === reader.arn)
        .map((v) => v.target);
      expect(unexplained('rollout reader', unusedGrants(reader.policies, readerUsed)), setup.label).toEqual(
        [],
      );
      const management = setup.templates.management;
      const scope = scopeOf(management, setup.deployment.managementAccountId, 'us-east-1');
      const delegation = Object.values(resourcesOf(management)).find(
        (r) => r.Type === 'AWS::Organizations::ResourcePolicy',
      );
      const policy = resolvedPolicy(delegation?.Properties?.Content, scope);
      expect(unexplained('delegation policy', unusedGrants([policy], used)), setup.label).toEqual([]);
    }
  });

  it('the check role, in the StackSet member template and in the management-account stack', async () => {
    for (const setup of setups) {
      const made = [
        ...(await verdictsOf(setup, 'checker')).verdicts,
        ...(await verdictsOf(setup, 'sweep-worker')).verdicts,
      ];
      for (const role of checkRoles(setup)) {
        const used = made.filter((v) => v.principal === role.arn).map((v) => v.target);
        expect(
          unexplained('check role', unusedGrants(role.policies, used)),
          `${role.where}, ${setup.label}`,
        ).toEqual([]);
      }
    }
  });

  it('every written reason still matches a grant (no stale entries)', () => {
    const all: { role: string; action: string; resource: string }[] = [];
    for (const setup of setups) {
      for (const f of FUNCTIONS) {
        all.push(
          ...functionOf(setup, f.name)
            .policies.flatMap((p) => p.Statement)
            .flatMap((st) => {
              const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
              return list(st.Action).flatMap((action) =>
                list(st.Resource).map((resource) => ({ role: f.name, action, resource })),
              );
            }),
        );
      }
    }
    // The check role's grants too (a reason may name it), from both templates that define the role.
    for (const setup of setups) {
      for (const role of checkRoles(setup)) {
        all.push(
          ...role.policies
            .flatMap((p) => p.Statement)
            .flatMap((st) => {
              const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
              return list(st.Action).flatMap((action) =>
                list(st.Resource).map((resource) => ({ role: 'check role', action, resource })),
              );
            }),
        );
      }
    }
    for (const reason of GRANTED_NOT_SENT) {
      expect(
        all.some(
          (g) => g.role === reason.role && g.action === reason.action && reason.resource.test(g.resource),
        ),
        `${reason.role} ${reason.action} ${String(reason.resource)}`,
      ).toBe(true);
    }
  });
});
