import type {
  SweepBatch,
  SweepBatchResult,
  SweepInput,
  SweepPlan,
  SweepReportSummary,
} from '../../functions/contract/sweep';
import { SWEEP_KEYS } from '../../functions/contract/sweep';
import { mapWithConcurrency } from '../../functions/sweep-worker/pool';
import type { SweepConfig } from '../../stacks/config';
import { NAMES } from '../../stacks/names';
import type { Buckets } from '../simulation/services/s3';
import type { DemoFunction } from './deployment';
import { DemoAbortError } from './errors';

/**
 * One execution of the sweep state machine (stacks/constructs/sweep/definition.ts), its states run in order in
 * this process: Plan → JoinedOrFull → (SweepAccounts: a Distributed Map whose ItemReader reads the
 * planner's JSON array from S3, ItemBatcher batches it with BatchInput, children run MaxConcurrency at
 * a time, ResultWriter writes a manifest and result files to S3 → Report) | (joined: CheckJoinedAccounts
 * with the items inline, retried while not covered → ReportJoined). The Wait for the StackSet instance
 * is not waited: the simulated instance is already deployed.
 */

/** What the execution did, state by state. */
export interface SweepExecution {
  readonly plan: SweepPlan;
  readonly batches: readonly SweepBatch[];
  readonly results: readonly SweepBatchResult[];
  readonly summary: SweepReportSummary;
}

/** What the execution needs: the functions, the bucket's objects, the Map's settings. */
export interface ExecutionDeps {
  readonly invoke: (fn: DemoFunction, event: unknown) => Promise<unknown>;
  readonly buckets: Buckets;
  readonly sweep: Pick<SweepConfig, 'batchSize' | 'maxConcurrency' | 'joinedAccount'>;
  readonly region: string;
  readonly account: string;
  /** Enforcement is on (`enforcement.mode` not `off`): the Enforce state runs between the map and the report. */
  readonly enforce?: boolean;
  /** Told as each state starts. */
  readonly onState?: (state: string, detail: string) => void;
  /**
   * The WaitForCanaries state of a full sweep (docs/adr/0021-canary.md): while the state machine waits,
   * the canaries the workers sent travel to the checker. Called with the map's results; absent: no wait.
   */
  readonly whileWaiting?: (results: readonly SweepBatchResult[]) => Promise<void>;
}

/** A child execution's record in a ResultWriter file (Step Functions Developer Guide, "ResultWriter (Map)"). */
interface ChildRecord {
  readonly ExecutionArn: string;
  readonly Input: string;
  readonly Output?: string;
  readonly Status: 'SUCCEEDED' | 'FAILED';
  readonly Error?: string;
  readonly Cause?: string;
}

/** ItemBatcher: `MaxItemsPerBatch` items a batch, each with the same BatchInput. Pure. */
export function batchItems(plan: SweepPlan, items: readonly unknown[], size: number): SweepBatch[] {
  const batches: SweepBatch[] = [];
  for (let i = 0; i < items.length; i += size) {
    batches.push({
      Items: items.slice(i, i + size) as SweepBatch['Items'],
      BatchInput: { sweepId: plan.sweepId, mode: plan.mode },
    });
  }
  return batches;
}

function objectsOf(deps: ExecutionDeps, bucket: string) {
  const objects = deps.buckets.get(bucket);
  if (objects === undefined) throw new Error(`the simulated S3 has no bucket ${bucket}`);
  return objects;
}

