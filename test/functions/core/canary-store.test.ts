import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FINDING_KEY, FINDING_TTL_ATTRIBUTE } from '../../../functions/contract/findings';
import { compareCanary } from '../../../functions/core/canary-compare';
import {
  CANARY_PARTITION_PREFIX,
  CanaryStore,
  CorruptCanaryRecordError,
  InvalidCanaryRecordInputError,
} from '../../../functions/core/canary-store';
import { StoreUnavailableError } from '../../../functions/core/finding-errors';
import { FindingStore } from '../../../functions/core/finding-store';
import {
  closedPort,
  createFindingsTable,
  localClient,
  startDynalite,
  type LocalDynamo,
} from '../../../scripts/simulation/dynalite';
import { pagedClient } from '../../helpers/paged-dynamo';

// Issue 22: the canary's records on a real DynamoDB implementation (dynalite in this process), in the
// findings table's key schema: conditional writes and queries are DynamoDB's, not a mock's.

const A = '333333333333';
const B = '444444444444';
const T0 = new Date('2026-12-07T06:07:00.000Z');
const minutes = (m: number) => new Date(T0.getTime() + m * 60_000);
const canary = (sweepId: string, accountId = A) => ({
  accountId,
  sweepId,
  eventTime: '2026-12-07T06:04:00Z',
  eventId: `e-${sweepId}`,
});

let dynamo: LocalDynamo;
let store: CanaryStore;
let tableName: string;

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  tableName = await createFindingsTable(dynamo.client);
  store = new CanaryStore({ client: dynamo.client, tableName });
});

describe('CanaryStore arrivals', () => {
  it('records an arrival once: a second delivery is a duplicate and keeps the first time', async () => {
    expect(await store.recordArrival(canary('S1'), T0)).toBe('recorded');
    expect(await store.recordArrival(canary('S1'), minutes(3))).toBe('duplicate');
    expect(await store.arrivalOf(A, 'S1')).toEqual({
      accountId: A,
      sweepId: 'S1',
      arrivedAt: T0.toISOString(),
    });
  });

  it('of concurrent deliveries of the same canary, exactly one records it', async () => {
    const results = await Promise.all([1, 2, 3].map((m) => store.recordArrival(canary('S1'), minutes(m))));
    expect(results.filter((r) => r === 'recorded')).toHaveLength(1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(2);
  });

  it('keeps it in its own partition, with a TTL, and never as a finding', async () => {
    await store.recordArrival(canary('S1'), T0);
    const { Item } = await dynamo.client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: {
          [FINDING_KEY.partition]: { S: `${CANARY_PARTITION_PREFIX}${A}` },
          [FINDING_KEY.sort]: { S: 'arrival#S1' },
        },
      }),
    );
    expect(Number(Item?.[FINDING_TTL_ATTRIBUTE]?.N)).toBe(T0.getTime() / 1000 + 35 * 86_400);
    const findings = new FindingStore({ client: dynamo.client, tableName });
    expect(await findings.listFindings({ accountId: A, state: 'ALL' })).toEqual([]);
    expect(await findings.listFindings({ state: 'ALL' })).toEqual([]);
  });

  it('answers undefined for a canary that did not arrive', async () => {
    expect(await store.arrivalOf(A, 'S9')).toBeUndefined();
  });

  it("lists an account's arrivals after a time, oldest first, not another account's", async () => {
    await store.recordArrival(canary('S2'), minutes(60));
    await store.recordArrival(canary('S1'), T0);
    await store.recordArrival(canary('S3'), minutes(120));
    await store.recordArrival(canary('S2', B), minutes(61));
    expect((await store.arrivalsSince(A)).map((a) => a.sweepId)).toEqual(['S1', 'S2', 'S3']);
    expect((await store.arrivalsSince(A, minutes(60).toISOString())).map((a) => a.sweepId)).toEqual(['S3']);
    expect((await store.arrivalsSince(B)).map((a) => a.sweepId)).toEqual(['S2']);
  });

  it('follows every page of the query', async () => {
    for (let i = 0; i < 7; i += 1) await store.recordArrival(canary(`S${i}`), minutes(i));
    const paged = pagedClient(dynamo.endpoint, 2);
    const arrivals = await new CanaryStore({ client: paged.client, tableName }).arrivalsSince(A);
    expect(arrivals).toHaveLength(7);
    expect(paged.pages()).toBeGreaterThan(3);
  });

  it('rejects an account id or sweep id that cannot be a key, naming the field', async () => {
    await expect(store.recordArrival(canary('S1', '12345'), T0)).rejects.toThrow(
      /accountId: expected a 12-digit/,
    );
    await expect(store.recordArrival(canary('a b'), T0)).rejects.toThrow(InvalidCanaryRecordInputError);
    await expect(store.arrivalsSince(A, 'yesterday')).rejects.toThrow(/since: expected an ISO time/);
  });
});

