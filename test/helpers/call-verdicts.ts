import type { CallTarget } from './call-targets';
import { simulate, type PolicyDocument } from './policy-simulation';

// Simulating one request of the code, and naming the policy that denies it; and the reverse, the grants
// no request of the code uses (test/stacks/permissions-from-code.test.ts).

/** One simulated request, with what decided it when denied. */
export interface Verdict {
  readonly target: CallTarget;
  readonly principal: string;
  readonly result: string;
  readonly identity: string;
}

const ALLOW_ALL: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

/** Who makes the request, under which policies. */
export interface Caller {
  readonly organizationId: string;
  readonly principal: string;
  readonly identityPolicies: PolicyDocument[];
  /** Names the identity policies in a failure message. */
  readonly identity: string;
  /**
   * The service control policy of the principal's account, when one applies (SCPs never apply to the
   * management account: AWS Organizations User Guide, "Service control policies (SCPs)").
   */
  readonly scp?: { readonly policy: PolicyDocument; readonly name: string };
}

/** Simulate one request; when denied, name the policy that denies it. */
export async function decide(caller: Caller, target: CallTarget): Promise<Verdict> {
  const { principal, identityPolicies, identity } = caller;
  const ask = (policies: PolicyDocument[], resourcePolicy?: PolicyDocument, withScp = true) =>
    simulate({
      principal,
      action: target.action,
      resource: target.resource,
      resourceAccount: target.resourceAccount,
      identityPolicies: policies,
      ...(resourcePolicy === undefined ? {} : { resourcePolicy }),
      ...(withScp && caller.scp
        ? { serviceControlPolicies: [[ALLOW_ALL], [ALLOW_ALL, caller.scp.policy]] }
        : {}),
      context: {
        'aws:SecureTransport': 'true',
        'aws:PrincipalArn': principal,
        'aws:PrincipalAccount': principal.split(':')[4] ?? '',
        'aws:PrincipalOrgID': caller.organizationId,
        ...target.context,
      },
    });
  const result = await ask(identityPolicies, target.resourcePolicy);
  if (result === 'Allowed') return { target, principal, result, identity };
  // Name the policy that decides: each side alone, the other side replaced by one that defers to it
  // (a resource policy naming the caller's account defers to its identity policies, same or cross account).
  const deferring: PolicyDocument = {
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${principal.split(':')[4] ?? ''}:root` },
        Action: '*',
        Resource: '*',
      },
    ],
  };
  const blamed: string[] = [];
  if ((await ask(identityPolicies, deferring, false)) !== 'Allowed') blamed.push(identity);
  if (target.resourcePolicy && (await ask([ALLOW_ALL], target.resourcePolicy, false)) !== 'Allowed') {
    blamed.push(`resource policy ${target.resourcePolicyName ?? ''}`);
  }
  if (caller.scp && (await ask(identityPolicies, target.resourcePolicy, false)) === 'Allowed') {
    blamed.push(`service control policy ${caller.scp.name}`);
  }
  return {
    target,
    principal,
    result,
    identity: blamed.length > 0 ? blamed.join(' and ') : `${identity} with the resource policy`,
  };
}

/** `pattern` (IAM wildcards `*` and `?`) matches `value`; actions ignore case. */
function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** Every (action, resource) an Allow statement of `policies` grants, that no `used` request matches. */
export function unusedGrants(
  policies: readonly PolicyDocument[],
  used: readonly CallTarget[],
): { action: string; resource: string }[] {
  const unused: { action: string; resource: string }[] = [];
  for (const statement of policies.flatMap((p) => p.Statement)) {
    if (statement.Effect !== 'Allow') continue;
    if ('NotAction' in statement || 'NotResource' in statement) {
      unused.push({ action: `NotAction/NotResource in ${JSON.stringify(statement)}`, resource: '?' });
      continue;
    }
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [String(v)]);
    for (const action of list(statement.Action)) {
      for (const resource of list(statement.Resource)) {
        const sent = used.some(
          (t) => matches(action, t.action, true) && matches(resource, t.resource, false),
        );
        if (!sent) unused.push({ action, resource });
      }
    }
  }
  return unused;
}
