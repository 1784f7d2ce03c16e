import { Logger } from '@aws-lambda-powertools/logger';
import {
  DetachUserPolicyCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENFORCEMENT_ENV } from '../../../functions/contract/enforcement';
import type { ReleaseRequest, ReleaseResponse } from '../../../functions/contract/release';
import { FindingStore } from '../../../functions/core/finding-store';
import { QuarantineStore, releasedByHandAt } from '../../../functions/core/quarantine-store';
import { quarantinePolicyArnOf } from '../../../functions/sweep-worker/enforce';
import { createReleaseRoute } from '../../../functions/sweep-worker/release-route';
import { isReleaseInvocation, parseReleaseRequest } from '../../../functions/sweep-worker/release-request';
import { createFindingsTable, startDynalite, type LocalDynamo } from '../../../scripts/simulation/dynalite';
import { sweepSettings } from '../../helpers/sweep-harness';

// Issue 23, item 5: `npm run findings -- release <id> --reason "..."` detaches the quarantine policy by
// hand and records who and why; the next sweep waits afterHours. The CLI cannot assume the enforce role
// (it trusts only the worker's role), so the worker does it: the real route, on a real DynamoDB
// implementation (dynalite), with IAM, STS and SNS mocked (aws-sdk-client-mock).

const A = '333333333333';
const T0 = new Date('2026-12-01T09:00:00Z');
const T1 = new Date('2026-12-04T09:05:00Z');
const NOW = new Date('2026-12-07T12:30:00Z');
const ADMIN = 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com';
const POLICY = quarantinePolicyArnOf('aws', A);
const ENFORCE_ENV = {
  [ENFORCEMENT_ENV.mode]: 'quarantine',
  [ENFORCEMENT_ENV.roleName]: 'org-mfa-watch-enforce',
  [ENFORCEMENT_ENV.afterHours]: '72',
  [ENFORCEMENT_ENV.organizationalUnitIds]: '["ou-ab12-34cd56ef"]',
  [ENFORCEMENT_ENV.includeProgrammaticUsers]: 'false',
  [ENFORCEMENT_ENV.maxPerSweep]: '20',
};

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const sns = mockClient(SNSClient);

let dynamo: LocalDynamo;
let tableName: string;
let findings: FindingStore;
let quarantines: QuarantineStore;

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  for (const mock of [iam, sts, sns]) mock.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIATESTKEY',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  tableName = await createFindingsTable(dynamo.client, 'release');
  findings = new FindingStore({ client: dynamo.client, tableName });
  quarantines = new QuarantineStore({ client: dynamo.client, tableName });
});

function route(env: Record<string, string> = ENFORCE_ENV) {
  return createReleaseRoute({
    settings: sweepSettings({ findings: { tableName, resolvedRetentionDays: 30 } }),
    env,
    clientConfig: { region: 'us-east-1' } as never,
    dynamodb: dynamo.client,
    sns: new SNSClient({ region: 'us-east-1' }),
    logger: new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' }),
    now: () => NOW,
  });
}

/** Alice's USER_NO_MFA finding, quarantined by the sweep at T1 unless told otherwise; its id. */
async function aliceFinding(quarantined = true): Promise<string> {
  const { finding } = await findings.observeProblem({
    accountId: A,
    kind: 'USER_NO_MFA',
    userName: 'Alice',
    severity: 'HIGH',
    detail: 'NO_MFA_CONSOLE',
    source: 'sweep',
    now: T0,
  });
  if (quarantined) {
    await quarantines.markQuarantined(
      { accountId: A, userName: 'Alice' },
      { by: 'sweep:2026-12-04', reason: 'USER_NO_MFA open 72 h', now: T1 },
    );
  }
  return finding.findingId;
}

const request = (findingId: string, overrides: Partial<ReleaseRequest> = {}): ReleaseRequest => ({
  findingId,
  accountId: A,
  userName: 'Alice',
  reason: 'travelling, enrols Monday',
  by: ADMIN,
  ...overrides,
});

function attached(yes: boolean): void {
  iam.on(ListAttachedUserPoliciesCommand).resolves({
    AttachedPolicies: yes ? [{ PolicyName: 'org-mfa-watch-quarantine', PolicyArn: POLICY }] : [],
    IsTruncated: false,
  });
}

