import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingStore } from '../../functions/core/finding-store';
import { parseConfig, type AppConfig } from '../../stacks/config';
import { startDynalite, DUMMY_CREDENTIALS, type LocalDynamo } from '../simulation/dynalite';
import { startFakeAwsServer, type FakeAwsServer } from '../simulation/fake-aws-server';
import { SimulatedOrganization } from '../simulation/organization';
import type { SimulationGap } from '../simulation/simulated-aws';
import { bundleFunctions, invoke, loadHandler, type LambdaHandler } from './bundles';
import { SimulatedClock } from './clock';
import { DEMO_FUNCTIONS, readDeployment, type DemoFunction, type Deployment } from './deployment';
import { setEnvironment } from './environment';
import { DemoAbortError } from './errors';
import { FunctionLogs } from './function-logs';
import { DEMO_REGION, demoConfig, organizationOptions } from './scenario';
import type { AlertLocale } from '../../functions/contract/contract';

/** Longest a function may run in the demo before it is reported as hung (below the functions' timeouts). */
const INVOCATION_LIMIT_MS = 60_000;

/** A call a function made that the simulation does not answer: the demo stops and names it. */
export class SimulationGapError extends DemoAbortError {
  constructor(fn: string, gaps: readonly SimulationGap[]) {
    const list = [...new Set(gaps.map((g) => `${g.service}:${g.operation}`))].join(', ');
    const files = [...new Set(gaps.map((g) => g.file))].join(', ');
    super(`the ${fn} called ${list}, which the simulated organization does not answer; add it to ${files}`);
    this.name = 'SimulationGapError';
  }
}

/** Options of {@link startRuntime}. */
export interface RuntimeOptions {
  readonly locale: AlertLocale;
  readonly chat: boolean;
  /** Where the function logs are written. */
  readonly logFile: string;
  /** Where the bundles are written; a fresh temporary folder (removed on close) when absent. */
  readonly bundleDir?: string;
  /** Enforcement's mode for the demo's workloads OU (ADR 0022). @default off */
  readonly enforcement?: 'dry-run' | 'quarantine';
}

/** Everything running: the simulated organization, the finding store, the loaded functions. */
export interface Runtime {
  readonly config: AppConfig;
  readonly deployment: Deployment;
  readonly org: SimulatedOrganization;
  readonly clock: SimulatedClock;
  readonly store: FindingStore;
  readonly logs: FunctionLogs;
  /** Invoke a function; fails on a timeout or on a call the simulation does not answer. */
  invoke(fn: DemoFunction, event: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** The SDK's standard variables: every client of every function goes to the simulation, signed with dummy keys. */
function sdkEnvironment(server: FakeAwsServer, dynamo: LocalDynamo): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: server.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_REGION: DEMO_REGION,
    AWS_DEFAULT_REGION: DEMO_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

type Cleanup = () => void | Promise<void>;

/** Start the fake AWS endpoint and DynamoDB Local, create the findings table, point the SDK at both. */
async function startBackends(
  deployment: Deployment,
  org: SimulatedOrganization,
  cleanups: Cleanup[],
): Promise<LocalDynamo> {
  const server = await startFakeAwsServer(org.aws);
  cleanups.push(() => server.close());
  const dynamo = await startDynalite();
  cleanups.push(() => dynamo.close());
  await dynamo.client.send(
    new CreateTableCommand({
      ...(deployment.table as CreateTableCommandInput),
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  cleanups.push(setEnvironment(sdkEnvironment(server, dynamo)));
  return dynamo;
}

/** Bundle every demo function and load its handler with its deployed environment. */
async function loadHandlers(
  options: RuntimeOptions,
  deployment: Deployment,
  logs: FunctionLogs,
  cleanups: Cleanup[],
): Promise<Record<DemoFunction, LambdaHandler>> {
  const bundleDir = options.bundleDir ?? mkdtempSync(join(tmpdir(), 'org-mfa-watch-demo-'));
  if (options.bundleDir === undefined)
    cleanups.push(() => {
      rmSync(bundleDir, { recursive: true, force: true });
    });
  process.setSourceMapsEnabled(true);
  const bundles = await bundleFunctions(DEMO_FUNCTIONS, bundleDir);
  return logs.during(() =>
    Promise.resolve(
      Object.fromEntries(
        (Object.keys(DEMO_FUNCTIONS) as DemoFunction[]).map((fn) => [
          fn,
          loadHandler(bundles[fn], deployment.functions[fn].environment),
        ]),
      ) as Record<DemoFunction, LambdaHandler>,
    ),
  );
}

/** {@link Runtime.invoke}: one invocation, ended at the first call the simulation refuses. */
function invoker(
  org: SimulatedOrganization,
  deployment: Deployment,
  logs: FunctionLogs,
  handlers: Record<DemoFunction, LambdaHandler>,
): Runtime['invoke'] {
  return async (fn, event) => {
    let stopListening = () => {};
    // The first refused call ends the invocation at once, before the function's retries and fallbacks.
    const gap = new Promise<never>((_, reject) => {
      stopListening = org.aws.onGap((g) => {
        reject(new SimulationGapError(fn, [g]));
      });
    });
    const run = logs
      .during(() =>
        Promise.race([invoke(handlers[fn], deployment.functions[fn], event, INVOCATION_LIMIT_MS), gap]),
      )
      .finally(stopListening);
    // A call the simulation refused explains the failure (or a quiet fallback) better than its effect.
    const result = await run.catch((error: unknown) => ({ error }));
    const gaps = org.aws.takeGaps();
    if (gaps.length > 0) throw new SimulationGapError(fn, gaps);
    if (typeof result === 'object' && result !== null && 'error' in result) throw result.error;
    return result;
  };
}

/** Deploy the demo: the central stack read, the organization simulated, the functions bundled and loaded. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = new SimulatedClock();
  // Node.js 20 is supported by the pinned SDK; its notice about later releases is not the demo's story.
  const restoreWarning = setEnvironment({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  const cleanups: Cleanup[] = [restoreWarning, clock.install()];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const config = parseConfig(
      demoConfig({
        locale: options.locale,
        chat: options.chat,
        now: clock.now(),
        ...(options.enforcement === undefined ? {} : { enforcement: options.enforcement }),
      }),
    );
    const deployment = readDeployment(config);
    const org = new SimulatedOrganization(organizationOptions(clock.now(), deployment.sweepBucket));
    const dynamo = await startBackends(deployment, org, cleanups);
    const logs = new FunctionLogs(options.logFile);
    const handlers = await loadHandlers(options, deployment, logs, cleanups);
    return {
      config,
      deployment,
      org,
      clock,
      store: new FindingStore({ client: dynamo.client, tableName: deployment.table.TableName }),
      logs,
      invoke: invoker(org, deployment, logs, handlers),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
