/**
 * The sweep's Enforce step (docs/adr/0022-enforcement-quarantine.md): after the Distributed Map, the
 * worker is invoked once with `{ enforce: { sweepId, results } }`. It reads every account's result from
 * the ResultWriter files, applies the org-wide cap (`capSweep`: more due than `maxPerSweep`, nobody is
 * quarantined and one HIGH alert says why), then attaches the quarantine policy through each account's
 * enforce role, records the transition and sends a notice per user. dry-run: nothing is attached, the
 * users are reported as "would quarantine". Every AWS refusal is reported per user; the step fails only
 * when the results cannot be read or the store cannot be reached.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import type {
  EnforceRequest,
  EnforcedUser,
  EnforcementFailure,
  EnforcementSummary,
} from '../contract/enforcement';
import { SWEEP_KEYS } from '../contract/sweep';
import { haltNotice, userEnforcementNotice } from '../core/enforcement-notice';
import { capSweep, type EnforcementDecision } from '../core/enforcement-plan';
import { describeError } from '../core/errors';
import { parseJson, readChildExecutions } from '../core/map-results';
import type { Notifier } from '../core/notify';
import { sweepActor } from '../core/quarantine-store';
import { attachQuarantine, detachQuarantine, quarantinePolicyArnOf } from './enforce';
import { quarantineTransition, type EnforcementDeps } from './enforcement-deps';
import { sweepHint } from './sweep-runtime';

/** The Enforce request is malformed: names the field and the expectation. */
export class InvalidEnforceRequestError extends Error {
  constructor(
    readonly field: string,
    readonly expectation: string,
  ) {
    super(`Invalid enforce request: ${field}: ${expectation}`);
    this.name = 'InvalidEnforceRequestError';
  }
}

const requestSchema = z.object({
  enforce: z.object({
    sweepId: z.string().check(z.minLength(1), z.maxLength(80)),
    results: z.object({ Bucket: z.string().check(z.minLength(3)), Key: z.string().check(z.minLength(1)) }),
  }),
});

/** True when the worker's input is an Enforce request rather than a Distributed Map batch. Pure. */
export function isEnforceRequest(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'enforce' in raw;
}

/**
 * Validate an Enforce request. Pure.
 * @throws InvalidEnforceRequestError naming the first offending field
 */
export function parseEnforceRequest(raw: unknown): EnforceRequest {
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidEnforceRequestError(
      (issue?.path ?? []).map(String).join('.') || '(request)',
      `expected { enforce: { sweepId, results: { Bucket, Key } } } (${issue?.message ?? 'invalid'})`,
    );
  }
  return parsed.data;
}

const dueSchema = z.object({
  findingId: z.string(),
  userName: z.string(),
  openedAt: z.string(),
  consoleAccess: z.boolean(),
  openHours: z.number(),
  reason: z.string(),
});
const failureSchema = z.object({
  accountId: z.string(),
  findingId: z.string(),
  userName: z.string(),
  action: z.enum(['quarantine', 'release']),
  outcome: z.string(),
  error: z.string(),
});
const outputSchema = z.object({
  accounts: z.array(
    z.object({
      accountId: z.string(),
      enforcement: z.optional(
        z.object({
          due: z.array(dueSchema),
          released: z.array(z.object({ findingId: z.string(), userName: z.string(), reason: z.string() })),
          failures: z.array(failureSchema),
        }),
      ),
    }),
  ),
});

/** What the accounts' workers reported: users due, releases done, refusals. Pure over the children. */
export function gatherEnforcement(outputs: readonly (string | undefined)[]): {
  due: EnforcedUser[];
  released: EnforcementSummary['released'][number][];
  failures: EnforcementFailure[];
} {
  const due: EnforcedUser[] = [];
  const released: EnforcementSummary['released'][number][] = [];
  const failures: EnforcementFailure[] = [];
  for (const text of outputs) {
    const output = text === undefined ? undefined : parseJson(text);
    const payload =
      typeof output === 'object' && output !== null && 'Payload' in output ? output.Payload : output;
    const parsed = outputSchema.safeParse(payload);
    // A batch without a readable result is the reporter's to report (failed accounts); nothing to enforce.
    if (!parsed.success) continue;
    for (const account of parsed.data.accounts) {
      const e = account.enforcement;
      if (e === undefined) continue;
      due.push(...e.due.map((d) => ({ ...d, accountId: account.accountId })));
      released.push(...e.released.map((r) => ({ ...r, accountId: account.accountId })));
      failures.push(...e.failures);
    }
  }
  return { due, released, failures };
}

/** The due users as the plan's decisions, for the cap. Pure. */
function decisionsOf(due: readonly EnforcedUser[], mode: 'dry-run' | 'quarantine'): EnforcementDecision[] {
  return due.map((d) => ({
    action: mode === 'quarantine' ? 'quarantine' : 'would-quarantine',
    openHours: d.openHours,
    reason: d.reason,
    // Due users passed every check of the plan in their account's worker: not root, exempt, suppressed
    // or already quarantined.
    candidate: {
      findingId: d.findingId,
      accountId: d.accountId,
      userName: d.userName,
      openedAt: d.openedAt,
      consoleAccess: d.consoleAccess,
      root: false,
      exempt: false,
      suppressed: false,
      quarantined: false,
    },
  }));
}

