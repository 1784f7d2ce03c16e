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
import type {
  SweepAccountItem,
  SweepBatch,
  SweepBatchResult,
  SweepReportSummary,
} from '../functions/contract/sweep';
import { SWEEP_KEYS } from '../functions/contract/sweep';
import { SDK_CALL_LIMITS } from '../functions/contract/timing';
import { createPlanner } from '../functions/sweep-planner/plan';
import { createReporter } from '../functions/sweep-reporter/report';
import { mapWithConcurrency } from '../functions/sweep-worker/pool';
import {
  DEFAULT_SWEEP_TUNING,
  createSweepWorker,
  type SweepTuning,
} from '../functions/sweep-worker/sweep-batch';
import { createFindingsTable, localClient, startDynalite } from '../scripts/simulation/dynalite';
import {
  FakeMemberAccounts,
  rowsOf,
  type FakeAccount,
  type FakeMemberUser,
} from '../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN, sweepSettings } from '../test/helpers/sweep-harness';
import { fakeBucket } from '../test/functions/sweep-reporter/fake-bucket';
import { mockOrganization, type FakeOrgTree } from '../test/functions/sweep-planner/fake-organization';
import {
  SWEEP_PRICES,
  estimateSweepCost,
  modelSweepSeconds,
  type SweepCost,
  type SweepUsage,
} from './sweep-cost';

/** What the simulated organization looks like and how the sweep runs over it. */
export interface SweepRunOptions {
  readonly accounts: number;
  readonly usersPerAccount: number;
  /** Share of all users without MFA (every second one of them has a console password). */
  readonly noMfaShare: number;
  /** Share of accounts whose check role cannot be assumed (AccessDenied). */
  readonly deniedShare: number;
  /** Share of IAM calls whose first attempt is throttled (the SDK retries them). */
  readonly throttleShare: number;
  /** Latency of every fake AWS answer (member accounts, STS, SNS), in ms. */
  readonly latencyMs: number;
  /** Time IAM takes to generate a credential report, in ms of real time. */
  readonly generationMs: number;
  /** Age of every account's stored credential report when the sweep starts (a daily sweep: 24 h). */
  readonly reportAgeHours: number;
  /** Accounts per worker invocation (the Distributed Map's `ItemBatcher`). */
  readonly batchSize: number;
  /** Batches in flight at once (the Distributed Map's `MaxConcurrency`). */
  readonly maxConcurrency: number;
  /** Seed of every random choice (which users lack MFA, which accounts and calls fail). */
  readonly seed: number;
  /** Worker tuning; the deployed defaults unless a test shortens the waits. */
  readonly tuning?: Partial<SweepTuning>;
}

/** The sweep `npm run bench` measures: 1,000 accounts x 20 users, 50 ms per call, 2 s report generation. */
export const BENCH_SWEEP: SweepRunOptions = {
  accounts: 1000,
  usersPerAccount: 20,
  noMfaShare: 0.02,
  deniedShare: 0.01,
  throttleShare: 0.05,
  latencyMs: 50,
  generationMs: 2000,
  reportAgeHours: 24,
  batchSize: 10,
  maxConcurrency: 20,
  seed: 20261201,
};

/**
 * Memory of the sweep functions in the cost model. The central stack does not set the sweep functions'
 * memory in this branch yet: 1,024 MB is the assumption the cost model uses (update it with the stack).
 */
export const SWEEP_FUNCTION_MEMORY_MB = 1024;

/**
 * State transitions of the parent workflow outside the map, per sweep: Plan, the mode Choice, the
 * Distributed Map state and Report (docs/adr/0010-sweep-engine.md). A model, not a count.
 */
export const PARENT_TRANSITIONS = 4;

/** Mean and maximum. */
export interface Spread {
  readonly mean: number;
  readonly max: number;
}

