import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FindingStore } from '../../../functions/core/finding-store';
import { toItem } from '../../../functions/core/finding-record';
import { QuarantineStore } from '../../../functions/core/quarantine-store';
import { createFindingsTable, startDynalite, type LocalDynamo } from '../../../scripts/simulation/dynalite';

// Issue 23, item 6: the transitions QuarantineStore writes are part of the finding every reader gets
// (npm run findings, Security Hub), and survive a rename's put (toItem).

const A = '333333333333';
const T0 = new Date('2026-12-01T09:00:00Z');
const T1 = new Date('2026-12-07T10:00:00Z');
const T2 = new Date('2026-12-07T12:00:00Z');
const ADMIN = 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com';

let dynamo: LocalDynamo;
let findings: FindingStore;
let quarantines: QuarantineStore;

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  const tableName = await createFindingsTable(dynamo.client, 'finding-quarantine');
  findings = new FindingStore({ client: dynamo.client, tableName });
  quarantines = new QuarantineStore({ client: dynamo.client, tableName });
  await findings.observeProblem({
    accountId: A,
    kind: 'USER_NO_MFA',
    userName: 'alice',
    severity: 'HIGH',
    detail: 'NO_MFA_CONSOLE',
    source: 'sweep',
    now: T0,
  });
});

const alice = { accountId: A, userName: 'alice' };

describe('the quarantine on a listed finding', () => {
  it('is absent until the user is quarantined', async () => {
    const [finding] = await findings.listFindings({ state: 'OPEN' });
    expect(finding?.quarantine).toBeUndefined();
  });

  it('shows the attach, then the release by hand, with the whole history', async () => {
    await quarantines.markQuarantined(alice, { by: 'sweep:s1', reason: 'USER_NO_MFA open 145 h', now: T1 });
    let [finding] = await findings.listFindings({ state: 'OPEN' });
    expect(finding?.quarantine).toEqual({
      quarantined: { at: T1.toISOString(), by: 'sweep:s1', reason: 'USER_NO_MFA open 145 h' },
      log: [
        { action: 'quarantined', at: T1.toISOString(), by: 'sweep:s1', reason: 'USER_NO_MFA open 145 h' },
      ],
    });
    await quarantines.markReleased(alice, { by: ADMIN, reason: 'travelling, enrols Monday', now: T2 });
    [finding] = await findings.listFindings({ state: 'OPEN' });
    expect(finding?.quarantine?.quarantined).toBeUndefined();
    expect(finding?.quarantine?.released).toEqual({
      at: T2.toISOString(),
      by: ADMIN,
      reason: 'travelling, enrols Monday',
    });
    expect(finding?.quarantine?.log.map((t) => [t.action, t.by])).toEqual([
      ['quarantined', 'sweep:s1'],
      ['released', ADMIN],
    ]);
  });

  it('is written back by toItem, so a put of the finding keeps it', async () => {
    await quarantines.markQuarantined(alice, { by: 'sweep:s1', reason: 'USER_NO_MFA open 145 h', now: T1 });
    const [finding] = await findings.listFindings({ state: 'OPEN' });
    if (finding === undefined) throw new Error('no finding');
    const item = toItem(finding);
    expect(item).toMatchObject({
      quarantinedAt: T1.toISOString(),
      quarantinedBy: 'sweep:s1',
      quarantineReason: 'USER_NO_MFA open 145 h',
      enforcementLog: [
        { action: 'quarantined', at: T1.toISOString(), by: 'sweep:s1', reason: 'USER_NO_MFA open 145 h' },
      ],
    });
    expect(toItem({ ...finding, quarantine: undefined })).not.toHaveProperty('quarantinedAt');
  });
});
