import { describe, expect, it } from 'vitest';
import { InvalidBatchError } from '../../../functions/sweep-worker/sweep-batch';
import { CHECKER_TIMEOUT_SECONDS } from '../../../functions/contract/timing';
import type { SweepAccountResult, SweepBatchResult } from '../../../functions/contract/sweep';
import { useDynalite } from '../../helpers/store';
import { startFakeAwsServer } from '../../../scripts/simulation/fake-aws-server';
import {
  FakeMemberAccounts,
  rowsOf,
  type FakeAccount,
  type FakeMemberOptions,
} from '../../../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN, sweepWorker, type SweepWorkerHarnessOptions } from '../../helpers/sweep-harness';

const A = '111111111111';
const B = '444455556666';
const NOW = new Date('2026-10-05T10:00:00Z');
const HOUR = 3_600_000;
const FRESH = { state: 'ready', generatedAt: new Date(NOW.getTime() - HOUR) } as const;

const dynamo = useDynalite();

const item = (accountId: string) => ({ accountId, name: `account ${accountId}`, coverage: 'stackset' });

async function setup(
  accounts: Record<string, FakeAccount>,
  options: Partial<Omit<SweepWorkerHarnessOptions, 'transport'>> & { fail?: FakeMemberOptions['fail'] } = {},
) {
  let now = options.now?.() ?? NOW;
  const aws = new FakeMemberAccounts(accounts, {
    centralBusArn: TEST_BUS_ARN,
    now: () => now,
    ...(options.fail === undefined ? {} : { fail: options.fail }),
  });
  const harness = await sweepWorker(dynamo, {
    ...options,
    now: () => now,
    transport: { requestHandler: aws.requestHandler },
  });
  return {
    aws,
    ...harness,
    setNow: (time: Date) => {
      now = time;
    },
  };
}

function account(result: SweepBatchResult, accountId: string): SweepAccountResult {
  const found = result.accounts.find((a) => a.accountId === accountId);
  if (!found) throw new Error(`no result for ${accountId}`);
  return found;
}

const changes = (result: SweepAccountResult) =>
  result.findings
    .map(
      (f) =>
        `${f.kind}:${f.userName ?? '-'}:${f.severity}:${f.change}${f.resolvedBecause ? `:${f.resolvedBecause}` : ''}`,
    )
    .sort();

