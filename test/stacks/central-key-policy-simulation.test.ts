import { beforeAll, describe, expect, it } from 'vitest';
import { NAMES } from '../../stacks/names';
import { synthAppOnce, testConfig } from '../helpers/app';
import {
  logicalIdOf,
  policiesOfRole,
  resolveIntrinsics,
  simulate,
  type PolicyDocument,
  type TemplateScope,
  withoutCondition,
} from '../helpers/policy-simulation';

// The central stack's one customer-managed key (docs/adr/0019-one-key-for-the-central-stack.md) encrypts
// the alert topic, the finding table, the sweep bucket and the chat topic. Its policy (and the IAM
// grants it delegates to) must keep each principal to the use it has today: proven here with the
// offline IAM simulator on the synthesized template. Each denial that rests on a condition is shown to
// flip to allowed when that condition is removed, so no test passes by accident.
//
// kms:ViaService: "limits use of a KMS key to requests from specified AWS services" (AWS KMS Developer
// Guide, "AWS KMS condition keys", https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
// aws:SourceArn / aws:SourceAccount for the CloudWatch alarm service principal: Amazon SNS Developer
// Guide, "Configure AWS KMS permissions for AWS services"
// (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).

type Json = Record<string, unknown>;

const SECURITY = '222222222222';
const OUTSIDER = '999999999999';
const REGION = 'eu-central-1';
const KEY = `arn:aws:kms:${REGION}:${SECURITY}:key/11111111-2222-3333-4444-555555555555`;
const ALARM = `arn:aws:cloudwatch:${REGION}:${SECURITY}:alarm:OrgMfaWatch-Central-CheckerErrors`;
const ROLE = (name: string) => `arn:aws:iam::${SECURITY}:role/${name}`;
const ADMIN_POLICY: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
/** Stands for the reporter's generated role name in the simulated principal ARN. */
const REPORTER_NAME = 'org-mfa-watch-sweep-reporter';
const via = (service: string) => ({ 'kms:ViaService': `${service}.${REGION}.amazonaws.com` });

let central: Json;
let scope: TemplateScope;
let keyPolicy: PolicyDocument;
const policiesOf: Record<string, PolicyDocument[]> = {};

