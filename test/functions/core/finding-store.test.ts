import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidFindingInputError, StoreUnavailableError } from '../../../functions/core/finding-errors';
import { FindingStore, shouldNotify, type ObserveInput } from '../../../functions/core/finding-store';
import {
  FINDING_KEY,
  FINDING_TTL_ATTRIBUTE,
  findingId,
  findingSortKey,
} from '../../../functions/contract/findings';
import { closedPort, createFindingsTable, localClient } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';
import { pagedClient } from '../../helpers/paged-dynamo';

// The store against a real DynamoDB implementation (dynalite in this process): conditional writes,
// expressions and return values are DynamoDB's, not a mock's.

const ACCOUNT = '123456789012';
const T0 = new Date('2026-11-02T09:00:00.000Z');
const hours = (h: number) => new Date(T0.getTime() + h * 3_600_000);

const dynamo = useDynalite();
let store: FindingStore;
let tableName: string;

beforeEach(async () => {
  tableName = await createFindingsTable(dynamo.client);
  store = new FindingStore({ client: dynamo.client, tableName });
});

const noMfa = (overrides: Partial<ObserveInput> = {}): ObserveInput => ({
  accountId: ACCOUNT,
  kind: 'USER_NO_MFA',
  userName: 'contractor.kim',
  severity: 'HIGH',
  detail: 'NO_MFA_CONSOLE',
  source: 'event',
  now: T0,
  ...overrides,
});

const user = { accountId: ACCOUNT, kind: 'USER_NO_MFA', userName: 'contractor.kim' } as const;

async function rawItem(sk: string): Promise<Record<string, unknown> | undefined> {
  const result = await dynamo.client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { [FINDING_KEY.partition]: { S: ACCOUNT }, [FINDING_KEY.sort]: { S: sk } },
      ConsistentRead: true,
    }),
  );
  return result.Item;
}

