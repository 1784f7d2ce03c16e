import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { allOptionsOn } from '../../bench/cost-report';
import {
  DEFAULT_WORKLOAD,
  MONTHLY_PRICES,
  canaryAndEnforcementUse,
  countTemplates,
  monthlyBill,
  totalOf,
  type AppTemplates,
} from '../../bench/monthly-cost';
import { SWEEP_PRICES } from '../../bench/sweep-cost';
import { parseConfig } from '../../stacks/config';
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
      'Enforcement (quarantine)',
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

describe('the canary and enforcement in the monthly cost (issues 22 and 23)', () => {
  const counts = () => countTemplates(plain, 1000);
  const line = (bill: readonly { item: string; usd: number; basis: string }[], item: string) => {
    const found = bill.find((l) => l.item === item);
    if (found === undefined) throw new Error(`no line ${item}`);
    return found;
  };
  const withoutCanary = { ...DEFAULT_WORKLOAD, canary: { ...DEFAULT_WORKLOAD.canary, enabled: false } };

  it('adds one cross-account event per account per sweep (30,000 a month for 1,000 accounts)', () => {
    const on = monthlyBill(counts(), DEFAULT_WORKLOAD, SWEEP, false);
    const off = monthlyBill(counts(), withoutCanary, SWEEP, false);
    const canaries = 1000 * 30;
    expect(canaryAndEnforcementUse(DEFAULT_WORKLOAD, false).canaries).toBe(canaries);
    expect(line(on, 'Cross-account events').usd - line(off, 'Cross-account events').usd).toBeCloseTo(
      (canaries / 1_000_000) * MONTHLY_PRICES.crossAccountEventsPerMillion.usd,
      10,
    );
    expect(line(on, 'Cross-account events').basis).toContain('+ 30,000 canaries');
    expect(line(off, 'Cross-account events').basis).not.toContain('canar');
  });

  it('adds one checker invocation per canary, and its writes and reads', () => {
    const c = counts();
    const on = monthlyBill(c, DEFAULT_WORKLOAD, SWEEP, false);
    const off = monthlyBill(c, withoutCanary, SWEEP, false);
    const canaries = 30_000;
    const gbS = (canaries * DEFAULT_WORKLOAD.canary.checkerMs * c.checkerMemoryMb) / 1024 / 1000;
    expect(line(on, 'Lambda').usd - line(off, 'Lambda').usd).toBeCloseTo(
      canaries * SWEEP_PRICES.lambda.perRequest + gbS * SWEEP_PRICES.lambda.perGbSecondArm,
      10,
    );
    const { writeUnitsPerAccount, readUnitsPerAccount } = DEFAULT_WORKLOAD.canary;
    expect(line(on, 'DynamoDB requests').usd - line(off, 'DynamoDB requests').usd).toBeCloseTo(
      ((canaries * writeUnitsPerAccount) / 1_000_000) * SWEEP_PRICES.dynamodb.perMillionWrites +
        ((canaries * readUnitsPerAccount) / 1_000_000) * SWEEP_PRICES.dynamodb.perMillionReads,
      10,
    );
    expect(line(on, 'CloudWatch Logs').usd).toBeGreaterThan(line(off, 'CloudWatch Logs').usd);
  });

  it('prices enforcement only when on: one AssumeRole per affected account and two IAM calls per user', () => {
    const off = line(monthlyBill(counts(), DEFAULT_WORKLOAD, SWEEP, false), 'Enforcement (quarantine)');
    expect(off).toEqual({ item: 'Enforcement (quarantine)', usd: 0, basis: 'off' });
    const on = line(monthlyBill(counts(), DEFAULT_WORKLOAD, SWEEP, false, true), 'Enforcement (quarantine)');
    const use = canaryAndEnforcementUse(DEFAULT_WORKLOAD, true);
    // 1% of 1,000 accounts x 30 sweeps, one user each.
    expect(use.enforcedAccounts).toBeCloseTo(300, 10);
    expect(use.transitions).toBeCloseTo(300, 10);
    expect(use.enforcementCalls).toBeCloseTo(300 + 300 * 2, 10);
    const e = DEFAULT_WORKLOAD.enforcement;
    expect(on.usd).toBeCloseTo(
      ((300 * e.workerMsPerAccount * e.workerMemoryMb) / 1024 / 1000) * SWEEP_PRICES.lambda.perGbSecondArm +
        ((300 * e.writeUnitsPerTransition) / 1_000_000) * SWEEP_PRICES.dynamodb.perMillionWrites +
        ((300 * e.readUnitsPerTransition) / 1_000_000) * SWEEP_PRICES.dynamodb.perMillionReads,
      10,
    );
    expect(on.usd).toBeGreaterThan(0);
    expect(on.basis).toMatch(
      /^300 quarantines or releases a month \(1% of accounts, 1 user each per sweep\): 900 STS\/IAM calls/,
    );
  });

  it('"every option on" is a valid configuration with enforcement in quarantine mode over the rollout OUs', () => {
    const raw = (
      JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: { orgMfaWatch: Record<string, unknown> } }
    ).context.orgMfaWatch;
    const config = parseConfig(allOptionsOn(raw));
    expect(config.enforcement.mode).toBe('quarantine');
    expect(config.enforcement.organizationalUnitIds).toEqual(config.rollout.organizationalUnitIds);
    expect(config.canary.enabled).toBe(true);
  });
});