describe('sweep worker: users without MFA', () => {
  it('opens HIGH and MEDIUM findings, alerts the HIGH one once, and a second sweep re-alerts nothing', async () => {
    const { aws, sweep, store } = await setup({
      [A]: {
        report: FRESH,
        users: {
          alice: { mfaDevices: 0, console: true, passwordLastUsed: '2026-09-30T08:00:00+00:00' },
          bob: { mfaDevices: 1, console: true },
          carol: { mfaDevices: 0, console: false, keyLastUsed: '2026-10-01T00:00:00+00:00' },
        },
      },
    });
    const first = account(await sweep({ Items: [item(A)] }), A);
    expect(first).toMatchObject({ outcome: 'checked', users: 3, inGracePeriod: 0, alias: 'fake-alias' });
    expect(changes(first)).toEqual(['USER_NO_MFA:alice:HIGH:new', 'USER_NO_MFA:carol:MEDIUM:new']);
    expect(first.findings.find((f) => f.userName === 'alice')).toMatchObject({
      consolePassword: true,
      lastUsed: '2026-09-30T08:00:00.000Z',
    });
    expect(first.findings.find((f) => f.userName === 'carol')).toMatchObject({
      consolePassword: false,
      lastUsed: '2026-10-01T00:00:00.000Z',
    });
    // One email: the HIGH finding. The MEDIUM one goes to the digest only, but is marked notified.
    expect(aws.published).toHaveLength(1);
    const alert = aws.published[0]!;
    const alice = first.findings.find((f) => f.userName === 'alice')!;
    expect(alert.attributes).toEqual({
      severity: 'HIGH',
      accountId: A,
      eventName: 'Sweep',
      finding: 'NO_MFA_CONSOLE',
      findingId: alice.findingId,
      findingState: 'OPEN',
    });
    expect(alert.subject).toBe(`[org-mfa-watch] HIGH: sweep found IAM user alice without MFA (${A})`);
    const stored = await store.listFindings({ accountId: A });
    expect(stored.map((f) => [f.subject, f.source, f.lastNotified !== undefined])).toEqual([
      ['alice', 'sweep', true],
      ['carol', 'sweep', true],
    ]);

    const second = account(await sweep({ Items: [item(A)] }), A);
    expect(changes(second)).toEqual([
      'USER_NO_MFA:alice:HIGH:still-open',
      'USER_NO_MFA:carol:MEDIUM:still-open',
    ]);
    expect(aws.published).toHaveLength(1);
  });

  it('makes at most 6 AWS calls per account plus 3 per candidate user (finding store excluded)', async () => {
    const { aws, sweep } = await setup({
      [A]: {
        report: FRESH,
        users: {
          alice: { mfaDevices: 0, console: true },
          bob: { mfaDevices: 1, console: true },
          dave: { mfaDevices: 2, console: false },
          carol: { mfaDevices: 0, console: false },
        },
      },
      [B]: { report: FRESH, users: { erin: { mfaDevices: 1, console: true } } },
    });
    await sweep({ Items: [item(A), item(B)] });
    const memberCalls = (id: string) => aws.callsOf(id).filter((c) => c.service !== 'sns');
    // A: two candidates (alice, carol).
    // A fresh report costs GenerateCredentialReport (COMPLETE) and one download (report-source.ts); the
    // dead-letter queue's depth is one GetQueueAttributes.
    expect(memberCalls(A).length).toBeLessThanOrEqual(7 + 3 * 2);
    expect(
      memberCalls(A)
        .filter((c) => c.userName === undefined)
        .map((c) => c.action)
        .sort(),
    ).toEqual([
      'AssumeRole',
      'DescribeRule',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GetQueueAttributes',
      'ListAccountAliases',
      'ListTargetsByRule',
    ]);
    expect(new Set(memberCalls(A).flatMap((c) => (c.userName ? [c.userName] : [])))).toEqual(
      new Set(['alice', 'carol']),
    );
    // B: clean, no candidate: no alias lookup either.
    expect(
      memberCalls(B)
        .map((c) => c.action)
        .sort(),
    ).toEqual([
      'AssumeRole',
      'DescribeRule',
      'GenerateCredentialReport',
      'GetCredentialReport',
      'GetQueueAttributes',
      'ListTargetsByRule',
    ]);
  });

  it('confirms stale-report candidates live: a user who enabled MFA since the report gets no finding', async () => {
    const { aws, sweep } = await setup({
      [A]: {
        // The report (up to four hours old) still lists erin without MFA; IAM now says she has one.
        report: { ...FRESH, rows: [{ user: 'erin', mfaActive: false, passwordEnabled: true }] },
        users: { erin: { mfaDevices: 1, console: true } },
      },
    });
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result).toMatchObject({ outcome: 'checked', findings: [] });
    expect(aws.callsOf(A, 'ListMFADevices').map((c) => c.userName)).toEqual(['erin']);
    expect(aws.published).toHaveLength(0);
  });

  it('leaves users inside their grace period to the event path', async () => {
    const { aws, sweep } = await setup(
      {
        [A]: {
          report: FRESH,
          users: {
            dave: {
              mfaDevices: 0,
              console: true,
              createdAt: new Date(NOW.getTime() - 3 * HOUR).toISOString(),
            },
            old: { mfaDevices: 0, console: true, createdAt: '2025-01-01T00:00:00Z' },
          },
        },
      },
      { settings: { gracePeriodHours: 24 } },
    );
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result).toMatchObject({ users: 2, inGracePeriod: 1 });
    expect(changes(result)).toEqual(['USER_NO_MFA:old:HIGH:new']);
    expect(aws.callsOf(A).some((c) => c.userName === 'dave')).toBe(false);
  });

  it('resolves open findings only on live evidence: deleted -> deleted, MFA now -> mfa-enabled, still bad -> still-open', async () => {
    const { aws, sweep, store } = await setup({
      [A]: {
        // Neither frank (deleted) nor gina (created after the report) is in the report.
        report: { ...FRESH, rows: [{ user: 'hank', mfaActive: true, passwordEnabled: true }] },
        users: { gina: { mfaDevices: 1, console: true }, hank: { mfaDevices: 0, console: true } },
      },
    });
    for (const userName of ['frank', 'gina', 'hank']) {
      await store.observeProblem({
        accountId: A,
        kind: 'USER_NO_MFA',
        userName,
        severity: 'HIGH',
        detail: 'NO_MFA_CONSOLE',
        source: 'event',
        now: new Date(NOW.getTime() - 2 * HOUR),
      });
      await store.markNotified({
        accountId: A,
        kind: 'USER_NO_MFA',
        userName,
        now: new Date(NOW.getTime() - 2 * HOUR),
      });
    }
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(changes(result)).toEqual([
      'USER_NO_MFA:frank:HIGH:resolved:deleted',
      'USER_NO_MFA:gina:HIGH:resolved:mfa-enabled',
      'USER_NO_MFA:hank:HIGH:still-open',
    ]);
    expect((await store.listFindings({ accountId: A })).map((f) => f.subject)).toEqual(['hank']);
    expect(aws.published).toHaveLength(0);
  });

  it('counts each finding it opens and each it resolves once (NewFindings, ResolvedFindings by reason, source sweep)', async () => {
    const counted: string[] = [];
    const metrics = {
      findingOpened: (source: string) => counted.push(`opened:${source}`),
      findingResolved: (reason: string, source: string) => counted.push(`resolved:${reason}:${source}`),
      // The export is off here: nothing may be counted as not imported.
      recordExportFailure: (count = 1) => counted.push(`export-failure:${count}`),
    };
    const { sweep, store } = await setup(
      {
        [A]: {
          report: { ...FRESH, rows: [{ user: 'ivan', mfaActive: false, passwordEnabled: true }] },
          users: { ivan: { mfaDevices: 0, console: true } },
        },
      },
      { metrics },
    );
    await store.observeProblem({
      accountId: A,
      kind: 'USER_NO_MFA',
      userName: 'judy',
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'event',
      now: new Date(NOW.getTime() - 2 * HOUR),
    });
    await sweep({ Items: [item(A)] });
    expect(counted.sort()).toEqual(['opened:sweep', 'resolved:deleted:sweep']);
    counted.length = 0;
    await sweep({ Items: [item(A)] }); // ivan still open, judy already resolved: nothing new to count
    expect(counted).toEqual([]);
  });

  it('resolves as exempted a user a configured exemption now covers (matched by the path in the report ARN)', async () => {
    const { sweep, store } = await setup(
      { [A]: { report: FRESH, users: { svc: { mfaDevices: 0, console: false, path: '/service/' } } } },
      { settings: { exemptions: [{ accountId: A, pathPrefix: '/service/', reason: 'CI robot' }] } },
    );
    await store.observeProblem({
      accountId: A,
      kind: 'USER_NO_MFA',
      userName: 'svc',
      severity: 'MEDIUM',
      source: 'event',
      now: NOW,
    });
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(changes(result)).toEqual(['USER_NO_MFA:svc:MEDIUM:resolved:exempted']);
  });
});