describe('observeProblem', () => {
  it('opens a new finding once, then reports the same problem as unchanged', async () => {
    const first = await store.observeProblem(noMfa());
    const second = await store.observeProblem(noMfa({ now: hours(1) }));
    expect(first.transition).toBe('opened');
    expect(second.transition).toBe('unchanged');
    expect(shouldNotify(first.transition)).toBe(true);
    expect(shouldNotify(second.transition)).toBe(false);
    expect(second.finding).toMatchObject({
      findingId: findingId(ACCOUNT, 'USER_NO_MFA', 'contractor.kim'),
      state: 'OPEN',
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      firstSeen: T0.toISOString(),
      openedAt: T0.toISOString(),
      lastSeen: hours(1).toISOString(),
      source: 'event',
    });
  });

  it('gives exactly one of three concurrent observers the opened transition', async () => {
    const results = await Promise.all([
      store.observeProblem(noMfa()),
      store.observeProblem(noMfa({ source: 'sweep' })),
      store.observeProblem(noMfa()),
    ]);
    const transitions = results.map((r) => r.transition).sort();
    expect(transitions).toEqual(['opened', 'unchanged', 'unchanged']);
    expect(results.filter((r) => shouldNotify(r.transition))).toHaveLength(1);
  });

  it('treats user names that differ only in case as one finding', async () => {
    await store.observeProblem(noMfa({ userName: 'Contractor.Kim' }));
    const again = await store.observeProblem(noMfa());
    expect(again.transition).toBe('unchanged');
    expect(again.finding.subject).toBe('contractor.kim');
    expect(await rawItem(findingSortKey('USER_NO_MFA', 'CONTRACTOR.KIM'))).toBeDefined();
  });

  it('escalates MEDIUM to HIGH once when a console password appears', async () => {
    await store.observeProblem(noMfa({ severity: 'MEDIUM', detail: 'NO_MFA_NO_CONSOLE' }));
    const escalated = await store.observeProblem(noMfa({ now: hours(2) }));
    const repeated = await store.observeProblem(noMfa({ now: hours(3) }));
    expect(escalated.transition).toBe('escalated');
    expect(shouldNotify(escalated.transition)).toBe(true);
    expect(escalated.finding).toMatchObject({
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      openedAt: T0.toISOString(),
    });
    expect(repeated.transition).toBe('unchanged');
  });

  it('gives exactly one of concurrent escalations the escalated transition', async () => {
    await store.observeProblem(noMfa({ severity: 'MEDIUM', detail: 'NO_MFA_NO_CONSOLE' }));
    const results = await Promise.all([1, 2, 3].map((h) => store.observeProblem(noMfa({ now: hours(h) }))));
    expect(results.map((r) => r.transition).sort()).toEqual(['escalated', 'unchanged', 'unchanged']);
  });

  it('records a lower severity quietly, so that a later rise notifies again', async () => {
    await store.observeProblem(noMfa());
    const lowered = await store.observeProblem(
      noMfa({ severity: 'MEDIUM', detail: 'NO_MFA_NO_CONSOLE', now: hours(1) }),
    );
    const risen = await store.observeProblem(noMfa({ now: hours(2) }));
    expect(lowered.transition).toBe('lowered');
    expect(shouldNotify(lowered.transition)).toBe(false);
    expect(lowered.finding).toMatchObject({ severity: 'MEDIUM', detail: 'NO_MFA_NO_CONSOLE' });
    expect(risen.transition).toBe('escalated');
  });

  it('keys root and account-level findings by a fixed subject, apart from a user named "root"', async () => {
    const root = await store.observeProblem({
      accountId: ACCOUNT,
      kind: 'ROOT_NO_MFA',
      severity: 'CRITICAL',
      source: 'event',
      now: T0,
    });
    const userRoot = await store.observeProblem(noMfa({ userName: 'root' }));
    const covered = await store.observeProblem({
      accountId: ACCOUNT,
      kind: 'ACCOUNT_NOT_COVERED',
      severity: 'HIGH',
      source: 'sweep',
      now: T0,
    });
    expect([root.transition, userRoot.transition, covered.transition]).toEqual([
      'opened',
      'opened',
      'opened',
    ]);
    expect(await rawItem('ROOT_NO_MFA#root')).toBeDefined();
    expect(await rawItem('USER_NO_MFA#root')).toBeDefined();
    expect(await rawItem('ACCOUNT_NOT_COVERED#account')).toBeDefined();
    expect(root.finding.detail).toBeUndefined();
  });

  it('has no TTL while open', async () => {
    const { finding } = await store.observeProblem(noMfa());
    expect(finding.expiresAt).toBeUndefined();
    expect(
      (await rawItem(findingSortKey('USER_NO_MFA', 'contractor.kim')))?.[FINDING_TTL_ATTRIBUTE],
    ).toBeUndefined();
  });

  it.each([
    ['accountId', { accountId: '12345' }],
    ['userName', { userName: 'has space' }],
    ['userName', { userName: 'x#injected' }],
  ])('rejects a bad %s before writing anything', async (field, overrides) => {
    const error = await store
      .observeProblem(noMfa(overrides as Partial<ObserveInput>))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidFindingInputError);
    expect(error).toMatchObject({ field });
  });
});

