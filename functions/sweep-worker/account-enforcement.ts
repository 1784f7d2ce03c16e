/**
 * One account's enforcement in the sweep worker (docs/adr/0022-enforcement-quarantine.md), after its
 * findings are reconciled: release the quarantines that must end (detach through the enforce role,
 * record, notify), and plan the users due for quarantine, which the sweep's Enforce step attaches after
 * the org-wide cap. An AWS refusal becomes a reported failure: it never fails the account's sweep.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { AccountEnforcement, EnforcementFailure, EnforcementRelease } from '../contract/enforcement';
import type { SweepAccountItem } from '../contract/sweep';
import { userEnforcementNotice } from '../core/enforcement-notice';
import {
  planAccount,
  type AccountEnforcementScope,
  type EnforcementCandidate,
  type EnforcementDecision,
} from '../core/enforcement-plan';
import { planReleases, type ReleaseDecision } from '../core/enforcement-release';
import { describeError } from '../core/errors';
import { releasedByHandAt, sweepActor } from '../core/quarantine-store';
import { isSuppressed } from '../core/suppression';
import type { ReportUser } from './credential-report';
import { detachQuarantine, quarantinePolicyArnOf } from './enforce';
import { quarantineTransition, type EnforcementDeps } from './enforcement-deps';
import { step, sweepHint, type SweepRuntime } from './sweep-runtime';

/** Whether the account has the member resources (the enforce role among them) deployed. */
function inRollout(item: SweepAccountItem): boolean {
  if (item.coverage === 'management-stack') return true;
  if (item.coverage !== 'stackset') return false;
  return item.rollout === undefined || item.rollout.status === 'current' || item.rollout.status === 'unknown';
}

/** The account's place in enforcement's scope. Pure. */
export function scopeOf(item: SweepAccountItem): AccountEnforcementScope {
  return {
    accountId: item.accountId,
    inEnforcementOus: item.inEnforcementOus === true,
    inRollout: inRollout(item),
  };
}

/** One enforce-role IAM client per account, opened on first use; undefined with the reason when refused. */
function lazyIam(e: EnforcementDeps, accountId: string, hint: string) {
  let session: Promise<{ iam: IAMClient } | { error: string }> | undefined;
  return () => {
    session ??= e.sessions.iamFor(accountId, hint).then(
      (iam) => ({ iam }),
      (error: unknown) => ({ error: `sts:AssumeRole: ${describeError(error)}` }),
    );
    return session;
  };
}

async function release(
  rt: SweepRuntime,
  e: EnforcementDeps,
  iamOf: ReturnType<typeof lazyIam>,
  decision: Extract<ReleaseDecision, { release: true }>,
  actor: { readonly by: string; readonly hint: string },
): Promise<EnforcementRelease | EnforcementFailure> {
  const { by } = actor;
  const { finding, reason } = decision;
  const base = { findingId: finding.findingId, userName: finding.userName };
  const session = await iamOf();
  const outcome =
    'error' in session
      ? { outcome: 'denied' as const, error: session.error }
      : await detachQuarantine(session.iam, {
          userName: finding.userName,
          policyArn: quarantinePolicyArnOf(e.partition, finding.accountId),
        });
  if ('error' in outcome) {
    rt.logger.warn('Quarantine release refused', { ...base, outcome: outcome.outcome, error: outcome.error });
    return { ...base, accountId: finding.accountId, action: 'release', ...outcome };
  }
  const written = await step('finding store', () =>
    e.quarantine.markReleased(finding, { by, reason, now: rt.now() }),
  );
  if (written === 'recorded') {
    try {
      const stored = await quarantineTransition(e, finding, actor.hint);
      await rt.notify(
        userEnforcementNotice({
          action: 'released',
          accountId: finding.accountId,
          ...base,
          reason,
          by,
          ...(stored === undefined ? {} : { stored }),
        }),
      );
    } catch (error) {
      rt.logger.error('Could not send the release notice', { ...base, error: describeError(error) });
    }
  }
  return { ...base, reason };
}

