import { describe, expect, it } from 'vitest';
import { DemoAbortError } from '../../../scripts/demo/errors';
import { batchItems, runSweepExecution } from '../../../scripts/demo/sweep-execution';

describe('the Distributed Map of the demo', () => {
  it('batches the item list as ItemBatcher does: MaxItemsPerBatch items, the same BatchInput on each', () => {
    const plan = {
      sweepId: 's1',
      mode: 'scheduled',
      fullSweep: true,
      bucket: 'b',
      key: 'k',
      count: 5,
    } as const;
    const batches = batchItems(plan, [1, 2, 3, 4, 5], 2);
    expect(batches.map((b) => b.Items.length)).toEqual([2, 2, 1]);
    expect(new Set(batches.map((b) => JSON.stringify(b.BatchInput)))).toEqual(
      new Set([JSON.stringify({ sweepId: 's1', mode: 'scheduled' })]),
    );
  });
});

describe('the sweep execution of the demo', () => {
  const plan = {
    sweepId: 's1',
    mode: 'scheduled',
    fullSweep: true,
    bucket: 'b',
    key: 'k',
    count: 2,
  } as const;
  const deps = (worker: () => Promise<unknown>) => {
    const objects = new Map([['k', { body: JSON.stringify([{ accountId: '1' }, { accountId: '2' }]) }]]);
    return {
      invoke: (fn: string) =>
        fn === 'planner' ? Promise.resolve(plan) : fn === 'worker' ? worker() : Promise.resolve({}),
      buckets: new Map([['b', objects]]),
      sweep: { batchSize: 1, maxConcurrency: 2, joinedAccount: { attempts: 1, waitMinutes: 1 } },
      region: 'us-east-1',
      account: '222222222222',
      objects,
    };
  };

  it('records a failed worker as a FAILED child execution in the ResultWriter files, as Step Functions does', async () => {
    const d = deps(() => Promise.reject(new Error('boom')));
    await runSweepExecution(d, 'e1', { mode: 'scheduled' });
    const manifest = JSON.parse(d.objects.get('sweeps/map-results/e1/manifest.json')?.body ?? '{}') as {
      ResultFiles: { FAILED: { Key: string }[] };
    };
    const failed = JSON.parse(
      d.objects.get(manifest.ResultFiles.FAILED[0]?.Key ?? '')?.body ?? '[]',
    ) as unknown[];
    expect(failed).toHaveLength(2);
    expect(failed[0]).toMatchObject({ Status: 'FAILED', Error: 'Error' });
  });

  it('stops at once when a function calls an operation the simulation does not answer', async () => {
    const d = deps(() => Promise.reject(new DemoAbortError('the worker called iam:X')));
    await expect(runSweepExecution(d, 'e2', { mode: 'scheduled' })).rejects.toThrow(
      'the worker called iam:X',
    );
  });

  it('with enforcement on, runs Enforce (the worker, once, with the map results) and hands its output to the report', async () => {
    const calls: { fn: string; event: unknown }[] = [];
    const summary = { mode: 'dry-run', quarantined: [], wouldQuarantine: [], released: [], failures: [] };
    const base = deps(() => Promise.resolve({ accounts: [] }));
    const d = {
      ...base,
      enforce: true,
      invoke: (fn: string, event: unknown) => {
        calls.push({ fn, event });
        if (typeof event === 'object' && event !== null && 'enforce' in event)
          return Promise.resolve(summary);
        return base.invoke(fn);
      },
    };
    await runSweepExecution(d, 'e3', { mode: 'scheduled' });
    const enforce = calls.filter(
      (c) => typeof c.event === 'object' && c.event !== null && 'enforce' in c.event,
    );
    expect(enforce).toEqual([
      {
        fn: 'worker',
        event: {
          enforce: { sweepId: 's1', results: { Bucket: 'b', Key: 'sweeps/map-results/e3/manifest.json' } },
        },
      },
    ]);
    expect(calls.at(-1)).toMatchObject({ fn: 'reporter', event: { enforcement: summary } });
  });
});