beforeAll(() => {
  central = synthAppOnce(
    testConfig({ chat: { slack: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' }] } }),
  ).central.toJSON();
  const resources = central.Resources as Record<string, { Type: string; Properties: Json }>;
  const keys = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::KMS::Key');
  expect(keys).toHaveLength(1);
  const [keyId, key] = keys[0] ?? ['?', undefined];
  scope = { account: SECURITY, region: REGION, resources: { [`${keyId}.Arn`]: KEY } };
  keyPolicy = resolveIntrinsics(key?.Properties.KeyPolicy, scope) as PolicyDocument;
  for (const name of [NAMES.checkerRole, NAMES.sweepPlannerRole, NAMES.sweepWorkerRole]) {
    policiesOf[name] = policiesOfRole(
      central,
      logicalIdOf(central, 'AWS::IAM::Role', { RoleName: name }),
      scope,
    );
  }
  // The reporter's role has a generated name: found by its construct path.
  const reporterIds = Object.keys(resources).filter(
    (id) => id.startsWith('SweepReporterRole') && resources[id]?.Type === 'AWS::IAM::Role',
  );
  expect(reporterIds).toHaveLength(1);
  policiesOf[REPORTER_NAME] = policiesOfRole(central, reporterIds[0] ?? '?', scope);
});

const useKey = (
  principal: string,
  action: string,
  identityPolicies: readonly PolicyDocument[],
  context: Record<string, string> = {},
  resourcePolicy: PolicyDocument = keyPolicy,
) =>
  simulate({
    principal,
    action,
    resource: KEY,
    resourceAccount: SECURITY,
    identityPolicies,
    resourcePolicy,
    context,
  });

const stripViaService = (policies: readonly PolicyDocument[]) =>
  policies.map((p) => withoutCondition(p, 'kms:ViaService'));

describe('a principal outside the account', () => {
  const intruder = `arn:aws:iam::${OUTSIDER}:role/intruder`;

  it('may not decrypt with the key, even with kms:* in its own policies: the key policy names only this account', async () => {
    expect(await useKey(intruder, 'kms:Decrypt', [ADMIN_POLICY], via('s3'))).not.toBe('Allowed');
    expect(await useKey(intruder, 'kms:Decrypt', [ADMIN_POLICY])).not.toBe('Allowed');
    // The denial is the key policy's: one statement naming the other account flips it.
    const opened: PolicyDocument = {
      ...keyPolicy,
      Statement: [
        ...keyPolicy.Statement,
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${OUTSIDER}:root` },
          Action: 'kms:Decrypt',
          Resource: '*',
        },
      ],
    };
    expect(await useKey(intruder, 'kms:Decrypt', [ADMIN_POLICY], {}, opened)).toBe('Allowed');
  });

  it("another account's CloudWatch alarm may not decrypt, because of aws:SourceAccount and aws:SourceArn", async () => {
    const foreignAlarm = {
      'aws:SourceAccount': OUTSIDER,
      'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${OUTSIDER}:alarm:x`,
    };
    const alarm = (policy: PolicyDocument, context: Record<string, string>) =>
      useKey('cloudwatch.amazonaws.com', 'kms:Decrypt', [], context, policy);
    expect(await alarm(keyPolicy, { 'aws:SourceAccount': SECURITY, 'aws:SourceArn': ALARM })).toBe('Allowed');
    expect(await alarm(keyPolicy, foreignAlarm)).not.toBe('Allowed');
    const unconditioned = withoutCondition(withoutCondition(keyPolicy, 'aws:SourceArn'), 'aws:SourceAccount');
    expect(await alarm(unconditioned, foreignAlarm)).toBe('Allowed');
  });
});

describe('the sweep planner (uploads account lists, never reads an object back)', () => {
  const planner = ROLE(NAMES.sweepPlannerRole);

  it('may ask S3 for a data key to upload', async () => {
    expect(
      await useKey(planner, 'kms:GenerateDataKey', policiesOf[NAMES.sweepPlannerRole] ?? [], via('s3')),
    ).toBe('Allowed');
  });

  it('may not decrypt: not through S3 (reports, map results), DynamoDB (findings), SNS or directly', async () => {
    const policies = policiesOf[NAMES.sweepPlannerRole] ?? [];
    for (const context of [via('s3'), via('dynamodb'), via('sns'), {}]) {
      expect(await useKey(planner, 'kms:Decrypt', policies, context)).not.toBe('Allowed');
    }
  });

  it('may not ask for a data key outside S3, only because of kms:ViaService', async () => {
    const policies = policiesOf[NAMES.sweepPlannerRole] ?? [];
    expect(await useKey(planner, 'kms:GenerateDataKey', policies)).not.toBe('Allowed');
    expect(await useKey(planner, 'kms:GenerateDataKey', stripViaService(policies))).toBe('Allowed');
  });
});

describe('a grant made for one resource does not reach the others (kms:ViaService)', () => {
  it('the checker decrypts through DynamoDB (findings) and SNS (publish), not through S3 (reports)', async () => {
    const checker = ROLE(NAMES.checkerRole);
    const policies = policiesOf[NAMES.checkerRole] ?? [];
    expect(await useKey(checker, 'kms:Decrypt', policies, via('dynamodb'))).toBe('Allowed');
    expect(await useKey(checker, 'kms:Decrypt', policies, via('sns'))).toBe('Allowed');
    expect(await useKey(checker, 'kms:Decrypt', policies, via('s3'))).not.toBe('Allowed');
    expect(await useKey(checker, 'kms:Decrypt', stripViaService(policies), via('s3'))).toBe('Allowed');
  });

  it('no function may call KMS directly with the key (a ciphertext it got hold of stays sealed)', async () => {
    for (const [name, policies] of Object.entries(policiesOf)) {
      expect(await useKey(ROLE(name), 'kms:Decrypt', policies), name).not.toBe('Allowed');
    }
    const reporter = policiesOf[REPORTER_NAME] ?? [];
    expect(await useKey(ROLE(REPORTER_NAME), 'kms:Decrypt', stripViaService(reporter))).toBe('Allowed');
  });

  it('the sweep worker (publishes, stores findings) may not read the reports through S3', async () => {
    const worker = ROLE(NAMES.sweepWorkerRole);
    const policies = policiesOf[NAMES.sweepWorkerRole] ?? [];
    expect(await useKey(worker, 'kms:Decrypt', policies, via('sns'))).toBe('Allowed');
    expect(await useKey(worker, 'kms:Decrypt', policies, via('s3'))).not.toBe('Allowed');
    expect(await useKey(worker, 'kms:Decrypt', stripViaService(policies), via('s3'))).toBe('Allowed');
  });

  it('the sweep reporter reads map results through S3', async () => {
    const reporter = ROLE(REPORTER_NAME);
    expect(await useKey(reporter, 'kms:Decrypt', policiesOf[REPORTER_NAME] ?? [], via('s3'))).toBe('Allowed');
  });
});
