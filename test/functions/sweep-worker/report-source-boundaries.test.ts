import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ReportNotReadyError,
  fetchCredentialReport,
  type ReportFetchOptions,
} from '../../../functions/sweep-worker/report-source';

// The credential report's two limits, exactly at their boundaries (issue 18, item 9): a report as old as
// the configured max age is still used; one millisecond older is regenerated. A report still being
// generated (GenerateCredentialReport: STARTED, INPROGRESS; IAM API reference) is polled for at most maxWaitMs
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

// The age limit is read only when it is above IAM's own four hours (report-source.ts: at most four hours,
// GenerateCredentialReport is asked first and IAM's rule decides); a day is the longest the configuration
// allows the operator to accept.
describe('the credential-report age limit', () => {
  const DAY = 24 * HOUR;

  it('uses a report exactly as old as the max age, without generating one', async () => {
    iam.on(GetCredentialReportCommand).resolves(report(new Date(NOW.getTime() - DAY)));
    const fetched = await fetchCredentialReport(client, options({ maxAgeMs: DAY }));
    expect(fetched.generated).toBe(false);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(0);
  });

  it('regenerates a report one millisecond older than the max age', async () => {
    iam
      .on(GetCredentialReportCommand)
      .resolvesOnce(report(new Date(NOW.getTime() - DAY - 1)))
      .resolves(report(NOW));
    iam
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolves({ State: 'COMPLETE' });
    const fetched = await fetchCredentialReport(client, options({ maxAgeMs: DAY }));
    expect(fetched.generated).toBe(true);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(2);
  });
});

// While IAM generates the report, GenerateCredentialReport answers STARTED, then INPROGRESS (IAM API
// Reference, GenerateCredentialReport); it is polled every pollIntervalMs for at most maxWaitMs in total.
describe('the report wait limit', () => {
  it('uses a report that is ready at the last poll the wait allows', async () => {
    // 10 s at 2 s a poll: five waits, then a sixth ask that answers COMPLETE.
    const generate = iam.on(GenerateCredentialReportCommand).resolvesOnce({ State: 'STARTED' });
    for (let i = 0; i < 4; i += 1) generate.resolvesOnce({ State: 'INPROGRESS' });
    generate.resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves(report(NOW));
    const fetched = await fetchCredentialReport(client, options());
    expect(fetched.polls).toBe(5);
    expect(slept.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
  });

  it('gives up after exactly maxWaitMs of waiting, without one more wait', async () => {
    iam
      .on(GenerateCredentialReportCommand)
      .resolvesOnce({ State: 'STARTED' })
      .resolves({ State: 'INPROGRESS' });
    await expect(fetchCredentialReport(client, options())).rejects.toBeInstanceOf(ReportNotReadyError);
    expect(slept.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(6);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
  });
});
