import { describe, expect, it } from 'vitest';
import { FindingSuppressions } from '../../../functions/core/finding-suppression';
import { StormGuard, type StormGuardPort } from '../../../functions/core/storm-guard';
import type { RolloutState, SweepAccountResult, SweepBatchResult } from '../../../functions/contract/sweep';
import { useDynalite } from '../../helpers/store';
import { FakeMemberAccounts, type FakeAccount } from '../../../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN, sweepWorker, type SweepWorkerHarnessOptions } from '../../helpers/sweep-harness';

// The sweep worker with the planner's rollout status (docs/adr/0017-rollout-status-and-alert-storms.md)
// and the storm guard, on real SDK clients over the fake member accounts and a dynalite finding store.

const A = '111111111111';
const B = '444455556666';
const NOW = new Date('2026-10-05T10:00:00Z');
const FRESH = { state: 'ready', generatedAt: new Date(NOW.getTime() - 3_600_000) } as const;

const dynamo = useDynalite();

const item = (accountId: string, rollout?: RolloutState) => ({
  accountId,
  name: `account ${accountId}`,
  coverage: 'stackset',
  ...(rollout === undefined ? {} : { rollout }),
});

async function setup(
  accounts: Record<string, FakeAccount>,
  options: Partial<Omit<SweepWorkerHarnessOptions, 'transport'>> = {},
) {
  const aws = new FakeMemberAccounts(accounts, { centralBusArn: TEST_BUS_ARN, now: () => NOW });
  const harness = await sweepWorker(dynamo, {
    ...options,
    now: () => NOW,
    transport: { requestHandler: aws.requestHandler },
  });
  return { aws, ...harness };
}

function account(result: SweepBatchResult, accountId: string): SweepAccountResult {
  const found = result.accounts.find((a) => a.accountId === accountId);
  if (!found) throw new Error(`no result for ${accountId}`);
  return found;
}

describe('sweep worker: the StackSet instance decides why a role cannot be assumed', () => {
  it('an instance not landed yet is rollout-pending: no finding, no alert', async () => {
    const { aws, sweep, store } = await setup({ [A]: { denied: true } });
    const result = account(
      await sweep({ Items: [item(A, { status: 'pending', reason: 'no StackSet instance yet' })] }),
      A,
    );
    expect(result).toMatchObject({ outcome: 'rollout-pending', findings: [] });
    expect(result.reason).toBe('StackSet instance not deployed yet (no StackSet instance yet)');
    expect(await store.listFindings({ accountId: A })).toEqual([]);
    expect(aws.published).toHaveLength(0);
  });

  it('a FAILED instance opens one ROLLOUT_FAILED (HIGH) with the StackSet status reason, not ACCOUNT_NOT_COVERED', async () => {
    const { aws, sweep, store } = await setup({ [A]: { denied: true } });
    const reason = 'FAILED: Resource handler returned message: "Role org-mfa-watch-check already exists"';
    const result = account(
      await sweep({
        Items: [item(A, { status: 'failed', reason })],
        BatchInput: { sweepId: 'day-1', mode: 'scheduled' },
      }),
      A,
    );
    expect(result.outcome).toBe('not-covered');
    expect(result.findings.map((f) => `${f.kind}:${f.severity}:${f.change}`)).toEqual([
      'ROLLOUT_FAILED:HIGH:new',
    ]);
    expect((await store.listFindings({ accountId: A })).map((f) => f.kind)).toEqual(['ROLLOUT_FAILED']);
    expect(aws.published).toHaveLength(1);
    expect(aws.published[0]!.attributes.finding).toBe('ROLLOUT_FAILED');
    expect(aws.published[0]!.body).toContain('Role org-mfa-watch-check already exists');
    expect(aws.published[0]!.subject).toMatch(
      /^\[org-mfa-watch\] HIGH: StackSet instance failed in 111111111111/,
    );
  });

  it.each([
    ['current', { status: 'current' } as const],
    ['unknown (ListStackInstances failed)', { status: 'unknown' } as const],
    ['absent (an older planner)', undefined],
  ])('an instance %s with the role unreachable is ACCOUNT_NOT_COVERED, as before', async (_name, rollout) => {
    const { aws, sweep } = await setup({ [A]: { denied: true } });
    const result = account(await sweep({ Items: [item(A, rollout)] }), A);
    expect(result.outcome).toBe('not-covered');
    expect(result.findings.map((f) => f.kind)).toEqual(['ACCOUNT_NOT_COVERED']);
    expect(aws.published.map((p) => p.attributes.finding)).toEqual(['ACCOUNT_NOT_COVERED']);
  });

  it('a reachable account whose instance failed (an update that did not land) gets ROLLOUT_FAILED, resolved once current', async () => {
    const { aws, sweep } = await setup({ [A]: { report: FRESH } });
    const failed = account(await sweep({ Items: [item(A, { status: 'failed', reason: 'OUTDATED' })] }), A);
    expect(failed.outcome).toBe('checked');
    expect(failed.findings.map((f) => `${f.kind}:${f.change}`)).toEqual(['ROLLOUT_FAILED:new']);
    expect(aws.published[0]!.body).toContain('OUTDATED');

    const unknown = account(await sweep({ Items: [item(A, { status: 'unknown' })] }), A);
    expect(unknown.findings.map((f) => `${f.kind}:${f.change}`)).toEqual(['ROLLOUT_FAILED:still-open']);

    const current = account(await sweep({ Items: [item(A, { status: 'current' })] }), A);
    expect(current.findings.map((f) => `${f.kind}:${f.change}:${f.resolvedBecause}`)).toEqual([
      'ROLLOUT_FAILED:resolved:rollout-recovered',
    ]);
    expect(aws.published).toHaveLength(1);
  });
});

