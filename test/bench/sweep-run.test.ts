import { describe, expect, it } from 'vitest';
import { modelSweep, sweepNotes, sweepRows } from '../../bench/sweep-model';
import { BENCH_SWEEP, buildWorld, measureSweep, type SweepRunResult } from '../../bench/sweep-run';
import { CANARY_TAG_KEY } from '../../functions/contract/canary';

// The same code path as `npm run bench`, small: 20 accounts x 5 users, no latency, a report generation
// of 30 ms polled every 20 ms (the deployed poll interval is 2 s), so that it runs in seconds.
const SMALL = {
  ...BENCH_SWEEP,
  accounts: 20,
  usersPerAccount: 5,
  noMfaShare: 0.1,
  deniedShare: 0.1,
  latencyMs: 0,
  generationMs: 30,
  tuning: { reportPollIntervalMs: 20 },
};

let run: SweepRunResult | undefined;
async function smallRun(): Promise<SweepRunResult> {
  run ??= await measureSweep(SMALL);
  return run;
}

describe('the simulated organization', () => {
  it('is seeded: the same accounts are denied and the same users lack MFA on every build', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const a = buildWorld(BENCH_SWEEP, now);
    const b = buildWorld(BENCH_SWEEP, now);
    expect([...a.denied]).toEqual([...b.denied]);
    expect(a.accounts).toEqual(b.accounts);
    // 1% of 1,000 accounts not covered; 2% of 20,000 users without MFA, half of them with a console.
    expect(a.denied.size).toBe(10);
    const users = Object.values(a.accounts).flatMap((acc) => Object.values(acc.users ?? {}));
    expect(users).toHaveLength(20_000);
    const noMfa = users.filter((u) => u.mfaDevices === 0);
    expect(noMfa).toHaveLength(400);
    expect(noMfa.filter((u) => u.console)).toHaveLength(200);
    expect(a.tree.accounts).toHaveLength(1000);
  });
});

describe('a small sweep through the real planner, worker and reporter', () => {
  it('accounts for every account once: checked + not covered + failed = accounts, as the reporter counts them', async () => {
    const r = await smallRun();
    expect(r.outcomes.checked + r.outcomes.notCovered + r.outcomes.failed).toBe(SMALL.accounts);
    expect(r.outcomes).toEqual({ checked: 18, notCovered: 2, failed: 0 });
    expect(r.deniedAccounts).toBe(2);
    expect(r.reporter.summary).toMatchObject({
      accounts: 20,
      checked: 18,
      notCovered: 2,
      failed: 0,
      newFindings: r.newFindings,
      digestPublished: true,
    });
    expect(r.batches).toBe(2);
  }, 60_000);

  it('makes the calls the worker must make per account, and three per candidate user', async () => {
    const r = await smallRun();
    // Every checked account: one AssumeRole, the forward rule (DescribeRule, ListTargetsByRule), and for
    // a 24 h old report GenerateCredentialReport first (STARTED), polled until COMPLETE (at least once
    // more), then one download: the stale report is never downloaded.
    expect(r.accountCallsByAction.AssumeRole).toBe(1);
    expect(r.accountCallsByAction.DescribeRule).toBe(1);
    expect(r.accountCallsByAction.ListTargetsByRule).toBe(1);
    expect(r.accountCallsByAction.GenerateCredentialReport).toBeGreaterThanOrEqual(2);
    expect(r.accountCallsByAction.GetCredentialReport).toBe(1);
    expect(r.accountCalls.mean).toBeGreaterThanOrEqual(6);
    // A few polls and ListAccountAliases at most, and the canary's one TagRole (issue 22).
    expect(r.accountCalls.max).toBeLessThanOrEqual(6 + 1 + 4);
    // The canary, on as deployed by default: exactly one TagRole per checked account per sweep, on the
    // check role itself, with the canary key only and the sweep id as its value (docs/adr/0021-canary.md).
    // Counted in the calls per account like every other call the worker makes.
    expect(r.accountCallsByAction.TagRole).toBe(1);
    expect(r.canaryCalls).toHaveLength(r.outcomes.checked);
    expect(new Set(r.canaryCalls.map((c) => c.account)).size).toBe(r.canaryCalls.length);
    for (const call of r.canaryCalls) {
      expect(call).toEqual({
        account: expect.stringMatching(/^\d{12}$/) as unknown,
        roleName: 'org-mfa-watch-check',
        tags: { [CANARY_TAG_KEY]: `bench-${SMALL.seed}` },
      });
    }
    // ListMFADevices, GetLoginProfile, ListUserTags for every user without MFA, throttled retries excluded.
    const world = buildWorld(SMALL, new Date());
    const expected = Object.entries(world.accounts)
      .filter(([id]) => !world.denied.has(id))
      .flatMap(([, account]) => Object.values(account.users ?? {}))
      .filter((u) => u.mfaDevices === 0).length;
    expect(expected).toBeGreaterThan(0);
    expect(r.candidates).toBe(expected);
    expect(r.candidateCalls).toEqual({ mean: 3, max: 3 });
    expect(r.throttledAnswers).toBeGreaterThan(0);
  }, 60_000);

  it('counts the store and S3 requests, and the models accept them', async () => {
    const r = await smallRun();
    // One Query of open findings per checked account; one write per new finding at least.
    expect(r.dynamodb.requests.Query).toBeGreaterThanOrEqual(r.outcomes.checked);
    expect(r.dynamodb.writeUnits).toBeGreaterThanOrEqual(r.newFindings);
    // At least half a read unit per Query and Scan (eventually consistent reads).
    const reads = (r.dynamodb.requests.Query ?? 0) + (r.dynamodb.requests.Scan ?? 0);
    expect(r.dynamodb.readUnits).toBeGreaterThanOrEqual(reads * 0.5);
    expect(r.s3).toMatchObject({ plannerPuts: 1, mapGets: 1, mapPuts: 2 });
    // Manifest, one result file, the digest receipt check (20 items travel inline in the plan: no list read).
    expect(r.s3.reporterGets).toBe(3);
    expect(r.s3.puts).toBe(r.s3.plannerPuts + r.s3.mapPuts + r.s3.reporterPuts);
    const model = modelSweep(r);
    expect(model.cost.total).toBeGreaterThan(0);
    expect(model.largeSeconds).toBeGreaterThan(0);
    const rows = sweepRows(r, model);
    expect(rows.find((row) => row[0].includes('checked / not covered / failed'))?.slice(1)).toEqual([
      '18 / 2 / 0',
      '18 / 2 / 0',
      'met',
    ]);
    expect(sweepNotes(r, model)).toContain('Sources: AWS Step Functions pricing');
  }, 60_000);
});
