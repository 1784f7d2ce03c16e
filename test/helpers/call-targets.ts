import { ENFORCEMENT_ENV } from '../../functions/contract/enforcement';
import { SWEEP_KEYS } from '../../functions/contract/sweep';
import type { PolicyDocument, TemplateScope } from './policy-simulation';
import {
  encryptionKeyOf,
  logicalIdFor,
  resourcePolicyOf,
  resourcesOf,
  resolvedPolicy,
  scopeOf,
  type PolicyTemplates,
} from './template-scope';

// Which resources each operation the code sends reaches, and what else AWS authorizes for it (a KMS
// key behind an encrypted topic or bucket, a role passed to a service). The resources come from the
// function's own environment (what the stack told it to use) and the templates; the rows below are the
// reviewed part: an operation with no row fails the test, so a new call cannot slip through unchecked.

/** One request AWS authorizes: the action, its resource, and the resource's own policy. */
export interface CallTarget {
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly resourcePolicy?: PolicyDocument;
  /** Which template resource the policy belongs to, for the failure message. */
  readonly resourcePolicyName?: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** Set on an authorization the call implies (KMS, PassRole): which doc says so. */
  readonly impliedBy?: string;
}

/** Ids of the deployment the templates were synthesized for. */
export interface Deployment {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly securityAccountId: string;
  readonly memberAccountId: string;
  readonly homeRegion: string;
  readonly partition: string;
}

/** What a row may read to name its resources. */
export interface RowInput {
  readonly fn: string;
  /** The function's environment variables, resolved. */
  readonly env: Readonly<Record<string, string>>;
  readonly templates: PolicyTemplates;
  readonly centralScope: TemplateScope;
  readonly deployment: Deployment;
  /** For calls through the check role: the member account the call is made in, and its template. */
  readonly account?: { readonly id: string; readonly template: Record<string, unknown> };
}

/** The call targets of one operation, from what the function's environment and the templates say. */
export type Row = (input: RowInput) => CallTarget[];

const SNS_KMS =
  'Amazon SNS Developer Guide, "Encryption at rest" / "Key management": a publisher to an encrypted topic needs kms:GenerateDataKey* and kms:Decrypt on its key';
const S3_KMS_PUT =
  'Amazon S3 User Guide, "Using server-side encryption with AWS KMS keys (SSE-KMS)": uploading needs kms:GenerateDataKey';
const S3_KMS_GET =
  'Amazon S3 User Guide, "Using server-side encryption with AWS KMS keys (SSE-KMS)": downloading needs kms:Decrypt';
const S3_MISSING_KEY =
  'Amazon S3 API Reference, GetObject, "Permissions": a missing key answers NoSuchKey only to a caller allowed s3:ListBucket (the reporter tells a missing digest receipt from a denied one)';
const DYNAMODB_KMS =
  'AWS KMS Developer Guide, "How Amazon DynamoDB uses AWS KMS": to access a table under a customer managed key, DynamoDB calls kms:Decrypt for the table key on the caller\'s behalf (kms:ViaService dynamodb)';
const SCHEDULER_PASS_ROLE =
  'EventBridge Scheduler User Guide, "Setting up the execution role": CreateSchedule needs iam:PassRole on the schedule\'s role';

/** A resource of the central template, by the value the function's environment holds (a Ref). */
function central(input: RowInput, value: string | undefined): { id: string; arn: string } | undefined {
  if (value === undefined) return undefined;
  const id = logicalIdFor(input.centralScope, value);
  if (id === undefined)
    throw new Error(`${input.fn}: environment value ${value} is no resource of the template`);
  const values = input.centralScope.resources ?? {};
  return { id, arn: values[`${id}.Arn`] ?? values[`${id}.TopicArn`] ?? values[id] ?? value };
}

function ownAccount(input: RowInput, action: string, resource: string, resourceId?: string): CallTarget {
  const policy =
    resourceId === undefined
      ? undefined
      : resourcePolicyOf(input.templates.central, input.centralScope, resourceId);
  return {
    action,
    resource,
    resourceAccount: input.deployment.securityAccountId,
    ...(policy === undefined ? {} : { resourcePolicy: policy, resourcePolicyName: resourceId }),
  };
}

