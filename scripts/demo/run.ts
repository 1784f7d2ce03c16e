import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AlertLocale } from '../../functions/contract/contract';
import { formatTable, toRows } from '../findings/format';
import type { DemoEvent, DemoSink } from './events';
import { startRuntime, type Runtime } from './runtime';
import {
  accountJoins,
  aDayLater,
  createUserWithoutMfa,
  dailySweep,
  enableMfa,
  removeMfa,
  renameNewUser,
  type StoryContext,
} from './story';
import type { SweepExecution } from './sweep-execution';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  readonly locale: AlertLocale;
  readonly chat: boolean;
  /** Where the report and the function logs are written (created). */
  readonly outDir: string;
  readonly emit: DemoSink;
  /** Enforcement's mode for the workloads OU (ADR 0022). @default off */
  readonly enforcement?: 'dry-run' | 'quarantine';
}

/** The steps of the story, in order. */
const STEPS: readonly { readonly title: string; readonly run: (ctx: StoryContext) => Promise<unknown> }[] = [
  {
    title: 'Live event: CreateUser new.hire in acme-dev, no MFA (console password)',
    run: createUserWithoutMfa,
  },
  { title: 'Live event: ops.lee deactivates its MFA device in acme-prod', run: removeMfa },
  { title: 'Live event: UpdateUser renames new.hire to new.hire.kim', run: renameNewUser },
  { title: 'A day later: the grace period ends, the re-check fires', run: aDayLater },
  { title: 'acme-acquired joins the organization: joined-account sweep', run: accountJoins },
  { title: 'The daily sweep: planner, worker for every account, reporter', run: dailySweep },
  { title: 'new.hire.kim enables MFA', run: enableMfa },
];

/** Copy the last sweep's CSV and JSON report from the simulated bucket into `folder`. */
function copyReport(runtime: Runtime, execution: SweepExecution, folder: string): string[] {
  const objects = runtime.org.buckets.get(execution.plan.bucket);
  mkdirSync(folder, { recursive: true });
  return [execution.summary.reportCsvKey, execution.summary.reportJsonKey].map((key) => {
    const object = objects?.get(key);
    if (object === undefined) throw new Error(`the reporter wrote no ${key}`);
    const path = join(folder, key.split('/').pop() ?? key);
    writeFileSync(path, object.body);
    return path;
  });
}

/** The closing line. Pure. */
export function closingLine(seconds: number, accounts: number, messages: number): string {
  return (
    `Demonstrated in ${seconds.toFixed(1)} s with the real bundled functions on ${accounts} simulated accounts: ` +
    `live events, a grace-period re-check, a joining account, the daily sweep, ${messages} messages and a resolution. ` +
    'Deploy for real: docs/deployment.md (npm run doctor -- --config my-org.json, then npx cdk deploy -c configFile=./my-org.json).'
  );
}

/** Run the whole demo, emitting what happens; returns every event emitted. */
export async function runDemo(options: DemoOptions): Promise<DemoEvent[]> {
  const started = performance.now();
  const events: DemoEvent[] = [];
  const emit: DemoSink = (event) => {
    events.push(event);
    options.emit(event);
  };
  mkdirSync(options.outDir, { recursive: true });
  const logFile = join(options.outDir, 'function-logs.jsonl');
  writeFileSync(logFile, '');
  const total = STEPS.length + 2;
  const step = (index: number, title: string) => {
    emit({ type: 'step', index, total, title, atMs: performance.now() - started });
  };
  step(
    1,
    'Deploy: the central stack from the demo configuration, 4 functions bundled with esbuild, the finding store on dynalite',
  );
  const runtime = await startRuntime({
    locale: options.locale,
    chat: options.chat,
    logFile,
    ...(options.enforcement === undefined ? {} : { enforcement: options.enforcement }),
  });
  try {
    emit({
      type: 'detail',
      text: `${runtime.org.tree.accounts.length} accounts at the start, one more joins later (Organizations, STS, IAM, EventBridge, SNS, S3, Scheduler, SQS, CloudFormation simulated); functions: ${Object.values(
        runtime.deployment.functions,
      )
        .map((f) => f.name)
        .join(', ')}`,
    });
    const ctx: StoryContext = { runtime, emit, told: { messages: 0 } };
    let lastSweep: SweepExecution | undefined;
    for (const [i, s] of STEPS.entries()) {
      step(i + 2, s.title);
      const result = await s.run(ctx);
      if (s.run === dailySweep) lastSweep = result as SweepExecution;
    }
    step(total, 'The report, the function logs, and what is open now');
    if (lastSweep === undefined) throw new Error('the story ran no daily sweep');
    const folder = join(options.outDir, lastSweep.plan.sweepId);
    const files = copyReport(runtime, lastSweep, folder).map((f) => relative(process.cwd(), f));
    emit({
      type: 'report',
      folder: relative(process.cwd(), folder),
      files,
      logFile: relative(process.cwd(), logFile),
    });
    const open = await runtime.store.listFindings({ state: 'OPEN' });
    const now = runtime.clock.now();
    emit({ type: 'findings', rows: toRows(open, now), table: formatTable(open, now, { all: false }) });
    const seconds = (performance.now() - started) / 1000;
    const messages = events.filter((e) => e.type === 'message').length;
    emit({ type: 'done', seconds, text: closingLine(seconds, runtime.org.tree.accounts.length, messages) });
    return events;
  } finally {
    await runtime.close();
  }
}
