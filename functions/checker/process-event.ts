import type { Logger } from '@aws-lambda-powertools/logger';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AccountSessions } from '../core/credentials';
import { beforeDeadline } from '../core/deadline';
import { describeError } from '../core/errors';
import { evaluateExemptions } from '../core/exemptions';
import { readRoot, readUser, type AccountAliases } from '../core/iam-facts';
import { judgeRoot, judgeUser, type AlertNote, type Finding, type Severity } from '../core/judge';
import { planEvent, rootFallback, EARLY_RECHECK_TOLERANCE_MS, type Plan, type RootTrigger } from './decide';
import type { CheckerSettings } from './env';
import { CheckFailedError, InvalidEventError } from './errors';
import type { Finding as StoredFinding, FindingStore } from '../core/finding-store';
import type { CheckerMetrics } from '../core/metrics';
import type { Lazy } from '../core/lazy';
import type { SecurityHubExporter } from '../core/security-hub';
import { shouldNotify } from '../core/finding-store';
import { isSuppressed } from '../core/suppression';
import type { FindingRef, FindingSeverity } from '../contract/findings';
import {
  formatAlert,
  formatResolution,
  type AlertInput,
  type FindingRecord,
  type ResolutionCause,
} from './format';
import { createRecheck, deleteRecheck, getRecheckInput, publishAlert, quarantineEvent } from './outputs';
import { publishChat } from '../core/chat';
import type { ChatNotification } from '../core/chat-schema';
import { parseEvent, type ParsedEvent } from './parse-event';
import {
  RECHECK_TRIGGERS,
  buildRecheckSchedule,
  pendingRecheckFrom,
  recheckScheduleName,
  type RecheckTrigger,
} from './recheck';
import { CHECKER_TIMEOUT_SECONDS, PUBLISH_RESERVE_MS } from '../contract/timing';

/**
 * An open finding whose alert never went out (the publish failed after the finding was recorded, and the
 * event went to the on-failure queue) is alerted when it is seen again, once no first invocation can
 * still be running: after one function timeout. A redrive therefore never loses the alert.
 */
const UNNOTIFIED_AFTER_MS = CHECKER_TIMEOUT_SECONDS * 1000;

/** Everything the checker needs, created once per container (module scope in handler.ts). */
export interface CheckerDeps {
  readonly settings: CheckerSettings;
  readonly sessions: AccountSessions;
  readonly aliases: AccountAliases;
  readonly sns: SNSClient;
  /** The quarantine queue's client; the handler makes it on first use (functions/core/lazy.ts). */
  readonly sqs: Lazy<SQSClient>;
  /** The re-check scheduler's client; the handler makes it on first use. */
  readonly scheduler: Lazy<SchedulerClient>;
  /**
   * The finding store: one alert per transition, resolution notices. Absent, every problem alerts as
   * if it were new (as when the store is unreachable).
   */
  readonly findings?: Pick<FindingStore, 'observeProblem' | 'resolve' | 'renameUser' | 'markNotified'>;
  /**
   * The Security Hub export: each notified transition of a finding is imported after its message went
   * out (never before, never blocking it). Absent when the export is off.
   */
  readonly securityHub?: SecurityHubExporter;
  readonly logger: Logger;
  readonly now: () => Date;
  /**
   * Counts alerts published and finding-store transitions as they happen (functions/core/metrics.ts);
   * the handler counts outcomes and writes the metrics. Absent, nothing is counted.
   */
  readonly metrics?: CheckerMetrics;
}

/** The part of the Lambda context the checker uses. */
export interface InvocationContext {
  /** The function's own ARN: the target of re-check schedules. */
  readonly invokedFunctionArn: string;
  /**
   * Lambda's remaining time. The check runs under a deadline that keeps PUBLISH_RESERVE_MS back, so a
   * hung dependency still leaves time to publish the CHECK_FAILED alert.
   */
  readonly getRemainingTimeInMillis?: () => number;
}