async function distributedMap(deps: ExecutionDeps, plan: SweepPlan, executionName: string) {
  // ItemReader (S3JsonItemReader): the JSON array at $.plan.key.
  const list = objectsOf(deps, plan.bucket).get(plan.key);
  if (list === undefined) throw new Error(`ItemReader: no object ${plan.key} in ${plan.bucket}`);
  const batches = batchItems(plan, JSON.parse(list.body) as unknown[], deps.sweep.batchSize);
  deps.onState?.(
    'SweepAccounts',
    `${batches.length} batches of up to ${deps.sweep.batchSize} accounts, ${deps.sweep.maxConcurrency} at a time`,
  );
  const arn = `arn:aws:states:${deps.region}:${deps.account}:execution:${NAMES.sweepStateMachine}/SweepAccounts:${executionName}`;
  const records = await mapWithConcurrency(
    batches,
    deps.sweep.maxConcurrency,
    async (batch, i): Promise<ChildRecord> => {
      const base = { ExecutionArn: `${arn}:${i}`, Input: JSON.stringify(batch) };
      try {
        const output = await deps.invoke('worker', batch);
        return { ...base, Output: JSON.stringify(output), Status: 'SUCCEEDED' };
      } catch (error) {
        // A function error fails its child execution; a gap in the simulation stops the demo.
        if (error instanceof DemoAbortError) throw error;
        const e = error instanceof Error ? error : new Error(String(error));
        return {
          ...base,
          Status: 'FAILED',
          Error: e.name,
          Cause: JSON.stringify({ errorType: e.name, errorMessage: e.message }),
        };
      }
    },
  );
  // ResultWriter: one file per status and a manifest listing them, under the configured prefix.
  const prefix = `${SWEEP_KEYS.mapResultsPrefix}/${executionName}`;
  const objects = objectsOf(deps, plan.bucket);
  const files: Record<string, { Key: string }[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const own = records.filter((r) => r.Status === status);
    if (own.length === 0) continue;
    const key = `${prefix}/${status}_0.json`;
    objects.set(key, { body: JSON.stringify(own), contentType: 'application/json' });
    files[status]?.push({ Key: key });
  }
  const manifest = `${prefix}/manifest.json`;
  objects.set(manifest, {
    body: JSON.stringify({ DestinationBucket: plan.bucket, MapRunArn: arn, ResultFiles: files }),
    contentType: 'application/json',
  });
  const results = records.flatMap((r) =>
    r.Output === undefined ? [] : [JSON.parse(r.Output) as SweepBatchResult],
  );
  return { batches, results, resultWriterDetails: { Bucket: plan.bucket, Key: manifest } };
}

async function joinedPath(deps: ExecutionDeps, plan: SweepPlan) {
  const attempts = deps.sweep.joinedAccount.attempts;
  for (let attempt = 1; ; attempt += 1) {
    deps.onState?.(
      'WaitForStackSetInstance',
      `attempt ${attempt} of ${attempts} (the simulated instance is deployed: no wait)`,
    );
    const final = attempt >= attempts;
    const batch: SweepBatch = {
      Items: plan.items ?? [],
      BatchInput: { sweepId: plan.sweepId, mode: 'joined', final },
    };
    deps.onState?.('CheckJoinedAccounts', `${batch.Items.length} joining account(s), inline`);
    const result = (await deps.invoke('worker', batch)) as SweepBatchResult;
    const notCovered = result.accounts.some((a) => a.outcome === 'not-covered');
    if (final || !notCovered) return { batches: [batch], results: [result] };
  }
}

/** Run one execution named `executionName` with the execution input `input`. */
export async function runSweepExecution(
  deps: ExecutionDeps,
  executionName: string,
  input: SweepInput,
): Promise<SweepExecution> {
  deps.onState?.('Plan', `input ${JSON.stringify(input)}`);
  const plan = (await deps.invoke('planner', { sweepId: executionName, input })) as SweepPlan;
  if (plan.mode === 'joined' && plan.items !== undefined) {
    const { batches, results } = await joinedPath(deps, plan);
    deps.onState?.('ReportJoined', 'reconcile, write the report, publish the digest');
    const summary = (await deps.invoke('reporter', { plan, batches: results })) as SweepReportSummary;
    return { plan, batches, results, summary };
  }
  const { batches, results, resultWriterDetails } = await distributedMap(deps, plan, executionName);
  // stacks/constructs/sweep/enforce-state.ts: the worker, once, with the sweep id and the map's results.
  let enforcement: unknown;
  if (deps.enforce === true) {
    deps.onState?.('Enforce', 'quarantine the users due across the organization (after the cap)');
    enforcement = await deps.invoke('worker', {
      enforce: { sweepId: plan.sweepId, results: resultWriterDetails },
    });
  }
  const sent = results.flatMap((r) => r.accounts).filter((a) => a.canary !== undefined).length;
  if (deps.whileWaiting !== undefined && sent > 0) {
    deps.onState?.('WaitForCanaries', `${sent} canaries travel through CloudTrail and EventBridge`);
    await deps.whileWaiting(results);
  }
  deps.onState?.('Report', 'reconcile, write the report, publish the digest');
  const summary = (await deps.invoke('reporter', {
    plan,
    results: resultWriterDetails,
    ...(enforcement === undefined ? {} : { enforcement }),
  })) as SweepReportSummary;
  return { plan, batches, results, summary };
}
