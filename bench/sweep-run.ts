/**
 * The org-wide sweep, measured end to end on this machine: the planner over a mocked organization, the
 * REAL worker (functions/sweep-worker) in Distributed Map batches on real SDK clients whose HTTP layer
 * is the fake member accounts (fixed latency, seeded throttling, a credential report that takes time to
 * generate), the finding store on an in-process dynalite, and the reporter over the workers' results.
 * Importing this module has no side effects; `npx tsx bench/sweep-run.ts` runs the 1,000-account sweep
 * alone and prints its table.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { FindingStore } from '../functions/core/finding-store';
import { SDK_CALL_LIMITS } from '../functions/contract/timing';
import { DEFAULT_SWEEP_TUNING } from '../functions/sweep-worker/sweep-batch';
import { createFindingsTable, localClient, startDynalite } from '../scripts/simulation/dynalite';
import { sweepSettings } from '../test/helpers/sweep-harness';
import { fakeBucket } from '../test/functions/sweep-reporter/fake-bucket';
import { mockOrganization } from '../test/functions/sweep-planner/fake-organization';
import { modelSweep, sweepNotes, sweepRows } from './sweep-model';
import type { DynamoUse, Spread, SweepRunOptions, SweepRunResult } from './sweep-options';
import { BENCH_SWEEP } from './sweep-options';
import {
  canaryCalls,
  clientBase,
  mapPhase,
  planPhase,
  reportPhase,
  tallyCalls,
  throttlingFake,
  type SweepContext,
  type ThrottlingFake,
} from './sweep-phases';
import { BUCKET, buildWorld } from './sweep-world';

export { BENCH_SWEEP, buildWorld };
export type { SweepRunOptions, SweepRunResult };

const spread = (values: readonly number[]): Spread => ({
  mean: values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length,
  max: values.length === 0 ? 0 : Math.max(...values),
});

/** A DynamoDB client that counts its requests and the capacity units they consume. */
function countingClient(endpoint: string) {
  const client: DynamoDBClient = localClient(endpoint, { maxAttempts: SDK_CALL_LIMITS.maxAttempts });
  const use = {
    requests: {} as Record<string, number>,
    writeUnits: 0,
    readUnits: 0,
    reportedByStore: 0,
    failedConditionalWrites: 0,
  };
  const isRead = (name: string) => /^(Get|BatchGet|Query|Scan)/.test(name);
  // Size rule where DynamoDB reports no units: every item of the store is under 1 KB (1 WRU per write;
  // a refused conditional write is billed too) and a read is 0.5 RRU per started 4 KB, eventually
  // consistent (DynamoDB Developer Guide, "Read/write capacity mode": on-demand request units).
  const ruleUnits = (name: string) => (isRead(name) ? 0.5 : 1);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
      use.requests[name] = (use.requests[name] ?? 0) + 1;
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      try {
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } }).ConsumedCapacity
          ?.CapacityUnits;
        if (consumed !== undefined) use.reportedByStore += 1;
        if (isRead(name)) {
          // dynalite reports 0 for a Query that finds nothing; count the smallest read a request is
          // billed (0.5 RRU eventually consistent, 1 RRU strongly consistent) as a floor: an upper bound.
          const floor = input.ConsistentRead === true ? 1 : 0.5;
          use.readUnits += Math.max(consumed ?? ruleUnits(name), floor);
        } else {
          use.writeUnits += consumed ?? ruleUnits(name);
        }
        return result;
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') {
          use.failedConditionalWrites += 1;
          use.writeUnits += 1;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'benchCapacityCounter' },
  );
  return { client, use };
}

type Phases = Awaited<ReturnType<typeof planPhase>> &
  Awaited<ReturnType<typeof mapPhase>> &
  Awaited<ReturnType<typeof reportPhase>> & { readonly dynamoUse: DynamoUse };