describe('CanaryStore state', () => {
  it('has no state before the first comparison, then the one written', async () => {
    expect(await store.readState(A)).toBeUndefined();
    const next = { consecutiveMisses: 1, lastComparedAt: T0.toISOString() };
    expect(await store.writeState(A, next, undefined)).toBe('written');
    expect(await store.readState(A)).toEqual(next);
  });

  it('writes only over the state it read: a retried comparison cannot count a miss twice', async () => {
    const first = { consecutiveMisses: 1, lastComparedAt: T0.toISOString() };
    await store.writeState(A, first, undefined);
    const second = { consecutiveMisses: 2, lastComparedAt: minutes(1440).toISOString() };
    expect(await store.writeState(A, second, first)).toBe('written');
    // The same comparison retried with what it read before: stale, nothing changes.
    expect(await store.writeState(A, { ...second, consecutiveMisses: 3 }, first)).toBe('stale');
    expect(await store.writeState(A, first, undefined)).toBe('stale');
    expect(await store.readState(A)).toEqual(second);
  });

  it('keeps when the path was last proven', async () => {
    const proven = {
      consecutiveMisses: 0,
      lastProvenAt: T0.toISOString(),
      lastComparedAt: minutes(10).toISOString(),
    };
    await store.writeState(A, proven, undefined);
    expect(await store.readState(A)).toEqual(proven);
  });

  it('reports a state edited into something unreadable', async () => {
    await store.writeState(A, { consecutiveMisses: 1, lastComparedAt: T0.toISOString() }, undefined);
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    await dynamo.client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          [FINDING_KEY.partition]: { S: `${CANARY_PARTITION_PREFIX}${A}` },
          [FINDING_KEY.sort]: { S: 'state' },
          consecutiveMisses: { S: 'two' },
        },
      }),
    );
    await expect(store.readState(A)).rejects.toThrow(CorruptCanaryRecordError);
  });

  it('says the store is unavailable when DynamoDB cannot be reached', async () => {
    const down = new CanaryStore({
      client: localClient(`http://127.0.0.1:${await closedPort()}`),
      tableName,
    });
    await expect(down.recordArrival(canary('S1'), T0)).rejects.toThrow(StoreUnavailableError);
    await expect(down.readState(A)).rejects.toThrow(/unavailable during readState/);
    await expect(down.writeState(A, { consecutiveMisses: 0 }, undefined)).rejects.toThrow(
      StoreUnavailableError,
    );
  });
});

describe('the canary loop on the store (recorded arrivals, compared, state kept)', () => {
  /** One sweep's comparison for account A, as phase 2's reporter will run it. */
  async function compare(sweepId: string, now: Date) {
    const previous = await store.readState(A);
    const arrivals = await store.arrivalsSince(A, previous?.lastComparedAt);
    const own = await store.arrivalOf(A, sweepId);
    const decision = compareCanary(
      { accountId: A, sweepId, sentAt: now.toISOString() },
      own === undefined || arrivals.some((a) => a.sweepId === sweepId) ? arrivals : [...arrivals, own],
      previous,
      now,
    );
    expect(await store.writeState(A, decision.next, previous)).toBe('written');
    return decision;
  }
  const day = (d: number, m = 0) => new Date(T0.getTime() + d * 86_400_000 + m * 60_000);

  it('arrives, misses once, misses twice, arrives late, and recovers', async () => {
    await store.recordArrival(canary('D0'), day(0, 3));
    expect((await compare('D0', day(0, 15))).outcome).toBe('proven');
    expect(await compare('D1', day(1, 15))).toMatchObject({ outcome: 'first-miss', finding: 'none' });
    expect(await compare('D2', day(2, 15))).toMatchObject({ outcome: 'broken', finding: 'open' });
    // D2's canary arrives after D2's wait: it counts for D3's comparison, which resolves the finding.
    await store.recordArrival(canary('D2'), day(2, 40));
    expect(await compare('D3', day(3, 15))).toMatchObject({
      outcome: 'proven',
      finding: 'resolve',
      recovered: true,
    });
    expect((await store.readState(A))?.lastProvenAt).toBe(day(2, 40).toISOString());
    // Counted once: D4 without a canary is a first miss again.
    expect((await compare('D4', day(4, 15))).outcome).toBe('first-miss');
  });
});