describe('resolve', () => {
  it('opens, resolves and reopens, in that order, under one finding id', async () => {
    const opened = await store.observeProblem(noMfa());
    const resolved = await store.resolve({
      ...user,
      reason: 'mfa-enabled',
      now: hours(5),
      retentionDays: 90,
    });
    const reopened = await store.observeProblem(noMfa({ now: hours(30), source: 'sweep' }));
    expect([opened.transition, resolved.transition, reopened.transition]).toEqual([
      'opened',
      'resolved',
      'reopened',
    ]);
    expect(shouldNotify(reopened.transition)).toBe(true);
    if (resolved.transition !== 'resolved') throw new Error('unreachable');
    expect(resolved.openForMs).toBe(5 * 3_600_000);
    expect(resolved.finding).toMatchObject({
      state: 'RESOLVED',
      resolution: 'mfa-enabled',
      resolvedAt: hours(5).toISOString(),
    });
    expect(reopened.finding).toMatchObject({
      findingId: opened.finding.findingId,
      state: 'OPEN',
      firstSeen: T0.toISOString(),
      openedAt: hours(30).toISOString(),
      source: 'sweep',
      reopenCount: 1,
    });
    expect(reopened.finding.resolution).toBeUndefined();
    expect(reopened.finding.expiresAt).toBeUndefined();
  });

  it('sets the TTL attribute to the resolution time plus the retention, in epoch seconds', async () => {
    await store.observeProblem(noMfa());
    const resolved = await store.resolve({
      ...user,
      reason: 'mfa-enabled',
      now: hours(5),
      retentionDays: 90,
    });
    const expected = Math.floor(hours(5).getTime() / 1000) + 90 * 86_400;
    expect(resolved.transition === 'resolved' && resolved.finding.expiresAt).toBe(expected);
    const item = await rawItem(findingSortKey('USER_NO_MFA', 'contractor.kim'));
    expect(item?.[FINDING_TTL_ATTRIBUTE]).toEqual({ N: String(expected) });
  });

  it('answers not-open when there is no finding, or it is already resolved', async () => {
    expect(await store.resolve({ ...user, reason: 'mfa-enabled', now: T0, retentionDays: 90 })).toEqual({
      transition: 'not-open',
    });
    await store.observeProblem(noMfa());
    await store.resolve({ ...user, reason: 'mfa-enabled', now: hours(1), retentionDays: 90 });
    expect(await store.resolve({ ...user, reason: 'deleted', now: hours(2), retentionDays: 90 })).toEqual({
      transition: 'not-open',
    });
    expect((await store.getFinding(user))?.resolution).toBe('mfa-enabled');
  });

  it('lets exactly one of concurrent resolutions win (a re-check racing an EnableMFADevice check)', async () => {
    await store.observeProblem(noMfa());
    const results = await Promise.all(
      [1, 2, 3].map((h) =>
        store.resolve({ ...user, reason: 'mfa-enabled', now: hours(h), retentionDays: 90 }),
      ),
    );
    expect(results.map((r) => r.transition).sort()).toEqual(['not-open', 'not-open', 'resolved']);
  });

  it("resolves the finding of a deleted user with reason 'deleted'", async () => {
    await store.observeProblem(noMfa());
    const result = await store.resolve({ ...user, reason: 'deleted', now: hours(1), retentionDays: 30 });
    expect(result).toMatchObject({
      transition: 'resolved',
      finding: { resolution: 'deleted', state: 'RESOLVED' },
    });
  });

  it.each([0, 3651, 1.5])('rejects a retention of %s days', async (retentionDays) => {
    await expect(store.resolve({ ...user, reason: 'manual', now: T0, retentionDays })).rejects.toBeInstanceOf(
      InvalidFindingInputError,
    );
  });
});

describe('markNotified', () => {
  it('records the notification time, and says when there is no finding', async () => {
    await store.observeProblem(noMfa());
    expect(await store.markNotified({ ...user, now: hours(1) })).toBe(true);
    expect((await store.getFinding(user))?.lastNotified).toBe(hours(1).toISOString());
    expect(await store.markNotified({ ...user, userName: 'nobody', now: hours(1) })).toBe(false);
  });
});

describe('markExported', () => {
  it('records the last Security Hub import, keeps it across observations, and says when there is no finding', async () => {
    await store.observeProblem(noMfa());
    expect(await store.markExported({ ...user, now: hours(1) })).toBe(true);
    expect((await store.getFinding(user))?.lastExported).toBe(hours(1).toISOString());
    await store.observeProblem(noMfa({ now: hours(2) }));
    expect(await store.getFinding(user)).toMatchObject({
      lastExported: hours(1).toISOString(),
      lastSeen: hours(2).toISOString(),
    });
    expect((await store.listFindings({ accountId: ACCOUNT, state: 'OPEN' }))[0]?.lastExported).toBe(
      hours(1).toISOString(),
    );
    expect(await store.markExported({ ...user, userName: 'nobody', now: hours(1) })).toBe(false);
  });
});

