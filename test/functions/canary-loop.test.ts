import { Logger } from '@aws-lambda-powertools/logger';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createChecker } from '../../functions/checker/process-event';
import { CANARY_TAG_KEY } from '../../functions/contract/canary';
import type { SweepBatchResult, SweepReportSummary } from '../../functions/contract/sweep';
import { CanaryStore } from '../../functions/core/canary-store';
import { AccountSessions } from '../../functions/core/credentials';
import { FindingStore } from '../../functions/core/finding-store';
import { AccountAliases } from '../../functions/core/iam-facts';
import type { SweepReport } from '../../functions/sweep-reporter/aggregate';
import { createReporter } from '../../functions/sweep-reporter/report';
import { FakeMemberAccounts, type FakeAccount } from '../../scripts/simulation/fake-member-accounts';
import { NAMES } from '../../stacks/names';
import { testSettings } from '../helpers/checker-harness';
import { useDynalite } from '../helpers/store';
import { TEST_BUS_ARN, sweepWorker } from '../helpers/sweep-harness';
import { fakeBucket, type FakeBucket } from './sweep-reporter/fake-bucket';
import { BUCKET, settings as reporterSettings } from './sweep-reporter/sample';

// Issue 22 (docs/adr/0021-canary.md), end to end on one dynalite findings table: the real sweep worker
// (createSweepWorker on real SDK clients over the simulated member accounts) tags the check role; the
// TagRole it made is forwarded to the real checker (createChecker) in CloudTrail's shape (the fields of
// test/fixtures/canary/tagrole-canary.json, see its README); the real reporter (createReporter) compares
// after the wait. Alerts are read from what the simulated SNS received.

const A = '111111111111';
const DAY = 86_400_000;
const START = new Date('2026-12-01T02:00:00Z');
const silent = new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' });
const dynamo = useDynalite();

let clock: Date;
let aws: FakeMemberAccounts;
let s3: FakeBucket;
let denyTag: boolean;
let harness: Awaited<ReturnType<typeof sweepWorker>>;
let canaries: CanaryStore;
let checker: ReturnType<typeof createChecker>;
let reporter: ReturnType<typeof createReporter>;

const account = (): FakeAccount => ({
  report: { state: 'ready', generatedAt: new Date(clock.getTime() - 3_600_000) },
});

beforeEach(async () => {
  clock = START;
  denyTag = false;
  s3 = fakeBucket(BUCKET);
  const now = () => clock;
  aws = new FakeMemberAccounts(
    { [A]: account() },
    {
      centralBusArn: TEST_BUS_ARN,
      now,
      fail: ({ action }) =>
        action === 'TagRole' && denyTag ? { status: 403, code: 'AccessDenied' } : undefined,
    },
  );
  harness = await sweepWorker(dynamo, {
    now,
    transport: { requestHandler: aws.requestHandler },
    settings: { canaryEnabled: true },
  });
  const { tableName } = harness;
  canaries = new CanaryStore({ client: dynamo.client, tableName });
  const base = { region: 'us-east-1', requestHandler: aws.requestHandler as never } as const;
  const credentials = { accessKeyId: 'AKIDCENTRAL', secretAccessKey: 'secret' };
  const checkerSettings = testSettings({ findings: { tableName, resolvedRetentionDays: 90 } });
  checker = createChecker({
    settings: checkerSettings,
    sessions: new AccountSessions(new STSClient({ ...base, credentials }), {
      roleName: checkerSettings.checkRoleName,
      partition: 'aws',
      iamClientConfig: base,
      now: () => clock.getTime(),
    }),
    aliases: new AccountAliases(),
    sns: new SNSClient({ ...base, credentials }),
    sqs: new SQSClient({ ...base, credentials }),
    scheduler: new SchedulerClient({ ...base, credentials }),
    findings: new FindingStore({ client: dynamo.client, tableName }),
    canaries,
    logger: silent,
    now,
  });
  reporter = createReporter({
    settings: { ...reporterSettings, findings: { tableName, resolvedRetentionDays: 90 } },
    s3: new (await import('@aws-sdk/client-s3')).S3Client({ region: 'us-east-1' }),
    sns: new SNSClient({ ...base, credentials }),
    store: new FindingStore({ client: dynamo.client, tableName }),
    canaries,
    logger: silent,
    now,
  });
});
afterEach(() => {
  s3.mock.restore();
});

