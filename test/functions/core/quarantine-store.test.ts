import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FindingStore } from '../../../functions/core/finding-store';
import { InvalidFindingInputError } from '../../../functions/core/finding-errors';
import { QuarantineStore } from '../../../functions/core/quarantine-store';
import type { FindingRef } from '../../../functions/contract/findings';
import { createFindingsTable, startDynalite, type LocalDynamo } from '../../../scripts/simulation/dynalite';

// Issue 23, item 6: every attach and detach is a recorded transition of the finding (who, when, why),
// one conditional write each, on a real DynamoDB implementation (dynalite).

const A = '333333333333';
const T0 = new Date('2026-12-07T09:00:00Z');
const T1 = new Date('2026-12-07T10:00:00Z');
const T2 = new Date('2026-12-07T11:00:00Z');
const SWEEP = 'sweep:2026-12-07';
const ADMIN = 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com';
const ALICE = { accountId: A, userName: 'Alice' };
const ALICE_REF: FindingRef = { accountId: A, kind: 'USER_NO_MFA', userName: 'Alice' };

let dynamo: LocalDynamo;
let findings: FindingStore;
let store: QuarantineStore;

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  const tableName = await createFindingsTable(dynamo.client, 'quarantine');
  findings = new FindingStore({ client: dynamo.client, tableName });
  store = new QuarantineStore({ client: dynamo.client, tableName });
});

const open = (ref: FindingRef = ALICE_REF) =>
  findings.observeProblem({ ...ref, severity: 'HIGH', detail: 'NO_MFA_CONSOLE', source: 'sweep', now: T0 });
const quarantine = (now = T1, by = SWEEP) =>
  store.markQuarantined(ALICE, { by, reason: 'no MFA for 72 h since the alert', now });

describe('QuarantineStore', () => {
  it('records a quarantine on an open finding with who, when and why', async () => {
    await open();
    expect(await quarantine()).toBe('recorded');
    const state = await store.get({ accountId: A, userName: 'alice' });
    expect(state).toMatchObject({
      userName: 'Alice',
      state: 'OPEN',
      quarantined: { at: T1.toISOString(), by: SWEEP, reason: 'no MFA for 72 h since the alert' },
      log: [
        { action: 'quarantined', at: T1.toISOString(), by: SWEEP, reason: 'no MFA for 72 h since the alert' },
      ],
    });
    expect(state?.released).toBeUndefined();
  });

  it('records a quarantine once: of concurrent writers exactly one wins', async () => {
    await open();
    const outcomes = await Promise.all([quarantine(), quarantine(), quarantine()]);
    expect(outcomes.sort()).toEqual(['already-quarantined', 'already-quarantined', 'recorded']);
    expect((await store.get(ALICE))?.log).toHaveLength(1);
  });

  it('refuses a quarantine without an open finding (none, or resolved)', async () => {
    expect(await quarantine()).toBe('no-open-finding');
    await open();
    await findings.resolve({ ...ALICE_REF, reason: 'mfa-enabled', now: T1, retentionDays: 30 });
    expect(await quarantine(T2)).toBe('no-open-finding');
  });

  it('records a release after the finding resolved, keeps the history, and allows a new quarantine', async () => {
    await open();
    await quarantine();
    await findings.resolve({ ...ALICE_REF, reason: 'mfa-enabled', now: T2, retentionDays: 30 });
    expect(await store.listQuarantined(A)).toHaveLength(1);
    expect(
      await store.markReleased(ALICE, {
        by: SWEEP,
        reason: 'quarantine released: the user enabled MFA',
        now: T2,
      }),
    ).toBe('recorded');
    const state = await store.get(ALICE);
    expect(state?.state).toBe('RESOLVED');
    expect(state?.quarantined).toBeUndefined();
    expect(state?.released).toEqual({
      at: T2.toISOString(),
      by: SWEEP,
      reason: 'quarantine released: the user enabled MFA',
    });
    expect(state?.log.map((t) => t.action)).toEqual(['quarantined', 'released']);
    expect(await store.listQuarantined(A)).toEqual([]);
    // The finding survives the observation that reopens it, history included.
    await findings.observeProblem({
      ...ALICE_REF,
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'sweep',
      now: T2,
    });
    expect((await store.get(ALICE))?.log).toHaveLength(2);
  });

  it('records a release by hand with the person and the reason, once', async () => {
    await open();
    await quarantine();
    const release = () =>
      store.markReleased(ALICE, { by: ADMIN, reason: 'travelling, ticket SEC-77', now: T2 });
    const outcomes = await Promise.all([release(), release()]);
    expect(outcomes.sort()).toEqual(['not-quarantined', 'recorded']);
    expect((await store.get(ALICE))?.released).toMatchObject({
      by: ADMIN,
      reason: 'travelling, ticket SEC-77',
    });
  });

  it('lists only the quarantined users of the account', async () => {
    await open();
    await open({ accountId: A, kind: 'USER_NO_MFA', userName: 'bob' });
    await open({ accountId: '444444444444', kind: 'USER_NO_MFA', userName: 'alice' });
    await quarantine();
    await store.markQuarantined(
      { accountId: '444444444444', userName: 'alice' },
      { by: SWEEP, reason: 'r', now: T1 },
    );
    expect((await store.listQuarantined(A)).map((q) => q.userName)).toEqual(['Alice']);
  });

  it.each([
    [{ accountId: '3333', userName: 'alice' }, SWEEP, 'r', 'accountId'],
    [{ accountId: A, userName: 'al ice' }, SWEEP, 'r', 'userName'],
    [ALICE, ' ', 'r', 'by'],
    [ALICE, SWEEP, '', 'reason'],
    [ALICE, SWEEP, 'x'.repeat(501), 'reason'],
  ])('refuses bad input (%j, by %j, reason %j), naming %s', async (subject, by, reason, field) => {
    await expect(store.markQuarantined(subject, { by, reason, now: T1 })).rejects.toThrow(
      InvalidFindingInputError,
    );
    await expect(store.markReleased(subject, { by, reason, now: T1 })).rejects.toThrow(`${field}: expected`);
  });
});