describe('sweep worker: root user', () => {
  it('opens ROOT_NO_MFA CRITICAL when root has a password and no MFA, alerting once', async () => {
    const { aws, sweep } = await setup({
      [A]: { report: FRESH, root: { mfa: false, password: true, lastUsed: '2026-09-01T00:00:00+00:00' } },
    });
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(changes(result)).toEqual(['ROOT_NO_MFA:-:CRITICAL:new']);
    expect(result.findings[0]).toMatchObject({ consolePassword: true, lastUsed: '2026-09-01T00:00:00.000Z' });
    expect(aws.published.map((p) => [p.attributes.severity, p.attributes.finding])).toEqual([
      ['CRITICAL', 'ROOT_NO_MFA'],
    ]);
  });

  it('reads root live when the report says no MFA, and stays quiet for a root without password', async () => {
    const { aws, sweep } = await setup({ [A]: { report: FRESH, root: { mfa: false, password: false } } });
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result.findings).toEqual([]);
    expect(aws.callsOf(A, 'GetAccountSummary')).toHaveLength(1);
  });

  it('does not read root when the report shows root MFA and no root finding is open', async () => {
    const { aws, sweep } = await setup({ [A]: { report: FRESH, root: { mfa: true, password: true } } });
    await sweep({ Items: [item(A)] });
    expect(aws.callsOf(A, 'GetAccountSummary')).toHaveLength(0);
  });
});

