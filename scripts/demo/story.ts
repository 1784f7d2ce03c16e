import type { CheckResult } from '../../functions/checker/process-event';
import type { Runtime } from './runtime';
import { NAMES } from '../../stacks/names';
import { canaryEvent, createUser, liveEvent, ownMfa, renameUser, type LiveCall } from './cloudtrail';
import type { DemoFunction } from './deployment';
import type { DemoSink } from './events';
import { DEMO_IDS, DEMO_USERS, joiningAccount } from './scenario';
import { runSweepExecution, type SweepExecution } from './sweep-execution';

/**
 * The story the demo tells, step by step, on a running {@link Runtime}: live events through the checker,
 * a day passing, an account joining, the daily sweep, a user enrolling MFA. Each step changes the
 * simulated world as IAM would, invokes the real functions, and emits what the inbox receives.
 */

/** A step's context: the runtime, and where to tell what happens. */
export interface StoryContext {
  readonly runtime: Runtime;
  readonly emit: DemoSink;
  /** Messages already emitted (shared: a Distributed Map's batches run at once). */
  readonly told: { messages: number };
}

const DAY_MS = 24 * 3_600_000;

/** Emit the messages published and not told yet, once each. */
function emitMessages(ctx: StoryContext, from: DemoFunction): void {
  const published = ctx.runtime.org.member.published;
  const fresh = published.slice(ctx.told.messages);
  ctx.told.messages = published.length;
  for (const message of fresh) {
    ctx.emit({
      type: 'message',
      channel: message.topicArn === ctx.runtime.deployment.chatTopicArn ? 'chat' : 'email',
      from,
      topicArn: message.topicArn,
      subject: message.subject,
      body: message.body,
      attributes: message.attributes,
    });
  }
}

/** Invoke a function, then emit the messages it published. */
async function invokeAndTell(ctx: StoryContext, fn: DemoFunction, event: unknown): Promise<unknown> {
  const result = await ctx.runtime.invoke(fn, event);
  emitMessages(ctx, fn);
  return result;
}

/** One line for a checker result. Pure. */
export function describeCheck(result: CheckResult): string {
  switch (result.outcome) {
    case 'alerted':
      return `checker: ${result.severity} alert (${result.finding})`;
    case 'scheduled':
      return `checker: re-check scheduled for ${result.dueAt} (EventBridge Scheduler, ${result.scheduleName})${result.notified ? '; creation notice sent' : ''}`;
    case 'rescheduled':
      return `checker: ${result.scheduleNames.length} pending re-check(s) now follow the new name`;
    case 'already-open':
      return `checker: finding ${result.findingId} already open; recorded, not alerted again`;
    case 'quarantined':
      return `checker: event quarantined (${result.field}: ${result.reason})`;
    case 'noticed':
      return `checker: INFO notice (${result.reason})`;
    case 'no-alert':
    case 'skipped':
      return `checker: ${result.outcome} (${result.reason})`;
    case 'canary':
      return `checker: canary of sweep ${result.sweepId} from ${result.accountId} (${result.recorded}); nothing sent`;
  }
}

/** Send one live event through the checker. */
async function live(ctx: StoryContext, call: LiveCall): Promise<CheckResult> {
  const event = liveEvent(call, ctx.runtime.clock.now());
  const result = (await invokeAndTell(ctx, 'checker', event)) as CheckResult;
  ctx.emit({ type: 'detail', text: describeCheck(result) });
  return result;
}

/** CreateUser without MFA (the console wizard gives it a password): the grace period starts. */
export async function createUserWithoutMfa(ctx: StoryContext): Promise<void> {
  const { org, clock } = ctx.runtime;
  org.setUser(DEMO_IDS.dev, DEMO_USERS.newHire, {
    mfaDevices: 0,
    console: true,
    createdAt: clock.now().toISOString(),
  });
  await live(ctx, createUser(DEMO_IDS.dev, DEMO_USERS.newHire, clock.now()));
}

/** A console user deactivates its only MFA device: checked at once. */
export async function removeMfa(ctx: StoryContext): Promise<void> {
  const user = ctx.runtime.org.user(DEMO_IDS.prod, DEMO_USERS.mfaRemoved);
  if (user === undefined) throw new Error(`${DEMO_USERS.mfaRemoved} is missing from the scenario`);
  ctx.runtime.org.setUser(DEMO_IDS.prod, DEMO_USERS.mfaRemoved, { ...user, mfaDevices: 0 });
  await live(ctx, ownMfa('DeactivateMFADevice', DEMO_IDS.prod, DEMO_USERS.mfaRemoved));
}