/**
 * The KMS authorizations behind an encrypted resource of the central template. The service (`via`)
 * asks KMS on the caller's behalf, so the request carries `kms:ViaService` (AWS KMS Developer Guide,
 * "kms:ViaService"); the central key's grants require it (ADR 0019).
 */
function keyCalls(
  input: RowInput,
  resourceId: string,
  actions: readonly string[],
  why: string,
  via: 'dynamodb' | 's3' | 'sns',
): CallTarget[] {
  const key = encryptionKeyOf(input.templates.central, resourceId);
  if (key === undefined) return [];
  const arn = input.centralScope.resources?.[`${key}.Arn`] ?? key;
  const context = { 'kms:ViaService': `${via}.${input.deployment.homeRegion}.amazonaws.com` };
  return actions.map((action) => ({ ...ownAccount(input, action, arn, key), impliedBy: why, context }));
}

const topicPublish: Row = (input) =>
  [input.env.ALERT_TOPIC_ARN, input.env.CHAT_TOPIC_ARN].flatMap((value) => {
    const topic = central(input, value);
    if (topic === undefined) return [];
    return [
      ownAccount(input, 'sns:Publish', topic.arn, topic.id),
      ...keyCalls(input, topic.id, ['kms:GenerateDataKey', 'kms:Decrypt'], SNS_KMS, 'sns'),
    ];
  });

const tableItems =
  (action: string): Row =>
  (input) => {
    const table = central(input, input.env.FINDINGS_TABLE_NAME);
    if (table === undefined) return [];
    return [
      ownAccount(input, action, table.arn, table.id),
      ...keyCalls(input, table.id, ['kms:Decrypt'], DYNAMODB_KMS, 'dynamodb'),
    ];
  };

/** Object keys each function reads or writes (from the shared key contract). */
const SWEEP_ID = 'sweep-1';
const OBJECT_KEYS: Readonly<Record<string, { put: string[]; get: string[]; mayBeMissing: string[] }>> = {
  'sweep-planner': { put: [SWEEP_KEYS.accounts(SWEEP_ID)], get: [], mayBeMissing: [] },
  'sweep-reporter': {
    put: [
      SWEEP_KEYS.reportCsv(SWEEP_ID),
      SWEEP_KEYS.reportJson(SWEEP_ID),
      SWEEP_KEYS.digestReceipt(SWEEP_ID),
    ],
    get: [
      `${SWEEP_KEYS.mapResultsPrefix}/run-1/manifest.json`,
      `${SWEEP_KEYS.mapResultsPrefix}/run-1/SUCCEEDED_0.json`,
      SWEEP_KEYS.digestReceipt(SWEEP_ID),
    ],
    mayBeMissing: [SWEEP_KEYS.digestReceipt(SWEEP_ID)],
  },
  // The Enforce step (enforcement on) reads the map's results; the worker writes nothing to the bucket.
  'sweep-worker': {
    put: [],
    get: [
      `${SWEEP_KEYS.mapResultsPrefix}/run-1/manifest.json`,
      `${SWEEP_KEYS.mapResultsPrefix}/run-1/SUCCEEDED_0.json`,
    ],
    mayBeMissing: [],
  },
};

const bucketObjects =
  (kind: 'put' | 'get'): Row =>
  (input) => {
    const bucket = central(input, input.env.SWEEP_BUCKET_NAME);
    const keys = OBJECT_KEYS[input.fn];
    if (bucket === undefined) return [];
    if (keys === undefined) throw new Error(`${input.fn}: no object keys declared for its S3 calls`);
    const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' };
    const withTls = (t: CallTarget): CallTarget => ({ ...t, context: tls });
    return keys[kind].flatMap((key) => [
      withTls(
        ownAccount(
          input,
          kind === 'put' ? 's3:PutObject' : 's3:GetObject',
          `${bucket.arn}/${key}`,
          bucket.id,
        ),
      ),
      ...(kind === 'get' && keys.mayBeMissing.includes(key)
        ? [
            {
              ...withTls(ownAccount(input, 's3:ListBucket', bucket.arn, bucket.id)),
              impliedBy: S3_MISSING_KEY,
            },
          ]
        : []),
      ...keyCalls(
        input,
        bucket.id,
        [kind === 'put' ? 'kms:GenerateDataKey' : 'kms:Decrypt'],
        kind === 'put' ? S3_KMS_PUT : S3_KMS_GET,
        's3',
      ),
    ]);
  };

