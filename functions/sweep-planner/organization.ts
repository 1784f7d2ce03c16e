import {
  AccountNotFoundException,
  DescribeAccountCommand,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListParents,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { accountState, type OrgAccount } from './coverage';
import { UnknownAccountError } from './errors';

/**
 * Read-only Organizations calls of the planner. The security account makes them through the
 * organization's resource-based delegation policy, which allows exactly these actions:
 * `organizations:ListAccounts`, `DescribeAccount`, `ListParents`, `ListOrganizationalUnitsForParent`,
 * `ListAccountsForParent`. Every list call is paginated (NextToken). I/O only.
 */

/**
 * Parallel Organizations calls: the service throttles each account to a few requests per second
 * (Organizations quotas, "Throttling limits for Organizations API"), and the SDK's adaptive retries
 * slow down further when it does.
 */
const ORGANIZATIONS_CONCURRENCY = 3;
/**
 * MaxResults of every list call: 20 is the most the Organizations list operations accept (API
 * reference, e.g. ListAccounts `MaxResults`: 1-20); without it each operation picks its own, smaller,
 * page size. 10,000 accounts take 500 ListAccounts pages.
 */
export const ORGANIZATIONS_PAGE_SIZE = 20;
/** Five levels of OUs under the root (Organizations quotas) plus the root itself, plus a margin. */
const MAX_TREE_DEPTH = 8;

function toOrgAccount(account: Account): OrgAccount | undefined {
  if (account.Id === undefined) return undefined;
  return {
    accountId: account.Id,
    name: account.Name ?? account.Id,
    state: accountState(account),
    ...(account.JoinedTimestamp === undefined ? {} : { joinedAt: account.JoinedTimestamp }),
    ...(account.JoinedMethod === undefined ? {} : { joinedMethod: account.JoinedMethod }),
  };
}

/** Every account of the organization, whatever its state (ListAccounts, all pages). */
export async function listAllAccounts(client: OrganizationsClient): Promise<OrgAccount[]> {
  const accounts: OrgAccount[] = [];
  for await (const page of paginateListAccounts({ client, pageSize: ORGANIZATIONS_PAGE_SIZE }, {})) {
    for (const account of page.Accounts ?? []) {
      const parsed = toOrgAccount(account);
      if (parsed !== undefined) accounts.push(parsed);
    }
  }
  return accounts;
}

/**
 * The given accounts (DescribeAccount each).
 * @throws UnknownAccountError naming every id the organization does not know
 */
export async function describeAccounts(
  client: OrganizationsClient,
  accountIds: readonly string[],
): Promise<OrgAccount[]> {
  const found: OrgAccount[] = [];
  const unknown: string[] = [];
  await forEachLimited(accountIds, ORGANIZATIONS_CONCURRENCY, async (accountId) => {
    try {
      const { Account: account } = await client.send(new DescribeAccountCommand({ AccountId: accountId }));
      const parsed = account === undefined ? undefined : toOrgAccount(account);
      if (parsed === undefined) unknown.push(accountId);
      else found.push(parsed);
    } catch (error) {
      if (error instanceof AccountNotFoundException) unknown.push(accountId);
      else throw error;
    }
  });
  if (unknown.length > 0) throw new UnknownAccountError([...unknown].sort());
  return found;
}

/**
 * Ids of every account in the subtrees of the given OUs or roots: a breadth-first walk down with
 * ListAccountsForParent and ListOrganizationalUnitsForParent, each OU visited once (a target nested in
 * another target is not walked twice). Its cost grows with the OUs and account pages under the
 * targets, not with the accounts asked about: for 10,000 accounts far fewer calls than ListParents
 * per account.
 */
export async function accountsUnder(
  client: OrganizationsClient,
  targetIds: readonly string[],
): Promise<Set<string>> {
  const accounts = new Set<string>();
  const visited = new Set<string>();
  let frontier = [...new Set(targetIds)];
  while (frontier.length > 0) {
    frontier.forEach((id) => visited.add(id));
    const next: string[] = [];
    await forEachLimited(frontier, ORGANIZATIONS_CONCURRENCY, async (parentId) => {
      for await (const page of paginateListAccountsForParent(
        { client, pageSize: ORGANIZATIONS_PAGE_SIZE },
        { ParentId: parentId },
      )) {
        for (const account of page.Accounts ?? []) if (account.Id !== undefined) accounts.add(account.Id);
      }
      for await (const page of paginateListOrganizationalUnitsForParent(
        { client, pageSize: ORGANIZATIONS_PAGE_SIZE },
        { ParentId: parentId },
      )) {
        for (const ou of page.OrganizationalUnits ?? []) if (ou.Id !== undefined) next.push(ou.Id);
      }
    });
    frontier = [...new Set(next)].filter((id) => !visited.has(id));
  }
  return accounts;
}

/**
 * Ids of the given accounts that are in the subtree of one of the targets: a walk up from each account
 * with ListParents (an account or OU has exactly one parent) until a target or the root.
 */
export async function accountsUnderByParents(
  client: OrganizationsClient,
  accountIds: readonly string[],
  targetIds: readonly string[],
): Promise<Set<string>> {
  const targets = new Set(targetIds);
  const inside = new Set<string>();
  await forEachLimited(accountIds, ORGANIZATIONS_CONCURRENCY, async (accountId) => {
    let childId = accountId;
    for (let level = 0; level < MAX_TREE_DEPTH; level += 1) {
      const parent = await firstParent(client, childId);
      if (parent === undefined) return;
      if (targets.has(parent.id)) {
        inside.add(accountId);
        return;
      }
      if (parent.type === 'ROOT') return;
      childId = parent.id;
    }
  });
  return inside;
}

async function firstParent(
  client: OrganizationsClient,
  childId: string,
): Promise<{ id: string; type: string } | undefined> {
  for await (const page of paginateListParents({ client }, { ChildId: childId })) {
    const parent = page.Parents?.[0];
    if (parent?.Id !== undefined) return { id: parent.Id, type: parent.Type ?? 'ORGANIZATIONAL_UNIT' };
  }
  return undefined;
}

/** Run `task` over `items` with at most `limit` in flight; the first failure rejects. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await task(item);
    }
  });
  await Promise.all(lanes);
}
