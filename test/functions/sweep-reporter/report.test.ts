import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Logger } from '@aws-lambda-powertools/logger';
import { FindingStore } from '../../../functions/core/finding-store';
import { MetricsRecorder, createMetrics } from '../../../functions/core/metrics';
import { captureEmf, datapointsOf, metricSum } from '../../helpers/emf';
import type { SweepBatchResult, SweepPlan } from '../../../functions/contract/sweep';
import { InvalidReportInputError } from '../../../functions/sweep-reporter/errors';
import { digestReceiptExists } from '../../../functions/sweep-reporter/outputs';
import { createReporter } from '../../../functions/sweep-reporter/report';
import { closedPort, createFindingsTable, localClient } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';
import { pagedClient } from '../../helpers/paged-dynamo';
import { fakeBucket, type FakeBucket } from './fake-bucket';
import { BUCKET, ITEMS, NOW, SWEEP_ID, fixture, settings } from './sample';

const RUN = `sweeps/map-results/ad9b5f27-090b-3ac6-9beb-243cd77144a7`;
const fullPlan: SweepPlan = {
  sweepId: SWEEP_ID,
  mode: 'scheduled',
  fullSweep: true,
  bucket: BUCKET,
  key: `sweeps/${SWEEP_ID}/accounts.json`,
  count: ITEMS.length,
};
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

const sns = mockClient(SNSClient);
let s3: FakeBucket;
const dynamo = useDynalite();
let store: FindingStore;
let storeTable: string;

afterAll(() => {
  sns.restore();
});
beforeEach(async () => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'digest-1' });
  s3 = fakeBucket(BUCKET, {
    [`sweeps/${SWEEP_ID}/accounts.json`]: JSON.stringify(ITEMS),
    [`${RUN}/manifest.json`]: fixture('manifest.json'),
    [`${RUN}/SUCCEEDED_0.json`]: fixture('SUCCEEDED_0.json'),
    [`${RUN}/FAILED_0.json`]: fixture('FAILED_0.json'),
  });
  storeTable = await createFindingsTable(dynamo.client, 'reporter');
  store = new FindingStore({ client: dynamo.client, tableName: storeTable });
  const observe = (accountId: string, userName: string) =>
    store.observeProblem({
      accountId,
      kind: 'USER_NO_MFA',
      userName,
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'sweep',
      now: new Date('2026-11-01T00:00:00Z'),
    });
  await observe('121212121212', 'gone'); // account left the organization
  await observe('111111111111', 'alice'); // account still ACTIVE
});
afterEach(() => {
  s3.mock.restore();
});

