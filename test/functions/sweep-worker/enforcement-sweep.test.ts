import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { EnforcementSummary } from '../../../functions/contract/enforcement';
import type {
  SweepAccountItem,
  SweepAccountResult,
  SweepBatchResult,
} from '../../../functions/contract/sweep';
import { SWEEP_KEYS } from '../../../functions/contract/sweep';
import type { EnforcementEnv } from '../../../functions/core/enforcement-env';
import { FindingSuppressions } from '../../../functions/core/finding-suppression';
import { FakeMemberAccounts, type FakeAccount } from '../../../scripts/simulation/fake-member-accounts';
import { useDynalite } from '../../helpers/store';
import { TEST_BUS_ARN, sweepWorker } from '../../helpers/sweep-harness';
import { fakeBucket } from '../sweep-reporter/fake-bucket';

// Opt-in enforcement (issue 23, ADR 0022) end to end on the real sweep worker (createSweepWorker with real
// SDK clients over the simulated member accounts), the real finding store (dynalite) and the Enforce step
// reading the Distributed Map's ResultWriter files: the account workers release and plan, the Enforce step
// applies the org-wide cap and attaches.

const A = '111111111111';
const B = '444455556666';
const T0 = new Date('2026-10-05T10:00:00Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);
const POLICY = (account: string) => `arn:aws:iam::${account}:policy/org-mfa-watch-quarantine`;
const BUCKET = 'org-mfa-watch-sweep-222222222222';

const dynamo = useDynalite();

const noMfa = { mfaDevices: 0, console: true } as const;
const withMfa = { mfaDevices: 1, console: true } as const;

const item = (accountId: string, inEnforcementOus: boolean): SweepAccountItem => ({
  accountId,
  name: `account ${accountId}`,
  coverage: 'stackset',
  ...(inEnforcementOus ? { inEnforcementOus: true } : {}),
});

const SETTINGS: Omit<EnforcementEnv, 'roleName'> = {
  mode: 'quarantine',
  afterHours: 72,
  includeProgrammaticUsers: false,
  maxPerSweep: 20,
  organizationalUnitIds: ['ou-ab12-34cd56ef'],
};

async function setup(
  accounts: Record<string, FakeAccount>,
  options: {
    enforcement?: Partial<Omit<EnforcementEnv, 'roleName'>>;
    fail?: ConstructorParameters<typeof FakeMemberAccounts>[1]['fail'];
    exemptions?: { accountId: string; userName: string }[];
    tableName?: string;
  } = {},
) {
  let now = T0;
  const aws = new FakeMemberAccounts(accounts, {
    centralBusArn: TEST_BUS_ARN,
    now: () => now,
    ...(options.fail === undefined ? {} : { fail: options.fail }),
  });
  const harness = await sweepWorker(dynamo, {
    now: () => now,
    transport: { requestHandler: aws.requestHandler },
    enforcement: { ...SETTINGS, ...options.enforcement },
    ...(options.tableName === undefined ? {} : { tableName: options.tableName }),
    ...(options.exemptions === undefined
      ? {}
      : {
          settings: {
            exemptions: options.exemptions.map((e) => ({
              accountId: e.accountId,
              userName: e.userName,
              reason: 'break-glass',
            })),
          },
        }),
  });
  const bucket = fakeBucket(BUCKET);
  let run = 0;
  /** One sweep at `at`: the worker over the items, then the Enforce step over its ResultWriter files. */
  async function sweepAt(at: Date, items: SweepAccountItem[]) {
    now = at;
    run += 1;
    const sweepId = `day-${run}`;
    const result = await harness.sweep({ Items: items, BatchInput: { sweepId, mode: 'scheduled' } });
    const prefix = `${SWEEP_KEYS.mapResultsPrefix}/${sweepId}`;
    bucket.objects.set(`${prefix}/manifest.json`, {
      body: JSON.stringify({ ResultFiles: { SUCCEEDED: [{ Key: `${prefix}/SUCCEEDED_0.json` }] } }),
    });
    bucket.objects.set(`${prefix}/SUCCEEDED_0.json`, {
      body: JSON.stringify([{ Status: 'SUCCEEDED', Output: JSON.stringify(result) }]),
    });
    const summary = await harness.enforceStep(
      new S3Client({ region: 'us-east-1' }),
      BUCKET,
    )({
      enforce: { sweepId, results: { Bucket: BUCKET, Key: `${prefix}/manifest.json` } },
    });
    return { result, summary };
  }
  return { aws, ...harness, sweepAt };
}

function account(result: SweepBatchResult, accountId: string): SweepAccountResult {
  const found = result.accounts.find((a) => a.accountId === accountId);
  if (found === undefined) throw new Error(`no result for ${accountId}`);
  return found;
}

const names = (users: EnforcementSummary['quarantined']) => users.map((u) => `${u.accountId}/${u.userName}`);
const enforcementMail = (aws: FakeMemberAccounts, finding: string) =>
  aws.published.filter((m) => m.attributes.finding === finding);

describe('enforcement in the sweep: when a user is quarantined', () => {
  it('quarantines a console user after afterHours and not before, through the enforce role, recorded and noticed', async () => {
    const { aws, sweepAt, quarantine } = await setup({ [A]: { users: { alice: noMfa } } });
    await sweepAt(T0, [item(A, true)]);
    const early = await sweepAt(hours(71), [item(A, true)]);
    expect(early.summary.quarantined).toEqual([]);
    expect(aws.policies.of(A, 'alice')).toEqual([]);

    const due = await sweepAt(hours(73), [item(A, true)]);
    expect(names(due.summary.quarantined)).toEqual([`${A}/alice`]);
    expect(due.summary.failures).toEqual([]);
    expect(aws.policies.of(A, 'alice')).toEqual([POLICY(A)]);
    // The attach went through org-mfa-watch-enforce, never the read-only check role.
    const attach = aws.callsOf(A, 'AttachUserPolicy');
    expect(attach).toHaveLength(1);
    const roles = aws.calls.filter((c) => c.action === 'AssumeRole').map((c) => c.params.RoleArn);
    expect(roles).toContain(`arn:aws:iam::${A}:role/org-mfa-watch-enforce`);
    const state = await quarantine.get({ accountId: A, userName: 'alice' });
    expect(state?.quarantined).toMatchObject({ by: 'sweep:day-3' });
    expect(state?.quarantined?.reason).toMatch(/no MFA for 73 h/);
    const mail = enforcementMail(aws, 'USER_QUARANTINED');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body).toContain('alice');
    expect(mail[0]!.body).toContain('npm run findings -- release');

    // The next sweep does not attach again, and does not notify again.
    const again = await sweepAt(hours(97), [item(A, true)]);
    expect(again.summary.quarantined).toEqual([]);
    expect(aws.callsOf(A, 'AttachUserPolicy')).toHaveLength(1);
    expect(enforcementMail(aws, 'USER_QUARANTINED')).toHaveLength(1);
  });

  it('leaves root, exempt, suppressed, programmatic and out-of-scope users untouched', async () => {
    const { aws, sweepAt, tableName } = await setup({
      [A]: {
        users: { alice: noMfa, bob: noMfa, svc: { mfaDevices: 0, console: false }, erin: noMfa },
        root: { mfa: false, password: true },
      },
      [B]: { users: { dave: noMfa } },
    });
    await sweepAt(T0, [item(A, true), item(B, false)]);
    const suppressions = new FindingSuppressions({ client: dynamo.client, tableName });
    const bob = (await sweepAt(hours(1), [item(A, true)])).result.accounts[0]!.findings.find(
      (f) => f.userName === 'bob',
    )!;
    await suppressions.suppress({
      findingId: bob.findingId,
      until: '2026-12-31',
      reason: 'leaving next week',
      by: 'arn:aws:iam::222222222222:user/secops',
      now: hours(1),
    });
    const later = await setup({}, { tableName, exemptions: [{ accountId: A, userName: 'erin' }] });
    // The same organization, seen by a worker whose configuration exempts erin.
    Object.assign(later.aws.accounts, aws.accounts);
    const { summary } = await later.sweepAt(hours(80), [item(A, true), item(B, false)]);
    expect(names(summary.quarantined)).toEqual([`${A}/alice`]);
    expect(later.aws.policies.of(A, 'bob')).toEqual([]);
    expect(later.aws.policies.of(A, 'svc')).toEqual([]);
    expect(later.aws.policies.of(A, 'erin')).toEqual([]);
    expect(later.aws.policies.of(B, 'dave')).toEqual([]);
    expect(later.aws.callsOf(B, 'AttachUserPolicy')).toEqual([]);
  });

  it('dry-run reports who would be quarantined and changes nothing', async () => {
    const { aws, sweepAt, quarantine } = await setup(
      { [A]: { users: { alice: noMfa } } },
      { enforcement: { mode: 'dry-run' } },
    );
    await sweepAt(T0, [item(A, true)]);
    const before = aws.published.length;
    const { summary } = await sweepAt(hours(80), [item(A, true)]);
    expect(summary).toMatchObject({ mode: 'dry-run', quarantined: [] });
    expect(names(summary.wouldQuarantine)).toEqual([`${A}/alice`]);
    expect(aws.calls.filter((c) => ['AttachUserPolicy', 'DetachUserPolicy'].includes(c.action))).toEqual([]);
    expect((await quarantine.get({ accountId: A, userName: 'alice' }))?.log).toEqual([]);
    expect(aws.published.length).toBe(before);
  });

  it('over maxPerSweep, nobody is quarantined and one HIGH alert says enforcement halted, how many and why', async () => {
    const { aws, sweepAt } = await setup(
      { [A]: { users: { alice: noMfa, bob: noMfa } }, [B]: { users: { dave: noMfa } } },
      { enforcement: { maxPerSweep: 2 } },
    );
    await sweepAt(T0, [item(A, true), item(B, true)]);
    const { summary } = await sweepAt(hours(80), [item(A, true), item(B, true)]);
    expect(summary.quarantined).toEqual([]);
    expect(summary.halted).toMatchObject({ count: 3, maxPerSweep: 2 });
    expect(aws.calls.filter((c) => c.action === 'AttachUserPolicy')).toEqual([]);
    const halted = enforcementMail(aws, 'ENFORCEMENT_HALTED');
    expect(halted).toHaveLength(1);
    expect(halted[0]!.attributes.severity).toBe('HIGH');
    expect(halted[0]!.body).toContain('3 users in 2 account(s)');
    expect(halted[0]!.body).toContain('nobody was quarantined');
  });

  it.each([
    ['AccessDenied', 403, 'denied'],
    ['Throttling', 400, 'throttled'],
  ])(
    'an attach refused with %s is reported per user; the other users are quarantined',
    async (code, status, outcome) => {
      const { aws, sweepAt } = await setup(
        { [A]: { users: { alice: noMfa, bob: noMfa } } },
        {
          fail: ({ action, userName }) =>
            action === 'AttachUserPolicy' && userName === 'bob' ? { status, code } : undefined,
        },
      );
      await sweepAt(T0, [item(A, true)]);
      const { result, summary } = await sweepAt(hours(80), [item(A, true)]);
      expect(account(result, A).outcome).toBe('checked');
      expect(names(summary.quarantined)).toEqual([`${A}/alice`]);
      expect(summary.failures).toEqual([
        expect.objectContaining({ userName: 'bob', action: 'quarantine', outcome }),
      ]);
      expect(aws.policies.of(A, 'bob')).toEqual([]);
    },
  );
});