/** The new user is renamed before its grace period ends: its re-check follows it. */
export async function renameNewUser(ctx: StoryContext): Promise<void> {
  ctx.runtime.org.renameUser(DEMO_IDS.dev, DEMO_USERS.newHire, DEMO_USERS.newHireRenamed);
  await live(ctx, renameUser(DEMO_IDS.dev, DEMO_USERS.newHire, DEMO_USERS.newHireRenamed));
}

/** A day passes; Scheduler fires every re-check now due (and deletes it: ActionAfterCompletion). */
export async function aDayLater(ctx: StoryContext): Promise<void> {
  const { clock, org } = ctx.runtime;
  clock.advance(DAY_MS + 60_000);
  ctx.emit({ type: 'detail', text: `the demo's clock moves 24 h ahead: ${clock.now().toISOString()}` });
  for (const [key, schedule] of [...org.schedules]) {
    const at = /^at\((.+)\)$/.exec(schedule.expression)?.[1];
    if (at === undefined || Date.parse(`${at}Z`) > clock.now().getTime()) continue;
    org.schedules.delete(key);
    ctx.emit({
      type: 'detail',
      text: `EventBridge Scheduler fires ${schedule.name} (${schedule.expression})`,
    });
    const input = JSON.parse(
      typeof schedule.target.Input === 'string' ? schedule.target.Input : '{}',
    ) as unknown;
    const result = (await invokeAndTell(ctx, 'checker', input)) as CheckResult;
    ctx.emit({ type: 'detail', text: describeCheck(result) });
  }
}

/** Run one sweep execution and tell its states and its end. */
async function sweep(
  ctx: StoryContext,
  name: string,
  input: Parameters<typeof runSweepExecution>[2],
): Promise<SweepExecution> {
  const { runtime } = ctx;
  const execution = await runSweepExecution(
    {
      invoke: (fn, event) => invokeAndTell(ctx, fn, event),
      buckets: runtime.org.buckets,
      sweep: runtime.config.sweep,
      region: runtime.config.homeRegion,
      account: runtime.config.securityAccountId,
      enforce: runtime.config.enforcement.mode !== 'off',
      onState: (state, detail) => {
        ctx.emit({ type: 'detail', text: `state ${state}: ${detail}` });
      },
      // The simulated member rules forward each canary to the checker while the sweep waits.
      whileWaiting: async (results) => {
        for (const account of results.flatMap((r) => r.accounts)) {
          if (account.canary === undefined || !('sentAt' in account.canary)) continue;
          const at = new Date(Date.parse(account.canary.sentAt) + 60_000);
          const event = canaryEvent(account.accountId, NAMES.memberCheckRole, account.canary.sweepId, at);
          const result = (await invokeAndTell(ctx, 'checker', event)) as CheckResult;
          ctx.emit({ type: 'detail', text: describeCheck(result) });
        }
      },
    },
    name,
    input,
  );
  ctx.emit({ type: 'sweep', executionName: name, mode: execution.plan.mode, summary: execution.summary });
  return execution;
}

/** An invited account accepts the handshake; the management account's rule starts a joined sweep. */
export async function accountJoins(ctx: StoryContext): Promise<SweepExecution> {
  const account = joiningAccount(ctx.runtime.clock.now());
  ctx.runtime.org.join(account);
  ctx.emit({
    type: 'detail',
    text: `${account.name} (${account.id}) joins the organization; the StackSet deploys its member resources`,
  });
  return sweep(ctx, `joined-${executionStamp(ctx)}`, { mode: 'joined' });
}

/** The daily scheduled sweep over every account. */
export function dailySweep(ctx: StoryContext): Promise<SweepExecution> {
  return sweep(ctx, `scheduled-${executionStamp(ctx)}`, { mode: 'scheduled' });
}

/** The renamed user enrols an MFA device: checked at once, its finding resolved with one notice. */
export async function enableMfa(ctx: StoryContext): Promise<void> {
  const user = ctx.runtime.org.user(DEMO_IDS.dev, DEMO_USERS.newHireRenamed);
  if (user === undefined) throw new Error(`${DEMO_USERS.newHireRenamed} is missing`);
  ctx.runtime.org.setUser(DEMO_IDS.dev, DEMO_USERS.newHireRenamed, { ...user, mfaDevices: 1 });
  await live(ctx, ownMfa('EnableMFADevice', DEMO_IDS.dev, DEMO_USERS.newHireRenamed));
}

/** `20261208T0912` from the demo's clock: execution names are unique per run. */
function executionStamp(ctx: StoryContext): string {
  return ctx.runtime.clock.now().toISOString().replace(/[-:]/g, '').slice(0, 13);
}