describe('a release by hand, routed by the worker', () => {
  it('assumes the enforce role, detaches the policy, records who and why, and sends the notice', async () => {
    const id = await aliceFinding();
    attached(true);
    iam.on(DetachUserPolicyCommand).resolves({});
    const answer = await route()(request(id));
    expect(answer).toEqual({
      ok: true,
      findingId: id,
      accountId: A,
      userName: 'Alice',
      outcome: 'detached',
      recorded: true,
      at: NOW.toISOString(),
      by: ADMIN,
      reason: 'travelling, enrols Monday',
      notBeforeHours: 72,
    });
    const assumed = sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    expect(assumed?.RoleArn).toBe(`arn:aws:iam::${A}:role/org-mfa-watch-enforce`);
    expect(iam.commandCalls(DetachUserPolicyCommand)[0]?.args[0].input).toEqual({
      UserName: 'Alice',
      PolicyArn: POLICY,
    });
    const state = await quarantines.get({ accountId: A, userName: 'Alice' });
    expect(state?.quarantined).toBeUndefined();
    expect(state?.released).toEqual({
      at: NOW.toISOString(),
      by: ADMIN,
      reason: 'travelling, enrols Monday',
    });
    // The plan's "not again within afterHours of a release by hand" reads exactly this.
    expect(releasedByHandAt(state ?? {})).toBe(NOW.toISOString());
    const published = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(published).toHaveLength(1);
    expect(published[0]?.Subject).toBe(`org-mfa-watch: quarantine of Alice in ${A} released by hand`);
    expect(published[0]?.Message).toContain('"Alice"');
    expect(published[0]?.Message).toContain(`Released by: ${ADMIN}`);
    expect(published[0]?.Message).toContain('Reason: travelling, enrols Monday');
    expect(published[0]?.Message).toContain('sweep:2026-12-04: USER_NO_MFA open 72 h');
    expect(published[0]?.MessageAttributes?.finding?.StringValue).toBe('QUARANTINE_RELEASED');
  });

  it('records the release when IAM has nothing attached any more (detached in the console)', async () => {
    const id = await aliceFinding();
    attached(false);
    const answer = await route()(request(id));
    expect(answer).toMatchObject({ ok: true, outcome: 'not-attached', recorded: true });
    expect(iam.commandCalls(DetachUserPolicyCommand)).toHaveLength(0);
  });

  it.each([
    ['AccessDenied', 'denied'],
    ['Throttling', 'throttled'],
  ])('reports a detach refused by IAM (%s) and leaves the quarantine recorded', async (name, outcome) => {
    const id = await aliceFinding();
    attached(true);
    iam
      .on(DetachUserPolicyCommand)
      .rejects(new IAMServiceException({ name, $fault: 'client', $metadata: {}, message: name }));
    const answer = await route()(request(id));
    expect(answer).toMatchObject({ ok: false, error: 'detach-failed' });
    expect(answer.ok ? '' : answer.message).toContain(`(${outcome})`);
    expect((await quarantines.get({ accountId: A, userName: 'Alice' }))?.quarantined).toBeDefined();
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('reports an enforce role that cannot be assumed', async () => {
    const id = await aliceFinding();
    sts.on(AssumeRoleCommand).rejects(new Error('AccessDenied: not authorized to perform sts:AssumeRole'));
    const answer = await route()(request(id));
    expect(answer).toMatchObject({ ok: false, error: 'detach-failed' });
  });

  it('refuses a user who is not quarantined, with a clear message, and changes nothing', async () => {
    const id = await aliceFinding(false);
    const answer = await route()(request(id));
    expect(answer).toEqual({
      ok: false,
      error: 'not-quarantined',
      message: `user Alice in ${A} is not quarantined: nothing to release`,
    });
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  });

  it('refuses an unknown finding, or an id that is not the user finding', async () => {
    const id = await aliceFinding();
    expect(await route()(request(id, { userName: 'bob' }))).toMatchObject({ ok: false, error: 'not-found' });
    expect(await route()(request('f-00000000000000000000'))).toMatchObject({ ok: false, error: 'not-found' });
    expect(iam.calls()).toHaveLength(0);
  });

  it('refuses when enforcement is off in the deployment', async () => {
    const id = await aliceFinding();
    const answer: ReleaseResponse = await route({})(request(id));
    expect(answer).toMatchObject({ ok: false, error: 'enforcement-off' });
  });

  it.each([
    ['findingId', { findingId: 'f-xyz' }],
    ['accountId', { accountId: '3333' }],
    ['userName', { userName: 'bad name' }],
    ['reason', { reason: '' }],
    ['reason', { reason: 'two\nlines' }],
    ['reason', { reason: 'x'.repeat(501) }],
    ['by', { by: 'jane' }],
  ])('names the bad field %s', async (field, overrides) => {
    const answer = await route()(request('f-0123456789abcdef0123', overrides));
    expect(answer).toMatchObject({ ok: false, error: 'invalid-request' });
    expect(answer.ok ? '' : answer.message).toMatch(new RegExp(`^release\\.${field}: expected `));
  });

  it('names a field it does not know, and a request that is no object', () => {
    expect(() => parseReleaseRequest({ ...request('f-0123456789abcdef0123'), user: 'x' })).toThrow(
      'release.user: expected no such field',
    );
    expect(() => parseReleaseRequest('f-0123456789abcdef0123')).toThrow('release.(request)');
  });

  it('tells a release invocation from a sweep batch', () => {
    expect(isReleaseInvocation({ release: {} })).toBe(true);
    expect(isReleaseInvocation({ Items: [], BatchInput: {} })).toBe(false);
    expect(isReleaseInvocation([{ release: {} }])).toBe(false);
  });
});
