import { describe, expect, it } from 'vitest';
import {
  InvalidCanaryInputError,
  compareCanaries,
  compareCanary,
  type CanaryArrival,
  type CanaryState,
  type SentCanary,
} from '../../../functions/core/canary-compare';

// Issue 22: after the wait, sent vs arrived per account. Two sweeps a day apart, S1 then S2.
const A = '333333333333';
const B = '444444444444';
const S1_COMPARED = '2026-12-06T06:20:00.000Z';
const NOW = new Date('2026-12-07T06:20:00.000Z');
const sent = (sweepId = 'S2', accountId = A): SentCanary => ({
  accountId,
  sweepId,
  sentAt: '2026-12-07T06:04:00.000Z',
});
const failed = (failure: string): SentCanary => ({ accountId: A, sweepId: 'S2', failure });
const arrival = (sweepId: string, arrivedAt: string, accountId = A): CanaryArrival => ({
  accountId,
  sweepId,
  arrivedAt,
});
const state = (consecutiveMisses: number, extra: Partial<CanaryState> = {}): CanaryState => ({
  consecutiveMisses,
  lastComparedAt: S1_COMPARED,
  lastProvenAt: '2026-12-01T06:10:00.000Z',
  ...extra,
});
const OWN = arrival('S2', '2026-12-07T06:07:00.000Z');
const LATE_S1 = arrival('S1', '2026-12-06T07:45:00.000Z'); // after S1's comparison
const COUNTED_S1 = arrival('S1', '2026-12-06T06:10:00.000Z'); // before it: already counted for S1

describe('compareCanary', () => {
  it.each([
    // what, sent, arrivals, previous state, outcome, finding, misses after, recovered
    ['its own canary arrived (no finding)', sent(), [OWN], state(0), 'proven', 'resolve', 0, false],
    ['first comparison ever, canary arrived', sent(), [OWN], undefined, 'proven', 'resolve', 0, false],
    ['one miss: digest only', sent(), [], state(0), 'first-miss', 'none', 1, false],
    ['first comparison ever, nothing arrived', sent(), [], undefined, 'first-miss', 'none', 1, false],
    ['second consecutive miss: open REALTIME_PATH_BROKEN', sent(), [], state(1), 'broken', 'open', 2, false],
    ['a third miss keeps it open', sent(), [], state(2), 'broken', 'open', 3, false],
    ['arrival after one miss', sent(), [OWN], state(1), 'proven', 'resolve', 0, true],
    ['arrival after two misses resolves', sent(), [OWN], state(2), 'proven', 'resolve', 0, true],
    [
      'the previous canary arrived after the wait: it counts now',
      sent(),
      [LATE_S1],
      state(1),
      'proven',
      'resolve',
      0,
      true,
    ],
    [
      'a canary counted before is not counted again',
      sent(),
      [COUNTED_S1],
      state(0),
      'first-miss',
      'none',
      1,
      false,
    ],
    [
      "another account's canary proves nothing here",
      sent(),
      [arrival('S2', OWN.arrivedAt, B)],
      state(1),
      'broken',
      'open',
      2,
      false,
    ],
    [
      'the tag call was denied: reason, count kept',
      failed('AccessDenied: explicit deny in an SCP'),
      [],
      state(1),
      'tag-failed',
      'none',
      1,
      false,
    ],
    [
      'the tag call failed with a finding open: left open',
      failed('Throttling'),
      [],
      state(3),
      'tag-failed',
      'none',
      3,
      false,
    ],
    [
      'the tag call failed but an earlier canary came late',
      failed('Throttling'),
      [LATE_S1],
      state(1),
      'proven',
      'resolve',
      0,
      true,
    ],
  ] as const)('%s', (_what, s, arrivals, previous, outcome, finding, misses, recovered) => {
    const decision = compareCanary(s, arrivals, previous, NOW);
    expect(decision).toMatchObject({ accountId: A, sweepId: 'S2', outcome, finding, recovered });
    expect(decision.next.consecutiveMisses).toBe(misses);
    expect(decision.next.lastComparedAt).toBe(NOW.toISOString());
  });

  it('names the failure of the tag call', () => {
    expect(compareCanary(failed('AccessDenied: SCP'), [], state(0), NOW).failure).toBe('AccessDenied: SCP');
  });

  it('records when the path was last proven: the latest counted arrival, or the time kept', () => {
    const proven = compareCanary(sent(), [LATE_S1, OWN], state(1), NOW);
    expect(proven.provenBy).toEqual(OWN);
    expect(proven.next.lastProvenAt).toBe(OWN.arrivedAt);
    expect(compareCanary(sent(), [], state(1), NOW).next.lastProvenAt).toBe('2026-12-01T06:10:00.000Z');
    expect(compareCanary(sent(), [], undefined, NOW).next).not.toHaveProperty('lastProvenAt');
  });

  it('counts its own canary even when it arrived before the previous comparison time (clock skew)', () => {
    const early = arrival('S2', '2026-12-06T06:00:00.000Z');
    expect(compareCanary(sent(), [early], state(1), NOW).outcome).toBe('proven');
  });

  it('rejects a stored state or arrival it cannot read, naming the field', () => {
    expect(() => compareCanary(sent(), [], state(-1), NOW)).toThrow(InvalidCanaryInputError);
    expect(() => compareCanary(sent(), [], state(1.5), NOW)).toThrow(
      /consecutiveMisses: expected a whole number/,
    );
    expect(() => compareCanary(sent(), [arrival('S1', 'later')], state(0), NOW)).toThrow(
      /arrivedAt: expected an ISO 8601 time/,
    );
    expect(() => compareCanary(sent(), [], state(0, { lastComparedAt: 'x' }), NOW)).toThrow(/lastComparedAt/);
  });
});

describe('compareCanaries', () => {
  it('decides each account from its own arrivals and state', () => {
    const decisions = compareCanaries(
      [sent('S2', A), sent('S2', B)],
      [OWN],
      new Map([
        [A, state(2)],
        [B, state(1)],
      ]),
      NOW,
    );
    expect(decisions.map((d) => [d.accountId, d.outcome, d.finding])).toEqual([
      [A, 'proven', 'resolve'],
      [B, 'broken', 'open'],
    ]);
  });
});