describe('sweep worker: credential report states', () => {
  const G = 'GenerateCredentialReport';
  // IAM API reference, GetCredentialReport: ReportNotPresent (410), ReportExpired (410), ReportInProgress (404);
  // GenerateCredentialReport: State STARTED | INPROGRESS | COMPLETE. IAM User Guide, "Getting credential
  // reports": a report can be generated once every four hours; an earlier request returns the latest one.
  // Asked first, GenerateCredentialReport answers COMPLETE for a report under four hours old, else STARTED
  // (then INPROGRESS): polled until COMPLETE, the report is downloaded once (report-source.test.ts).
  const NEW_REPORT = [G, G, G, 'GetCredentialReport'];
  it.each([
    ['no report yet (ReportNotPresent)', { state: 'none' }, 4, NEW_REPORT],
    ['an expired report (ReportExpired)', { state: 'expired' }, 4, NEW_REPORT],
    [
      'a report older than the max age',
      { state: 'ready', generatedAt: new Date(NOW.getTime() - 5 * HOUR) },
      4,
      NEW_REPORT,
    ],
    ['a fresh report', FRESH, 4, [G, 'GetCredentialReport']],
    [
      'a report someone else is generating (ReportInProgress)',
      { state: 'in-progress', pollsLeft: 1 },
      4,
      [G, G, 'GetCredentialReport'],
    ],
    // Max age 1 h, report 3 h old: IAM answers the generation with COMPLETE and the same report; use it.
    [
      'a report older than the max age but younger than IAM four hours',
      { state: 'ready', generatedAt: new Date(NOW.getTime() - 3 * HOUR) },
      1,
      [G, 'GetCredentialReport'],
    ],
    // Max age 24 h (above IAM's four): a 10 h old report is read as it is, nothing generated.
    [
      'a report younger than a max age above four hours',
      { state: 'ready', generatedAt: new Date(NOW.getTime() - 10 * HOUR) },
      24,
      ['GetCredentialReport'],
    ],
  ] as const)('reads users from %s', async (_name, report, maxAge, expected) => {
    const { aws, sweep, sleeps } = await setup(
      { [A]: { report, users: { alice: { mfaDevices: 0, console: true } } } },
      { settings: { credentialReportMaxAgeHours: maxAge } },
    );
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result).toMatchObject({ outcome: 'checked', users: 1 });
    expect(changes(result)).toEqual(['USER_NO_MFA:alice:HIGH:new']);
    const reportCalls = aws
      .callsOf(A)
      .filter((c) => c.action.endsWith('CredentialReport'))
      .map((c) => c.action);
    expect(reportCalls).toEqual(expected);
    // Every wait is one poll interval, never a real sleep in tests.
    expect(sleeps.every((ms) => ms === 2_000)).toBe(true);
  });

  it('gives up on a report that never finishes after a bounded wait: failed, the sweep goes on', async () => {
    const { aws, sweep, sleeps } = await setup(
      { [A]: { report: { state: 'none' }, generationPolls: 1_000 }, [B]: { report: FRESH } },
      { tuning: { reportMaxWaitMs: 10_000 } },
    );
    const result = await sweep({ Items: [item(A), item(B)] });
    expect(account(result, A)).toMatchObject({ outcome: 'failed' });
    expect(account(result, A).reason).toMatch(
      /iam:GetCredentialReport: ReportNotReadyError: .*still being generated/,
    );
    expect(account(result, B).outcome).toBe('checked');
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(12_000);
    expect(aws.callsOf(A, 'GetCredentialReport').length).toBeLessThanOrEqual(7);
  });
});