describe('sweep worker: the storm guard', () => {
  const denied = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, { denied: true }]));
  const ids = ['100000000001', '100000000002', '100000000003', '100000000004', '100000000005'];

  // The day-one case when the StackSet instances cannot be read (status unknown): every unreachable
  // account is ACCOUNT_NOT_COVERED as before, and the guard keeps that to a handful of messages.
  it('alerts the first accounts of a kind up to the threshold and holds the rest, unnotified, for the reporter (rollout status unknown)', async () => {
    const tableHolder: { guard?: StormGuardPort } = {};
    const guard: StormGuardPort = { admit: (input) => tableHolder.guard!.admit(input) };
    const { aws, sweep, store, tableName } = await setup(denied(ids), { stormGuard: guard });
    tableHolder.guard = new StormGuard(dynamo.client, tableName, 2);
    const result = await sweep({
      Items: ids.map((id) => item(id, { status: 'unknown' })),
      BatchInput: { sweepId: 'day-1', mode: 'scheduled' },
    });
    const findings = result.accounts.flatMap((a) => a.findings);
    expect(findings).toHaveLength(5);
    expect(findings.every((f) => f.change === 'new')).toBe(true);
    expect(findings.filter((f) => f.held === true)).toHaveLength(3);
    expect(aws.published).toHaveLength(2);
    // Held findings are findings like any other, left unnotified: the reporter (or a later sweep) alerts them.
    const stored = (await store.listFindings({ state: 'OPEN' })).filter((f) => ids.includes(f.accountId));
    expect(stored).toHaveLength(5);
    expect(stored.filter((f) => f.lastNotified === undefined)).toHaveLength(3);
  });

  it('counts each account once per sweep and kind: a retried batch is not a storm', async () => {
    const { tableName } = await setup({});
    const guard = new StormGuard(dynamo.client, tableName, 1);
    const ask = (accountId: string, sweepId = 's-1') =>
      guard.admit({ sweepId, kind: 'ACCOUNT_NOT_COVERED', accountId, now: NOW });
    expect(await ask(A)).toBe(true);
    expect(await ask(A)).toBe(true);
    expect(await ask(B)).toBe(false);
    expect(await ask(B, 's-2')).toBe(true);
    expect(await guard.admit({ sweepId: 's-1', kind: 'FORWARDING_BROKEN', accountId: B, now: NOW })).toBe(
      true,
    );
  });

  it('alerts individually when the count cannot be kept: an alert is never lost to the guard', async () => {
    const errors: unknown[] = [];
    const guard = new StormGuard(dynamo.client, 'no-such-table', 1, (error) => errors.push(error));
    expect(await guard.admit({ sweepId: 's-1', kind: 'ROLLOUT_FAILED', accountId: A, now: NOW })).toBe(true);
    expect(await guard.admit({ sweepId: 's-1', kind: 'ROLLOUT_FAILED', accountId: B, now: NOW })).toBe(true);
    expect(errors).toHaveLength(2);
  });

  it('a local run (no sweep id) never holds an alert', async () => {
    const guard: StormGuardPort = { admit: () => Promise.resolve(false) };
    const { aws, sweep } = await setup(denied(ids.slice(0, 2)), { stormGuard: guard });
    await sweep({ Items: ids.slice(0, 2).map((id) => item(id)) });
    expect(aws.published).toHaveLength(2);
  });
});

