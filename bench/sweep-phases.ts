/**
 * The phases of the measured sweep (bench/sweep-run.ts): the fake member accounts with seeded
 * throttling, the planner, the worker over the Distributed Map's batches, the reporter over the
 * workers' results, and the tally of what the fake answered. Each phase counts and times its own work.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { AccountSessions } from '../functions/core/credentials';
import type { FindingStore } from '../functions/core/finding-store';
import { AccountAliases } from '../functions/core/iam-facts';
import type { SweepAccountItem, SweepBatch, SweepBatchResult, SweepPlan } from '../functions/contract/sweep';
import { SWEEP_KEYS } from '../functions/contract/sweep';
import { SDK_CALL_LIMITS } from '../functions/contract/timing';
import { createPlanner } from '../functions/sweep-planner/plan';
import { createReporter } from '../functions/sweep-reporter/report';
import { mapWithConcurrency } from '../functions/sweep-worker/pool';
import { createSweepWorker } from '../functions/sweep-worker/sweep-batch';
import { FakeMemberAccounts } from '../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN, type sweepSettings } from '../test/helpers/sweep-harness';
import type { FakeBucket } from '../test/functions/sweep-reporter/fake-bucket';
import type { SweepRunOptions, SweepRunResult } from './sweep-options';
import { BUCKET, ROLLOUT_OU, type buildWorld, unitHash } from './sweep-world';

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

const SILENT = new Logger({ serviceName: 'org-mfa-watch-bench', logLevel: 'SILENT' });

/** The bench's organization: accounts, denied accounts and the Organizations tree. */
export type BenchWorld = ReturnType<typeof buildWorld>;

/** The fake member accounts, with the throttled first attempts they gave counted. */
export interface ThrottlingFake {
  readonly fake: FakeMemberAccounts;
  /** The fake's HTTP layer, `latencyMs` slower per request. */
  readonly requestHandler: { handle: FakeMemberAccounts['requestHandler']['handle'] };
  /** Throttled first attempts of calls naming no user, by `account:action`. */
  readonly injectedAccount: Map<string, number>;
  /** Throttled first attempts of calls naming a user, by `account:user`. */
  readonly injectedUser: Map<string, number>;
}

/** The fake member accounts: fixed latency, a seeded share of IAM first attempts throttled. */
export function throttlingFake(options: SweepRunOptions, world: BenchWorld): ThrottlingFake {
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
  return { fake, requestHandler, injectedAccount, injectedUser };
}

/** The deployed SDK settings (adaptive retries, 3 attempts), on the fake's HTTP layer. */
export function clientBase(requestHandler: ThrottlingFake['requestHandler']) {
  return {
    region: 'us-east-1',
    retryMode: 'adaptive',
    maxAttempts: SDK_CALL_LIMITS.maxAttempts,
    requestHandler: requestHandler as never,
  } as const;
}

/** What every phase shares: the run, its clients and the fake bucket. */
export interface SweepContext {
  readonly options: SweepRunOptions;
  readonly sweepId: string;
  readonly world: BenchWorld;
  readonly base: ReturnType<typeof clientBase>;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly settings: ReturnType<typeof sweepSettings>;
  readonly store: FindingStore;
  readonly sns: SNSClient;
  readonly s3: FakeBucket;
}

/** The planner over the mocked organization: the plan, its items, its time and requests. */
export async function planPhase(ctx: SweepContext, org: AwsClientStub<OrganizationsClient>) {
  const { s3, credentials, world } = ctx;
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
  })({ sweepId: ctx.sweepId, input: { mode: 'scheduled' } });
  const plannerMeasured = performance.now() - plannerStart;
  const organizationsCalls = org.calls().length;
  const plannerPuts = s3.mock.commandCalls(PutObjectCommand).length;
  const items = JSON.parse(s3.objects.get(plan.key)?.body ?? '[]') as SweepAccountItem[];
  return { plan, items, plannerMeasured, organizationsCalls, plannerPuts };
}

/** The REAL worker over the Distributed Map's batches, `maxConcurrency` at a time. */
export async function mapPhase(ctx: SweepContext, items: readonly SweepAccountItem[]) {
  const { base, credentials, settings, options } = ctx;
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
    findings: ctx.store,
    sns: ctx.sns,
    logger: SILENT,
    now: () => new Date(),
    ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
  });
  const batches: SweepBatch[] = [];
  for (let i = 0; i < items.length; i += options.batchSize) {
    batches.push({
      Items: items.slice(i, i + options.batchSize),
      BatchInput: { sweepId: ctx.sweepId, mode: 'scheduled' },
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
  return { batches, runs, mapSeconds, results };
}

/** The reporter, over a ResultWriter output built from the real results (one SUCCEEDED file). */
export async function reportPhase(
  ctx: SweepContext,
  plan: SweepPlan,
  batches: readonly SweepBatch[],
  results: readonly SweepBatchResult[],
) {
  const { s3, settings } = ctx;
  const runPrefix = `${SWEEP_KEYS.mapResultsPrefix}/bench-map-run-${ctx.sweepId}`;
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
    s3: new S3Client({ region: 'us-east-1', credentials: ctx.credentials }),
    sns: ctx.sns,
    store: ctx.store,
    logger: SILENT,
    now: () => new Date(),
  })({ plan, results: { Bucket: BUCKET, Key: `${runPrefix}/manifest.json` } });
  const reporterMeasured = performance.now() - reporterStart;
  const reporterGets = s3.mock.commandCalls(GetObjectCommand).length;
  const reporterPuts = s3.mock.commandCalls(PutObjectCommand).length - putsBefore;
  return { summary, reporterMeasured, reporterGets, reporterPuts };
}

/** The worker's own requests to the checked accounts: by action (totals), per account, per candidate user. */
export function tallyCalls(throttling: ThrottlingFake, checkedIds: readonly string[]) {
  const { fake, injectedAccount, injectedUser } = throttling;
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
  return { actionTotals, accountCalls, perCandidate };
}

/** The canary's TagRole calls the fake answered, with the role named and the tags sent. */
export function canaryCalls(fake: FakeMemberAccounts): SweepRunResult['canaryCalls'] {
  return fake.calls
    .filter((c) => c.service === 'iam' && c.action === 'TagRole' && c.status === 200)
    .map((c) => {
      const tags: Record<string, string> = {};
      for (let i = 1; c.params[`Tags.member.${i}.Key`] !== undefined; i += 1) {
        tags[c.params[`Tags.member.${i}.Key`] ?? ''] = c.params[`Tags.member.${i}.Value`] ?? '';
      }
      return { account: c.account, roleName: c.params.RoleName ?? '', tags };
    });
}