describe('sweep worker: throttling', () => {
  it.each([
    ['GetCredentialReport', { status: 400, code: 'Throttling' }],
    ['GenerateCredentialReport', { status: 409, code: 'LimitExceeded' }],
    ['ListMFADevices', { status: 400, code: 'Throttling' }],
  ] as const)(
    'retries an account throttled on %s later, behind the others, then checks it',
    async (action, failure) => {
      const { aws, sweep, sleeps } = await setup(
        {
          [A]: { report: { state: 'none' }, users: { alice: { mfaDevices: 0, console: true } } },
          [B]: { report: FRESH, users: { bob: { mfaDevices: 0, console: true } } },
        },
        {
          fail: (call) =>
            call.account === A && call.action === action && call.attempt === 1 ? failure : undefined,
          tuning: { retryDelayMs: 5_000 },
        },
      );
      const result = await sweep({ Items: [item(A), item(B)] });
      expect(account(result, A)).toMatchObject({ outcome: 'checked' });
      expect(changes(account(result, A))).toEqual(['USER_NO_MFA:alice:HIGH:new']);
      expect(changes(account(result, B))).toEqual(['USER_NO_MFA:bob:HIGH:new']);
      expect(aws.callsOf(A, 'AssumeRole')).toHaveLength(1); // credentials reused for the second try
      expect(sleeps.some((ms) => ms > 2_000 && ms <= 5_000)).toBe(true);
      expect(aws.published).toHaveLength(2);
    },
  );

  it('reports an account throttled on every try as failed "throttled"; the others are unaffected', async () => {
    const { aws, sweep } = await setup(
      {
        [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } },
        [B]: { report: FRESH, users: { bob: { mfaDevices: 0, console: true } } },
      },
      {
        fail: (call) =>
          call.account === A && call.action === 'GetCredentialReport'
            ? { status: 400, code: 'Throttling' }
            : undefined,
        tuning: { maxAttempts: 3 },
      },
    );
    const result = await sweep({ Items: [item(A), item(B)] });
    expect(result.accounts.map((a) => a.accountId)).toEqual([A, B]);
    expect(account(result, A)).toEqual({
      accountId: A,
      name: `account ${A}`,
      coverage: 'stackset',
      outcome: 'failed',
      reason: 'throttled',
      findings: [],
    });
    expect(aws.callsOf(A, 'GetCredentialReport')).toHaveLength(3);
    expect(changes(account(result, B))).toEqual(['USER_NO_MFA:bob:HIGH:new']);
  });
});

