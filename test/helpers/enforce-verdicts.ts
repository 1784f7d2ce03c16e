import { ENFORCEMENT_ENV } from '../../functions/contract/enforcement';
import { NAMES } from '../../stacks/names';
import type { CallTarget, Deployment, RowInput } from './call-targets';
import { decide, type Caller, type Verdict } from './call-verdicts';
import { policiesOfRole } from './policy-simulation';
import { resourcesOf, scopeOf, type PolicyTemplates } from './template-scope';

/** What {@link enforceVerdicts} reads of a permissions-from-code setup. */
export interface EnforceSetup {
  readonly label: string;
  readonly templates: PolicyTemplates;
  readonly deployment: Deployment;
}

/**
 * The enforce role (enforcement on, ADR 0022) in the member and the management account, with its
 * policies; none when the function's environment names no enforce role (enforcement off: the worker then
 * sends none of its calls, and the templates must have no enforce role either).
 * @throws Error when the environment and the templates disagree
 */
export function enforceRoles(setup: EnforceSetup, env: Readonly<Record<string, string>>) {
  const { memberAccountId, managementAccountId } = setup.deployment;
  const roles = (
    [
      [memberAccountId, setup.templates.member, 'StackSet member template'],
      [managementAccountId, setup.templates.management, 'management-account stack'],
    ] as const
  ).flatMap(([account, template, where]) => {
    const roleId = Object.entries(resourcesOf(template)).find(
      ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName === NAMES.memberEnforceRole,
    )?.[0];
    if (roleId === undefined) return [];
    const scope = scopeOf(template, account, 'us-east-1');
    return [
      {
        account,
        template,
        where,
        arn: `arn:aws:iam::${account}:role/${NAMES.memberEnforceRole}`,
        policies: policiesOfRole(template, roleId, scope),
      },
    ];
  });
  const named = env[ENFORCEMENT_ENV.roleName] !== undefined;
  if (named !== (roles.length === 2)) {
    throw new Error(
      `${setup.label}: ${ENFORCEMENT_ENV.roleName} ${named ? 'set' : 'absent'} but ${roles.length} enforce role(s) in the templates`,
    );
  }
  return roles;
}

/**
 * The verdicts of one enforce-role call (functions/sweep-worker/enforce.ts). Its IAM client is built on
 * RoleCredentials like the check role's, so the scan places it `check-role`, but the sessions are on the
 * enforce role (functions/sweep-worker/release-route.ts); the check role never has these actions. Each
 * target is simulated with the enforce role's policies in each account, under the SCP there.
 */
export async function enforceVerdicts<S extends EnforceSetup>(
  setup: S,
  row: (input: RowInput) => CallTarget[],
  input: RowInput,
  scpOf: (setup: S, account: string) => Pick<Caller, 'scp'>,
): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const role of enforceRoles(setup, input.env)) {
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
  return verdicts;
}
