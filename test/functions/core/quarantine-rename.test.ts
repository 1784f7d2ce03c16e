import { beforeEach, describe, expect, it } from 'vitest';
import { FindingStore } from '../../../functions/core/finding-store';
import { QuarantineStore } from '../../../functions/core/quarantine-store';
import { createFindingsTable } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';

// Issue 23 (ADR 0022): renaming a user keeps their quarantine. IAM keeps the managed policies attached to
// a user across UpdateUser (IAM API Reference, UpdateUser: "Updates the name and/or the path of the
// specified IAM user"; the user's ID, policies and group memberships stay), so the finding that moves to
// the new name must keep the quarantine record, or the sweep could never release the policy.

const ACCOUNT = '123456789012';
const T0 = new Date('2026-10-05T10:00:00Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);
const dynamo = useDynalite();
let store: FindingStore;
let quarantine: QuarantineStore;

beforeEach(async () => {
  const tableName = await createFindingsTable(dynamo.client, 'rename');
  store = new FindingStore({ client: dynamo.client, tableName });
  quarantine = new QuarantineStore({ client: dynamo.client, tableName });
});

describe('renameUser keeps the quarantine (QUARANTINE_ATTRIBUTES)', () => {
  it.each([
    ['a new name', 'kim.contractor'],
    ['a case-only rename', 'Contractor.Kim'],
  ])('%s: still quarantined under the new name, with its history, and releasable there', async (_, to) => {
    await store.observeProblem({
      accountId: ACCOUNT,
      kind: 'USER_NO_MFA',
      userName: 'contractor.kim',
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'sweep',
      now: T0,
    });
    const subject = { accountId: ACCOUNT, userName: 'contractor.kim' };
    expect(
      await quarantine.markQuarantined(subject, {
        by: 'sweep:day-4',
        reason: 'no MFA for 80 h',
        now: hours(80),
      }),
    ).toBe('recorded');
    await store.renameUser({ accountId: ACCOUNT, oldName: 'contractor.kim', newName: to, now: hours(81) });

    const renamed = { accountId: ACCOUNT, userName: to };
    const state = await quarantine.get(renamed);
    expect(state?.quarantined).toEqual({
      at: hours(80).toISOString(),
      by: 'sweep:day-4',
      reason: 'no MFA for 80 h',
    });
    expect(state?.log.map((l) => l.action)).toEqual(['quarantined']);
    expect((await quarantine.listQuarantined(ACCOUNT)).map((q) => q.userName)).toEqual([to]);
    expect(
      await quarantine.markReleased(renamed, { by: 'sweep:day-5', reason: 'MFA enabled', now: hours(90) }),
    ).toBe('recorded');
  });
});
