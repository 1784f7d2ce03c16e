/** The grace-period steps of the checker: schedule a re-check, and move re-checks and findings on a rename. */
import { beforeDeadline } from '../core/deadline';
import { describeError } from '../core/errors';
import { PUBLISH_RESERVE_MS } from '../contract/timing';
import { checkUser } from './check-subject';
import type { CheckResult, CheckerRuntime, InvocationContext } from './checker-types';
import { EARLY_RECHECK_TOLERANCE_MS, type Plan } from './decide';
import { failCheck, publishNotice } from './findings-path';
import { createRecheck, deleteRecheck, getRecheckInput } from './outputs';
import type { ParsedEvent } from './parse-event';
import {
  RECHECK_TRIGGERS,
  buildRecheckSchedule,
  pendingRecheckFrom,
  recheckScheduleName,
  type RecheckTrigger,
} from './recheck';

type RenamePlan = Extract<Plan, { action: 'follow-rename' }>;

/** Schedule the re-check that ends a new user's grace period (and announce it when configured). */
export async function schedule(
  rt: CheckerRuntime,
  event: ParsedEvent,
  context: InvocationContext,
  plan: Extract<Plan, { action: 'schedule' }>,
): Promise<CheckResult> {
  const scheduler = rt.settings.scheduler;
  if (!scheduler) throw new Error('grace period without scheduler settings'); // loadSettings prevents this
  const request = buildRecheckSchedule(
    {
      accountId: event.accountId,
      userName: plan.userName,
      trigger: plan.trigger,
      due: plan.due,
      envelope: event.envelope,
      ...(plan.renamed === undefined ? {} : { renamed: plan.renamed }),
    },
    { ...scheduler, functionArn: context.invokedFunctionArn },
  );
  // A re-check that cannot be scheduled is a check that will never run: report it like any failed check.
  const created = await beforeDeadline(context, PUBLISH_RESERVE_MS, () =>
    createRecheck(rt.scheduler, request),
  ).catch((cause: unknown) => failCheck(rt, event, plan.userName, 'scheduler:CreateSchedule', cause));
  const scheduleName = request.Name ?? '';
  rt.logger.info(created === 'created' ? 'Re-check scheduled' : 'Re-check already scheduled', {
    scheduleName,
    dueAt: plan.due.toISOString(),
    ...(plan.early ? { early: true } : {}),
  });
  const notified = plan.notify && created === 'created';
  if (notified) {
    await publishNotice(rt, {
      finding: 'USER_CREATED',
      severity: 'INFO',
      event,
      userName: plan.userName,
      checkDueAt: plan.due,
    });
  }
  return {
    outcome: 'scheduled',
    scheduleName,
    dueAt: plan.due.toISOString(),
    alreadyScheduled: created !== 'created',
    notified,
    ...(plan.early ? { early: true } : {}),
  };
}

/**
 * Move one pending re-check of the old name to the new name (and path). Returns the new schedule's
 * name, or undefined when there is none to move (or it is due now: the caller checks at once).
 */
async function moveRecheck(
  rt: CheckerRuntime,
  event: ParsedEvent,
  context: InvocationContext,
  plan: RenamePlan,
  trigger: RecheckTrigger,
): Promise<string | undefined> {
  const { settings, logger } = rt;
  const scheduler = settings.scheduler;
  if (!scheduler || settings.gracePeriodHours === 0) return undefined;
  const oldName = recheckScheduleName(event.accountId, plan.previousUserName, trigger);
  const found = await getRecheckInput(rt.scheduler, scheduler.groupName, oldName);
  if (found === undefined) return undefined;
  const pending = pendingRecheckFrom(found.input);
  if (pending === undefined) {
    logger.warn('A schedule with a re-check name holds no re-check; left alone', { scheduleName: oldName });
    return undefined;
  }
  if (pending.due.getTime() - rt.now().getTime() <= EARLY_RECHECK_TOLERANCE_MS) return undefined;
  const path = plan.path ?? pending.marker.path;
  const request = buildRecheckSchedule(
    {
      accountId: event.accountId,
      userName: plan.userName,
      trigger,
      due: pending.due,
      envelope: pending.envelope,
      renamed: path === undefined ? {} : { path },
    },
    { ...scheduler, functionArn: context.invokedFunctionArn },
  );
  const newName = request.Name ?? '';
  if (newName === oldName) {
    // Same name (a new path only): the schedule must be replaced to carry the new path.
    await deleteRecheck(rt.scheduler, scheduler.groupName, oldName);
    await createRecheck(rt.scheduler, request);
  } else {
    // Create first: a failure between the two calls leaves a duplicate re-check, never none.
    await createRecheck(rt.scheduler, request);
    await deleteRecheck(rt.scheduler, scheduler.groupName, oldName);
  }
  logger.info('Re-check follows the renamed user', {
    from: oldName,
    to: newName,
    dueAt: pending.due.toISOString(),
  });
  return newName;
}

/** A finding belongs to the user, not to its name: move it to the new name (best effort). */
async function moveFindings(rt: CheckerRuntime, event: ParsedEvent, plan: RenamePlan): Promise<void> {
  if (!rt.findings || plan.userName === plan.previousUserName) return;
  try {
    const { moved } = await rt.findings.renameUser({
      accountId: event.accountId,
      oldName: plan.previousUserName,
      newName: plan.userName,
      now: rt.now(),
    });
    if (moved.length > 0) {
      rt.logger.info('Findings follow the renamed user', { findingIds: moved.map((f) => f.findingId) });
    }
  } catch (error) {
    // The check below still runs under the new name; a finding left under the old name is resolved
    // as "deleted" by the next sweep.
    rt.logger.error('Finding store unreachable: findings not moved to the new name', {
      error: describeError(error),
    });
  }
}

/** UpdateUser: pending re-checks and findings follow the new name; without a pending re-check, check now. */
export async function followRename(
  rt: CheckerRuntime,
  event: ParsedEvent,
  context: InvocationContext,
  plan: RenamePlan,
): Promise<CheckResult> {
  const moved = await beforeDeadline(context, PUBLISH_RESERVE_MS, () =>
    Promise.all(RECHECK_TRIGGERS.map((trigger) => moveRecheck(rt, event, context, plan, trigger))),
  ).catch((cause: unknown) => failCheck(rt, event, plan.userName, 'scheduler (move re-check)', cause));
  await moveFindings(rt, event, plan);
  const scheduleNames = moved.filter((name): name is string => name !== undefined);
  if (scheduleNames.length > 0) return { outcome: 'rescheduled', scheduleNames };
  // No grace period pending under the old name: the user is checked as it is now, under its new name.
  return checkUser(rt, event, context, plan.userName, plan.path, plan.previousUserName);
}
