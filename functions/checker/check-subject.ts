/** Check one IAM user or the root user of an account, as an event asks: read, judge, record, notify. */
import type { IAMClient } from '@aws-sdk/client-iam';
import { beforeDeadline } from '../core/deadline';
import { describeError } from '../core/errors';
import { evaluateExemptions } from '../core/exemptions';
import { readRoot, readUser } from '../core/iam-facts';
import { judgeRoot, judgeUser, type AlertNote } from '../core/judge';
import type { FindingRef } from '../contract/findings';
import { PUBLISH_RESERVE_MS } from '../contract/timing';
import type { CheckResult, CheckerRuntime, InvocationContext } from './checker-types';
import { rootFallback, type RootTrigger } from './decide';
import { alertFinding, failCheck, publishNotice, recordFixed } from './findings-path';
import { deleteRecheck } from './outputs';
import type { ParsedEvent } from './parse-event';
import { recheckScheduleName } from './recheck';

function aliasOf(rt: CheckerRuntime, event: ParsedEvent, iam: IAMClient): Promise<string | undefined> {
  return rt.aliases.aliasOf(event.accountId, iam, (error) => {
    rt.logger.warn('ListAccountAliases failed; alerting without alias', { error: describeError(error) });
  });
}

async function dropSupersededConsoleRecheck(
  rt: CheckerRuntime,
  event: ParsedEvent,
  userName: string,
): Promise<void> {
  const { settings, logger } = rt;
  if (event.recheck?.trigger !== 'CreateUser' || !settings.scheduler) return;
  // This re-check covers console access too: drop a pending CreateLoginProfile re-check of the same
  // user. Failing to drop it costs at most a second alert later, so it must not fail this check.
  const name = recheckScheduleName(event.accountId, userName, 'CreateLoginProfile');
  try {
    if (await deleteRecheck(rt.scheduler, settings.scheduler.groupName, name)) {
      logger.info('Pending console re-check superseded', { scheduleName: name });
    }
  } catch (error) {
    logger.warn('Could not delete the superseded console re-check', {
      scheduleName: name,
      error: describeError(error),
    });
  }
}

/** Check one IAM user: read it under the deadline, judge it, and record and notify the verdict. */
export async function checkUser(
  rt: CheckerRuntime,
  event: ParsedEvent,
  context: InvocationContext,
  userName: string,
  path: string | undefined,
  renamedFrom?: string,
): Promise<CheckResult> {
  const { settings, logger } = rt;
  let step = 'sts:AssumeRole';
  let alias: Promise<string | undefined> = Promise.resolve(undefined);
  const report = await beforeDeadline(context, PUBLISH_RESERVE_MS, async () => {
    const iam = await rt.sessions.iamFor(event.accountId, event.id);
    step = 'IAM read';
    // The alias (cached per account, never failing) is fetched beside the user reads, not after
    // them: one round trip less before an alert.
    alias = aliasOf(rt, event, iam);
    return readUser(iam, userName);
  }).catch((cause: unknown) => failCheck(rt, event, userName, step, cause));
  await dropSupersededConsoleRecheck(rt, event, userName);
  const exemption = evaluateExemptions(
    { accountId: event.accountId, userName, ...(path === undefined ? {} : { path }), tags: report.tags },
    settings.exemptions,
    rt.now(),
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
      await recordFixed(rt, event, ref, report.exists ? 'exempted' : 'deleted', alias, path);
      return { outcome: 'skipped', reason: verdict.reason };
    case 'no-alert':
      logger.info('No alert', { reason: verdict.reason });
      await recordFixed(rt, event, ref, 'mfa-enabled', alias, path);
      return { outcome: 'no-alert', reason: verdict.reason };
    case 'notice': {
      await recordFixed(rt, event, ref, 'exempted', alias, path);
      const accountAlias = await alias;
      await publishNotice(rt, {
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
        rt,
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
export async function checkRoot(
  rt: CheckerRuntime,
  event: ParsedEvent,
  context: InvocationContext,
  trigger: RootTrigger,
): Promise<CheckResult> {
  let step = 'sts:AssumeRole';
  let alias: Promise<string | undefined> = Promise.resolve(undefined);
  const facts = await beforeDeadline(context, PUBLISH_RESERVE_MS, async () => {
    const iam = await rt.sessions.iamFor(event.accountId, event.id);
    step = 'iam:GetAccountSummary';
    alias = aliasOf(rt, event, iam);
    return readRoot(iam);
  }).catch((cause: unknown) =>
    failCheck(rt, event, 'root', step, cause, {
      ...rootFallback(trigger),
      note: { kind: 'root-read-failed', error: describeError(cause) },
    }),
  );
  const verdict = judgeRoot(facts);
  const ref: FindingRef = { accountId: event.accountId, kind: 'ROOT_NO_MFA' };
  if (verdict.action === 'no-alert') {
    rt.logger.info('No alert', { reason: verdict.reason });
    await recordFixed(rt, event, ref, facts.mfaEnabled ? 'mfa-enabled' : 'console-removed', alias);
    return { outcome: 'no-alert', reason: verdict.reason };
  }
  return alertFinding(rt, ref, await alias, { finding: verdict.finding, severity: verdict.severity, event });
}
