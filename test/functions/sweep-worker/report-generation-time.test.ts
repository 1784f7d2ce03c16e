import { IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { fetchCredentialReport } from '../../../functions/sweep-worker/report-source';
import { FakeMemberAccounts } from '../../../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN } from '../../helpers/sweep-harness';

const A = '111111111111';

/**
 * The fake's `generationMs`: IAM answers INPROGRESS (GenerateCredentialReport) and ReportInProgress
 * (GetCredentialReport, IAM API reference) until the generation time has passed on the fake's clock,
 * however often it is polled. The bench's sweep relies on it for a report that takes 2 s to generate.
 */
describe('a credential report that takes time to generate (fake member accounts)', () => {
  async function fetchWith(generationMs: number, pollIntervalMs: number) {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const aws = new FakeMemberAccounts(
      {
        [A]: { report: { state: 'none' }, users: { alice: { mfaDevices: 0, console: true } }, generationMs },
      },
      { centralBusArn: TEST_BUS_ARN, now: () => new Date(clock) },
    );
    // A member session: the fake reads the account from the session token, as the AssumeRole answer sets it.
    const iam = new IAMClient({
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'ASIAFAKE', secretAccessKey: 'secret', sessionToken: `token-${A}` },
      requestHandler: aws.requestHandler as never,
    });
    const fetched = await fetchCredentialReport(iam, {
      maxAgeMs: 4 * 3_600_000,
      now: () => new Date(clock),
      // Injected time: each poll advances the fake's clock instead of waiting.
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
      pollIntervalMs,
      maxWaitMs: 60_000,
    });
    return {
      fetched,
      // GenerateCredentialReport calls after the one that started the report and before COMPLETE.
      inProgress: aws.callsOf(A, 'GenerateCredentialReport').length - 2,
      downloads: aws.callsOf(A, 'GetCredentialReport').length,
    };
  }

  it('answers INPROGRESS until the generation time has passed, then COMPLETE and the report', async () => {
    // 2 s at 500 ms a poll: in progress at +0.5, +1.0, +1.5 s, ready at +2.0 s.
    const { fetched, inProgress, downloads } = await fetchWith(2000, 500);
    expect(fetched.generated).toBe(true);
    expect(fetched.polls).toBe(4);
    expect(inProgress).toBe(3);
    expect(downloads).toBe(1);
    expect(fetched.generatedAt.toISOString()).toBe('2026-12-01T00:00:02.000Z');
    expect(fetched.csv).toContain('alice');
  });

  it('is ready at the first poll when the poll interval is longer than the generation', async () => {
    const { fetched, inProgress } = await fetchWith(2000, 2000);
    expect(fetched.polls).toBe(1);
    expect(inProgress).toBe(0);
  });
});