const schedules =
  (action: string): Row =>
  (input) => {
    const group = input.env.SCHEDULE_GROUP_NAME;
    if (group === undefined) return [];
    const { homeRegion, securityAccountId: account, partition } = input.deployment;
    const schedule = `arn:${partition}:scheduler:${homeRegion}:${account}:schedule/${group}/recheck-1`;
    const passRole =
      action === 'scheduler:CreateSchedule' && input.env.SCHEDULER_ROLE_ARN !== undefined
        ? [
            {
              ...ownAccount(input, 'iam:PassRole', input.env.SCHEDULER_ROLE_ARN),
              context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
              impliedBy: SCHEDULER_PASS_ROLE,
            },
          ]
        : [];
    return [ownAccount(input, action, schedule), ...passRole];
  };

const quarantine: Row = (input) => {
  const queue = central(input, input.env.QUARANTINE_QUEUE_URL);
  return queue === undefined ? [] : [ownAccount(input, 'sqs:SendMessage', queue.arn, queue.id)];
};

/** The check role in the member account and in the management account (its own stack), with its trust. */
function checkRoleTargets(input: RowInput, name: string): CallTarget[] {
  const { memberAccountId, managementAccountId, partition, organizationId } = input.deployment;
  return (
    [
      [memberAccountId, input.templates.member, 'StackSet member template'],
      [managementAccountId, input.templates.management, 'management-account stack'],
    ] as const
  ).map(([account, template, where]) => {
    const scope = scopeOf(template, account, 'us-east-1', partition);
    const role = Object.values(resourcesOf(template)).find(
      (r) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName === name,
    );
    if (role === undefined) throw new Error(`no role ${name} in the ${where}`);
    return {
      action: 'sts:AssumeRole',
      resource: `arn:${partition}:iam::${account}:role/${name}`,
      resourceAccount: account,
      resourcePolicy: resolvedPolicy(role.Properties?.AssumeRolePolicyDocument, scope),
      resourcePolicyName: `trust policy of ${name} (${where})`,
      context: { 'aws:ResourceOrgID': organizationId },
    };
  });
}

/** The rollout reader role (ROLLOUT_READER_ROLE_ARN), in the rollout stack's template, with its trust. */
export function rolloutReaderOf(
  input: Pick<RowInput, 'env' | 'templates' | 'deployment'>,
): { arn: string; account: string; roleId: string; scope: TemplateScope } | undefined {
  const arn = input.env.ROLLOUT_READER_ROLE_ARN;
  if (arn === undefined) return undefined;
  const account = arn.split(':')[4] ?? '';
  const name = arn.split(':role/')[1];
  const template = input.templates.rollout;
  const roleId = Object.entries(resourcesOf(template)).find(
    ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties?.RoleName === name,
  )?.[0];
  if (roleId === undefined)
    throw new Error(`ROLLOUT_READER_ROLE_ARN ${arn}: no such role in the rollout stack`);
  return { arn, account, roleId, scope: scopeOf(template, account, 'us-east-1', input.deployment.partition) };
}

/**
 * Every role the function's environment names for sts:AssumeRole: the check role (CHECK_ROLE_NAME, in
 * every member account and the management account) and the rollout reader (ROLLOUT_READER_ROLE_ARN, in
 * the account that administers the StackSet), each with the trust policy its own template gives it.
 */
const assumeRole: Row = (input) => {
  const name = input.env.CHECK_ROLE_NAME;
  // The enforce role (enforcement on): in every member account and the management account, like the check role.
  const enforce = input.env[ENFORCEMENT_ENV.roleName];
  const reader = rolloutReaderOf(input);
  if (name === undefined && reader === undefined && enforce === undefined) {
    throw new Error(
      `${input.fn}: sends sts:AssumeRole but names no role (CHECK_ROLE_NAME, ${ENFORCEMENT_ENV.roleName}, ROLLOUT_READER_ROLE_ARN)`,
    );
  }
  const readerRole = reader && resourcesOf(input.templates.rollout)[reader.roleId];
  return [
    ...(name === undefined ? [] : checkRoleTargets(input, name)),
    ...(enforce === undefined ? [] : checkRoleTargets(input, enforce)),
    ...(reader === undefined
      ? []
      : [
          {
            action: 'sts:AssumeRole',
            resource: reader.arn,
            resourceAccount: reader.account,
            resourcePolicy: resolvedPolicy(readerRole?.Properties?.AssumeRolePolicyDocument, reader.scope),
            resourcePolicyName: `trust policy of ${reader.arn} (rollout stack)`,
            context: { 'aws:ResourceOrgID': input.deployment.organizationId },
          },
        ]),
  ];
};

