import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { FindingStore } from '../../../functions/core/finding-store';
import { createIdempotentProcessor } from '../../../functions/core/idempotency';
import { RECHECK_MARKER_KEY } from '../../../functions/checker/recheck';
import { FINDING_KEY, FINDING_TTL_ATTRIBUTE } from '../../../functions/contract/findings';
import { closedPort, createFindingsTable, localClient } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';

// Powertools idempotency (DynamoDBPersistenceLayer) on the findings table, against dynalite: the table's
// key schema and TTL attribute serve both the findings and the idempotency records.

const CONTEXT = { getRemainingTimeInMillis: () => 60_000 };

const dynamo = useDynalite();
let tableName: string;
beforeEach(async () => {
  tableName = await createFindingsTable(dynamo.client);
});

interface TestEvent {
  readonly id: string;
  readonly detail?: { readonly eventID?: string; readonly eventName?: string };
  readonly [RECHECK_MARKER_KEY]?: { readonly dueAt: string };
}

const event = (eventID: string, extra: Partial<TestEvent> = {}): TestEvent => ({
  id: `envelope-${eventID}`,
  detail: { eventID, eventName: 'DeactivateMFADevice' },
  ...extra,
});

/** A processor that counts its runs, optionally slow or failing. */
function counting(options: { delayMs?: number; failFirst?: boolean } = {}) {
  const calls: string[] = [];
  let failures = options.failFirst ? 1 : 0;
  const process = async (e: TestEvent, context: typeof CONTEXT) => {
    calls.push(e.id);
    expect(context).toBe(CONTEXT);
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (failures > 0) {
      failures -= 1;
      throw new Error('publish failed');
    }
    return { outcome: 'alerted', eventId: e.detail?.eventID ?? null };
  };
  return { calls, process };
}

describe('createIdempotentProcessor', () => {
  it('processes the same event delivered twice once, and returns the stored result to the duplicate', async () => {
    const { calls, process } = counting();
    const once = createIdempotentProcessor(process, { client: dynamo.client, tableName });
    const first = await once(event('e-1'), CONTEXT);
    const second = await once(event('e-1'), CONTEXT);
    expect(calls).toHaveLength(1);
    expect(first).toEqual({ status: 'processed', result: { outcome: 'alerted', eventId: 'e-1' } });
    expect(second).toEqual({ status: 'duplicate', result: { outcome: 'alerted', eventId: 'e-1' } });
  });

  it('processes two concurrent deliveries of one event once', async () => {
    const { calls, process } = counting({ delayMs: 50 });
    const once = createIdempotentProcessor(process, { client: dynamo.client, tableName });
    const outcomes = await Promise.all([once(event('e-2'), CONTEXT), once(event('e-2'), CONTEXT)]);
    expect(calls).toHaveLength(1);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['in-progress', 'processed']);
  });

  it('processes different events separately', async () => {
    const { calls, process } = counting();
    const once = createIdempotentProcessor(process, { client: dynamo.client, tableName });
    await once(event('e-3'), CONTEXT);
    await once(event('e-4'), CONTEXT);
    expect(calls).toEqual(['envelope-e-3', 'envelope-e-4']);
  });

  it('lets a failed event be processed again (the record is deleted), with the original error', async () => {
    const { calls, process } = counting({ failFirst: true });
    const once = createIdempotentProcessor(process, { client: dynamo.client, tableName });
    await expect(once(event('e-5'), CONTEXT)).rejects.toThrow('publish failed');
    expect(await once(event('e-5'), CONTEXT)).toMatchObject({ status: 'processed' });
    expect(calls).toHaveLength(2);
  });

  it('keeps a scheduled re-check apart from its original event with a composite key', async () => {
    const { calls, process } = counting();
    const once = createIdempotentProcessor(process, {
      client: dynamo.client,
      tableName,
      eventKeyJmesPath: `detail.eventID && [detail.eventID, ${RECHECK_MARKER_KEY}.dueAt]`,
    });
    const recheck = event('e-6', { [RECHECK_MARKER_KEY]: { dueAt: '2026-11-03T09:00:00.000Z' } });
    expect((await once(event('e-6'), CONTEXT)).status).toBe('processed');
    expect((await once(recheck, CONTEXT)).status).toBe('processed');
    expect((await once(recheck, CONTEXT)).status).toBe('duplicate');
    expect(calls).toHaveLength(2);
  });

  it('processes events without an eventID every time (they are not one another duplicates)', async () => {
    const { calls, process } = counting();
    const once = createIdempotentProcessor(process, {
      client: dynamo.client,
      tableName,
      eventKeyJmesPath: `detail.eventID && [detail.eventID, ${RECHECK_MARKER_KEY}.dueAt]`,
    });
    await once({ id: 'bad-1' }, CONTEXT);
    await once({ id: 'bad-2' }, CONTEXT);
    await once({ id: 'bad-2', detail: {} }, CONTEXT);
    expect(calls).toEqual(['bad-1', 'bad-2', 'bad-2']);
  });

  it('stores its records beside the findings: own partition, TTL attribute a day ahead, not listed as findings', async () => {
    const { process } = counting();
    const once = createIdempotentProcessor(process, { client: dynamo.client, tableName });
    const before = Math.floor(Date.now() / 1000);
    await once(event('e-7'), CONTEXT);
    const findings = new FindingStore({ client: dynamo.client, tableName });
    expect(await findings.listFindings({ state: 'ALL' })).toEqual([]);
    const { Items } = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
    expect(Items).toHaveLength(1);
    const record = Items?.[0] ?? {};
    expect(record[FINDING_KEY.partition]).toEqual({ S: 'idempotency#checker' });
    expect(record[FINDING_KEY.sort]?.S).toMatch(/^checker#/);
    expect(record.status).toEqual({ S: 'COMPLETED' });
    const expiry = Number(record[FINDING_TTL_ATTRIBUTE]?.N);
    expect(expiry).toBeGreaterThanOrEqual(before + 86_400);
    expect(expiry).toBeLessThan(before + 86_400 + 60);
  });

  it('still processes the event when the store is down, and says dedup was skipped', async () => {
    const port = await closedPort();
    const { calls, process } = counting();
    const once = createIdempotentProcessor(process, {
      client: localClient(`http://127.0.0.1:${port}`, { maxAttempts: 1 }),
      tableName,
    });
    const outcome = await once(event('e-8'), CONTEXT);
    expect(outcome).toMatchObject({ status: 'processed', result: { outcome: 'alerted' } });
    expect(outcome.status === 'processed' && outcome.dedupFailure).toBeInstanceOf(Error);
    expect(calls).toHaveLength(1);
  });

  it('propagates the function error, not a store error, when the store is down', async () => {
    const port = await closedPort();
    const { process } = counting({ failFirst: true });
    const once = createIdempotentProcessor(process, {
      client: localClient(`http://127.0.0.1:${port}`, { maxAttempts: 1 }),
      tableName,
    });
    await expect(once(event('e-9'), CONTEXT)).rejects.toThrow('publish failed');
  });
});
