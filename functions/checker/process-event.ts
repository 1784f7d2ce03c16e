import { createNotifier, type Notifier } from '../core/notify';
import { canaryArrival } from './canary-arrival';
import { checkRoot, checkUser } from './check-subject';
import type { CheckResult, CheckerDeps, CheckerRuntime, InvocationContext } from './checker-types';
import { planEvent } from './decide';
import { InvalidEventError } from './errors';
import { quarantineEvent } from './outputs';
import { parseEvent, type ParsedEvent } from './parse-event';
import { followRename, schedule } from './recheck-steps';

export type { CheckResult, CheckerDeps, InvocationContext } from './checker-types';

/**
 * The checker's notification path (functions/core/notify.ts): email, markNotified, chat, then the
 * Security Hub import from inside the finding's account, named by the event's id.
 */
function checkerNotifier(deps: CheckerDeps): Notifier {
  const { settings, securityHub } = deps;
  return createNotifier({
    sns: deps.sns,
    alertTopicArn: settings.alertTopicArn,
    ...(settings.chatTopicArn === undefined ? {} : { chatTopicArn: settings.chatTopicArn }),
    ...(deps.findings === undefined ? {} : { findings: deps.findings }),
    ...(securityHub === undefined
      ? {}
      : {
          exportFinding: async ({ finding, userPath, sessionHint }) => {
            await securityHub.exportFindings(
              finding.accountId,
              [{ finding, ...(userPath === undefined ? {} : { userPath }) }],
              sessionHint,
            );
          },
        }),
    ...(deps.metrics === undefined ? {} : { metrics: deps.metrics }),
    logger: deps.logger,
    now: deps.now,
  });
}

/** Build the per-event checker: parse -> plan -> (check | schedule) -> judge -> notify. */
export function createChecker(
  deps: CheckerDeps,
): (event: unknown, context: InvocationContext) => Promise<CheckResult> {
  const rt: CheckerRuntime = { ...deps, notify: checkerNotifier(deps) };
  const { settings, logger } = deps;
  const canaryDeps = {
    checkRoleName: settings.checkRoleName,
    ...(deps.canaries === undefined ? {} : { canaries: deps.canaries }),
    logger,
    now: deps.now,
  };

  return async function check(raw, context) {
    logger.resetKeys(); // keys of the previous event must not leak into this one's logs
    const canary = await canaryArrival(canaryDeps, raw);
    if (canary !== undefined) return canary;
    let event: ParsedEvent;
    try {
      event = parseEvent(raw);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      logger.error('Invalid event quarantined', {
        field: error.field,
        expectation: error.expectation,
        received: error.received,
      });
      await quarantineEvent(deps.sqs, settings.quarantineQueueUrl, raw, error);
      return { outcome: 'quarantined', field: error.field, reason: error.message };
    }
    const { target } = event;
    logger.appendKeys({
      eventId: event.eventId ?? event.id,
      accountId: event.accountId,
      eventName: event.eventName,
      userName: target.kind === 'user' || target.kind === 'renamed-user' ? target.userName : undefined,
      recheck: event.recheck !== undefined,
    });
    logger.debug('Event', { event: raw });

    const plan = planEvent(event, settings, deps.now());
    switch (plan.action) {
      case 'skip':
        logger.info('Skipped', { reason: plan.reason });
        return { outcome: 'skipped', reason: plan.reason };
      case 'check-root':
        return checkRoot(rt, event, context, plan.trigger);
      case 'check':
        return checkUser(rt, event, context, plan.userName, plan.path);
      case 'schedule':
        return schedule(rt, event, context, plan);
      case 'follow-rename':
        return followRename(rt, event, context, plan);
    }
  };
}