/**
 * The resources of an Organizations action (Service Authorization Reference, "AWS Organizations":
 * ListAccounts has none; DescribeAccount an account; ListAccountsForParent and
 * ListOrganizationalUnitsForParent a root or OU; ListParents an account or OU).
 */
function organizationsResources(action: string, input: RowInput): string[] {
  const { partition, managementAccountId: mgmt, organizationId: org, memberAccountId } = input.deployment;
  const base = `arn:${partition}:organizations::${mgmt}`;
  const parents = (JSON.parse(input.env.ROLLOUT_OU_IDS ?? '[]') as string[]).map((id) =>
    id.startsWith('r-') ? `${base}:root/${org}/${id}` : `${base}:ou/${org}/${id}`,
  );
  const account = `${base}:account/${org}/${memberAccountId}`;
  const byAction: Record<string, string[]> = {
    'organizations:ListAccounts': ['*'],
    'organizations:DescribeOrganization': ['*'],
    'organizations:DescribeAccount': [account],
    'organizations:ListAccountsForParent': parents,
    'organizations:ListOrganizationalUnitsForParent': parents,
    'organizations:ListChildren': parents,
    'organizations:ListParents': [account, ...parents],
  };
  const resources = byAction[action];
  if (resources === undefined) throw new Error(`${input.fn}: no resources declared for ${action}`);
  return resources;
}

/** Organizations calls answer in the management account, through its delegation policy. */
function organizationsRow(action: string): Row {
  return (input) => {
    const management = input.templates.management;
    const scope = scopeOf(
      management,
      input.deployment.managementAccountId,
      'us-east-1',
      input.deployment.partition,
    );
    const delegation = Object.entries(resourcesOf(management)).find(
      ([, r]) => r.Type === 'AWS::Organizations::ResourcePolicy',
    );
    return organizationsResources(action, input).map((resource) => ({
      action,
      resource,
      resourceAccount: input.deployment.managementAccountId,
      ...(delegation
        ? {
            resourcePolicy: resolvedPolicy(delegation[1].Properties?.Content, scope),
            resourcePolicyName: `delegation policy ${delegation[0]} (management-account stack)`,
          }
        : {}),
    }));
  };
}

/** Rows for the calls a function makes with its own role, by IAM action. */
export const OWN_ROLE_ROWS: Readonly<Record<string, Row>> = {
  'sts:AssumeRole': assumeRole,
  'sns:Publish': topicPublish,
  'dynamodb:GetItem': tableItems('dynamodb:GetItem'),
  'dynamodb:PutItem': tableItems('dynamodb:PutItem'),
  'dynamodb:UpdateItem': tableItems('dynamodb:UpdateItem'),
  'dynamodb:DeleteItem': tableItems('dynamodb:DeleteItem'),
  'dynamodb:Query': tableItems('dynamodb:Query'),
  'dynamodb:Scan': tableItems('dynamodb:Scan'),
  's3:PutObject': bucketObjects('put'),
  's3:GetObject': bucketObjects('get'),
  'sqs:SendMessage': quarantine,
  'scheduler:CreateSchedule': schedules('scheduler:CreateSchedule'),
  'scheduler:DeleteSchedule': schedules('scheduler:DeleteSchedule'),
  'scheduler:GetSchedule': schedules('scheduler:GetSchedule'),
  'organizations:ListAccounts': organizationsRow('organizations:ListAccounts'),
  'organizations:DescribeAccount': organizationsRow('organizations:DescribeAccount'),
  'organizations:DescribeOrganization': organizationsRow('organizations:DescribeOrganization'),
  'organizations:ListAccountsForParent': organizationsRow('organizations:ListAccountsForParent'),
  'organizations:ListOrganizationalUnitsForParent': organizationsRow(
    'organizations:ListOrganizationalUnitsForParent',
  ),
  'organizations:ListChildren': organizationsRow('organizations:ListChildren'),
  'organizations:ListParents': organizationsRow('organizations:ListParents'),
};