/** How one event ended. Every event ends in exactly one of these, or in a thrown error. */
export type CheckResult =
  | { readonly outcome: 'alerted'; readonly finding: Finding; readonly severity: Severity }
  | { readonly outcome: 'no-alert'; readonly reason: string }
  | { readonly outcome: 'skipped'; readonly reason: string }
  /** The problem is a finding that is already open: recorded, not alerted again. */
  | { readonly outcome: 'already-open'; readonly finding: Finding; readonly findingId: string }
  /** Not alerted, but an INFO notice says why (a trusted exemption tag): never silent. */
  | { readonly outcome: 'noticed'; readonly finding: 'TAG_EXEMPTED'; readonly reason: string }
  | {
      readonly outcome: 'scheduled';
      readonly scheduleName: string;
      readonly dueAt: string;
      readonly alreadyScheduled: boolean;
      readonly notified: boolean;
      /** A re-check that arrived before its due time was put back on its schedule. */
      readonly early?: boolean;
    }
  /** UpdateUser: pending re-checks now follow the user's new name and path. */
  | { readonly outcome: 'rescheduled'; readonly scheduleNames: readonly string[] }
  | { readonly outcome: 'quarantined'; readonly field: string; readonly reason: string };

/** Build the per-event checker: parse -> plan -> (check | schedule) -> judge -> notify. */
export function createChecker(
  deps: CheckerDeps,
): (event: unknown, context: InvocationContext) => Promise<CheckResult> {
  const { settings, logger } = deps;

  async function publish(input: AlertInput): Promise<void> {
    const message = formatAlert(input, settings);
    const messageId = await publishAlert(deps.sns, settings.alertTopicArn, message);
    deps.metrics?.alertPublished(input.severity, input.finding);
    logger.info('Alert published', { finding: input.finding, severity: input.severity, messageId });
    await postToChat(
      async () => (await import('./chat-format')).chatAlert(input, settings),
      message.attributes,
    );
  }

  /**
   * Post the same message to the chat topic when one is configured: after the email, best effort. A
   * failure is logged and swallowed on purpose: the email alert already went out, and failing the event
   * would redrive it and send that email again (ADR 0011). The chat formatting is loaded on first use:
   * only deployments with chat configured need it.
   */
  async function postToChat(
    render: () => Promise<ChatNotification>,
    attributes: Readonly<Record<string, string>>,
  ): Promise<void> {
    const topicArn = settings.chatTopicArn;
    if (topicArn === undefined) return;
    try {
      const messageId = await publishChat(deps.sns, topicArn, await render(), attributes);
      logger.info('Chat message published', { messageId });
    } catch (error) {
      logger.error('Could not publish the chat message; the email alert is not affected', {
        error: describeError(error),
      });
    }
  }

  function aliasOf(event: ParsedEvent, iam: IAMClient): Promise<string | undefined> {
    return deps.aliases.aliasOf(event.accountId, iam, (error) => {
      logger.warn('ListAccountAliases failed; alerting without alias', { error: describeError(error) });
    });
  }

  /** Report a check that could not be completed, then fail the event (on-failure queue, alarm). */
  async function failCheck(
    event: ParsedEvent,
    userName: string,
    step: string,
    cause: unknown,
    alert: Omit<AlertInput, 'event'> = { finding: 'CHECK_FAILED', severity: 'HIGH', userName },
  ): Promise<never> {
    const failure = new CheckFailedError(event.accountId, userName, step, cause);
    logger.error('MFA check failed', { step, error: describeError(cause) });
    try {
      await publish({ failure: failure.message, ...alert, event });
    } catch (publishError) {
      logger.error('Could not publish the check-failed alert', { error: describeError(publishError) });
    }
    throw failure;
  }

  /**
   * Record an observed problem. Returns the record to show in the alert when this write opened,
   * reopened or escalated the finding, `'quiet'` when it was already open, and `undefined` when the
   * store could not be reached: then the alert goes out anyway (a missed dedup beats a missed alert).
   */
  async function recordProblem(
    ref: FindingRef,
    severity: FindingSeverity,
    detail: Finding,
    accountAlias: string | undefined,
  ): Promise<
    | (FindingRecord & { readonly stored: StoredFinding })
    | { readonly quiet: string; readonly since: string }
    | undefined
  > {
    if (!deps.findings) return undefined;
    try {
      const { transition, finding } = await deps.findings.observeProblem({
        ...ref,
        severity,
        detail,
        source: 'event',
        now: deps.now(),
        ...(accountAlias === undefined ? {} : { accountAlias }),
      });
      logger.info('Finding observed', { findingId: finding.findingId, transition });
      if (transition === 'opened' || transition === 'reopened') deps.metrics?.findingOpened('event');
      const record = {
        findingId: finding.findingId,
        firstSeen: new Date(finding.firstSeen),
        stored: finding,
      };
      if (shouldNotify(transition)) return record;
      // ISO-8601 UTC strings order like the times they name.
      const notified = finding.lastNotified !== undefined && finding.lastNotified >= finding.openedAt;
      // An accepted (suppressed) finding is not alerted, not even as "never notified".
      if (
        !notified &&
        !isSuppressed(finding, deps.now()) &&
        deps.now().getTime() - Date.parse(finding.openedAt) > UNNOTIFIED_AFTER_MS
      ) {
        logger.warn('Open finding was never notified (an earlier publish failed): alerting now', {
          findingId: finding.findingId,
        });
        return record;
      }
      return { quiet: finding.findingId, since: finding.openedAt };
    } catch (error) {
      logger.error('Finding store unreachable: alerting without deduplication', {
        error: describeError(error),
      });
      return undefined;
    }
  }

  /**
   * Alert on a finding, once per transition: record it in the store, stay quiet when it was already open
   * (and notified), otherwise publish with its id and first-seen time and remember the notification.
   */
  async function alertFinding(
    ref: FindingRef,
    accountAlias: string | undefined,
    alert: AlertInput & { readonly finding: Finding; readonly severity: FindingSeverity },
    userPath?: string,
  ): Promise<CheckResult> {
    const stored = await recordProblem(ref, alert.severity, alert.finding, accountAlias);
    if (stored !== undefined && 'quiet' in stored) {
      logger.info('Finding already open: not alerted again', {
        findingId: stored.quiet,
        since: stored.since,
      });
      return { outcome: 'already-open', finding: alert.finding, findingId: stored.quiet };
    }
    await publish({
      ...alert,
      ...(accountAlias === undefined ? {} : { accountAlias }),
      ...(stored === undefined ? {} : { record: stored }),
    });
    if (stored !== undefined) {
      await markNotified(ref);
      await exportFinding(alert.event, stored.stored, userPath);
    }
    return { outcome: 'alerted', finding: alert.finding, severity: alert.severity };
  }

  /**
   * Import the finding's new state into Security Hub, from inside its account. After the message, and
   * the exporter never throws: Security Hub off or failing cannot block or fail an alert.
   */
  async function exportFinding(event: ParsedEvent, finding: StoredFinding, userPath?: string): Promise<void> {
    if (!deps.securityHub) return;
    await deps.securityHub.exportFindings(
      finding.accountId,
      [{ finding, ...(userPath === undefined ? {} : { userPath }) }],
      event.id,
    );
  }

  /** Remember that the finding's alert went out (best effort: off the alert path, after the publish). */
  async function markNotified(ref: FindingRef): Promise<void> {
    if (!deps.findings) return;
    try {
      await deps.findings.markNotified({ ...ref, now: deps.now() });
    } catch (error) {
      logger.warn('Could not record the notification in the finding store', { error: describeError(error) });
    }
  }

  /** Record a fixed problem and send one resolution notice if this write closed an open finding. */
  async function recordFixed(
    event: ParsedEvent,
    ref: FindingRef,
    cause: ResolutionCause,
    alias: Promise<string | undefined>,
    userPath?: string,
  ): Promise<void> {
    if (!deps.findings) return;
    let resolved: Awaited<ReturnType<NonNullable<CheckerDeps['findings']>['resolve']>>;
    try {
      resolved = await deps.findings.resolve({
        ...ref,
        reason: cause,
        now: deps.now(),
        retentionDays: settings.findings.resolvedRetentionDays,
      });
    } catch (error) {
      // Nothing to alert on: the problem is fixed. The sweep resolves the finding later.
      logger.error('Finding store unreachable: resolution not recorded', { error: describeError(error) });
      return;
    }
    if (resolved.transition !== 'resolved') return;
    deps.metrics?.findingResolved(cause, 'event');
    const { finding, openForMs } = resolved;
    const accountAlias = await alias;
    const resolution = {
      event,
      finding: (finding.detail ?? finding.kind) as Finding,
      ...(ref.kind === 'USER_NO_MFA' ? { userName: ref.userName } : {}),
      ...(accountAlias === undefined ? {} : { accountAlias }),
      record: { findingId: finding.findingId, firstSeen: new Date(finding.firstSeen) },
      cause,
      openForMs,
    };
    const message = formatResolution(resolution, settings);
    const messageId = await publishAlert(deps.sns, settings.alertTopicArn, message);
    logger.info('Resolution published', { findingId: finding.findingId, cause, messageId });
    await postToChat(
      async () => (await import('./chat-format')).chatResolution(resolution, settings),
      message.attributes,
    );
    await exportFinding(event, finding, userPath);
  }

  async function dropSupersededConsoleRecheck(event: ParsedEvent, userName: string): Promise<void> {
    if (event.recheck?.trigger !== 'CreateUser' || !settings.scheduler) return;
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

  async function checkUser(
    event: ParsedEvent,
    context: InvocationContext,
    userName: string,
    path: string | undefined,
    renamedFrom?: string,
  ): Promise<CheckResult> {
    let step = 'sts:AssumeRole';
    let alias: Promise<string | undefined> = Promise.resolve(undefined);
    const report = await beforeDeadline(context, PUBLISH_RESERVE_MS, async () => {
      const iam = await deps.sessions.iamFor(event.accountId, event.id);
      step = 'IAM read';
      // The alias (cached per account, never failing) is fetched beside the user reads, not after
      // them: one round trip less before an alert.
      alias = aliasOf(event, iam);
      return readUser(iam, userName);
    }).catch((cause: unknown) => failCheck(event, userName, step, cause));
    await dropSupersededConsoleRecheck(event, userName);
    const exemption = evaluateExemptions(
      { accountId: event.accountId, userName, ...(path === undefined ? {} : { path }), tags: report.tags },
      settings.exemptions,
      deps.now(),
      { trustTags: settings.trustExemptionTags },
    );
    const verdict = judgeUser(report, exemption);
    const ref: FindingRef = { accountId: event.accountId, kind: 'USER_NO_MFA', userName };
    switch (verdict.action) {
      case 'skip':
        logger.info('Skipped', {
          reason: verdict.reason,
          ...(verdict.exemption ? { exemption: verdict.exemption } : {}),
        });
        await recordFixed(event, ref, report.exists ? 'exempted' : 'deleted', alias, path);
        return { outcome: 'skipped', reason: verdict.reason };
      case 'no-alert':
        logger.info('No alert', { reason: verdict.reason });
        await recordFixed(event, ref, 'mfa-enabled', alias, path);
        return { outcome: 'no-alert', reason: verdict.reason };
      case 'notice': {
        await recordFixed(event, ref, 'exempted', alias, path);
        const accountAlias = await alias;
        await publish({
          finding: verdict.finding,
          severity: verdict.severity,
          event,
          userName,
          ...(accountAlias === undefined ? {} : { accountAlias }),
          note: verdict.note,
          afterGracePeriod: event.recheck !== undefined,
        });
        return { outcome: 'noticed', finding: verdict.finding, reason: verdict.reason };
      }
      case 'alert': {
        const note: AlertNote | undefined =
          verdict.note ??
          (renamedFrom === undefined ? undefined : { kind: 'renamed', previousUserName: renamedFrom });
        return alertFinding(
          ref,
          await alias,
          {
            finding: verdict.finding,
            severity: verdict.severity,
            event,
            userName,
            ...(note === undefined ? {} : { note }),
            afterGracePeriod: event.recheck !== undefined,
          },
          path,
        );
      }
    }
  }

  /** Judge the root user from IAM's account summary; the event alone decides only when that read fails. */
  async function checkRoot(
    event: ParsedEvent,
    context: InvocationContext,
    trigger: RootTrigger,
  ): Promise<CheckResult> {
    let step = 'sts:AssumeRole';
    let alias: Promise<string | undefined> = Promise.resolve(undefined);
    const facts = await beforeDeadline(context, PUBLISH_RESERVE_MS, async () => {
      const iam = await deps.sessions.iamFor(event.accountId, event.id);
      step = 'iam:GetAccountSummary';
      alias = aliasOf(event, iam);
      return readRoot(iam);
    }).catch((cause: unknown) =>
      failCheck(event, 'root', step, cause, {
        ...rootFallback(trigger),
        note: { kind: 'root-read-failed', error: describeError(cause) },
      }),
    );
    const verdict = judgeRoot(facts);
    const ref: FindingRef = { accountId: event.accountId, kind: 'ROOT_NO_MFA' };
    if (verdict.action === 'no-alert') {
      logger.info('No alert', { reason: verdict.reason });
      await recordFixed(event, ref, facts.mfaEnabled ? 'mfa-enabled' : 'console-removed', alias);
      return { outcome: 'no-alert', reason: verdict.reason };
    }
    return alertFinding(ref, await alias, { finding: verdict.finding, severity: verdict.severity, event });
  }

  async function schedule(
    event: ParsedEvent,
    context: InvocationContext,
    plan: Extract<Plan, { action: 'schedule' }>,
  ): Promise<CheckResult> {
    const scheduler = settings.scheduler;
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
      createRecheck(deps.scheduler, request),
    ).catch((cause: unknown) => failCheck(event, plan.userName, 'scheduler:CreateSchedule', cause));
    const scheduleName = request.Name ?? '';
    logger.info(created === 'created' ? 'Re-check scheduled' : 'Re-check already scheduled', {
      scheduleName,
      dueAt: plan.due.toISOString(),
      ...(plan.early ? { early: true } : {}),
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
      ...(plan.early ? { early: true } : {}),
    };
  }

  /**
   * Move one pending re-check of the old name to the new name (and path). Returns the new schedule's
   * name, or undefined when there is none to move (or it is due now: the caller checks at once).
   */
  async function moveRecheck(
    event: ParsedEvent,
    context: InvocationContext,
    plan: Extract<Plan, { action: 'follow-rename' }>,
    trigger: RecheckTrigger,
  ): Promise<string | undefined> {
    const scheduler = settings.scheduler;
    if (!scheduler || settings.gracePeriodHours === 0) return undefined;
    const oldName = recheckScheduleName(event.accountId, plan.previousUserName, trigger);
    const found = await getRecheckInput(deps.scheduler, scheduler.groupName, oldName);
    if (found === undefined) return undefined;
    const pending = pendingRecheckFrom(found.input);
    if (pending === undefined) {
      logger.warn('A schedule with a re-check name holds no re-check; left alone', { scheduleName: oldName });
      return undefined;
    }
    if (pending.due.getTime() - deps.now().getTime() <= EARLY_RECHECK_TOLERANCE_MS) return undefined;
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
      await deleteRecheck(deps.scheduler, scheduler.groupName, oldName);
      await createRecheck(deps.scheduler, request);
    } else {
      // Create first: a failure between the two calls leaves a duplicate re-check, never none.
      await createRecheck(deps.scheduler, request);
      await deleteRecheck(deps.scheduler, scheduler.groupName, oldName);
    }
    logger.info('Re-check follows the renamed user', {
      from: oldName,
      to: newName,
      dueAt: pending.due.toISOString(),
    });
    return newName;
  }

  /** A finding belongs to the user, not to its name: move it to the new name (best effort). */
  async function moveFindings(
    event: ParsedEvent,
    plan: Extract<Plan, { action: 'follow-rename' }>,
  ): Promise<void> {
    if (!deps.findings || plan.userName === plan.previousUserName) return;
    try {
      const { moved } = await deps.findings.renameUser({
        accountId: event.accountId,
        oldName: plan.previousUserName,
        newName: plan.userName,
        now: deps.now(),
      });
      if (moved.length > 0) {
        logger.info('Findings follow the renamed user', { findingIds: moved.map((f) => f.findingId) });
      }
    } catch (error) {
      // The check below still runs under the new name; a finding left under the old name is resolved
      // as "deleted" by the next sweep.
      logger.error('Finding store unreachable: findings not moved to the new name', {
        error: describeError(error),
      });
    }
  }

  async function followRename(
    event: ParsedEvent,
    context: InvocationContext,
    plan: Extract<Plan, { action: 'follow-rename' }>,
  ): Promise<CheckResult> {
    const moved = await beforeDeadline(context, PUBLISH_RESERVE_MS, () =>
      Promise.all(RECHECK_TRIGGERS.map((trigger) => moveRecheck(event, context, plan, trigger))),
    ).catch((cause: unknown) => failCheck(event, plan.userName, 'scheduler (move re-check)', cause));
    await moveFindings(event, plan);
    const scheduleNames = moved.filter((name): name is string => name !== undefined);
    if (scheduleNames.length > 0) return { outcome: 'rescheduled', scheduleNames };
    // No grace period pending under the old name: the user is checked as it is now, under its new name.
    return checkUser(event, context, plan.userName, plan.path, plan.previousUserName);
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
        return checkRoot(event, context, plan.trigger);
      case 'check':
        return checkUser(event, context, plan.userName, plan.path);
      case 'schedule':
        return schedule(event, context, plan);
      case 'follow-rename':
        return followRename(event, context, plan);
    }
  };
}