/**
 * Plan, then look up (one read each) whether a due user was released by hand, and plan again with those
 * times: a user released by hand is not quarantined again within `afterHours`.
 */
async function withHandReleases(
  e: EnforcementDeps,
  candidates: readonly EnforcementCandidate[],
  plan: (candidates: readonly EnforcementCandidate[]) => EnforcementDecision[],
): Promise<EnforcementDecision[]> {
  const first = plan(candidates);
  const due = first.filter((d) => d.action !== 'skip').map((d) => d.candidate);
  if (due.length === 0) return first;
  const hand = new Map<string, string>();
  for (const c of due) {
    const state = await step('finding store', () => e.quarantine.get(c));
    const at = state === undefined ? undefined : releasedByHandAt(state);
    if (at !== undefined) hand.set(c.findingId, at);
  }
  if (hand.size === 0) return first;
  return plan(
    candidates.map((c) => {
      const at = hand.get(c.findingId);
      return at === undefined ? c : { ...c, releasedByHandAt: at };
    }),
  );
}

/**
 * Release what must be released and plan who is due, for one checked account. Undefined when enforcement
 * is off. Throws only a StepError of the finding store (like the account's other store steps).
 */
export async function enforceAccount(
  rt: SweepRuntime,
  item: SweepAccountItem,
  users: readonly ReportUser[],
  sweepId: string | undefined,
): Promise<AccountEnforcement | undefined> {
  const e = rt.enforcement;
  if (e === undefined || e.settings.mode === 'off') return undefined;
  const { accountId } = item;
  const now = rt.now();
  const scope = scopeOf(item);
  const byName = new Map(users.map((u) => [u.userName, u]));
  const [quarantined, open] = await Promise.all([
    step('finding store', () => e.quarantine.listQuarantined(accountId)),
    step('finding store', () => rt.findings.listFindings({ accountId, state: 'OPEN' })),
  ]);
  const openUsers = new Map(open.filter((f) => f.kind === 'USER_NO_MFA').map((f) => [f.subject, f]));
  const releases = planReleases(
    quarantined.map((q) => {
      const finding = openUsers.get(q.userName);
      return {
        findingId: q.findingId,
        accountId,
        userName: q.userName,
        state: q.state,
        ...(q.resolution === undefined ? {} : { resolution: q.resolution }),
        // An exempt user's finding is resolved (`exempted`) by the reconciliation before this step.
        exempt: false,
        suppressed: finding !== undefined && isSuppressed(finding, now),
        consoleAccess: byName.get(q.userName)?.passwordEnabled ?? false,
      };
    }),
    scope,
    e.settings,
  );
  const hint = sweepHint(sweepId);
  const iamOf = lazyIam(e, accountId, hint);
  const by = sweepActor(sweepId ?? 'local');
  const released: EnforcementRelease[] = [];
  const failures: EnforcementFailure[] = [];
  for (const decision of releases) {
    if (!decision.release) continue;
    const result = await release(rt, e, iamOf, decision, { by, hint });
    if ('outcome' in result) failures.push(result);
    else released.push(result);
  }
  const freed = new Set(released.map((r) => r.userName));
  const stillQuarantined = new Set(quarantined.map((q) => q.userName).filter((name) => !freed.has(name)));
  const candidates = [...openUsers.values()].map((f) => ({
    findingId: f.findingId,
    accountId,
    userName: f.subject,
    openedAt: f.openedAt,
    consoleAccess: byName.get(f.subject)?.passwordEnabled ?? false,
    root: false,
    exempt: false,
    suppressed: isSuppressed(f, now),
    quarantined: stillQuarantined.has(f.subject),
  }));
  const decisions = await withHandReleases(e, candidates, (list) =>
    planAccount(list, scope, e.settings, now),
  );
  const due = decisions.flatMap((d) =>
    d.action === 'skip'
      ? []
      : [
          {
            findingId: d.candidate.findingId,
            userName: d.candidate.userName,
            openedAt: d.candidate.openedAt,
            consoleAccess: d.candidate.consoleAccess,
            openHours: d.openHours,
            reason: d.reason,
          },
        ],
  );
  return { mode: e.settings.mode, due, released, failures };
}