/** What one measured sweep did. */
export interface SweepRunResult {
  readonly options: SweepRunOptions;
  /** The worker's credential report age limit (settings) and poll interval (tuning). */
  readonly reportMaxAgeHours: number;
  readonly pollIntervalMs: number;
  readonly users: number;
  /** Users without MFA in accounts whose role could be assumed (what the report nominates). */
  readonly candidates: number;
  readonly outcomes: { readonly checked: number; readonly notCovered: number; readonly failed: number };
  readonly failedReasons: readonly string[];
  readonly deniedAccounts: number;
  /** New findings the worker opened (user findings and ACCOUNT_NOT_COVERED). */
  readonly newFindings: number;
  /** Requests to member accounts per checked account that name no user (retries of throttled answers excluded). */
  readonly accountCalls: Spread;
  /** Requests per candidate user (ListMFADevices, GetLoginProfile, ListUserTags; retries excluded). */
  readonly candidateCalls: Spread;
  /** Mean requests per checked account, by action (retries excluded). */
  readonly accountCallsByAction: Readonly<Record<string, number>>;
  /**
   * The canary's TagRole calls the fake answered (issue 22: one per reached account per sweep, on the check
   * role, the canary key only), with the role named and the tags sent; none while the worker sends none.
   */
  readonly canaryCalls: readonly {
    readonly account: string;
    readonly roleName: string;
    readonly tags: Readonly<Record<string, string>>;
  }[];
  /** Throttled answers the fake gave (each retried by the SDK). */
  readonly throttledAnswers: number;
  /** Requests to member accounts in total, retries included. */
  readonly memberRequests: number;
  /** Alerts published by the worker (new HIGH findings) and the reporter's digest. */
  readonly snsPublishes: number;
  readonly batches: number;
  readonly batchMs: Spread;
  /** Wall time of the map phase (all batches, `maxConcurrency` at a time), in s. */
  readonly mapSeconds: number;
  readonly dynamodb: DynamoUse;
  readonly s3: S3Use;
  readonly planner: PhaseTime & { readonly organizationsCalls: number };
  readonly reporter: PhaseTime & { readonly summary: SweepReportSummary };
}

/** DynamoDB requests of the sweep (worker and reporter) and the request units they use. */
export interface DynamoUse {
  readonly requests: Readonly<Record<string, number>>;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** Requests whose units DynamoDB (dynalite) reported in `ConsumedCapacity`; the others use the rule. */
  readonly reportedByStore: number;
  /** Conditional writes refused (`ConditionalCheckFailedException`), counted as 1 WRU each. */
  readonly failedConditionalWrites: number;
}

/** S3 requests of one sweep. */
export interface S3Use {
  /** Counted: the planner's and the reporter's requests against the fake bucket. */
  readonly plannerPuts: number;
  readonly reporterGets: number;
  readonly reporterPuts: number;
  /** Modelled: the Distributed Map reads the item list once and writes its manifest and one result file per status. */
  readonly mapGets: number;
  readonly mapPuts: number;
  readonly puts: number;
  readonly gets: number;
}