describe('renameUser', () => {
  const rename = (oldName: string, newName: string) =>
    store.renameUser({ accountId: ACCOUNT, oldName, newName, now: hours(2) });

  it('moves the finding to the new name with the same id, state and times', async () => {
    const opened = await store.observeProblem(noMfa());
    const result = await rename('contractor.kim', 'kim.contractor');
    expect(result.replaced).toEqual([]);
    expect(result.moved).toHaveLength(1);
    const moved = await store.getFinding({ ...user, userName: 'kim.contractor' });
    expect(moved).toMatchObject({
      findingId: opened.finding.findingId,
      subject: 'kim.contractor',
      state: 'OPEN',
      firstSeen: T0.toISOString(),
      previousNames: ['contractor.kim'],
    });
    expect(await store.getFinding(user)).toBeUndefined();
    // The problem seen under the new name is the same finding: no second alert.
    const seen = await store.observeProblem(noMfa({ userName: 'kim.contractor', now: hours(3) }));
    expect(seen.transition).toBe('unchanged');
    expect(seen.finding.findingId).toBe(opened.finding.findingId);
  });

  it('is safe to repeat', async () => {
    await store.observeProblem(noMfa());
    await rename('contractor.kim', 'kim.contractor');
    const again = await rename('contractor.kim', 'kim.contractor');
    expect(again).toEqual({ moved: [], replaced: [] });
    expect((await store.getFinding({ ...user, userName: 'kim.contractor' }))?.previousNames).toEqual([
      'contractor.kim',
    ]);
  });

  it('moves nothing when the user has no finding', async () => {
    expect(await rename('someone', 'someone.else')).toEqual({ moved: [], replaced: [] });
  });

  it('renames in place when only the case changes', async () => {
    const opened = await store.observeProblem(noMfa());
    const result = await rename('contractor.kim', 'Contractor.Kim');
    expect(result.moved[0]).toMatchObject({ subject: 'Contractor.Kim', findingId: opened.finding.findingId });
    expect(await rename('contractor.kim', 'Contractor.Kim')).toEqual({ moved: [], replaced: [] });
    expect((await store.getFinding(user))?.previousNames).toEqual(['contractor.kim']);
  });

  it('overwrites a stale resolved finding of a former user of the new name, and reports it', async () => {
    const stale = await store.observeProblem(noMfa({ userName: 'kim.contractor' }));
    await store.resolve({
      ...user,
      userName: 'kim.contractor',
      reason: 'deleted',
      now: hours(1),
      retentionDays: 90,
    });
    const live = await store.observeProblem(noMfa());
    const result = await rename('contractor.kim', 'kim.contractor');
    expect(result.replaced.map((f) => f.findingId)).toEqual([stale.finding.findingId]);
    expect((await store.getFinding({ ...user, userName: 'kim.contractor' }))?.findingId).toBe(
      live.finding.findingId,
    );
  });

  it('copies the finding again when it is resolved in the middle of the move (nothing lost)', async () => {
    const opened = await store.observeProblem(noMfa());
    // A second client whose first PutItem (the copy to the new name) is followed, before the delete of
    // the old item, by a resolution of the old item: the pinned-version delete must fail and retry.
    const racingClient = localClient(dynamo.endpoint);
    let raced = false;
    racingClient.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (!raced && context.commandName === 'PutItemCommand') {
          raced = true;
          await store.resolve({ ...user, reason: 'mfa-enabled', now: hours(1), retentionDays: 90 });
        }
        return result;
      },
      { step: 'initialize', name: 'resolveDuringRename' },
    );
    const result = await new FindingStore({ client: racingClient, tableName }).renameUser({
      accountId: ACCOUNT,
      oldName: 'contractor.kim',
      newName: 'kim.contractor',
      now: hours(2),
    });
    racingClient.destroy();
    expect(raced).toBe(true);
    expect(result.moved[0]).toMatchObject({ state: 'RESOLVED', resolution: 'mfa-enabled' });
    expect(await store.getFinding(user)).toBeUndefined();
    expect(await store.getFinding({ ...user, userName: 'kim.contractor' })).toMatchObject({
      findingId: opened.finding.findingId,
      state: 'RESOLVED',
      resolution: 'mfa-enabled',
      previousNames: ['contractor.kim'],
    });
  });

  it('moves a resolved finding too, so a reopening keeps the id', async () => {
    const opened = await store.observeProblem(noMfa());
    await store.resolve({ ...user, reason: 'mfa-enabled', now: hours(1), retentionDays: 90 });
    await rename('contractor.kim', 'kim.contractor');
    const reopened = await store.observeProblem(noMfa({ userName: 'kim.contractor', now: hours(4) }));
    expect(reopened).toMatchObject({
      transition: 'reopened',
      finding: { findingId: opened.finding.findingId },
    });
  });
});

