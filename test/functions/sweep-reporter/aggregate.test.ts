import { describe, expect, it } from 'vitest';
import { NO_RESULT_REASON, buildReport, digestSeverity } from '../../../functions/sweep-reporter/aggregate';
import { DEPARTED, ITEMS, NOW, sampleReport } from './sample';

describe('buildReport', () => {
  const report = sampleReport();

  it('gives every planned account one outcome: the worker result, the failed batch, or "no result"', () => {
    expect(report.accounts.map((a) => [a.accountId, a.outcome, a.reason])).toEqual([
      ['111111111111', 'checked', undefined],
      ['222222222222', 'not-covered', 'AccessDenied on sts:AssumeRole'],
      ['333333333333', 'checked', undefined],
      ['444444444444', 'checked', undefined],
      ['555555555555', 'failed', expect.stringContaining('Task timed out') as string],
      ['666666666666', 'failed', expect.stringContaining('Task timed out') as string],
      ['777777777777', 'failed', NO_RESULT_REASON],
      ['999999999999', 'checked', undefined],
    ]);
  });

  it('counts accounts and findings; resolved includes account-removed; open is new plus still open', () => {
    expect(report.totals).toEqual({
      accounts: 8,
      checked: 4,
      notCovered: 1,
      failed: 3,
      rolloutPending: 0,
      coverageGaps: 3,
      newFindings: 3,
      resolvedFindings: 2,
      stillOpenFindings: 1,
      openFindings: 4,
      accountRemovedFindings: 1,
    });
    expect(report.openBySeverity).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 1 });
    expect(report.newBySeverity).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 0 });
    expect(report.removedAccountFindings).toEqual([DEPARTED]);
  });

  it('lists coverage gaps: outside the rollout, excluded, and not covered (with the reason)', () => {
    expect(report.coverageGaps).toEqual([
      {
        accountId: '222222222222',
        name: 'legacy',
        gap: 'not-covered',
        reason: 'AccessDenied on sts:AssumeRole',
      },
      { accountId: '666666666666', name: 'slow-2', gap: 'excluded' },
      { accountId: '777777777777', name: 'sandbox', gap: 'outside-rollout' },
    ]);
  });

  it('orders findings most severe first', () => {
    const prod = report.accounts.find((a) => a.accountId === '111111111111');
    expect(prod?.findings.map((f) => f.severity)).toEqual(['HIGH', 'HIGH', 'MEDIUM']);
    expect(digestSeverity(report)).toBe('CRITICAL');
  });

  it('lets a worker result win over a failed batch for the same account (a redriven Map Run)', () => {
    const merged = buildReport({
      sweepId: 's',
      mode: 'on-demand',
      fullSweep: false,
      items: ITEMS.slice(0, 1),
      batches: [{ accounts: [{ accountId: '111111111111', outcome: 'checked', findings: [] }] }],
      failures: [{ accountIds: ['111111111111'], reason: 'States.Timeout' }],
      removedAccountFindings: [],
      skipped: [],
      now: NOW,
    });
    expect(merged.accounts).toEqual([
      { accountId: '111111111111', name: 'prod', coverage: 'stackset', outcome: 'checked', findings: [] },
    ]);
    expect(digestSeverity(merged)).toBe('INFO');
  });
});
