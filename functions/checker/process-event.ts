import type { Logger } from '@aws-lambda-powertools/logger';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AccountSessions } from './credentials';
import { judgeUser, planEvent, type Finding, type Severity } from './decide';
import type { CheckerSettings } from './env';
import { CheckFailedError, InvalidEventError, describeError } from './errors';
import { evaluateExemptions } from './exemptions';
import { formatAlert, type AlertInput } from './format';
import { readUser, type AccountAliases } from './iam-facts';
import { createRecheck, deleteRecheck, publishAlert, quarantineEvent } from './outputs';
import { parseEvent, type ParsedEvent } from './parse-event';
import { buildRecheckSchedule, recheckScheduleName } from './recheck';

/** Everything the checker needs, created once per container (module scope in handler.ts). */
export interface CheckerDeps {
  readonly settings: CheckerSettings;
  readonly sessions: AccountSessions;
  readonly aliases: AccountAliases;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
  readonly scheduler: SchedulerClient;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** The part of the Lambda context the checker uses. */
export interface InvocationContext {
  /** The function's own ARN: the target of re-check schedules. */
  readonly invokedFunctionArn: string;
}

/** How one event ended. Every event ends in exactly one of these, or in a thrown error. */
export type CheckResult =
  | { readonly outcome: 'alerted'; readonly finding: Finding; readonly severity: Severity }
  | { readonly outcome: 'no-alert'; readonly reason: string }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | {
      readonly outcome: 'scheduled';
      readonly scheduleName: string;
      readonly dueAt: string;
      readonly alreadyScheduled: boolean;
      readonly notified: boolean;
    }
  | { readonly outcome: 'quarantined'; readonly field: string; readonly reason: string };

/** Build the per-event checker: parse -> plan -> (check | schedule) -> judge -> notify. */
export function createChecker(
  deps: CheckerDeps,
): (event: unknown, context: InvocationContext) => Promise<CheckResult> {
  const { settings, logger } = deps;

  async function publish(input: AlertInput): Promise<void> {
    const message = formatAlert(input, settings);
    const messageId = await publishAlert(deps.sns, settings.alertTopicArn, message);
    logger.info('Alert published', { finding: input.finding, severity: input.severity, messageId });
  }

  async function aliasBestEffort(event: ParsedEvent): Promise<string | undefined> {
    try {
      const iam = await deps.sessions.iamFor(event.accountId, event.id);
      return await aliasOf(event, iam);
    } catch (error) {
      logger.warn('Account alias unavailable', { error: describeError(error) });
      return undefined;
    }
  }

  function aliasOf(event: ParsedEvent, iam: IAMClient): Promise<string | undefined> {
    return deps.aliases.aliasOf(event.accountId, iam, (error) => {
      logger.warn('ListAccountAliases failed; alerting without alias', { error: describeError(error) });
    });
  }

  async function checkUser(
    event: ParsedEvent,
    userName: string,
    path: string | undefined,
  ): Promise<CheckResult> {
    let report: Awaited<ReturnType<typeof readUser>>;
    let alias: Promise<string | undefined>;
    let step = 'sts:AssumeRole';
    try {
      const iam = await deps.sessions.iamFor(event.accountId, event.id);
      step = 'IAM read';
      // The alias (cached per account, never failing) is fetched beside the user reads, not after
      // them: one round trip less before an alert.
      alias = aliasOf(event, iam);
      report = await readUser(iam, userName);
    } catch (cause) {
      const failure = new CheckFailedError(event.accountId, userName, step, cause);
      logger.error('MFA check failed', { step, error: describeError(cause) });
      try {
        await publish({
          finding: 'CHECK_FAILED',
          severity: 'HIGH',
          event,
          userName,
          failure: failure.message,
        });
      } catch (publishError) {
        logger.error('Could not publish the check-failed alert', { error: describeError(publishError) });
      }
      throw failure;
    }
    if (event.recheck?.trigger === 'CreateUser' && settings.scheduler) {
      // This re-check covers console access too: drop a pending CreateLoginProfile re-check of the same
      // user. Failing to drop it costs at most a second alert later, so it must not fail this check.
      const name = recheckScheduleName(event.accountId, userName, 'CreateLoginProfile');
      try {
        if (await deleteRecheck(deps.scheduler, settings.scheduler.groupName, name)) {
          logger.info('Pending console re-check superseded', { scheduleName: name });
        }
      } catch (error) {
        logger.warn('Could not delete the superseded console re-check', {
          scheduleName: name,
          error: describeError(error),
        });
      }
    }
    const exemption = evaluateExemptions(
      { accountId: event.accountId, userName, ...(path === undefined ? {} : { path }), tags: report.tags },
      settings.exemptions,
      deps.now(),
    );
    const verdict = judgeUser(report, exemption);
    if (verdict.action === 'skip') {
      logger.info('Skipped', {
        reason: verdict.reason,
        ...(verdict.exemption ? { exemption: verdict.exemption } : {}),
      });
      return { outcome: 'skipped', reason: verdict.reason };
    }
    if (verdict.action === 'no-alert') {
      logger.info('No alert', { reason: verdict.reason });
      return { outcome: 'no-alert', reason: verdict.reason };
    }
    const accountAlias = await alias;
    await publish({
      finding: verdict.finding,
      severity: verdict.severity,
      event,
      userName,
      ...(accountAlias === undefined ? {} : { accountAlias }),
      ...(verdict.exemptionNote === undefined ? {} : { exemptionNote: verdict.exemptionNote }),
      afterGracePeriod: event.recheck !== undefined,
    });
    return { outcome: 'alerted', finding: verdict.finding, severity: verdict.severity };
  }

  return async function check(raw, context) {
    logger.resetKeys(); // keys of the previous event must not leak into this one's logs
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
    const userName = event.target.kind === 'user' ? event.target.userName : undefined;
    logger.appendKeys({
      eventId: event.eventId ?? event.id,
      accountId: event.accountId,
      eventName: event.eventName,
      userName,
      recheck: event.recheck !== undefined,
    });
    logger.debug('Event', { event: raw });

    const plan = planEvent(event, settings, deps.now());
    switch (plan.action) {
      case 'skip':
        logger.info('Skipped', { reason: plan.reason });
        return { outcome: 'skipped', reason: plan.reason };
      case 'alert': {
        const accountAlias = await aliasBestEffort(event);
        await publish({
          finding: plan.finding,
          severity: plan.severity,
          event,
          ...(accountAlias === undefined ? {} : { accountAlias }),
        });
        return { outcome: 'alerted', finding: plan.finding, severity: plan.severity };
      }
      case 'check':
        return checkUser(event, plan.userName, plan.path);
      case 'schedule': {
        if (!settings.scheduler) throw new Error('grace period without scheduler settings'); // loadSettings prevents this
        const request = buildRecheckSchedule(
          {
            accountId: event.accountId,
            userName: plan.userName,
            trigger: plan.trigger,
            due: plan.due,
            envelope: event.envelope,
          },
          { ...settings.scheduler, functionArn: context.invokedFunctionArn },
        );
        const created = await createRecheck(deps.scheduler, request);
        const scheduleName = request.Name ?? '';
        logger.info(created === 'created' ? 'Re-check scheduled' : 'Re-check already scheduled', {
          scheduleName,
          dueAt: plan.due.toISOString(),
        });
        const notified = plan.notify && created === 'created';
        if (notified) {
          await publish({
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
        };
      }
    }
  };
}
