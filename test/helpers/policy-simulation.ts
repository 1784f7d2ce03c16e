import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';

type Json = unknown;

/** Values for the pseudo parameters and resource ARNs of one synthesized template. */
export interface TemplateScope {
  readonly partition?: string;
  readonly account: string;
  readonly region: string;
  /** `Fn::GetAtt` / `Ref` values of resources, by logical id (e.g. the function's ARN). */
  readonly resources?: Readonly<Record<string, string>>;
}

/** Resolve the CloudFormation intrinsics CDK puts in policies (Ref, Fn::Join, Fn::GetAtt) to strings. */
export function resolveIntrinsics(value: Json, scope: TemplateScope): Json {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, scope));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, Json>;
  if ('Ref' in obj) {
    const ref = String(obj.Ref);
    const pseudo: Record<string, string> = {
      'AWS::Partition': scope.partition ?? 'aws',
      'AWS::AccountId': scope.account,
      'AWS::Region': scope.region,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[ref] ?? scope.resources?.[ref] ?? `unresolved-ref-${ref}`;
  }
  if ('Fn::Join' in obj) {
    const [sep, parts] = obj['Fn::Join'] as [string, Json[]];
    return parts.map((p) => String(resolveIntrinsics(p, scope))).join(sep);
  }
  if ('Fn::GetAtt' in obj) {
    const [logicalId, attr] = obj['Fn::GetAtt'] as [string, string];
    return scope.resources?.[`${logicalId}.${attr}`] ?? `unresolved-getatt-${logicalId}.${attr}`;
  }
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, resolveIntrinsics(v, scope)]));
}

/** A policy document as IAM stores it. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
}

/** One question: may `principal` do `action` on `resource`? */
export interface AccessQuestion {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  /** The principal's identity policies (empty for a principal we know nothing of). */
  readonly identityPolicies: readonly PolicyDocument[];
  /** The resource's policy (trust policy of a role, bus policy...). */
  readonly resourcePolicy?: PolicyDocument;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /**
   * Service control policies, one list per level of the organization tree, root first (every level
   * must allow the action). Absent: no SCP applies.
   */
  readonly serviceControlPolicies?: readonly (readonly PolicyDocument[])[];
}

/** Ask the offline IAM simulator; returns 'Allowed', 'ImplicitlyDenied' or 'ExplicitlyDenied'. */
export async function simulate(question: AccessQuestion): Promise<string> {
  const simulation = {
    identityPolicies: question.identityPolicies.map((policy, i) => ({
      name: `policy${i}`,
      policy: { Version: '2012-10-17', ...policy },
    })),
    serviceControlPolicies: (question.serviceControlPolicies ?? []).map((level, i) => ({
      orgIdentifier: `level-${i}`,
      policies: level.map((policy, j) => ({
        name: `scp${i}-${j}`,
        policy: { Version: '2012-10-17', ...policy },
      })),
    })),
    resourceControlPolicies: [],
    ...(question.resourcePolicy
      ? { resourcePolicy: { Version: '2012-10-17', ...question.resourcePolicy } }
      : {}),
    request: {
      action: question.action,
      principal: question.principal,
      resource: { accountId: question.resourceAccount, resource: question.resource },
      contextVariables: { ...(question.context ?? {}) },
    },
  } as unknown as Simulation;
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    throw new Error(`simulation rejected its input: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult;
}

/** Every `AWS::IAM::Policy` document attached to the role with logical id `roleLogicalId`. */
export function policiesOfRole(
  template: Record<string, unknown>,
  roleLogicalId: string,
  scope: TemplateScope,
): PolicyDocument[] {
  const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, Json> }>;
  return Object.values(resources)
    .filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        (r.Properties.Roles as Json[]).some(
          (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleLogicalId }),
        ),
    )
    .map((r) => resolveIntrinsics(r.Properties.PolicyDocument, scope) as PolicyDocument);
}

/** The logical id of the one resource of `type` whose properties include `match` (shallow). */
export function logicalIdOf(
  template: Record<string, unknown>,
  type: string,
  match: Record<string, unknown>,
): string {
  const resources = template.Resources as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  const ids = Object.entries(resources)
    .filter(
      ([, r]) =>
        r.Type === type &&
        Object.entries(match).every(([k, v]) => JSON.stringify(r.Properties?.[k]) === JSON.stringify(v)),
    )
    .map(([id]) => id);
  if (ids.length !== 1)
    throw new Error(`expected one ${type} matching ${JSON.stringify(match)}, found ${ids.length}`);
  return ids[0] ?? '';
}

/** The same policy with one condition key removed from every statement: the mutant a test must catch. */
export function withoutCondition(policy: PolicyDocument, key: string): PolicyDocument {
  return {
    ...policy,
    Statement: policy.Statement.map((statement) => {
      const conditions = statement.Condition as Record<string, Record<string, unknown>> | undefined;
      if (conditions === undefined) return statement;
      const kept: Record<string, Record<string, unknown>> = {};
      for (const [op, values] of Object.entries(conditions)) {
        const rest = Object.fromEntries(Object.entries(values).filter(([k]) => k !== key));
        if (Object.keys(rest).length > 0) kept[op] = rest;
      }
      return Object.keys(kept).length === 0
        ? Object.fromEntries(Object.entries(statement).filter(([k]) => k !== 'Condition'))
        : { ...statement, Condition: kept };
    }),
  };
}
