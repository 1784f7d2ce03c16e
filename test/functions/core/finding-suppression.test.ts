import { beforeEach, describe, expect, it } from 'vitest';
import { FindingStore } from '../../../functions/core/finding-store';
import {
  FindingNotFoundError,
  FindingSuppressions,
  InvalidSuppressionError,
  SuppressionStateError,
  checkSuppression,
} from '../../../functions/core/finding-suppression';
import { isSuppressed } from '../../../functions/core/suppression';
import type { FindingRef } from '../../../functions/contract/findings';
import { createFindingsTable } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';

// Accepting a finding (issue 19, item 8) on a real DynamoDB implementation (dynalite): conditional
// writes decide who may suppress, and which one observer reopens an expired suppression.

const A = '111111111111';
const DAY = 86_400_000;
const T0 = new Date('2026-12-01T09:00:00Z');
const ADMIN = 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com';
const ALICE: FindingRef = { accountId: A, kind: 'USER_NO_MFA', userName: 'alice' };

const dynamo = useDynalite();
let store: FindingStore;
let admin: FindingSuppressions;

beforeEach(async () => {
  const tableName = await createFindingsTable(dynamo.client, 'suppress');
  store = new FindingStore({ client: dynamo.client, tableName });
  admin = new FindingSuppressions({ client: dynamo.client, tableName });
});

const observe = (now: Date, severity: 'HIGH' | 'MEDIUM' = 'HIGH', ref: FindingRef = ALICE) =>
  store.observeProblem({ ...ref, severity, detail: 'NO_MFA_CONSOLE', source: 'sweep', now });

describe('checkSuppression', () => {
  const check = (until: string | undefined, reason: string | undefined = 'vendor appliance, ticket SEC-42') =>
    checkSuppression({ findingId: 'f-0123456789abcdef0123', until, reason, now: T0 });

  it.each([
    [undefined, '--until: expected a date YYYY-MM-DD, got ""'],
    ['2026/12/31', '--until: expected a date YYYY-MM-DD, got "2026/12/31"'],
    ['2027-02-30', '--until: expected a date YYYY-MM-DD, got "2027-02-30"'],
    ['2026-11-30', '--until: expected today (2026-12-01) or later, got 2026-11-30'],
    [
      '2027-03-02',
      '--until: at most 90 days ahead (2027-03-01); for a permanent exception add an exemption to the configuration',
    ],
  ])('refuses --until %j: %s', (until, message) => {
    expect(() => check(until)).toThrow(InvalidSuppressionError);
    expect(() => check(until)).toThrow(message);
  });

  it('accepts today and exactly 90 days ahead', () => {
    expect(check('2026-12-01').until).toBe('2026-12-01');
    expect(check('2027-03-01').until).toBe('2027-03-01');
  });

  it.each([
    ['', '--reason: expected why the finding is accepted'],
    ['   ', '--reason: expected why the finding is accepted'],
    ['two\nlines', '--reason: expected one line of text'],
    ['x'.repeat(501), '--reason: expected at most 500 characters'],
  ])('refuses --reason %j', (reason, message) => {
    expect(() => check('2026-12-31', reason)).toThrow(message);
  });

  it('refuses a finding id that is not f- and 20 hex digits', () => {
    expect(() => checkSuppression({ findingId: 'alice', until: '2026-12-31', reason: 'x', now: T0 })).toThrow(
      'finding id: expected f- and 20 hex digits, got "alice"',
    );
  });
});