describe('listFindings', () => {
  beforeEach(async () => {
    await store.observeProblem(noMfa({ severity: 'MEDIUM', detail: 'NO_MFA_NO_CONSOLE' }));
    await store.observeProblem(noMfa({ userName: 'ops', now: hours(1) }));
    await store.observeProblem({
      accountId: '210987654321',
      kind: 'ROOT_NO_MFA',
      severity: 'CRITICAL',
      source: 'event',
      now: hours(2),
    });
    await store.observeProblem(noMfa({ userName: 'fixed' }));
    await store.resolve({
      ...user,
      userName: 'fixed',
      reason: 'mfa-enabled',
      now: hours(3),
      retentionDays: 90,
    });
    // An idempotency record sharing the table is not a finding.
    await dynamo.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { pk: { S: 'idempotency#checker' }, sk: { S: 'checker#abc' }, status: { S: 'COMPLETED' } },
      }),
    );
  });

  it('lists open findings, most severe first', async () => {
    const open = await store.listFindings();
    expect(open.map((f) => `${f.severity} ${f.subject}`)).toEqual([
      'CRITICAL root',
      'HIGH ops',
      'MEDIUM contractor.kim',
    ]);
  });

  it('includes recently resolved findings with state ALL', async () => {
    const all = await store.listFindings({ state: 'ALL' });
    expect(all.map((f) => f.subject)).toContain('fixed');
    expect(all).toHaveLength(4);
  });

  it('filters by account (a query) and by severity', async () => {
    expect((await store.listFindings({ accountId: '210987654321' })).map((f) => f.kind)).toEqual([
      'ROOT_NO_MFA',
    ]);
    expect(
      (await store.listFindings({ accountId: ACCOUNT, severity: 'HIGH' })).map((f) => f.subject),
    ).toEqual(['ops']);
    expect((await store.listFindings({ severity: 'MEDIUM' })).map((f) => f.subject)).toEqual([
      'contractor.kim',
    ]);
  });
});

describe('when the store is down', () => {
  it('throws StoreUnavailableError, so the caller can alert anyway', async () => {
    const port = await closedPort();
    const down = new FindingStore({
      client: localClient(`http://127.0.0.1:${port}`, { maxAttempts: 1 }),
      tableName: 'org-mfa-watch-findings',
    });
    const error = await down.observeProblem(noMfa()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({ operation: 'observeProblem' });
    await expect(
      down.resolve({ ...user, reason: 'mfa-enabled', now: T0, retentionDays: 90 }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(down.listFindings()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('throws StoreUnavailableError when the table does not exist', async () => {
    const missing = new FindingStore({ client: dynamo.client, tableName: 'no-such-table' });
    await expect(missing.observeProblem(noMfa())).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('listFindings reads every page (issue 18, item 9)', () => {
  // DynamoDB returns at most 1 MB per Scan or Query and a LastEvaluatedKey to continue from (DynamoDB
  // Developer Guide, "Paginating table query results"). A page of 2 items stands in for 1 MB.
  it('follows LastEvaluatedKey through every page of a Scan and of a Query', async () => {
    const paged = pagedClient(dynamo.endpoint, 2);
    const pagedStore = new FindingStore({ client: paged.client, tableName });
    const accounts = ['111111111111', '222222222222', ACCOUNT];
    for (const [i, accountId] of accounts.entries()) {
      for (const userName of ['a', 'b', 'c']) {
        await store.observeProblem(noMfa({ accountId, userName, now: hours(i) }));
      }
    }
    const all = await pagedStore.listFindings();
    expect(all).toHaveLength(9);
    expect(paged.pages()).toBeGreaterThanOrEqual(5);
    const one = await pagedStore.listFindings({ accountId: ACCOUNT });
    expect(one.map((f) => f.subject)).toEqual(['a', 'b', 'c']);
    paged.client.destroy();
  });
});

describe('previousNames (issue 18, item 9)', () => {
  it('lists the oldest name first after two renames', async () => {
    await store.observeProblem(noMfa({ userName: 'first' }));
    await store.renameUser({ accountId: ACCOUNT, oldName: 'first', newName: 'second', now: hours(1) });
    await store.renameUser({ accountId: ACCOUNT, oldName: 'second', newName: 'third', now: hours(2) });
    const finding = await store.getFinding({ ...user, userName: 'third' });
    expect(finding?.previousNames).toEqual(['first', 'second']);
  });
});
