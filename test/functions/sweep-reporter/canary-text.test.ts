import { describe, expect, it } from 'vitest';
import type { SweepReport } from '../../../functions/sweep-reporter/aggregate';
import { formatCanaryAlert, type CanaryAlertInput } from '../../../functions/sweep-reporter/canary-alert';
import { canaryDigestLines } from '../../../functions/sweep-reporter/canary-digest';

// The canary's texts (docs/adr/0021-canary.md) in both locales: the alert names what the sweep knows, the
// digest section lists each outcome with its account and last proof.

const INPUT: CanaryAlertInput = {
  accountId: '111111111111',
  accountName: '운영',
  findingId: 'f-00000000000000000001',
  firstSeen: new Date('2026-12-02T02:15:00Z'),
  sweepId: 'daily-2',
  consecutiveMisses: 2,
  lastProvenAt: '2026-11-30T02:03:00Z',
  forwarding: { rule: 'DELIVERIES_FAILING', deadLetterMessages: 7 },
};

describe('the REALTIME_PATH_BROKEN alert', () => {
  it.each(['en', 'ko'] as const)('%s: ASCII subject under 100 characters, the sweep attributes', (locale) => {
    const message = formatCanaryAlert(INPUT, { locale, timeZone: 'Asia/Seoul', partition: 'aws' });
    expect(message.subject).toMatch(/^\[org-mfa-watch\] HIGH: [\x20-\x7e]+$/);
    expect(message.subject.length).toBeLessThan(100);
    expect(message.attributes).toEqual({
      severity: 'HIGH',
      accountId: '111111111111',
      eventName: 'Sweep',
      finding: 'REALTIME_PATH_BROKEN',
      findingId: 'f-00000000000000000001',
      findingState: 'OPEN',
    });
  });

  it('names the forward rule problem and the dead-letter depth the worker read', () => {
    const en = formatCanaryAlert(INPUT, { locale: 'en', timeZone: 'UTC', partition: 'aws' }).body;
    expect(en).toContain('Forward rule: DELIVERIES_FAILING');
    expect(en).toContain('Dead-letter queue: 7 event(s) waiting');
    expect(en).toContain('Last proven: 2026-11-30 02:03:00 UTC');
    const ko = formatCanaryAlert(INPUT, { locale: 'ko', timeZone: 'Asia/Seoul', partition: 'aws' }).body;
    expect(ko).toContain('연속 2번의 점검에서 도착하지 않았습니다');
    expect(ko).toContain('배달 못한 편지 대기열: 이벤트 7개 대기 중');
  });
});

describe('the digest canary section', () => {
  const report = {
    canary: [
      {
        accountId: '111111111111',
        outcome: 'proven',
        consecutiveMisses: 0,
        lastProvenAt: '2026-12-01T02:03:00Z',
      },
      { accountId: '222222222222', outcome: 'first-miss', consecutiveMisses: 1 },
      {
        accountId: '333333333333',
        outcome: 'tag-failed',
        consecutiveMisses: 0,
        failure: 'AccessDenied: explicit deny in a service control policy',
      },
      { accountId: '444444444444', outcome: 'not-compared', consecutiveMisses: 0 },
    ],
  } as unknown as SweepReport;

  it('says so when nothing was compared (the joined path)', () => {
    const joined = { canary: [{ accountId: '444444444444', outcome: 'not-compared', consecutiveMisses: 0 }] };
    expect(canaryDigestLines(joined as unknown as SweepReport, 'en', 'UTC')[1]).toBe(
      'Real-time path (canary): not compared in this sweep (no wait on the joined path)',
    );
  });

  it('is empty when no account sent a canary', () => {
    expect(canaryDigestLines({ ...report, canary: [] }, 'en', 'UTC')).toEqual([]);
  });

  it('counts the compared accounts proven today and lists the rest with their reason', () => {
    expect(canaryDigestLines(report, 'en', 'UTC')).toEqual([
      '',
      'Real-time path (canary): 1 of 3 account(s) proven today',
      'Canary missed once (not alerted; a second miss alerts) (1):',
      '  - 222222222222: last proven never',
      'Canary not sent: the tag call failed (1):',
      '  - 333333333333: AccessDenied: explicit deny in a service control policy; last proven never',
      'Canary sent, compared at the next sweep (1):',
      '  - 444444444444: last proven never',
    ]);
    expect(canaryDigestLines(report, 'ko', 'Asia/Seoul')[1]).toBe(
      '실시간 경로 (카나리아): 계정 3개 중 1개가 오늘 확인됨',
    );
  });
});