/** Wall time of a planner or reporter run. */
export interface PhaseTime {
  /** Measured in this process (mocked S3/Organizations answer at once). */
  readonly measuredMs: number;
  /** Measured plus one `latencyMs` per mocked request (they are sequential): the time the model uses. */
  readonly ms: number;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [0, 1) from a string and the seed (FNV-1a): the same call is throttled whatever the timing. */
function unitHash(seed: number, text: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** `count` distinct indices of [0, n), chosen by `random` (partial Fisher-Yates). */
function pick(n: number, count: number, random: () => number): Set<number> {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i += 1) {
    const j = i + Math.floor(random() * (n - i));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return new Set(order.slice(0, count));
}

const spread = (values: readonly number[]): Spread => ({
  mean: values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length,
  max: values.length === 0 ? 0 : Math.max(...values),
});

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

const BUCKET = 'org-mfa-watch-sweep-222222222222';
const ROOT = 'r-bench';
const ROLLOUT_OU = 'ou-bench-rollout1';
const SILENT = new Logger({ serviceName: 'org-mfa-watch-bench', logLevel: 'SILENT' });

/** The simulated organization: account ids, the Organizations tree and each account's IAM state. */
export function buildWorld(options: SweepRunOptions, now: Date) {
  const random = seededRandom(options.seed);
  const ids = Array.from({ length: options.accounts }, (_, i) => String(100000000000 + i * 7919));
  const denied = pick(ids.length, Math.round(ids.length * options.deniedShare), random);
  const totalUsers = ids.length * options.usersPerAccount;
  const noMfa = pick(totalUsers, Math.round(totalUsers * options.noMfaShare), random);
  const generatedAt = new Date(now.getTime() - options.reportAgeHours * 3_600_000);
  const accounts: Record<string, FakeAccount> = {};
  let withoutMfa = 0;
  ids.forEach((id, a) => {
    const users: Record<string, FakeMemberUser> = {};
    for (let u = 0; u < options.usersPerAccount; u += 1) {
      const index = a * options.usersPerAccount + u;
      if (noMfa.has(index)) {
        withoutMfa += 1;
        // Every second user without MFA can sign in to the console (HIGH), the others are key-only.
        users[`user-${u}`] = { mfaDevices: 0, console: withoutMfa % 2 === 1 };
      } else {
        users[`user-${u}`] = { mfaDevices: 1, console: random() < 0.5 };
      }
    }
    accounts[id] = {
      users,
      ...(denied.has(a) ? { denied: true } : {}),
      report: { state: 'ready', generatedAt, rows: rowsOf(users) },
      generationMs: options.generationMs,
    };
  });
  // The management account at the root; every other account in the rollout OU.
  const tree: FakeOrgTree = {
    rootId: ROOT,
    ous: { [ROLLOUT_OU]: ROOT },
    accounts: ids.map((id, i) => ({
      Id: id,
      Name: `account-${i}`,
      parent: i === 0 ? ROOT : ROLLOUT_OU,
      State: 'ACTIVE',
      JoinedTimestamp: new Date('2024-01-01T00:00:00Z'),
    })),
  };
  return { ids, denied: new Set([...denied].map((i) => ids[i] ?? '')), accounts, tree };
}

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

/** The model fed with a measured sweep: a 10,000-account sweep's wall time and the measured sweep's cost. */
export interface SweepModel {
  readonly usage: SweepUsage;
  readonly cost: SweepCost;
  /** Modelled wall time of a sweep of `largeAccounts` accounts, in s. */
  readonly largeSeconds: number;
  readonly largeAccounts: number;
}

/** Feed the cost and wall-time models with a measured sweep. Pure. */
export function modelSweep(run: SweepRunResult, largeAccounts = 10_000): SweepModel {
  const usage: SweepUsage = {
    accounts: run.options.accounts,
    batchSize: run.options.batchSize,
    meanBatchMs: run.batchMs.mean,
    workerMemoryMb: SWEEP_FUNCTION_MEMORY_MB,
    plannerMs: run.planner.ms,
    reporterMs: run.reporter.ms,
    plannerMemoryMb: SWEEP_FUNCTION_MEMORY_MB,
    reporterMemoryMb: SWEEP_FUNCTION_MEMORY_MB,
    writeUnits: run.dynamodb.writeUnits,
    readUnits: run.dynamodb.readUnits,
    s3Puts: run.s3.puts,
    s3Gets: run.s3.gets,
    parentTransitions: PARENT_TRANSITIONS,
  };
  return {
    usage,
    cost: estimateSweepCost(usage),
    largeAccounts,
    largeSeconds: modelSweepSeconds({
      accounts: largeAccounts,
      batchSize: run.options.batchSize,
      maxConcurrency: run.options.maxConcurrency,
      meanBatchMs: run.batchMs.mean,
      measured: { accounts: run.options.accounts, plannerMs: run.planner.ms, reporterMs: run.reporter.ms },
    }),
  };
}

/** Targets of the sweep (issue 12). */
export const SWEEP_TARGETS = {
  callsPerAccount: 5,
  callsPerCandidate: 3,
  largeSweepSeconds: 15 * 60,
  costUsd: 0.1,
} as const;

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const n = (value: number, digits = 1) => value.toFixed(digits);

/** Table rows `[measure, value, target, verdict]` for bench/run.ts. */
export function sweepRows(run: SweepRunResult, model: SweepModel): [string, string, string, string][] {
  const o = run.options;
  const label = `${o.accounts.toLocaleString('en-US')} accounts`;
  return [
    [
      `Sweep (${label}): AWS calls per account, mean / max`,
      `${n(run.accountCalls.mean)} / ${run.accountCalls.max}`,
      `<= ${SWEEP_TARGETS.callsPerAccount}`,
      verdict(run.accountCalls.max <= SWEEP_TARGETS.callsPerAccount),
    ],
    [
      `Sweep (${label}): AWS calls per candidate user, mean / max`,
      `${n(run.candidateCalls.mean)} / ${run.candidateCalls.max}`,
      `<= ${SWEEP_TARGETS.callsPerCandidate}`,
      verdict(run.candidateCalls.max <= SWEEP_TARGETS.callsPerCandidate),
    ],
    [
      `Sweep (${label}): checked / not covered / failed`,
      `${run.outcomes.checked} / ${run.outcomes.notCovered} / ${run.outcomes.failed}`,
      `${o.accounts - run.deniedAccounts} / ${run.deniedAccounts} / 0`,
      verdict(
        run.outcomes.checked === o.accounts - run.deniedAccounts &&
          run.outcomes.notCovered === run.deniedAccounts &&
          run.outcomes.failed === 0,
      ),
    ],
    [
      `Sweep (${label}): worker batch wall time, mean / max`,
      `${n(run.batchMs.mean / 1000, 2)} s / ${n(run.batchMs.max / 1000, 2)} s`,
      '',
      '',
    ],
    [
      `Sweep (${label}): DynamoDB request units`,
      `${n(run.dynamodb.writeUnits, 0)} WRU, ${n(run.dynamodb.readUnits, 1)} RRU`,
      '',
      '',
    ],
    [`Sweep (${label}): S3 requests (PUT / GET)`, `${run.s3.puts} / ${run.s3.gets}`, '', ''],
    [
      `Sweep (${label}): cost (modelled)`,
      `$${model.cost.total.toFixed(4)}`,
      `<= $${SWEEP_TARGETS.costUsd.toFixed(2)}`,
      verdict(model.cost.total <= SWEEP_TARGETS.costUsd),
    ],
    [
      `Sweep (${model.largeAccounts.toLocaleString('en-US')} accounts): wall time (modelled)`,
      `${n(model.largeSeconds / 60)} min`,
      `<= ${SWEEP_TARGETS.largeSweepSeconds / 60} min`,
      verdict(model.largeSeconds <= SWEEP_TARGETS.largeSweepSeconds),
    ],
  ];
}

/** The "How each number is measured" paragraph for docs/benchmarks.md. */
export function sweepNotes(run: SweepRunResult, model: SweepModel): string {
  const o = run.options;
  const actions = Object.entries(run.accountCallsByAction)
    .map(([action, mean]) => `${action} ${n(mean, 2)}`)
    .join(', ');
  const c = model.cost;
  const requests = Object.entries(run.dynamodb.requests)
    .map(([name, count]) => `${count} ${name}`)
    .join(', ');
  return [
    `- **Sweep**: ${o.accounts.toLocaleString('en-US')} accounts x ${o.usersPerAccount} users, seeded (${o.seed}): ${Math.round(o.noMfaShare * 100)}% of users without MFA (every second one with a console password), ${run.deniedAccounts} accounts whose check role refuses AssumeRole, ${Math.round(o.throttleShare * 100)}% of IAM calls throttled on their first attempt (${run.throttledAnswers} answers, retried by the SDK's adaptive retry mode), every answer after ${o.latencyMs} ms, credential reports ${o.reportAgeHours} h old (a daily sweep) that take ${n(o.generationMs / 1000, 0)} s of real time to regenerate. The planner lists the organization (aws-sdk-client-mock, 20 accounts a page) and writes the item list to a fake bucket; the REAL worker runs ${run.batches} batches of ${o.batchSize}, ${o.maxConcurrency} at a time, on real SDK clients over the fake member accounts, the finding store on an in-process dynalite, alerts to the fake SNS; the reporter reads a ResultWriter manifest and result file built from the workers' outputs. Outcomes: ${run.outcomes.checked} checked, ${run.outcomes.notCovered} not covered, ${run.outcomes.failed} failed; ${run.newFindings} new findings; ${run.snsPublishes} SNS messages (HIGH alerts and the digest). Map phase ${n(run.mapSeconds)} s of wall time on this machine. The ${o.maxConcurrency} batches in flight share this one Node.js process, where each Lambda invocation would have its own: the batch time (mean ${n(run.batchMs.mean / 1000, 2)} s, max ${n(run.batchMs.max / 1000, 2)} s) is an upper bound.`,
    `- **Sweep calls**: requests the fake member accounts answered (STS, IAM, EventBridge; the finding store and SNS excluded), retries of throttled answers excluded, over the checked accounts. Per account, on average: ${actions}. The credential report is older than IAM's four hours (a daily sweep), so GenerateCredentialReport is asked first (STARTED), polled (every ${n(run.pollIntervalMs / 1000, 0)} s) until COMPLETE, and the report downloaded once: 3 calls for the report, the least IAM's API allows when a new report is needed. ListAccountAliases is read only in accounts with a finding. TagRole, when listed, is the canary (issue 22, docs/adr/0021-canary.md): the check role tags itself once per account per sweep (${run.canaryCalls.length} canaries in this run), the one write that proves the real-time path; it is counted in the calls per account. Enforcement is off in this run: with \`enforcement.mode\` \`quarantine\`, an account with users to quarantine or release adds one sts:AssumeRole of org-mfa-watch-enforce and, per such user, ListAttachedUserPolicies and AttachUserPolicy or DetachUserPolicy (priced in the monthly cost below). Per candidate user (${run.candidates} users without MFA in checked accounts): ListMFADevices, GetLoginProfile, ListUserTags. Not-covered accounts cost one AssumeRole each.`,
    `- **Sweep DynamoDB**: requests of the worker and the reporter through a counting client: ${requests}. Units: what dynalite reports in \`ConsumedCapacity\` (ReturnConsumedCapacity TOTAL, ${run.dynamodb.reportedByStore} of ${Object.values(run.dynamodb.requests).reduce((a, b) => a + b, 0)} requests; dynalite sizes items as DynamoDB does: 1 WRU per started 1 KB written, 0.5 RRU per started 4 KB read eventually consistent), else the on-demand rule (1 WRU per write of an item under 1 KB; refused conditional writes, ${run.dynamodb.failedConditionalWrites} here, are billed 1 WRU each); every read request counts at least 0.5 RRU (1 RRU strongly consistent), because dynalite reports 0 for a Query that finds nothing (DynamoDB Developer Guide, "DynamoDB read and write operations"), so the read figure is an upper bound. Total ${n(run.dynamodb.writeUnits, 0)} WRU and ${n(run.dynamodb.readUnits, 1)} RRU.`,
    `- **Sweep S3**: counted against the fake bucket: planner ${run.s3.plannerPuts} PUT, reporter ${run.s3.reporterGets} GET (item list, manifest, result file, digest receipt check) and ${run.s3.reporterPuts} PUT (CSV, JSON, digest receipt); modelled for the Distributed Map: ${run.s3.mapGets} GET of the item list (ItemReader) and ${run.s3.mapPuts} PUT (ResultWriter manifest and one SUCCEEDED file; Step Functions Developer Guide, "ResultWriter (Map)").`,
    `- **Planner and reporter time**: measured in-process (planner ${n(run.planner.measuredMs, 0)} ms, ${run.planner.organizationsCalls} Organizations calls; reporter ${n(run.reporter.measuredMs, 0)} ms) plus ${o.latencyMs} ms for each mocked S3/Organizations request, which answer at once here: ${n(run.planner.ms, 0)} ms and ${n(run.reporter.ms, 0)} ms in the model.`,
    `- **Sweep model** (bench/sweep-cost.ts): ${model.largeAccounts.toLocaleString('en-US')} accounts = ${Math.ceil(model.largeAccounts / o.batchSize)} batches, ${o.maxConcurrency} at a time, each taking the measured mean of ${n(run.batchMs.mean / 1000, 2)} s, plus planner and reporter scaled linearly: ${n(model.largeSeconds / 60)} min. Cost of the ${o.accounts.toLocaleString('en-US')}-account sweep: Step Functions $${c.stepFunctions.toFixed(4)} (${PARENT_TRANSITIONS} parent transitions plus one per batch, one Express child per batch), Lambda $${c.lambda.toFixed(4)} (${SWEEP_FUNCTION_MEMORY_MB} MB assumed for the sweep functions, arm64), S3 $${c.s3.toFixed(5)}, DynamoDB $${c.dynamodb.toFixed(5)}; total $${c.total.toFixed(4)}. Sources: ${SWEEP_PRICES.stepFunctions.source}. ${SWEEP_PRICES.lambda.source}. ${SWEEP_PRICES.s3.source}. ${SWEEP_PRICES.dynamodb.source}.`,
  ].join('\n');
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