describe('sweep worker: coverage', () => {
  it('reports AccessDenied on AssumeRole as not-covered with an ACCOUNT_NOT_COVERED finding, then resolves it', async () => {
    const { aws, sweep } = await setup({ [A]: { denied: true, report: FRESH } });
    const first = account(await sweep({ Items: [item(A)] }), A);
    expect(first).toMatchObject({ outcome: 'not-covered' });
    expect(first.reason).toMatch(
      /^sts:AssumeRole: AccessDenied: .*not authorized to perform: sts:AssumeRole/,
    );
    expect(changes(first)).toEqual(['ACCOUNT_NOT_COVERED:-:HIGH:new']);
    expect(aws.published.map((p) => p.attributes.finding)).toEqual(['ACCOUNT_NOT_COVERED']);

    expect(changes(account(await sweep({ Items: [item(A)] }), A))).toEqual([
      'ACCOUNT_NOT_COVERED:-:HIGH:still-open',
    ]);
    expect(aws.published).toHaveLength(1);

    aws.accounts[A] = { report: FRESH };
    const fixed = account(await sweep({ Items: [item(A)] }), A);
    expect(fixed.outcome).toBe('checked');
    expect(changes(fixed)).toEqual(['ACCOUNT_NOT_COVERED:-:HIGH:resolved:role-reachable']);
  });

  it('opens no finding for a joining account before the last attempt, and opens it on the last', async () => {
    const { aws, sweep, store } = await setup({ [A]: { denied: true } });
    const early = await sweep({
      Items: [item(A)],
      BatchInput: { sweepId: 'join-1', mode: 'joined', final: false },
    });
    expect(account(early, A)).toMatchObject({ outcome: 'not-covered', findings: [] });
    expect(await store.listFindings({ accountId: A })).toEqual([]);
    expect(aws.published).toHaveLength(0);

    const last = await sweep({
      Items: [item(A)],
      BatchInput: { sweepId: 'join-2', mode: 'joined', final: true },
    });
    expect(changes(account(last, A))).toEqual(['ACCOUNT_NOT_COVERED:-:HIGH:new']);
    expect(aws.published).toHaveLength(1);
    expect(aws.published[0]!.body).toContain('join-2');
  });

  it('fails an account on other AssumeRole errors without touching its findings', async () => {
    const { sweep, store } = await setup(
      { [A]: {} },
      {
        fail: (call) =>
          call.action === 'AssumeRole' ? { status: 400, code: 'RegionDisabledException' } : undefined,
      },
    );
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result).toMatchObject({ outcome: 'failed', findings: [] });
    expect(result.reason).toMatch(/^sts:AssumeRole: RegionDisabledException/);
    expect(await store.listFindings({ accountId: A })).toEqual([]);
  });
});

describe('sweep worker: forward rule', () => {
  it.each([
    ['missing', null, 'RULE_MISSING'],
    ['disabled', { state: 'DISABLED', targets: [TEST_BUS_ARN] }, 'RULE_DISABLED'],
    [
      'targeting another bus',
      { state: 'ENABLED', targets: ['arn:aws:events:us-east-1:999999999999:event-bus/other'] },
      'WRONG_TARGET',
    ],
  ] as const)(
    'opens FORWARDING_BROKEN (HIGH) when the rule is %s, and resolves it once fixed',
    async (_name, rule, detail) => {
      const { aws, sweep } = await setup({ [A]: { report: FRESH, rule } });
      const broken = account(await sweep({ Items: [item(A)] }), A);
      expect(changes(broken)).toEqual(['FORWARDING_BROKEN:-:HIGH:new']);
      expect(aws.published.map((p) => p.attributes.finding)).toEqual([detail]);
      if (rule?.state === 'DISABLED') expect(aws.callsOf(A, 'ListTargetsByRule')).toHaveLength(0);

      aws.accounts[A] = { report: FRESH };
      const fixed = account(await sweep({ Items: [item(A)] }), A);
      expect(changes(fixed)).toEqual(['FORWARDING_BROKEN:-:HIGH:resolved:forwarding-restored']);
      expect(aws.published).toHaveLength(1);
    },
  );

  it('treats an unreadable rule (AccessDenied) as unverified: no finding opened or resolved, reason given', async () => {
    const { aws, sweep, store } = await setup(
      { [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } } },
      {
        fail: (call) =>
          call.service === 'events' ? { status: 400, code: 'AccessDeniedException' } : undefined,
      },
    );
    await store.observeProblem({
      accountId: A,
      kind: 'FORWARDING_BROKEN',
      severity: 'HIGH',
      source: 'sweep',
      now: NOW,
    });
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result.outcome).toBe('checked');
    expect(result.reason).toMatch(
      /^forward rule not verified \(the check role may not read it: AccessDeniedException/,
    );
    expect(changes(result)).toEqual(['FORWARDING_BROKEN:-:HIGH:still-open', 'USER_NO_MFA:alice:HIGH:new']);
    expect(aws.published.map((p) => p.attributes.finding)).toEqual(['NO_MFA_CONSOLE']);
  });
});

