import {
  CredentialReportNotReadyException,
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ReportNotReadyError,
  fetchCredentialReport,
  type ReportFetchOptions,
} from '../../../functions/sweep-worker/report-source';

// The credential report's two limits, exactly at their boundaries (issue 18, item 9): a report as old as
// the configured max age is still used; one millisecond older is regenerated. A report still being
// generated (GetCredentialReport: ReportInProgress, IAM API reference) is polled for at most maxWaitMs
// in total: a report that is ready at that last poll is used; one that is not fails the account.

const NOW = new Date('2026-12-01T06:00:00.000Z');
const HOUR = 3_600_000;
const iam = mockClient(IAMClient);
const client = new IAMClient({ region: 'us-east-1' });
const report = (generatedAt: Date) => ({
  Content: new TextEncoder().encode('user,arn\n<root_account>,arn:aws:iam::111111111111:root\n'),
  GeneratedTime: generatedAt,
  ReportFormat: 'text/csv' as const,
});
const notReady = () => new CredentialReportNotReadyException({ message: 'in progress', $metadata: {} });

let slept: number[];
const options = (overrides: Partial<ReportFetchOptions> = {}): ReportFetchOptions => ({
  maxAgeMs: 4 * HOUR,
  now: () => NOW,
  sleep: (ms) => {
    slept.push(ms);
    return Promise.resolve();
  },
  pollIntervalMs: 2_000,
  maxWaitMs: 10_000,
  ...overrides,
});

beforeEach(() => {
  iam.reset();
  slept = [];
});
afterAll(() => {
  iam.restore();
});

describe('the credential-report age limit', () => {
  it('uses a report exactly as old as the max age, without generating one', async () => {
    iam.on(GetCredentialReportCommand).resolves(report(new Date(NOW.getTime() - 4 * HOUR)));
    const fetched = await fetchCredentialReport(client, options());
    expect(fetched.generated).toBe(false);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(0);
  });

  it('regenerates a report one millisecond older than the max age', async () => {
    iam
      .on(GetCredentialReportCommand)
      .resolvesOnce(report(new Date(NOW.getTime() - 4 * HOUR - 1)))
      .resolves(report(NOW));
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    const fetched = await fetchCredentialReport(client, options());
    expect(fetched.generated).toBe(true);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
  });
});

describe('the report wait limit', () => {
  it('uses a report that is ready at the last poll the wait allows', async () => {
    // 10 s at 2 s a poll: five waits, then a sixth read.
    const get = iam.on(GetCredentialReportCommand);
    for (let i = 0; i < 5; i += 1) get.rejectsOnce(notReady());
    get.resolves(report(NOW));
    const fetched = await fetchCredentialReport(client, options());
    expect(fetched.polls).toBe(5);
    expect(slept.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('gives up after exactly maxWaitMs of waiting, without one more wait', async () => {
    iam.on(GetCredentialReportCommand).rejects(notReady());
    await expect(fetchCredentialReport(client, options())).rejects.toBeInstanceOf(ReportNotReadyError);
    expect(slept.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(6);
  });
});