describe('sweep worker: a forward rule with the wrong target', () => {
  it('shows the expected bus beside the actual target in the alert', async () => {
    const other = 'arn:aws:events:us-east-1:999999999999:event-bus/look-alike';
    const { aws, sweep } = await setup({
      [A]: { report: FRESH, rule: { state: 'ENABLED', targets: [other] } },
    });
    await sweep({ Items: [item(A)] });
    const alert = aws.published.find((p) => p.attributes.finding === 'WRONG_TARGET');
    expect(alert?.body).toContain(`Expected target: ${TEST_BUS_ARN}`);
    expect(alert?.body).toContain(`Actual targets: ${other}`);
  });
});

describe('sweep worker: an accepted (suppressed) finding (issue 19, item 8)', () => {
  it('is not alerted while suppressed, shows its day in the result, and alerts once after the day', async () => {
    let now = NOW;
    const aws = new FakeMemberAccounts(
      { [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } } },
      { centralBusArn: TEST_BUS_ARN, now: () => now },
    );
    const { sweep, store, tableName } = await sweepWorker(dynamo, {
      now: () => now,
      transport: { requestHandler: aws.requestHandler },
    });
    // The finding exists, never notified (its first alert failed), then someone accepts it.
    const { finding } = await store.observeProblem({
      accountId: A,
      kind: 'USER_NO_MFA',
      userName: 'alice',
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'sweep',
      now: new Date(NOW.getTime() - 3 * 86_400_000),
    });
    await new FindingSuppressions({ client: dynamo.client, tableName }).suppress({
      findingId: finding.findingId,
      until: '2026-10-31',
      reason: 'break-glass user, reviewed monthly',
      by: 'arn:aws:sts::222222222222:assumed-role/SecurityAdmin/jane',
      now: NOW,
    });
    const during = account(
      await sweep({ Items: [item(A)], BatchInput: { sweepId: 's-1', mode: 'scheduled' } }),
      A,
    );
    expect(during.findings).toMatchObject([
      { kind: 'USER_NO_MFA', change: 'still-open', suppressedUntil: '2026-10-31' },
    ]);
    expect(aws.published).toHaveLength(0);

    now = new Date('2026-11-01T06:00:00Z');
    const after = account(
      await sweep({ Items: [item(A)], BatchInput: { sweepId: 's-2', mode: 'scheduled' } }),
      A,
    );
    expect(after.findings).toMatchObject([{ kind: 'USER_NO_MFA', change: 'new' }]);
    expect(after.findings[0]?.suppressedUntil).toBeUndefined();
    expect(aws.published).toHaveLength(1);
  });
});
