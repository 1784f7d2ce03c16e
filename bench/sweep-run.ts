/**
 * The org-wide sweep, measured end to end on this machine: the planner over a mocked organization, the
 * REAL worker (functions/sweep-worker) in Distributed Map batches on real SDK clients whose HTTP layer
 * is the fake member accounts (fixed latency, seeded throttling, a credential report that takes time to
 * generate), the finding store on an in-process dynalite, and the reporter over the workers' results.
 * Importing this module has no side effects; `npx tsx bench/sweep-run.ts` runs the 1,000-account sweep
 * alone and prints its table.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { AccountSessions } from '../functions/core/credentials';
import { FindingStore } from '../functions/core/finding-store';
import { AccountAliases } from '../functions/core/iam-facts';
import type { SweepAccountItem, SweepBatch, SweepBatchResult } from '../functions/contract/sweep';
import { SWEEP_KEYS } from '../functions/contract/sweep';
import { SDK_CALL_LIMITS } from '../functions/contract/timing';
import { createPlanner } from '../functions/sweep-planner/plan';
import { createReporter } from '../functions/sweep-reporter/report';
import { mapWithConcurrency } from '../functions/sweep-worker/pool';
import { DEFAULT_SWEEP_TUNING, createSweepWorker } from '../functions/sweep-worker/sweep-batch';
import { createFindingsTable, localClient, startDynalite } from '../scripts/simulation/dynalite';
import { FakeMemberAccounts } from '../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN, sweepSettings } from '../test/helpers/sweep-harness';
import { fakeBucket } from '../test/functions/sweep-reporter/fake-bucket';
import { mockOrganization } from '../test/functions/sweep-planner/fake-organization';
import { modelSweep, sweepNotes, sweepRows } from './sweep-model';
import type { Spread, SweepRunOptions, SweepRunResult } from './sweep-options';
import { BENCH_SWEEP } from './sweep-options';
import { BUCKET, ROLLOUT_OU, buildWorld, unitHash } from './sweep-world';

export { BENCH_SWEEP, buildWorld };
export type { SweepRunOptions, SweepRunResult };

const spread = (values: readonly number[]): Spread => ({
  mean: values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length,
  max: values.length === 0 ? 0 : Math.max(...values),
});

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

const SILENT = new Logger({ serviceName: 'org-mfa-watch-bench', logLevel: 'SILENT' });

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

/** Run the planner, the worker over every batch, and the reporter; count and time everything. */
export async function measureSweep(options: SweepRunOptions = BENCH_SWEEP): Promise<SweepRunResult> {
  const sweepId = `bench-${options.seed}`;
  const world = buildWorld(options, new Date());
  // Throttled first attempts the fake gave: `account:action` (calls naming no user) and `account:user`.
  const injectedAccount = new Map<string, number>();
  const injectedUser = new Map<string, number>();
  const fake = new FakeMemberAccounts(world.accounts, {
    centralBusArn: TEST_BUS_ARN,
    now: () => new Date(),
    fail: ({ account, service, action, attempt, userName }) => {
      if (service !== 'iam' || attempt !== 1) return undefined;
      if (unitHash(options.seed, `${account}:${action}:${userName ?? ''}`) >= options.throttleShare)
        return undefined;
      const key = userName === undefined ? `${account}:${action}` : `${account}:${userName}`;
      const map = userName === undefined ? injectedAccount : injectedUser;
      map.set(key, (map.get(key) ?? 0) + 1);
      return { status: 400, code: 'Throttling' };
    },
  });
  const handler = fake.requestHandler;
  const requestHandler = {
    handle: async (request: Parameters<typeof handler.handle>[0]) => {
      if (options.latencyMs > 0) await delay(options.latencyMs);
      return handler.handle(request);
    },
  };

  const dynamo = await startDynalite();
  const s3 = fakeBucket(BUCKET);
  const org = mockOrganization(world.tree, 20); // ListAccounts answers at most 20 accounts a page
  try {
    const tableName = await createFindingsTable(dynamo.client, 'bench');
    const { client: dynamoClient, use: dynamoUse } = countingClient(dynamo.endpoint);
    const settings = sweepSettings({ findings: { tableName, resolvedRetentionDays: 90 } });
    // The deployed SDK settings (adaptive retries, 3 attempts), on the fake's HTTP layer.
    const base = {
      region: 'us-east-1',
      retryMode: 'adaptive',
      maxAttempts: SDK_CALL_LIMITS.maxAttempts,
      requestHandler: requestHandler as never,
    } as const;
    const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'secret' };
    const store = new FindingStore({ client: dynamoClient, tableName });
    const sns = new SNSClient({ ...base, credentials });

    // Planner.
    const plannerStart = performance.now();
    const plan = await createPlanner({
      settings: {
        bucketName: BUCKET,
        rolloutTargetIds: [ROLLOUT_OU],
        excludedAccountIds: [],
        managementAccountId: world.ids[0] ?? '',
        joinedWithinHours: 24,
        rollout: {
          readerRoleArn: 'arn:aws:iam::999999999999:role/org-mfa-watch-rollout-reader',
          stackSetName: 'org-mfa-watch-member',
          callAs: 'SELF',
          region: 'us-east-1',
        },
      },
      organizations: new OrganizationsClient({ region: 'us-east-1', credentials }),
      s3: new S3Client({ region: 'us-east-1', credentials }),
      logger: SILENT,
      now: () => new Date(),
    })({ sweepId, input: { mode: 'scheduled' } });
    const plannerMeasured = performance.now() - plannerStart;
    const organizationsCalls = org.calls().length;
    const plannerPuts = s3.mock.commandCalls(PutObjectCommand).length;
    const items = JSON.parse(s3.objects.get(plan.key)?.body ?? '[]') as SweepAccountItem[];

    // Worker: the Distributed Map's batches, `maxConcurrency` at a time.
    const sweep = createSweepWorker({
      settings,
      sessions: new AccountSessions(new STSClient({ ...base, credentials }), {
        roleName: settings.checkRoleName,
        partition: settings.partition,
        iamClientConfig: base,
      }),
      eventBridgeFor: (roleCredentials) =>
        new EventBridgeClient({ ...base, region: settings.forwardRuleRegion, credentials: roleCredentials }),
      sqsFor: (roleCredentials) =>
        new SQSClient({ ...base, region: settings.forwardRuleRegion, credentials: roleCredentials }),
      aliases: new AccountAliases(),
      findings: store,
      sns,
      logger: SILENT,
      now: () => new Date(),
      ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
    });
    const batches: SweepBatch[] = [];
    for (let i = 0; i < items.length; i += options.batchSize) {
      batches.push({
        Items: items.slice(i, i + options.batchSize),
        BatchInput: { sweepId, mode: 'scheduled' },
      });
    }
    const mapStart = performance.now();
    const runs = await mapWithConcurrency(batches, options.maxConcurrency, async (batch) => {
      const start = performance.now();
      // A worker invocation with Lambda's longest timeout (15 minutes) ahead of it.
      const deadline = Date.now() + 900_000;
      const result = await sweep(batch, { getRemainingTimeInMillis: () => deadline - Date.now() });
      return { result, ms: performance.now() - start };
    });
    const mapSeconds = (performance.now() - mapStart) / 1000;
    const results: SweepBatchResult[] = runs.map((r) => r.result);

    // Reporter, over a ResultWriter output built from the real results (one SUCCEEDED file).
    const runPrefix = `${SWEEP_KEYS.mapResultsPrefix}/bench-map-run-${sweepId}`;
    const succeeded = batches.map((batch, i) => ({
      ExecutionArn: `arn:aws:states:us-east-1:222222222222:execution:org-mfa-watch-sweep/SweepAccounts:bench:${i}`,
      Input: JSON.stringify(batch),
      Output: JSON.stringify(results[i]),
      Status: 'SUCCEEDED',
    }));
    s3.objects.set(`${runPrefix}/SUCCEEDED_0.json`, { body: JSON.stringify(succeeded) });
    s3.objects.set(`${runPrefix}/manifest.json`, {
      body: JSON.stringify({
        DestinationBucket: BUCKET,
        ResultFiles: { SUCCEEDED: [{ Key: `${runPrefix}/SUCCEEDED_0.json` }], FAILED: [], PENDING: [] },
      }),
    });
    const putsBefore = s3.mock.commandCalls(PutObjectCommand).length;
    const reporterStart = performance.now();
    const summary = await createReporter({
      settings: {
        bucketName: BUCKET,
        alertTopicArn: settings.alertTopicArn,
        partition: 'aws',
        region: 'us-east-1',
        locale: 'en',
        timeZone: 'UTC',
        findings: settings.findings,
      },
      s3: new S3Client({ region: 'us-east-1', credentials }),
      sns,
      store,
      logger: SILENT,
      now: () => new Date(),
    })({ plan, results: { Bucket: BUCKET, Key: `${runPrefix}/manifest.json` } });
    const reporterMeasured = performance.now() - reporterStart;
    const reporterGets = s3.mock.commandCalls(GetObjectCommand).length;
    const reporterPuts = s3.mock.commandCalls(PutObjectCommand).length - putsBefore;

    // Counts.
    const accounts = results.flatMap((r) => r.accounts);
    const count = (outcome: string) => accounts.filter((a) => a.outcome === outcome).length;
    const checkedIds = accounts.filter((a) => a.outcome === 'checked').map((a) => a.accountId);
    const byAccount = new Map<string, typeof fake.calls>();
    for (const call of fake.calls) {
      if (call.account === 'central') continue;
      const list = byAccount.get(call.account) ?? [];
      list.push(call);
      byAccount.set(call.account, list);
    }
    const actionTotals: Record<string, number> = {};
    const accountCalls: number[] = [];
    const perCandidate = new Map<string, number>();
    for (const id of checkedIds) {
      const calls = byAccount.get(id) ?? [];
      // Retries of throttled answers are the SDK's, not the worker's: one injected failure, one retry.
      const own = calls.filter((c) => c.userName === undefined);
      const byAction: Record<string, number> = {};
      for (const call of own) byAction[call.action] = (byAction[call.action] ?? 0) + 1;
      let total = 0;
      for (const [action, calls] of Object.entries(byAction)) {
        const worker = calls - (injectedAccount.get(`${id}:${action}`) ?? 0);
        actionTotals[action] = (actionTotals[action] ?? 0) + worker;
        total += worker;
      }
      accountCalls.push(total);
      for (const call of calls) {
        if (call.userName === undefined) continue;
        const key = `${id}:${call.userName}`;
        perCandidate.set(key, (perCandidate.get(key) ?? 0) + 1);
      }
    }
    for (const [key, throttled] of injectedUser) {
      const calls = perCandidate.get(key);
      if (calls !== undefined) perCandidate.set(key, calls - throttled);
    }
    const deniedAccounts = world.denied.size;
    let candidates = 0;
    for (const id of checkedIds) {
      candidates += Object.values(world.accounts[id]?.users ?? {}).filter((u) => u.mfaDevices === 0).length;
    }
    const batchMs = spread(runs.map((r) => r.ms));
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
      canaryCalls: fake.calls
        .filter((c) => c.service === 'iam' && c.action === 'TagRole' && c.status === 200)
        .map((c) => {
          const tags: Record<string, string> = {};
          for (let i = 1; c.params[`Tags.member.${i}.Key`] !== undefined; i += 1) {
            tags[c.params[`Tags.member.${i}.Key`] ?? ''] = c.params[`Tags.member.${i}.Value`] ?? '';
          }
          return { account: c.account, roleName: c.params.RoleName ?? '', tags };
        }),
      throttledAnswers: [...injectedAccount.values(), ...injectedUser.values()].reduce((a, b) => a + b, 0),
      memberRequests: fake.calls.filter((c) => c.account !== 'central').length,
      snsPublishes: fake.published.length,
      batches: batches.length,
      batchMs,
      mapSeconds,
      dynamodb: { ...dynamoUse },
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
        measuredMs: reporterMeasured,
        ms: reporterMeasured + (reporterGets + reporterPuts) * options.latencyMs,
        summary,
      },
    };
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