/** What the Enforce step needs. */
export interface EnforceStepDeps {
  readonly enforcement: EnforcementDeps;
  readonly s3: S3Client;
  /** The sweep bucket (`SWEEP_BUCKET_NAME`): the only bucket the step reads results from. */
  readonly bucketName: string;
  readonly notify: Notifier;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => Date;
}

/** Attach the policy to one due user; the failure when AWS refuses. */
async function quarantineUser(
  deps: EnforceStepDeps,
  user: EnforcedUser,
  sweepId: string,
): Promise<'quarantined' | 'unchanged' | EnforcementFailure> {
  const e = deps.enforcement;
  const failureOf = (outcome: string, error: string): EnforcementFailure => ({
    accountId: user.accountId,
    findingId: user.findingId,
    userName: user.userName,
    action: 'quarantine',
    outcome,
    error,
  });
  let outcome;
  try {
    const iam = await e.sessions.iamFor(user.accountId, sweepHint(sweepId));
    outcome = await attachQuarantine(iam, {
      userName: user.userName,
      policyArn: quarantinePolicyArnOf(e.partition, user.accountId),
    });
  } catch (error) {
    return failureOf('denied', `sts:AssumeRole: ${describeError(error)}`);
  }
  if ('error' in outcome) return failureOf(outcome.outcome, outcome.error);
  const by = sweepActor(sweepId);
  const written = await e.quarantine.markQuarantined(user, { by, reason: user.reason, now: deps.now() });
  if (written === 'no-open-finding') {
    // Resolved between the worker's plan and now: take the policy off again (nothing records it).
    const iam = await e.sessions.iamFor(user.accountId, sweepHint(sweepId));
    const undone = await detachQuarantine(iam, {
      userName: user.userName,
      policyArn: quarantinePolicyArnOf(e.partition, user.accountId),
    });
    return 'error' in undone
      ? failureOf(`finding resolved meanwhile; detach ${undone.outcome}`, undone.error)
      : 'unchanged';
  }
  if (written !== 'recorded') return 'unchanged';
  try {
    const stored = await quarantineTransition(e, user, sweepHint(sweepId));
    await deps.notify(
      userEnforcementNotice({
        action: 'quarantined',
        ...user,
        by,
        ...(stored === undefined ? {} : { stored }),
      }),
    );
  } catch (error) {
    deps.logger.error('Could not send the quarantine notice', {
      findingId: user.findingId,
      error: describeError(error),
    });
  }
  return 'quarantined';
}

/** Build the Enforce step: request in, {@link EnforcementSummary} out (for the reporter). */
export function createEnforceStep(deps: EnforceStepDeps): (raw: unknown) => Promise<EnforcementSummary> {
  return async (raw) => {
    const { enforce } = parseEnforceRequest(raw);
    const { settings } = deps.enforcement;
    if (settings.mode === 'off') throw new InvalidEnforceRequestError('enforce', 'enforcement is off');
    const mode = settings.mode;
    if (enforce.results.Bucket !== deps.bucketName) {
      throw new InvalidEnforceRequestError('enforce.results.Bucket', `the sweep bucket ${deps.bucketName}`);
    }
    // Like the reporter: the manifest under the ResultWriter prefix, result files only in its run folder.
    const { Key: key } = enforce.results;
    if (!key.startsWith(`${SWEEP_KEYS.mapResultsPrefix}/`)) {
      throw new InvalidEnforceRequestError(
        'enforce.results.Key',
        `a key under ${SWEEP_KEYS.mapResultsPrefix}/`,
      );
    }
    const runFolder = key.slice(0, key.lastIndexOf('/'));
    const children = await readChildExecutions(deps.s3, enforce.results.Bucket, key, runFolder);
    const gathered = gatherEnforcement(children.filter((c) => c.status === 'SUCCEEDED').map((c) => c.output));
    const failures = [...gathered.failures];
    const capped = capSweep(decisionsOf(gathered.due, mode), settings);
    const base = { mode, released: gathered.released };
    if (capped.halted !== undefined) {
      const halt = capped.halted;
      deps.logger.warn('Enforcement halted by the cap', { count: halt.count, maxPerSweep: halt.maxPerSweep });
      await deps.notify(haltNotice({ sweepId: enforce.sweepId, ...halt }));
      return {
        ...base,
        quarantined: [],
        wouldQuarantine: [],
        halted: { count: halt.count, maxPerSweep: halt.maxPerSweep, why: halt.why },
        failures,
      };
    }
    if (mode === 'dry-run') return { ...base, quarantined: [], wouldQuarantine: gathered.due, failures };
    const quarantined: EnforcedUser[] = [];
    for (const user of gathered.due) {
      const result = await quarantineUser(deps, user, enforce.sweepId);
      if (result === 'quarantined') quarantined.push(user);
      else if (result !== 'unchanged') failures.push(result);
    }
    deps.logger.info('Enforcement applied', { quarantined: quarantined.length, failures: failures.length });
    return { ...base, quarantined, wouldQuarantine: [], failures };
  };
}