describe('suppressing and unsuppressing in the store', () => {
  it('records until, why and who on the open finding, by its id', async () => {
    const { finding } = await observe(T0);
    const suppressed = await admin.suppress({
      findingId: finding.findingId,
      until: '2026-12-31',
      reason: 'vendor appliance',
      by: ADMIN,
      now: T0,
    });
    expect(suppressed.suppression).toEqual({
      until: '2026-12-31',
      reason: 'vendor appliance',
      by: ADMIN,
      at: T0.toISOString(),
    });
    expect((await store.getFinding(ALICE))?.suppression?.by).toBe(ADMIN);
    expect(isSuppressed(suppressed, new Date('2026-12-31T23:59:59Z'))).toBe(true);
    expect(isSuppressed(suppressed, new Date('2027-01-01T00:00:00Z'))).toBe(false);

    const lifted = await admin.unsuppress({ findingId: finding.findingId });
    expect(lifted.suppression).toBeUndefined();
    await expect(admin.unsuppress({ findingId: finding.findingId })).rejects.toThrow(
      `finding ${finding.findingId} is not suppressed`,
    );
  });

  it('refuses an unknown id and a resolved finding, in one line each', async () => {
    await expect(
      admin.suppress({
        findingId: 'f-00000000000000000000',
        until: '2026-12-31',
        reason: 'x',
        by: ADMIN,
        now: T0,
      }),
    ).rejects.toThrow(FindingNotFoundError);
    const { finding } = await observe(T0);
    await store.resolve({ ...ALICE, reason: 'mfa-enabled', now: T0, retentionDays: 30 });
    await expect(
      admin.suppress({ findingId: finding.findingId, until: '2026-12-31', reason: 'x', by: ADMIN, now: T0 }),
    ).rejects.toThrow(SuppressionStateError);
  });
});

describe('no alert while suppressed; it reopens by itself when the day passes', () => {
  async function suppressedAlice(until = '2026-12-10') {
    const { finding } = await observe(T0, 'MEDIUM');
    await admin.suppress({ findingId: finding.findingId, until, reason: 'accepted', by: ADMIN, now: T0 });
  }

  it('an escalation while suppressed is quiet (suppressed), and so is a repeat', async () => {
    await suppressedAlice();
    const escalated = await observe(new Date(T0.getTime() + DAY), 'HIGH');
    expect(escalated.transition).toBe('suppressed');
    expect(escalated.finding.severity).toBe('HIGH');
    expect((await observe(new Date(T0.getTime() + 2 * DAY), 'HIGH')).transition).toBe('unchanged');
  });

  it('the first observation after the day notifies once (unsuppressed); the suppression is gone', async () => {
    await suppressedAlice('2026-12-10');
    expect((await observe(new Date('2026-12-10T23:00:00Z'), 'MEDIUM')).transition).toBe('unchanged');
    const after = new Date('2026-12-11T00:30:00Z');
    const reopened = await observe(after, 'MEDIUM');
    expect(reopened.transition).toBe('unsuppressed');
    expect(reopened.finding.suppression).toBeUndefined();
    expect((await store.getFinding(ALICE))?.suppression).toBeUndefined();
    expect((await observe(after, 'MEDIUM')).transition).toBe('unchanged');
  });

  it('of concurrent observers after the day, exactly one reopens it', async () => {
    await suppressedAlice('2026-12-10');
    const after = new Date('2026-12-12T00:00:00Z');
    const results = await Promise.all([
      observe(after, 'MEDIUM'),
      observe(after, 'MEDIUM'),
      observe(after, 'MEDIUM'),
    ]);
    expect(results.filter((r) => r.transition === 'unsuppressed')).toHaveLength(1);
  });

  it('a resolution ends the suppression: the problem coming back is a new alert', async () => {
    await suppressedAlice('2026-12-31');
    await store.resolve({
      ...ALICE,
      reason: 'mfa-enabled',
      now: new Date(T0.getTime() + DAY),
      retentionDays: 30,
    });
    expect((await store.getFinding(ALICE))?.suppression).toBeUndefined();
    expect((await observe(new Date(T0.getTime() + 2 * DAY))).transition).toBe('reopened');
  });

  it('a renamed user keeps its suppression', async () => {
    await suppressedAlice('2026-12-31');
    await store.renameUser({ accountId: A, oldName: 'alice', newName: 'alice2', now: T0 });
    const moved = await store.getFinding({ accountId: A, kind: 'USER_NO_MFA', userName: 'alice2' });
    expect(moved?.suppression?.until).toBe('2026-12-31');
  });
});