describe('sweep worker: batch, deadline and failures', () => {
  it('accepts a batch with and without BatchInput; results in item order', async () => {
    const { sweep } = await setup({ [A]: { report: FRESH }, [B]: { report: FRESH } });
    const without = await sweep({ Items: [item(B), item(A)] });
    expect(without).toEqual({
      accounts: [expect.objectContaining({ accountId: B }), expect.objectContaining({ accountId: A })],
    });
    const withInput = await sweep({
      Items: [item(A)],
      BatchInput: { sweepId: 'daily-1', mode: 'scheduled' },
    });
    expect(withInput.sweepId).toBe('daily-1');
  });

  it.each([
    [
      { Items: [item(A), { ...item(B), accountId: '12345' }] },
      'Items[1].accountId: expected a 12-digit account id',
    ],
    [{ Items: 'nope' }, 'Items: expected an array of account items'],
    [
      { Items: [{ ...item(A), coverage: 'everywhere' }] },
      'Items[0].coverage: expected one of stackset, management-stack, outside-rollout, excluded',
    ],
    [
      { Items: [item(A)], BatchInput: { sweepId: 's', mode: 'sometimes' } },
      'BatchInput.mode: expected one of scheduled, on-demand, joined',
    ],
    [null, '(batch): expected an object { Items, BatchInput? }'],
  ])('rejects an invalid batch naming the field (%#)', async (batch, message) => {
    const { aws, sweep } = await setup({});
    const error = await sweep(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidBatchError);
    expect((error as Error).message).toBe(`Invalid sweep batch: ${message}`);
    expect(aws.calls).toHaveLength(0);
  });

  it('ends a hung account as failed "deadline" while the others finish', async () => {
    const { sweep } = await setup(
      { [A]: { hang: true }, [B]: { report: FRESH, users: { bob: { mfaDevices: 0, console: true } } } },
      { tuning: { reserveMs: 1_000 } },
    );
    const started = Date.now();
    const result = await sweep(
      { Items: [item(A), item(B)] },
      // B runs on real time and must finish before the deadline: 300 ms raced a loaded machine, 2 s does not.
      { getRemainingTimeInMillis: () => 1_000 + 2_000 - (Date.now() - started) },
    );
    expect(account(result, A)).toMatchObject({ outcome: 'failed', reason: 'deadline' });
    expect(changes(account(result, B))).toEqual(['USER_NO_MFA:bob:HIGH:new']);
  });

  it('keeps a finding unnotified when the publish fails, still reports the account, and alerts on a later sweep', async () => {
    let snsDown = true;
    const { aws, sweep, store, setNow } = await setup(
      { [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } } },
      {
        fail: (call) =>
          snsDown && call.service === 'sns' ? { status: 500, code: 'InternalError' } : undefined,
      },
    );
    const first = account(await sweep({ Items: [item(A)] }), A);
    expect(changes(first)).toEqual(['USER_NO_MFA:alice:HIGH:new']);
    expect(aws.published).toHaveLength(0);
    expect((await store.listFindings({ accountId: A }))[0]?.lastNotified).toBeUndefined();

    snsDown = false;
    setNow(new Date(NOW.getTime() + HOUR));
    const later = account(await sweep({ Items: [item(A)] }), A);
    expect(changes(later)).toEqual(['USER_NO_MFA:alice:HIGH:still-open']);
    expect(aws.published).toHaveLength(1);
    expect((await store.listFindings({ accountId: A }))[0]?.lastNotified).toBeDefined();
  });

  it('runs over HTTP against the fake AWS server, every SDK layer included', async () => {
    const aws = new FakeMemberAccounts(
      { [A]: { report: { state: 'none' }, users: { alice: { mfaDevices: 0, console: true } } } },
      { centralBusArn: TEST_BUS_ARN, now: () => NOW },
    );
    const server = await startFakeAwsServer(aws);
    try {
      const { sweep } = await sweepWorker(dynamo, { transport: { endpoint: server.url }, now: () => NOW });
      const result = account(await sweep({ Items: [item(A)] }), A);
      expect(changes(result)).toEqual(['USER_NO_MFA:alice:HIGH:new']);
      expect(aws.callsOf(A).map((c) => c.action)).toContain('DescribeRule');
      expect(rowsOf(aws.accounts[A]!.users!)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('sweep worker: behaviours pinned for issue 18, item 9', () => {
  const alice = { accountId: A, kind: 'USER_NO_MFA', userName: 'alice' } as const;
  const noMfa = { ...alice, severity: 'HIGH', detail: 'NO_MFA_CONSOLE', source: 'event' } as const;

  it('alerts an open, never-notified finding only once one checker timeout has passed since it opened', async () => {
    const { aws, sweep, store, setNow } = await setup({
      [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } },
    });
    // Opened by the checker, whose publish failed: open, never notified. A first attempt may still be
    // running for up to one checker timeout (CHECKER_TIMEOUT_SECONDS).
    await store.observeProblem({ ...noMfa, now: NOW });
    setNow(new Date(NOW.getTime() + CHECKER_TIMEOUT_SECONDS * 1000));
    await sweep({ Items: [item(A)] });
    expect(aws.published).toHaveLength(0);
    setNow(new Date(NOW.getTime() + CHECKER_TIMEOUT_SECONDS * 1000 + 1));
    await sweep({ Items: [item(A)] });
    expect(aws.published).toHaveLength(1);
  });

  it('alerts, on the next sweep, a finding reopened after an earlier notification whose new alert failed', async () => {
    let snsDown = false;
    const { aws, sweep, store, setNow } = await setup(
      { [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } } },
      {
        fail: (call) =>
          snsDown && call.service === 'sns' ? { status: 500, code: 'InternalError' } : undefined,
      },
    );
    // First open period: alerted (notified), then fixed.
    await store.observeProblem({ ...noMfa, now: new Date(NOW.getTime() - 3 * HOUR) });
    await store.markNotified({ ...alice, now: new Date(NOW.getTime() - 3 * HOUR) });
    await store.resolve({
      ...alice,
      reason: 'mfa-enabled',
      now: new Date(NOW.getTime() - 2 * HOUR),
      retentionDays: 90,
    });
    // The sweep finds the problem again: reopened, but its alert cannot be published.
    snsDown = true;
    const reopened = account(await sweep({ Items: [item(A)] }), A);
    expect(changes(reopened)).toEqual(['USER_NO_MFA:alice:HIGH:new']);
    expect(aws.published).toHaveLength(0);
    // The next sweep: the earlier notification was for the earlier open period, so this one alerts.
    snsDown = false;
    setNow(new Date(NOW.getTime() + HOUR));
    const next = account(await sweep({ Items: [item(A)] }), A);
    expect(changes(next)).toEqual(['USER_NO_MFA:alice:HIGH:still-open']);
    expect(aws.published).toHaveLength(1);
  });
});
