import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FindingStore } from '../../../functions/core/finding-store';
import type { SweepBatchResult, SweepFinding, SweepPlan } from '../../../functions/contract/sweep';
import { buildReport } from '../../../functions/sweep-reporter/aggregate';
import { createReporter } from '../../../functions/sweep-reporter/report';
import { formatStormAlert, stormReceiptKey } from '../../../functions/sweep-reporter/storm';
import { createFindingsTable } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';
import { fakeBucket, type FakeBucket } from './fake-bucket';
import { BUCKET, settings } from './sample';

// The storm guard's reporter half (docs/adr/0017-rollout-status-and-alert-storms.md): the findings the
// worker held are alerted in one message per kind, once per sweep, and marked notified; on dynalite.

const SWEEP = 'day-1';
const NOW = new Date('2026-12-01T07:00:00Z');
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ids = ['100000000001', '100000000002', '100000000003', '100000000004', '100000000005'];

const sns = mockClient(SNSClient);
let s3: FakeBucket;
const dynamo = useDynalite();
let store: FindingStore;
let findings: Map<string, SweepFinding>;

afterAll(() => {
  sns.restore();
});
beforeEach(async () => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  s3 = fakeBucket(BUCKET);
  store = new FindingStore({
    client: dynamo.client,
    tableName: await createFindingsTable(dynamo.client, 'storm'),
  });
  findings = new Map();
  for (const [i, accountId] of ids.entries()) {
    const { finding } = await store.observeProblem({
      accountId,
      kind: 'ACCOUNT_NOT_COVERED',
      severity: 'HIGH',
      detail: 'ACCOUNT_NOT_COVERED',
      source: 'sweep',
      now: NOW,
    });
    // The worker alerted the first two (threshold 2) and held the other three.
    if (i < 2) await store.markNotified({ accountId, kind: 'ACCOUNT_NOT_COVERED', now: NOW });
    findings.set(accountId, {
      accountId,
      kind: 'ACCOUNT_NOT_COVERED',
      severity: 'HIGH',
      findingId: finding.findingId,
      change: 'new',
      detail: 'ACCOUNT_NOT_COVERED',
      ...(i >= 2 ? { held: true } : {}),
    });
  }
});
afterEach(() => {
  s3.mock.restore();
});

const plan: SweepPlan = {
  sweepId: SWEEP,
  mode: 'scheduled',
  fullSweep: false,
  bucket: BUCKET,
  key: `sweeps/${SWEEP}/accounts.json`,
  count: ids.length,
  items: ids.map((accountId) => ({ accountId, name: `acct-${accountId.slice(-1)}`, coverage: 'stackset' })),
};
const batches = (): SweepBatchResult[] => [
  {
    sweepId: SWEEP,
    accounts: ids.map((accountId) => ({
      accountId,
      outcome: 'not-covered',
      reason: 'sts:AssumeRole: AccessDenied',
      findings: [findings.get(accountId)!],
    })),
  },
];
const reporter = (storeOverride: FindingStore = store) =>
  createReporter({
    settings,
    s3: new S3Client({ region: 'us-east-1' }),
    sns: new SNSClient({ region: 'us-east-1' }),
    store: storeOverride,
    logger: silent,
    now: () => NOW,
  });
const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
const aggregated = () => published().filter((m) => m.MessageAttributes?.aggregated?.StringValue === 'true');

describe('the reporter sends the held alerts of a storm as one alert per kind', () => {
  it('one aggregated alert lists every held account, then the digest; each held finding is marked notified', async () => {
    await reporter()({ plan, batches: batches() });
    expect(aggregated()).toHaveLength(1);
    const alert = aggregated()[0]!;
    expect(alert.Subject).toBe(
      '[org-mfa-watch] HIGH: sweep found ACCOUNT_NOT_COVERED in 3 accounts (aggregated)',
    );
    for (const id of ids.slice(2)) expect(alert.Message).toContain(id);
    for (const id of ids.slice(0, 2)) expect(alert.Message).not.toContain(id);
    expect(alert.Message).toContain('2 other finding(s) of this kind were alerted one by one');
    expect(alert.MessageAttributes?.accountId?.StringValue).toBe('multiple');
    expect(published()).toHaveLength(2); // the aggregated alert, then the digest
    for (const accountId of ids) {
      const stored = await store.getFinding({ accountId, kind: 'ACCOUNT_NOT_COVERED' });
      expect(stored?.lastNotified).toBe(NOW.toISOString());
    }
    expect(s3.objects.has(stormReceiptKey(SWEEP, 'ACCOUNT_NOT_COVERED'))).toBe(true);
  });

  it('a retried reporter sends neither the aggregated alert nor the digest again', async () => {
    await reporter()({ plan, batches: batches() });
    await reporter()({ plan, batches: batches() });
    expect(published()).toHaveLength(2);
  });

  it('leaves out a held finding notified meanwhile (by the checker), and sends nothing when all were', async () => {
    await store.markNotified({ accountId: ids[2]!, kind: 'ACCOUNT_NOT_COVERED', now: NOW });
    await reporter()({ plan, batches: batches() });
    expect(aggregated()[0]?.Message).not.toContain(ids[2]);
    expect(aggregated()[0]?.Subject).toContain('in 2 accounts');

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    s3.objects.clear();
    await reporter()({ plan: { ...plan, sweepId: 'day-2' }, batches: batches() });
    expect(aggregated()).toHaveLength(0);
  });

  it('a failed aggregated publish leaves the held findings unnotified (a later sweep alerts them) and the digest still goes out', async () => {
    sns.reset();
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'Throttling' }))
      .resolves({ MessageId: 'digest' });
    const summary = await reporter()({ plan, batches: batches() });
    expect(summary.digestPublished).toBe(true);
    const stored = await store.getFinding({ accountId: ids[4]!, kind: 'ACCOUNT_NOT_COVERED' });
    expect(stored?.lastNotified).toBeUndefined();
    expect(s3.objects.has(stormReceiptKey(SWEEP, 'ACCOUNT_NOT_COVERED'))).toBe(false);
  });
});

describe('formatStormAlert', () => {
  const report = () =>
    buildReport({
      sweepId: SWEEP,
      mode: 'scheduled',
      fullSweep: true,
      items: plan.items!,
      batches: batches(),
      failures: [],
      removedAccountFindings: [],
      skipped: [],
      now: NOW,
    });
  const held = () => [...findings.values()].filter((f) => f.held === true);

  it('is Korean throughout in Korean, with an ASCII subject under 100 characters', () => {
    const message = formatStormAlert('ACCOUNT_NOT_COVERED', held(), 2, report(), {
      locale: 'ko',
      sweepId: SWEEP,
    });
    expect(message.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(message.body).toContain('하나의 알림으로 묶었습니다');
    expect(message.body).toContain('조치 사항');
    expect(message.body).not.toMatch(/What to do|Findings \(/);
  });

  it('lists at most 200 findings and counts the rest', () => {
    const many: SweepFinding[] = Array.from({ length: 250 }, (_, i) => ({
      ...held()[0]!,
      accountId: String(200000000000 + i),
      findingId: `f-${String(i).padStart(20, '0')}`,
    }));
    const message = formatStormAlert('ACCOUNT_NOT_COVERED', many, 0, report(), {
      locale: 'en',
      sweepId: SWEEP,
    });
    expect(message.body.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(200);
    expect(message.body).toContain('... and 50 more (see the report)');
    expect(message.subject).toContain('in 250 accounts');
  });
});
