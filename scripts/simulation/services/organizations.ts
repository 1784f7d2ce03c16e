import { jsonAnswer, jsonBody, jsonError, rpcOperationOf, toResponse, type SimAnswer } from './protocol';
import type { SimulatedService } from './service';

/** One account of the simulated organization, as Organizations describes it. */
export interface OrgMember {
  readonly id: string;
  readonly name: string;
  /** Its OU, or the root. */
  readonly parentId: string;
  readonly joinedAt: Date;
  readonly joinedMethod: 'CREATED' | 'INVITED';
  /** @default ACTIVE */
  readonly state?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
}

/** The organization's tree: its root, its OUs (id to parent id and name), its accounts (mutable). */
export interface OrgTree {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly rootId: string;
  readonly ous: Readonly<Record<string, { readonly name: string; readonly parentId: string }>>;
  readonly accounts: OrgMember[];
}

/** Organizations list operations answer at most 20 items a page (API reference, MaxResults 1-20). */
const MAX_PAGE = 20;

function accountShape(tree: OrgTree, a: OrgMember) {
  const state = a.state ?? 'ACTIVE';
  return {
    Id: a.id,
    Arn: `arn:aws:organizations::${tree.managementAccountId}:account/${tree.organizationId}/${a.id}`,
    Email: `aws+${a.name}@example.com`,
    Name: a.name,
    Status: state === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED',
    State: state,
    JoinedMethod: a.joinedMethod,
    // awsJson1_1 timestamps are epoch seconds.
    JoinedTimestamp: a.joinedAt.getTime() / 1000,
  };
}

/** One page of `items` under `key`, from the request's NextToken (an offset) and MaxResults. */
function page(key: string, items: readonly unknown[], params: Record<string, unknown>): SimAnswer {
  const start = Number(params.NextToken ?? 0);
  const size = Math.min(MAX_PAGE, Number(params.MaxResults ?? MAX_PAGE));
  const end = start + size;
  return jsonAnswer({
    [key]: items.slice(start, end),
    ...(end < items.length ? { NextToken: String(end) } : {}),
  });
}

/**
 * AWS Organizations (awsJson1_1) over a simulated tree: what the sweep planner reads through the
 * organization's delegation policy.
 */
export function organizationsService(tree: OrgTree): SimulatedService {
  const parentOf = (childId: string): string | undefined =>
    tree.accounts.find((a) => a.id === childId)?.parentId ?? tree.ous[childId]?.parentId;
  const answers: Record<string, (params: Record<string, unknown>) => SimAnswer> = {
    ListAccounts: (p) =>
      page(
        'Accounts',
        tree.accounts.map((a) => accountShape(tree, a)),
        p,
      ),
    ListAccountsForParent: (p) =>
      page(
        'Accounts',
        tree.accounts.filter((a) => a.parentId === p.ParentId).map((a) => accountShape(tree, a)),
        p,
      ),
    ListOrganizationalUnitsForParent: (p) =>
      page(
        'OrganizationalUnits',
        Object.entries(tree.ous)
          .filter(([, ou]) => ou.parentId === p.ParentId)
          .map(([id, ou]) => ({
            Id: id,
            Name: ou.name,
            Arn: `arn:aws:organizations::${tree.managementAccountId}:ou/${tree.organizationId}/${id}`,
          })),
        p,
      ),
    ListParents: (p) => {
      const parentId = parentOf(String(p.ChildId));
      if (parentId === undefined) {
        return jsonError(
          400,
          'ChildNotFoundException',
          `We can't find a child with ID ${String(p.ChildId)}.`,
        );
      }
      return jsonAnswer({
        Parents: [{ Id: parentId, Type: parentId === tree.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }],
      });
    },
    DescribeAccount: (p) => {
      const account = tree.accounts.find((a) => a.id === p.AccountId);
      return account === undefined
        ? jsonError(400, 'AccountNotFoundException', `You specified an account that doesn't exist.`)
        : jsonAnswer({ Account: accountShape(tree, account) });
    },
  };
  return {
    name: 'organizations',
    file: 'scripts/simulation/services/organizations.ts',
    operations: Object.keys(answers),
    operationOf: rpcOperationOf,
    answer: (operation, request) => {
      const answer = answers[operation];
      if (answer === undefined) throw new Error(`organizations: no answer for ${operation}`);
      return Promise.resolve(toResponse(answer(jsonBody(request))));
    },
  };
}
