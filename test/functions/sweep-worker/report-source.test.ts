import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { ReportNotReadyError, fetchCredentialReport } from '../../../functions/sweep-worker/report-source';
import { FakeMemberAccounts, type FakeAccount } from '../../../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN } from '../../helpers/sweep-harness';

// The order of the credential report calls, asserted call by call on the fake member accounts.
// IAM API Reference, GenerateCredentialReport (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GenerateCredentialReport.html):
// State STARTED | INPROGRESS | COMPLETE. IAM User Guide, "Getting credential reports"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/credential-reports.html): IAM generates a new report
// only when the last one is older than four hours; otherwise it answers with the last one. So asking
// GenerateCredentialReport first tells whether a report under four hours old exists (COMPLETE) or a new
// one is being made (STARTED); polling with it and downloading once, when COMPLETE, never downloads a
// stale report that is about to be replaced (a daily sweep always finds yesterday's).

const A = '111111111111';
const HOUR = 3_600_000;
const START = Date.parse('2026-12-01T06:00:00Z');

function fetchFor(account: FakeAccount, maxAgeHours = 4, maxWaitMs = 60_000) {
  let clock = START;
  const aws = new FakeMemberAccounts(
    { [A]: account },
    { centralBusArn: TEST_BUS_ARN, now: () => new Date(clock) },
  );
  const iam = new IAMClient({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'ASIAFAKE', secretAccessKey: 'secret', sessionToken: `token-${A}` },
    requestHandler: aws.requestHandler as never,
  });
  const result = fetchCredentialReport(iam, {
    maxAgeMs: maxAgeHours * HOUR,
    now: () => new Date(clock),
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    pollIntervalMs: 2_000,
    maxWaitMs,
  });
  const calls = () => aws.callsOf(A).map((c) => `${c.action}${c.status === 200 ? '' : ` ${c.status}`}`);
  return { result, calls };
}

const users = { alice: { mfaDevices: 0, console: true } };
const at = (hoursAgo: number) =>
  ({ state: 'ready', generatedAt: new Date(START - hoursAgo * HOUR) }) as const;

describe('fetchCredentialReport (default: reports at most four hours old)', () => {
  it('asks for a new report before reading a day-old one, polls with GenerateCredentialReport, downloads once', async () => {
    const { result, calls } = fetchFor({ report: at(24), users, generationMs: 2_000 });
    const fetched = await result;
    expect(calls()).toEqual(['GenerateCredentialReport', 'GenerateCredentialReport', 'GetCredentialReport']);
    expect(fetched).toMatchObject({ generated: true, polls: 1 });
    expect(fetched.generatedAt.toISOString()).toBe('2026-12-01T06:00:02.000Z');
    expect(fetched.csv).toContain('alice');
  });

  it.each([
    ['no report yet', { state: 'none' } as const],
    ['an expired report', { state: 'expired' } as const],
  ])('generates when there is %s, then downloads once', async (_name, report) => {
    const { result, calls } = fetchFor({ report, users, generationMs: 5_000 });
    await result;
    expect(calls()).toEqual([
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
    ]);
  });

  it('downloads a report under four hours old at once (COMPLETE), without generating', async () => {
    const { result, calls } = fetchFor({ report: at(3), users });
    const fetched = await result;
    expect(calls()).toEqual(['GenerateCredentialReport', 'GetCredentialReport']);
    expect(fetched).toMatchObject({ generated: false, polls: 0 });
  });

  it('waits for a report someone else started (INPROGRESS), then downloads it once', async () => {
    const { result, calls } = fetchFor({ report: { state: 'in-progress', pollsLeft: 1 }, users });
    await result;
    expect(calls()).toEqual(['GenerateCredentialReport', 'GenerateCredentialReport', 'GetCredentialReport']);
  });

  it('gives up after the longest wait without ever downloading', async () => {
    const { result, calls } = fetchFor(
      { report: { state: 'none' }, users, generationPolls: 1_000 },
      4,
      10_000,
    );
    await expect(result).rejects.toBeInstanceOf(ReportNotReadyError);
    expect(calls().every((c) => c === 'GenerateCredentialReport')).toBe(true);
    expect(calls()).toHaveLength(6);
  });
});

describe('fetchCredentialReport with a longer accepted age (credentialReportMaxAgeHours above four)', () => {
  it('reads the existing report when it is young enough: one call', async () => {
    const { result, calls } = fetchFor({ report: at(10), users }, 24);
    expect((await result).generated).toBe(false);
    expect(calls()).toEqual(['GetCredentialReport']);
  });

  it('generates when the existing one is older than that, then downloads once more', async () => {
    const { result, calls } = fetchFor({ report: at(30), users, generationMs: 2_000 }, 24);
    await result;
    expect(calls()).toEqual([
      'GetCredentialReport',
      'GenerateCredentialReport',
      'GenerateCredentialReport',
      'GetCredentialReport',
    ]);
  });
});