/** The counts and times of a finished sweep, from its phases and what the fake answered. */
function sweepResult(ctx: SweepContext, throttling: ThrottlingFake, phases: Phases): SweepRunResult {
  const { options, world, settings } = ctx;
  const { fake, injectedAccount, injectedUser } = throttling;
  const { plannerPuts, organizationsCalls, plannerMeasured, reporterGets, reporterPuts } = phases;
  const accounts = phases.results.flatMap((r) => r.accounts);
  const count = (outcome: string) => accounts.filter((a) => a.outcome === outcome).length;
  const checkedIds = accounts.filter((a) => a.outcome === 'checked').map((a) => a.accountId);
  const { actionTotals, accountCalls, perCandidate } = tallyCalls(throttling, checkedIds);
  const deniedAccounts = world.denied.size;
  let candidates = 0;
  for (const id of checkedIds) {
    candidates += Object.values(world.accounts[id]?.users ?? {}).filter((u) => u.mfaDevices === 0).length;
  }
  const batchMs = spread(phases.runs.map((r) => r.ms));
  return {
    options,
    reportMaxAgeHours: settings.credentialReportMaxAgeHours,
    pollIntervalMs: { ...DEFAULT_SWEEP_TUNING, ...options.tuning }.reportPollIntervalMs,
    users: options.accounts * options.usersPerAccount,
    candidates,
    outcomes: { checked: count('checked'), notCovered: count('not-covered'), failed: count('failed') },
    failedReasons: accounts
      .filter((a) => a.outcome === 'failed')
      .map((a) => `${a.accountId}: ${a.reason ?? ''}`),
    deniedAccounts,
    newFindings: accounts.flatMap((a) => a.findings).filter((f) => f.change === 'new').length,
    accountCalls: spread(accountCalls),
    candidateCalls: spread([...perCandidate.values()]),
    accountCallsByAction: Object.fromEntries(
      Object.entries(actionTotals)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([action, n]) => [action, n / Math.max(1, checkedIds.length)]),
    ),
    canaryCalls: canaryCalls(fake),
    throttledAnswers: [...injectedAccount.values(), ...injectedUser.values()].reduce((a, b) => a + b, 0),
    memberRequests: fake.calls.filter((c) => c.account !== 'central').length,
    snsPublishes: fake.published.length,
    batches: phases.batches.length,
    batchMs,
    mapSeconds: phases.mapSeconds,
    dynamodb: { ...phases.dynamoUse },
    s3: {
      plannerPuts,
      reporterGets,
      reporterPuts,
      mapGets: 1,
      mapPuts: 2,
      puts: plannerPuts + 2 + reporterPuts,
      gets: 1 + reporterGets,
    },
    planner: {
      measuredMs: plannerMeasured,
      ms: plannerMeasured + (organizationsCalls + plannerPuts) * options.latencyMs,
      organizationsCalls,
    },
    reporter: {
      measuredMs: phases.reporterMeasured,
      ms: phases.reporterMeasured + (reporterGets + reporterPuts) * options.latencyMs,
      summary: phases.summary,
    },
  };
}

/** Run the planner, the worker over every batch, and the reporter; count and time everything. */
export async function measureSweep(options: SweepRunOptions = BENCH_SWEEP): Promise<SweepRunResult> {
  const sweepId = `bench-${options.seed}`;
  const world = buildWorld(options, new Date());
  const throttling = throttlingFake(options, world);
  const dynamo = await startDynalite();
  const s3 = fakeBucket(BUCKET);
  const org = mockOrganization(world.tree, 20); // ListAccounts answers at most 20 accounts a page
  try {
    const tableName = await createFindingsTable(dynamo.client, 'bench');
    const { client: dynamoClient, use: dynamoUse } = countingClient(dynamo.endpoint);
    // The canary is on, as deployed by default (canary.enabled): its TagRole counts in the calls per account.
    const settings = sweepSettings({
      findings: { tableName, resolvedRetentionDays: 90 },
      canaryEnabled: true,
    });
    const base = clientBase(throttling.requestHandler);
    const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' };
    const store = new FindingStore({ client: dynamoClient, tableName });
    const sns = new SNSClient({ ...base, credentials });
    const ctx: SweepContext = { options, sweepId, world, base, credentials, settings, store, sns, s3 };
    const planned = await planPhase(ctx, org);
    const mapped = await mapPhase(ctx, planned.items);
    const reported = await reportPhase(ctx, planned.plan, mapped.batches, mapped.results);
    return sweepResult(ctx, throttling, { ...planned, ...mapped, ...reported, dynamoUse });
  } finally {
    org.restore();
    s3.mock.restore();
    await dynamo.close();
  }
}

/** Print the sweep's rows alone (`npx tsx bench/sweep-run.ts`). */
async function main(): Promise<void> {
  const run = await measureSweep();
  const model = modelSweep(run);
  const rows = sweepRows(run, model);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [name, value, target, result] of rows) {
    process.stdout.write(`${name.padEnd(width)}  ${value.padEnd(22)} ${target.padEnd(16)} ${result}\n`);
  }
  process.stdout.write(`\n${sweepNotes(run, model)}\n`);
  if (run.failedReasons.length > 0) process.stdout.write(`\nfailed: ${run.failedReasons.join('; ')}\n`);
}

if (require.main === module) {
  void main();
}