/** The TagRole the worker made in `accountId`, as CloudTrail records it and the member rule forwards it. */
function forwardedCanary(
  accountId: string,
  at: Date,
  change: (envelope: { account: string; detail: Record<string, unknown> }) => void = () => undefined,
) {
  const call = aws.callsOf(accountId, 'TagRole').at(-1);
  if (call === undefined) throw new Error(`no TagRole in ${accountId}`);
  const role = call.params.RoleName ?? '';
  const detail: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAVRANDOMEXAMPLE01:org-mfa-watch-sweep',
      arn: `arn:aws:sts::${accountId}:assumed-role/${role}/org-mfa-watch-sweep`,
      accountId,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAVRANDOMEXAMPLE01',
          arn: `arn:aws:iam::${accountId}:role/${role}`,
          accountId,
          userName: role,
        },
      },
    },
    eventTime: at.toISOString(),
    eventSource: 'iam.amazonaws.com',
    eventName: 'TagRole',
    awsRegion: 'us-east-1',
    requestParameters: {
      roleName: role,
      tags: [{ key: call.params['Tags.member.1.Key'], value: call.params['Tags.member.1.Value'] }],
    },
    responseElements: null,
    eventID: `canary-${accountId}-${at.getTime()}`,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
  };
  const envelope = {
    version: '0',
    id: `env-${at.getTime()}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: accountId,
    time: at.toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  };
  change(envelope);
  return envelope;
}

type Envelope = { account: string; detail: Record<string, unknown> };

const CONTEXT = {
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:222222222222:function:org-mfa-watch-checker',
};

/** One sweep: the worker's batch, (optionally) the canary's arrival at the checker, the wait, the report. */
async function sweep(
  day: number,
  arrives: 'in-time' | 'late' | 'never',
): Promise<{
  batch: SweepBatchResult;
  summary: SweepReportSummary;
  report: SweepReport;
  digest: string;
}> {
  clock = new Date(START.getTime() + day * DAY);
  const sweepId = `daily-${day}`;
  const batch = await harness.sweep({
    Items: [{ accountId: A, name: 'account A', coverage: 'stackset' }],
    BatchInput: { sweepId, mode: 'scheduled' },
  });
  if (arrives === 'in-time') {
    await checker(forwardedCanary(A, new Date(clock.getTime() + 60_000)), CONTEXT);
  }
  clock = new Date(clock.getTime() + 15 * 60_000); // the Wait state
  const published = aws.published.length;
  const summary = await reporter({
    plan: {
      sweepId,
      mode: 'scheduled',
      fullSweep: false,
      bucket: BUCKET,
      key: 'k',
      count: 1,
      items: [{ accountId: A, name: 'account A', coverage: 'stackset' }],
    },
    batches: [batch],
  });
  if (arrives === 'late') {
    clock = new Date(clock.getTime() + 30 * 60_000);
    await checker(forwardedCanary(A, new Date(clock.getTime() - 60_000)), CONTEXT);
  }
  const report = JSON.parse(s3.objects.get(summary.reportJsonKey)?.body ?? '{}') as SweepReport;
  const digest =
    aws.published.slice(published).find((m) => m.attributes.finding === 'SWEEP_DIGEST')?.body ?? '';
  return { batch, summary, report, digest };
}

const alerts = () => aws.published.filter((m) => m.attributes.finding === 'REALTIME_PATH_BROKEN');
const openBroken = async () =>
  (await harness.store.listFindings({ accountId: A, state: 'OPEN' })).filter(
    (f) => f.kind === 'REALTIME_PATH_BROKEN',
  );

describe('the canary loop, worker to checker to reporter, on the real store', () => {
  it('the worker tags the check role with the canary key and the sweep id and carries it in the result', async () => {
    const { batch } = await sweep(0, 'in-time');
    const [call] = aws.callsOf(A, 'TagRole');
    expect(call?.params).toMatchObject({
      RoleName: NAMES.memberCheckRole,
      'Tags.member.1.Key': CANARY_TAG_KEY,
      'Tags.member.1.Value': 'daily-0',
    });
    expect(aws.callsOf(A, 'TagRole')).toHaveLength(1);
    expect(batch.accounts[0]).toMatchObject({
      outcome: 'checked',
      canary: { accountId: A, sweepId: 'daily-0' },
      forwarding: { rule: 'ok' },
    });
  });

  it('a canary that arrives: proven, no finding, no alert; the digest counts it and the report dates it', async () => {
    const { report, digest } = await sweep(0, 'in-time');
    expect(report.canary).toEqual([
      expect.objectContaining({
        accountId: A,
        outcome: 'proven',
        consecutiveMisses: 0,
        lastProvenAt: expect.any(String) as string,
      }),
    ]);
    expect(digest).toContain('Real-time path (canary): 1 of 1 account(s) proven today');
    expect(alerts()).toHaveLength(0);
    expect(await openBroken()).toHaveLength(0);
    const csv = s3.objects.get(`reports/daily-0/report.csv`)?.body ?? '';
    expect(csv.split('\r\n')[0]).toContain('realtime_path_proven_at');
    expect(csv).toContain(report.canary?.[0]?.lastProvenAt ?? 'missing');
  });

  it('one miss: listed in the digest, not alerted, no finding', async () => {
    await sweep(0, 'in-time');
    const { digest, report } = await sweep(1, 'never');
    expect(report.canary?.[0]).toMatchObject({ outcome: 'first-miss', consecutiveMisses: 1 });
    expect(digest).toContain('Canary missed once (not alerted; a second miss alerts) (1):');
    expect(digest).toContain(`  - ${A}: last proven`);
    expect(alerts()).toHaveLength(0);
    expect(await openBroken()).toHaveLength(0);
  });

  it('two misses: one HIGH REALTIME_PATH_BROKEN alert naming the forward rule and the last proof; a third miss does not alert again', async () => {
    await sweep(0, 'in-time');
    await sweep(1, 'never');
    const second = await sweep(2, 'never');
    expect(second.report.canary?.[0]).toMatchObject({ outcome: 'broken', consecutiveMisses: 2 });
    expect(alerts()).toHaveLength(1);
    const [alert] = alerts();
    expect(alert?.attributes).toMatchObject({
      severity: 'HIGH',
      accountId: A,
      finding: 'REALTIME_PATH_BROKEN',
      findingState: 'OPEN',
    });
    expect(alert?.body).toContain('Forward rule: looks right (enabled, targets the central bus)');
    expect(alert?.body).toContain('Dead-letter queue: empty (or not readable)');
    expect(alert?.body).toContain('Last proven: 2026-12-01');
    expect(await openBroken()).toHaveLength(1);
    expect(second.summary.newFindings).toBe(1);
    expect(second.digest).toContain('Canary missed in consecutive sweeps (REALTIME_PATH_BROKEN) (1):');

    const third = await sweep(3, 'never');
    expect(third.report.canary?.[0]).toMatchObject({ outcome: 'broken', consecutiveMisses: 3 });
    expect(alerts()).toHaveLength(1);
    expect(third.summary.newFindings).toBe(0);
  });

  it('recovery: the next canary resolves the finding once (canary-arrived), listed in the digest, no email', async () => {
    await sweep(0, 'never');
    await sweep(1, 'never');
    expect(await openBroken()).toHaveLength(1);
    const emails = aws.published.length;
    const recovered = await sweep(2, 'in-time');
    expect(await openBroken()).toHaveLength(0);
    expect(recovered.summary.resolvedFindings).toBe(1);
    expect(recovered.report.canary?.[0]).toMatchObject({ outcome: 'proven', consecutiveMisses: 0 });
    expect(recovered.digest).toContain('canary arrived: real-time path proven again');
    // The digest only: a sweep's resolution is not an email of its own.
    expect(aws.published.slice(emails).map((m) => m.attributes.finding)).toEqual(['SWEEP_DIGEST']);
    const again = await sweep(3, 'in-time');
    expect(again.summary.resolvedFindings).toBe(0);
  });

  it('the tag call denied: the account is still checked, the reason is named in the digest, the miss count stays', async () => {
    await sweep(0, 'in-time');
    await sweep(1, 'never');
    denyTag = true;
    const { batch, digest, report } = await sweep(2, 'never');
    expect(batch.accounts[0]?.outcome).toBe('checked');
    expect(batch.accounts[0]?.canary).toMatchObject({
      failure: expect.stringContaining('AccessDenied') as string,
    });
    expect(report.canary?.[0]).toMatchObject({ outcome: 'tag-failed', consecutiveMisses: 1 });
    expect(digest).toContain('Canary not sent: the tag call failed (1):');
    expect(digest).toMatch(new RegExp(`  - ${A}: AccessDenied.*; last proven`));
    expect(alerts()).toHaveLength(0);
  });

  it('a retried report compares once: the miss is not counted twice, and no second alert goes out', async () => {
    await sweep(0, 'never');
    const second = await sweep(1, 'never');
    expect(alerts()).toHaveLength(1);
    const retried = await reporter({
      plan: {
        sweepId: 'daily-1',
        mode: 'scheduled',
        fullSweep: false,
        bucket: BUCKET,
        key: 'k',
        count: 1,
        items: [{ accountId: A, name: 'account A', coverage: 'stackset' }],
      },
      batches: [second.batch],
    });
    const report = JSON.parse(s3.objects.get(retried.reportJsonKey)?.body ?? '{}') as SweepReport;
    expect(report.canary?.[0]).toMatchObject({ outcome: 'broken', consecutiveMisses: 2 });
    expect(await canaries.readState(A)).toMatchObject({ consecutiveMisses: 2 });
    expect(alerts()).toHaveLength(1);
  });

  it('a canary arriving after the wait counts for the next comparison', async () => {
    await sweep(0, 'in-time');
    const late = await sweep(1, 'late');
    expect(late.report.canary?.[0]).toMatchObject({ outcome: 'first-miss' });
    // The next sweep's own canary is lost too, but yesterday's late one arrived after the last comparison.
    const next = await sweep(2, 'never');
    expect(next.report.canary?.[0]).toMatchObject({ outcome: 'proven', consecutiveMisses: 0 });
    expect(alerts()).toHaveLength(0);
  });

  it('the joined path sends the canary without comparing it; its arrival counts at the next comparison', async () => {
    await sweep(0, 'in-time');
    clock = new Date(START.getTime() + DAY / 2);
    const batch = await harness.sweep({
      Items: [{ accountId: A, name: 'account A', coverage: 'stackset' }],
      BatchInput: { sweepId: 'joined-1', mode: 'joined', final: true },
    });
    const summary = await reporter({
      plan: {
        sweepId: 'joined-1',
        mode: 'joined',
        fullSweep: false,
        bucket: BUCKET,
        key: 'k',
        count: 1,
        items: [{ accountId: A, name: 'account A', coverage: 'stackset' }],
      },
      batches: [batch],
    });
    const report = JSON.parse(s3.objects.get(summary.reportJsonKey)?.body ?? '{}') as SweepReport;
    expect(report.canary?.[0]).toMatchObject({ outcome: 'not-compared' });
    await checker(forwardedCanary(A, new Date(clock.getTime() + 60_000)), CONTEXT);
    const next = await sweep(1, 'never');
    expect(next.report.canary?.[0]).toMatchObject({ outcome: 'proven' });
  });
});

describe('the checker and forged canaries', () => {
  beforeEach(async () => {
    clock = START;
    await harness.sweep({
      Items: [{ accountId: A, name: 'account A', coverage: 'stackset' }],
      BatchInput: { sweepId: 'daily-0', mode: 'scheduled' },
    });
  });

  it('records a genuine canary once and sends nothing', async () => {
    const sent = aws.published.length;
    const event = forwardedCanary(A, START);
    expect(await checker(event, CONTEXT)).toEqual({
      outcome: 'canary',
      accountId: A,
      sweepId: 'daily-0',
      recorded: 'recorded',
    });
    expect(await checker(event, CONTEXT)).toMatchObject({ outcome: 'canary', recorded: 'duplicate' });
    expect(await canaries.arrivalsSince(A)).toEqual([
      expect.objectContaining({ accountId: A, sweepId: 'daily-0' }),
    ]);
    expect(aws.published.length).toBe(sent);
  });

  it.each([
    [
      'another role tagged',
      (e: Envelope) => {
        (e.detail.requestParameters as Record<string, unknown>).roleName = 'Admin';
      },
      'not the check role',
    ],
    [
      'another tag key',
      (e: Envelope) => {
        (e.detail.requestParameters as Record<string, unknown>).tags = [{ key: 'owner', value: 'daily-0' }];
      },
      'not org-mfa-watch:canary',
    ],
    [
      'another account in the envelope than CloudTrail recorded',
      (e: Envelope) => {
        e.account = '999999999999';
      },
      "is not the envelope's account 999999999999",
    ],
  ])(
    'ignores a forged canary (%s): logged and dropped, not a user event, not quarantined, nothing recorded',
    async (_name, change, reason) => {
      const sqsCalls = aws.calls.filter((c) => c.service === 'sqs').length;
      const result = await checker(forwardedCanary(A, START, change), CONTEXT);
      expect(result).toMatchObject({ outcome: 'skipped' });
      expect(result.outcome === 'skipped' ? result.reason : '').toContain(reason);
      expect(await canaries.arrivalsSince(A)).toEqual([]);
      // Not quarantined (no SendMessage), not checked as a user (no IAM read in the account).
      expect(aws.calls.filter((c) => c.service === 'sqs').length).toBe(sqsCalls);
      expect(aws.calls.filter((c) => c.action === 'ListMFADevices')).toHaveLength(0);
    },
  );
});
