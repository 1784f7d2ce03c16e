import type { Logger } from '@aws-lambda-powertools/logger';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  INLINE_ITEMS_MAX,
  SWEEP_KEYS,
  type SweepAccountItem,
  type SweepInput,
  type SweepPlan,
  type SweepSkippedAccount,
} from '../contract/sweep';
import { chooseRolloutLookup, isActive, joinedWithin, planItems, type OrgAccount } from './coverage';
import type { PlannerSettings } from './env';
import { parsePlanInput } from './input';
import { rolloutOf, type RolloutReading } from './rollout';
import { accountsUnder, accountsUnderByParents, describeAccounts, listAllAccounts } from './organization';

/** What the planner needs; the handler builds it once per container. */
export interface PlannerDeps {
  readonly settings: PlannerSettings;
  readonly organizations: OrganizationsClient;
  readonly s3: S3Client;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
  readonly now: () => Date;
  /**
   * Reads the StackSet's instances (rollout.ts, never throws). Absent: items carry no rollout status
   * and the sweep behaves as it did before rollout status existed.
   */
  readonly readRollout?: () => Promise<RolloutReading>;
}

/** The accounts a sweep covers, before the ACTIVE filter. */
interface Selection {
  readonly accounts: readonly OrgAccount[];
  /** Every account of the organization was listed (no `accountIds`, not `joined`). */
  readonly fullSweep: boolean;
}

/**
 * The planner: read the input, list the accounts to sweep, place each in the rollout, write the
 * item list as one JSON array to S3, and return the plan (the items inline when few).
 */
export function createPlanner(deps: PlannerDeps): (raw: unknown) => Promise<SweepPlan> {
  const { settings, logger } = deps;
  const rules = {
    managementAccountId: settings.managementAccountId,
    excludedAccountIds: new Set(settings.excludedAccountIds),
  };

  return async (raw: unknown): Promise<SweepPlan> => {
    const { sweepId, input } = parsePlanInput(raw);
    const now = deps.now();
    const selection = await select(deps, input, now);
    const { active, skipped } = splitActive(selection.accounts);
    const placed: SweepAccountItem[] =
      active.length === 0
        ? []
        : planItems(
            active,
            await membersUnder(
              deps,
              active.map((a) => a.accountId),
              settings.rolloutTargetIds,
            ),
            rules,
          );
    const rolled = await withRollout(deps, placed);
    const items = await withEnforcementScope(deps, rolled.items);
    const { rolloutProblem } = rolled;
    const key = await writeItems(deps, sweepId, items);
    logger.info('sweep planned', {
      sweepId,
      mode: input.mode,
      fullSweep: selection.fullSweep,
      count: items.length,
      skipped: skipped.length,
      key,
    });
    // Skipped accounts are expected on full sweeps (closing accounts); asked-for ones deserve a warning.
    if (!selection.fullSweep && skipped.length > 0)
      logger.warn('accounts not ACTIVE were not planned', { skipped });
    return {
      sweepId,
      mode: input.mode,
      fullSweep: selection.fullSweep,
      bucket: settings.bucketName,
      key,
      count: items.length,
      ...(items.length <= INLINE_ITEMS_MAX ? { items } : {}),
      ...(rolloutProblem === undefined ? {} : { rolloutProblem }),
      // On a full sweep every closed or suspended account would be listed every day: only asked-for ones.
      ...(!selection.fullSweep && skipped.length > 0 ? { skipped } : {}),
    };
  };
}

/** The accounts the input asks for: named ones, the recently joined, or the whole organization. */
async function select(deps: PlannerDeps, input: SweepInput, now: Date): Promise<Selection> {
  const { organizations, settings } = deps;
  if (input.mode === 'joined') {
    // Each joining account once: a created account by its CreateAccountResult (which names it), an
    // invited one by the AccountJoinedOrganization sweep (no ids), which therefore leaves created
    // accounts out: Organizations logs AccountJoinedOrganization for them too.
    if (input.accountIds !== undefined) {
      return { accounts: await describeAccounts(organizations, input.accountIds), fullSweep: false };
    }
    const all = await listAllAccounts(organizations);
    const accounts = all.filter(
      (a) => joinedWithin(a, now, settings.joinedWithinHours) && a.joinedMethod !== 'CREATED',
    );
    return { accounts, fullSweep: false };
  }
  if (input.accountIds !== undefined) {
    return { accounts: await describeAccounts(organizations, input.accountIds), fullSweep: false };
  }
  return { accounts: await listAllAccounts(organizations), fullSweep: true };
}

/** The ACTIVE accounts, and the others (sorted by id) with their state. */
function splitActive(accounts: readonly OrgAccount[]): {
  active: OrgAccount[];
  skipped: SweepSkippedAccount[];
} {
  const active = accounts.filter((a) => isActive({ State: a.state }));
  const skipped: SweepSkippedAccount[] = accounts
    .filter((a) => !isActive({ State: a.state }))
    .map((a) => ({ accountId: a.accountId, state: a.state }))
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  return { active, skipped };
}

/** Which of the accounts are in (or below) one of `targetIds`: the cheapest lookup for their number. */
async function membersUnder(
  deps: PlannerDeps,
  ids: readonly string[],
  targetIds: readonly string[],
): Promise<(id: string) => boolean> {
  const lookup = chooseRolloutLookup(targetIds, ids.length);
  if (lookup === 'everything') return () => true;
  const inside =
    lookup === 'parents'
      ? await accountsUnderByParents(deps.organizations, ids, targetIds)
      : await accountsUnder(deps.organizations, targetIds);
  return (id) => inside.has(id);
}

/** Mark the accounts enforcement applies to (ADR 0022); none configured: nowhere, no call. */
async function withEnforcementScope(
  deps: PlannerDeps,
  items: SweepAccountItem[],
): Promise<SweepAccountItem[]> {
  const enforcementOuIds = deps.settings.enforcementOuIds ?? [];
  if (enforcementOuIds.length === 0 || items.length === 0) return items;
  const inside = await membersUnder(
    deps,
    items.map((i) => i.accountId),
    enforcementOuIds,
  );
  return items.map((item) => (inside(item.accountId) ? { ...item, inEnforcementOus: true } : item));
}

/** Add each StackSet account's rollout state; only accounts the StackSet deploys to have an instance. */
async function withRollout(
  deps: PlannerDeps,
  placed: SweepAccountItem[],
): Promise<{ items: SweepAccountItem[]; rolloutProblem?: string }> {
  if (deps.readRollout === undefined || !placed.some((i) => i.coverage === 'stackset')) {
    return { items: placed };
  }
  const reading = await deps.readRollout();
  if ('problem' in reading) {
    deps.logger.warn('StackSet instances not readable: rollout status unknown', {
      problem: reading.problem,
    });
  }
  const items = placed.map((item) =>
    item.coverage === 'stackset' ? { ...item, rollout: rolloutOf(reading, item.accountId) } : item,
  );
  return { items, ...('problem' in reading ? { rolloutProblem: reading.problem } : {}) };
}

/** Write the item list as one JSON array to the sweep bucket; returns its key. */
async function writeItems(
  deps: PlannerDeps,
  sweepId: string,
  items: readonly SweepAccountItem[],
): Promise<string> {
  const key = SWEEP_KEYS.accounts(sweepId);
  // Server-side encryption is the bucket's default (the stack sets it); no per-object override.
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.settings.bucketName,
      Key: key,
      Body: JSON.stringify(items),
      ContentType: 'application/json',
    }),
  );
  return key;
}
