import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKLOAD,
  countTemplates,
  monthlyBill,
  totalOf,
  type AppTemplates,
} from '../../bench/monthly-cost';
import { synthAppOnce, testConfig } from '../helpers/app';

const SWEEP = {
  accounts: 1000,
  stepFunctions: 0.0035,
  lambda: 0.0104,
  s3: 0.00003,
  dynamodb: 0.0006,
  total: 0.0145,
};

function templatesOf(overrides: Record<string, unknown> = {}): AppTemplates {
  const app = synthAppOnce(testConfig(overrides));
  return {
    central: app.central.toJSON(),
    management: app.management.toJSON(),
    member: app.memberTemplateJson,
  };
}

let plain: AppTemplates;
let all: AppTemplates;
beforeAll(() => {
  plain = templatesOf();
  all = templatesOf({ dashboard: { enabled: true }, securityHub: { enabled: true } });
});

describe('the monthly cost model', () => {
  it('counts keys, alarms and dashboards from the templates, not from a list', () => {
    const counts = countTemplates(plain, 1000);
    const keys = Object.values(plain.central.Resources as Record<string, { Type: string }>).filter(
      (r) => r.Type === 'AWS::KMS::Key',
    ).length;
    expect(counts.kmsKeys).toBe(keys);
    expect(counts.alarms).toBeGreaterThan(0);
    expect(counts.alarmMetrics).toBeGreaterThanOrEqual(counts.alarms);
    expect(counts.dashboards).toBe(0);
    expect(countTemplates(all, 1000).dashboards).toBe(1);
  });

  it('multiplies what the member template holds by the number of accounts', () => {
    const withMemberKey: AppTemplates = {
      ...plain,
      member: { Resources: { K: { Type: 'AWS::KMS::Key' }, A: { Type: 'AWS::CloudWatch::Alarm' } } },
    };
    const base = countTemplates(plain, 10);
    const counts = countTemplates(withMemberKey, 10);
    expect(counts.kmsKeys - base.kmsKeys).toBe(10);
    expect(counts.alarmMetrics - base.alarmMetrics).toBe(10);
  });

  it('prices every item of the issue, and the fixed part is keys x $1 + alarm metrics x $0.10 (+ $3 a dashboard)', () => {
    const counts = countTemplates(all, 1000);
    const bill = monthlyBill(counts, DEFAULT_WORKLOAD, SWEEP, true);
    expect(bill.map((l) => l.item)).toEqual([
      'KMS keys',
      'CloudWatch alarms',
      'CloudWatch dashboard',
      'EventBridge Scheduler (re-checks)',
      'Step Functions (daily sweep)',
      'Lambda',
      'DynamoDB requests',
      'DynamoDB storage and PITR',
      'S3 (sweep reports)',
      'CloudWatch Logs',
      'Cross-account events',
      'Security Hub finding ingestion',
    ]);
    const line = (item: string) => bill.find((l) => l.item === item)?.usd ?? NaN;
    expect(line('KMS keys')).toBe(counts.kmsKeys);
    expect(line('CloudWatch alarms')).toBeCloseTo(counts.alarmMetrics * 0.1, 10);
    expect(line('CloudWatch dashboard')).toBe(3);
    // 30 sweeps of the measured 1,000-account sweep.
    expect(line('Step Functions (daily sweep)')).toBeCloseTo(30 * SWEEP.stepFunctions, 10);
    expect(totalOf(bill)).toBeCloseTo(
      bill.reduce((s, l) => s + l.usd, 0),
      10,
    );
    for (const l of bill) expect(l.usd).toBeGreaterThanOrEqual(0);
  });
});