describe('enforcement in the sweep: release on every resolution', () => {
  /** alice quarantined by an earlier sweep; then the world changes; the next sweep releases her. */
  async function quarantined(options: Parameters<typeof setup>[1] = {}) {
    const world = await setup({ [A]: { users: { alice: noMfa } } }, options);
    await world.sweepAt(T0, [item(A, true)]);
    await world.sweepAt(hours(80), [item(A, true)]);
    expect(world.aws.policies.of(A, 'alice')).toEqual([POLICY(A)]);
    return world;
  }

  const released = async (world: Awaited<ReturnType<typeof quarantined>>, at: Date) => {
    const { result, summary } = await world.sweepAt(at, [item(A, true)]);
    return { account: account(result, A), summary };
  };

  it('MFA enabled: detached, recorded by the sweep, noticed, and in the summary', async () => {
    const world = await quarantined();
    world.aws.accounts[A] = { users: { alice: withMfa } };
    const { account: a, summary } = await released(world, hours(81));
    expect(a.findings.find((f) => f.userName === 'alice')).toMatchObject({
      change: 'resolved',
      resolvedBecause: 'mfa-enabled',
    });
    expect(a.enforcement?.released).toEqual([
      expect.objectContaining({ userName: 'alice', reason: 'quarantine released: the user enabled MFA' }),
    ]);
    expect(summary.released.map((r) => r.userName)).toEqual(['alice']);
    expect(world.aws.policies.of(A, 'alice')).toEqual([]);
    const state = await world.quarantine.get({ accountId: A, userName: 'alice' });
    expect(state?.quarantined).toBeUndefined();
    expect(state?.released).toMatchObject({ by: 'sweep:day-3' });
    const mail = enforcementMail(world.aws, 'USER_RELEASED');
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body).toContain('org-mfa-watch-quarantine was detached from alice');
  });

  it('user deleted: the quarantine record ends (nothing left to detach)', async () => {
    const world = await quarantined();
    world.aws.accounts[A] = { users: {} };
    const { account: a } = await released(world, hours(81));
    expect(a.enforcement?.released.map((r) => r.reason)).toEqual([
      'quarantine released: the user was deleted',
    ]);
    expect((await world.quarantine.get({ accountId: A, userName: 'alice' }))?.quarantined).toBeUndefined();
  });

  it('exempted: a worker whose configuration now exempts the user releases them', async () => {
    const world = await quarantined();
    const exempting = await setup(
      {},
      { tableName: world.tableName, exemptions: [{ accountId: A, userName: 'alice' }] },
    );
    Object.assign(exempting.aws.accounts, world.aws.accounts);
    exempting.aws.policies.attach(A, 'alice', POLICY(A));
    const { result } = await exempting.sweepAt(hours(81), [item(A, true)]);
    expect(account(result, A).enforcement?.released.map((r) => r.reason)).toEqual([
      'quarantine released: an exemption now applies',
    ]);
    expect(exempting.aws.policies.of(A, 'alice')).toEqual([]);
  });

  it('suppressed (accepted): released, and not quarantined again while accepted', async () => {
    const world = await quarantined();
    const alice = await world.quarantine.get({ accountId: A, userName: 'alice' });
    await new FindingSuppressions({ client: dynamo.client, tableName: world.tableName }).suppress({
      findingId: alice!.findingId,
      until: '2026-12-31',
      reason: 'leaving next week',
      by: 'arn:aws:iam::222222222222:user/secops',
      now: hours(81),
    });
    const { account: a, summary } = await released(world, hours(82));
    expect(a.enforcement?.released.map((r) => r.reason)).toEqual([
      'quarantine released: the finding was accepted (suppressed)',
    ]);
    expect(summary.quarantined).toEqual([]);
    expect(world.aws.policies.of(A, 'alice')).toEqual([]);
  });

  it('a detach refused with AccessDenied is reported, keeps the record, and does not fail the account', async () => {
    const world = await quarantined({
      fail: ({ action }) =>
        action === 'DetachUserPolicy' ? { status: 403, code: 'AccessDenied' } : undefined,
    });
    world.aws.accounts[A] = { users: { alice: withMfa } };
    const { account: a, summary } = await released(world, hours(81));
    expect(a.outcome).toBe('checked');
    expect(a.enforcement?.failures).toEqual([
      expect.objectContaining({ userName: 'alice', action: 'release', outcome: 'denied' }),
    ]);
    expect(summary.failures.map((f) => f.outcome)).toEqual(['denied']);
    expect((await world.quarantine.get({ accountId: A, userName: 'alice' }))?.quarantined).toBeDefined();
  });
});