function reporter(overrides: { store?: FindingStore; metrics?: MetricsRecorder } = {}) {
  return createReporter({
    ...(overrides.metrics === undefined ? {} : { metrics: overrides.metrics }),
    settings,
    s3: new S3Client({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    store: overrides.store ?? store,
    logger: silent,
    now: () => NOW,
  });
}

describe('a full sweep reported from the ResultWriter output', () => {
  const input = { plan: fullPlan, results: { Bucket: BUCKET, Key: `${RUN}/manifest.json` } };

  it('reads the items and every result file, writes both reports, publishes one digest, returns the summary', async () => {
    const summary = await reporter()(input);
    expect(summary).toEqual({
      sweepId: SWEEP_ID,
      accounts: 8,
      checked: 3, // the management account has no result in the fixture: failed, "no result"
      notCovered: 1,
      failed: 4,
      newFindings: 3,
      resolvedFindings: 2,
      openFindings: 4,
      coverageGaps: 3,
      accountRemovedFindings: 1,
      digestPublished: true,
      reportCsvKey: `reports/${SWEEP_ID}/report.csv`,
      reportJsonKey: `reports/${SWEEP_ID}/report.json`,
    });
    const csv = s3.objects.get(`reports/${SWEEP_ID}/report.csv`);
    expect(csv?.contentType).toBe('text/csv; charset=utf-8');
    expect(csv?.body.split('\r\n')[0]).toMatch(/^record,account_id,account_name,alias,/);
    const json = JSON.parse(s3.objects.get(`reports/${SWEEP_ID}/report.json`)?.body ?? '{}') as {
      totals: { accounts: number };
      removedAccountFindings: { accountId: string; resolvedBecause: string }[];
    };
    expect(json.totals.accounts).toBe(8);
    expect(json.removedAccountFindings).toEqual([
      expect.objectContaining({ accountId: '121212121212', resolvedBecause: 'account-removed' }),
    ]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    const publish = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(publish).toMatchObject({
      TopicArn: settings.alertTopicArn,
      Subject: '[org-mfa-watch] Sweep: 3 new, 2 resolved, 4 open; 3 coverage gaps, 2 not checked',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'CRITICAL' },
        finding: { DataType: 'String', StringValue: 'SWEEP_DIGEST' },
      },
    });
    expect(publish?.Message).toContain(
      '"gone" in 121212121212: account no longer ACTIVE in the organization',
    );
    expect(JSON.parse(s3.objects.get(`reports/${SWEEP_ID}/digest.json`)?.body ?? '{}')).toMatchObject({
      messageId: 'digest-1',
    });
  });

  it('resolves the departed account in the store as account-removed, and leaves ACTIVE accounts open', async () => {
    await reporter()(input);
    expect(
      await store.getFinding({ accountId: '121212121212', kind: 'USER_NO_MFA', userName: 'gone' }),
    ).toMatchObject({
      state: 'RESOLVED',
      resolution: 'account-removed',
    });
    expect(
      await store.getFinding({ accountId: '111111111111', kind: 'USER_NO_MFA', userName: 'alice' }),
    ).toMatchObject({
      state: 'OPEN',
    });
  });

  it('publishes the digest once when the task is retried, and rewrites the reports', async () => {
    await reporter()(input);
    const again = await reporter()(input);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(again.digestPublished).toBe(false);
    expect(again.accountRemovedFindings).toBe(0); // already resolved by the first attempt
  });

  it('still publishes the digest, with a note, when the finding store is unreachable', async () => {
    const down = new FindingStore({
      client: localClient(`http://127.0.0.1:${await closedPort()}`, { maxAttempts: 1 }),
      tableName: 'findings',
    });
    const summary = await reporter({ store: down })(input);
    expect(summary.accountRemovedFindings).toBe(0);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain(
      'Note: findings of accounts that left the organization were not reconciled: Finding store unavailable during listFindings',
    );
  });

  it('reads only the result files of its own Map Run folder (the ResultWriter prefix is shared by every sweep)', async () => {
    const otherRun = 'sweeps/map-results/0f0f0f0f-0000-4000-8000-000000000000';
    s3.objects.set(`${otherRun}/manifest.json`, {
      body: fixture('manifest.json'), // lists the files of the first run's folder
      contentType: 'application/json',
    });
    await expect(
      reporter()({ plan: fullPlan, results: { Bucket: BUCKET, Key: `${otherRun}/manifest.json` } }),
    ).rejects.toThrow(/outside the sweep's prefix/);
  });

  it("refuses a manifest outside this sweep's ResultWriter prefix, or in another bucket", async () => {
    await expect(
      reporter()({
        plan: fullPlan,
        results: { Bucket: BUCKET, Key: 'sweeps/other/x/manifest.json' },
      }),
    ).rejects.toThrow(new InvalidReportInputError('results.Key', 'a manifest under sweeps/map-results/'));
    await expect(
      reporter()({ plan: fullPlan, results: { Bucket: 'elsewhere', Key: `${RUN}/manifest.json` } }),
    ).rejects.toThrow(InvalidReportInputError);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });
});

describe('a joined sweep reported from inline batches', () => {
  const batch: SweepBatchResult = {
    sweepId: 'joined-1',
    accounts: [{ accountId: '123456789012', name: 'newcomer', outcome: 'checked', users: 0, findings: [] }],
  };
  const plan: SweepPlan = {
    sweepId: 'joined-1',
    mode: 'joined',
    fullSweep: false,
    bucket: BUCKET,
    key: 'sweeps/joined-1/accounts.json',
    count: 1,
    items: [{ accountId: '123456789012', name: 'newcomer', coverage: 'stackset' }],
    skipped: [{ accountId: '666666666666', state: 'PENDING_CLOSURE' }],
  };

  it('reports without reading S3 results and never resolves findings of other accounts', async () => {
    const summary = await reporter()({ plan, batches: [batch] });
    expect(summary).toMatchObject({
      accounts: 1,
      checked: 1,
      accountRemovedFindings: 0,
      digestPublished: true,
    });
    expect(s3.mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      'reports/joined-1/digest.json',
    ]);
    expect(
      await store.getFinding({ accountId: '121212121212', kind: 'USER_NO_MFA', userName: 'gone' }),
    ).toMatchObject({
      state: 'OPEN',
    });
    const message = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(message?.Subject).toBe('[org-mfa-watch] Sweep: 0 new, 0 resolved, 0 open; 0 coverage gaps');
    expect(message?.Message).toContain(
      'Not swept (account not ACTIVE) (1):\n  - 666666666666 (PENDING_CLOSURE)',
    );
    expect(message?.MessageAttributes?.severity?.StringValue).toBe('INFO');
  });

  it('rejects an input with neither results nor batches, naming the field', async () => {
    await expect(reporter()({ plan })).rejects.toThrow(
      'Invalid report input: results: expected ResultWriterDetails { Bucket, Key } or batches',
    );
    await expect(reporter()({ plan: { ...plan, mode: 'hourly' }, batches: [] })).rejects.toThrow(
      /Invalid report input: plan\.mode/,
    );
  });
});

describe('digestReceiptExists', () => {
  it('rethrows AccessDenied instead of reading it as "no receipt" (S3 answers 403 for a missing key without s3:ListBucket)', async () => {
    const denied = mockClient(S3Client);
    denied.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        message: 'Access Denied',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(digestReceiptExists(new S3Client({ region: 'us-east-1' }), BUCKET, 'k')).rejects.toThrow(
      'Access Denied',
    );
    denied.restore();
  });
});

describe('metrics of a sweep (embedded metric format)', () => {
  const input = { plan: fullPlan, results: { Bucket: BUCKET, Key: `${RUN}/manifest.json` } };

  it('writes the account outcomes, open findings by severity and the account-removed resolutions once per sweep', async () => {
    const capture = captureEmf();
    try {
      const metrics = new MetricsRecorder(createMetrics(new Logger({ logLevel: 'SILENT' })));
      const report = reporter({ metrics });
      await report(input);
      metrics.flush();
      const points = datapointsOf(capture.take());
      const sum = (name: string, dimensions: Record<string, string> = {}) =>
        metricSum(points, name, { service: 'org-mfa-watch', ...dimensions });
      // The totals of the summary asserted above: 3 checked, 1 not covered, 4 failed, 4 open.
      expect(sum('SweepAccountsChecked')).toBe(3);
      expect(sum('SweepAccountsNotCovered')).toBe(1);
      expect(sum('SweepAccountsFailed')).toBe(4);
      expect(
        (['CRITICAL', 'HIGH', 'MEDIUM'] as const).reduce(
          (n, s) => n + (sum('OpenFindings', { Severity: s }) ?? 0),
          0,
        ),
      ).toBe(4);
      expect(sum('ResolvedFindings', { Reason: 'account-removed' })).toBe(1);

      // A retried reporter (the digest receipt exists) publishes nothing and counts nothing again.
      await report(input);
      metrics.flush();
      expect(datapointsOf(capture.take()).filter((p) => p.name.startsWith('Sweep'))).toEqual([]);
    } finally {
      capture.restore();
    }
  });
});

describe('behaviours pinned for issue 18, item 9', () => {
  const input = { plan: fullPlan, results: { Bucket: BUCKET, Key: `${RUN}/manifest.json` } };
  const reportJson = () =>
    JSON.parse(s3.objects.get(`reports/${SWEEP_ID}/report.json`)?.body ?? '{}') as {
      accounts: { accountId: string; outcome: string; reason?: string }[];
      removedAccountFindings: { accountId: string; userName?: string }[];
    };
  const departed = (userName: string) =>
    store.observeProblem({
      accountId: '121212121212',
      kind: 'USER_NO_MFA',
      userName,
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'sweep',
      now: new Date('2026-11-01T00:00:00Z'),
    });

  it('resolves the findings of departed accounts on every page of the Scan, not the first one only', async () => {
    for (const userName of ['d1', 'd2', 'd3', 'd4', 'd5']) await departed(userName);
    // DynamoDB pages a Scan (1 MB each); a page of 2 items stands in for it.
    const paged = pagedClient(dynamo.endpoint, 2);
    const paging = new FindingStore({ client: paged.client, tableName: storeTable });
    const summary = await reporter({ store: paging })(input);
    expect(summary.accountRemovedFindings).toBe(6);
    expect(
      reportJson()
        .removedAccountFindings.map((f) => f.userName)
        .sort(),
    ).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'gone']);
    expect(paged.pages()).toBeGreaterThan(1);
    paged.client.destroy();
  });

  it('does not list or count a departed finding that another path resolved meanwhile', async () => {
    // Between the reporter's Scan and its resolve, the checker resolves "gone" (the user was deleted).
    const racing = new Proxy(store, {
      get(target, property, receiver) {
        if (property !== 'listFindings') return Reflect.get(target, property, receiver) as unknown;
        return async (...args: Parameters<FindingStore['listFindings']>) => {
          const listed = await target.listFindings(...args);
          await target.resolve({
            accountId: '121212121212',
            kind: 'USER_NO_MFA',
            userName: 'gone',
            reason: 'deleted',
            now: NOW,
            retentionDays: 90,
          });
          return listed;
        };
      },
    });
    const summary = await reporter({ store: racing })(input);
    expect(summary.accountRemovedFindings).toBe(0);
    expect(reportJson().removedAccountFindings).toEqual([]);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).not.toContain('"gone"');
    expect(
      await store.getFinding({ accountId: '121212121212', kind: 'USER_NO_MFA', userName: 'gone' }),
    ).toMatchObject({ state: 'RESOLVED', resolution: 'deleted' });
  });

  it("reports the accounts of a manifest's PENDING files as failed, never drops them", async () => {
    // AWS Step Functions Developer Guide, "ResultWriter (Map)": PENDING lists the child executions that
    // had not finished when the Map Run ended (it failed or was aborted).
    const pending = JSON.parse(fixture('FAILED_0.json')) as Record<string, unknown>[];
    const entry = { ...pending[0], Status: 'RUNNING', Error: undefined, Cause: undefined };
    s3.objects.set(`${RUN}/PENDING_0.json`, {
      body: JSON.stringify([entry]),
      contentType: 'application/json',
    });
    s3.objects.set(`${RUN}/FAILED_0.json`, { body: '[]', contentType: 'application/json' });
    const manifest = JSON.parse(fixture('manifest.json')) as { ResultFiles: Record<string, unknown> };
    manifest.ResultFiles.PENDING = [{ Key: `${RUN}/PENDING_0.json`, Size: 100 }];
    s3.objects.set(`${RUN}/manifest.json`, {
      body: JSON.stringify(manifest),
      contentType: 'application/json',
    });
    await reporter()(input);
    const accounts = reportJson().accounts.filter((a) =>
      ['555555555555', '666666666666'].includes(a.accountId),
    );
    expect(accounts).toEqual([
      expect.objectContaining({ outcome: 'failed', reason: expect.stringContaining('PENDING') as string }),
      expect.objectContaining({ outcome: 'failed', reason: expect.stringContaining('PENDING') as string }),
    ]);
  });

  it('accepts a manifest only under the ResultWriter prefix itself, slash included', async () => {
    await expect(
      reporter()({
        plan: fullPlan,
        results: { Bucket: BUCKET, Key: `sweeps/map-resultsX/${RUN.split('/').pop() ?? ''}/manifest.json` },
      }),
    ).rejects.toThrow(new InvalidReportInputError('results.Key', 'a manifest under sweeps/map-results/'));
  });

  it("reads result files only inside the run's own folder, slash included (a/b never accepts a/bc/...)", async () => {
    s3.objects.set(`${RUN}c/SUCCEEDED_0.json`, {
      body: fixture('SUCCEEDED_0.json'),
      contentType: 'application/json',
    });
    const manifest = JSON.parse(fixture('manifest.json')) as { ResultFiles: Record<string, unknown> };
    manifest.ResultFiles.SUCCEEDED = [{ Key: `${RUN}c/SUCCEEDED_0.json`, Size: 100 }];
    s3.objects.set(`${RUN}/manifest.json`, {
      body: JSON.stringify(manifest),
      contentType: 'application/json',
    });
    await expect(reporter()(input)).rejects.toThrow(/outside the sweep's prefix/);
  });
});
