import {
  AccountNotFoundException,
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

/** One account of a fake organization. */
export interface FakeAccount {
  readonly Id: string;
  readonly Name: string;
  /** Parent OU or root id. */
  readonly parent: string;
  readonly State?: string;
  readonly Status?: string;
  readonly JoinedTimestamp?: Date;
  /** How it joined: `CREATED` or `INVITED` (Organizations `Account.JoinedMethod`). */
  readonly JoinedMethod?: 'CREATED' | 'INVITED';
}

/** A fake organization: a root, OUs by parent, accounts. */
export interface FakeOrgTree {
  readonly rootId: string;
  /** OU id → parent id (an OU or the root). */
  readonly ous: Readonly<Record<string, string>>;
  readonly accounts: readonly FakeAccount[];
}

/**
 * The Organizations API of a fake organization on aws-sdk-client-mock: real SDK clients and paginators,
 * answers computed from the tree. Every list call returns at most `pageSize` items per page with a
 * NextToken, as Organizations does (its MaxResults defaults are small), so pagination is exercised.
 */
export function mockOrganization(tree: FakeOrgTree, pageSize = 2): AwsClientStub<OrganizationsClient> {
  const mock = mockClient(OrganizationsClient);
  const page = <T>(items: readonly T[], token: string | undefined) => {
    const start = token === undefined ? 0 : Number(token.replace('page-', ''));
    const end = start + pageSize;
    return { items: items.slice(start, end), next: end < items.length ? `page-${end}` : undefined };
  };
  const asAccount = (a: FakeAccount): Account => ({
    Id: a.Id,
    Name: a.Name,
    Arn: `arn:aws:organizations::999999999999:account/o-fake123456/${a.Id}`,
    ...(a.State === undefined ? {} : { State: a.State as Account['State'] }),
    ...(a.Status === undefined ? {} : { Status: a.Status as Account['Status'] }),
    ...(a.JoinedTimestamp === undefined ? {} : { JoinedTimestamp: a.JoinedTimestamp }),
    ...(a.JoinedMethod === undefined ? {} : { JoinedMethod: a.JoinedMethod }),
  });
  mock.on(ListAccountsCommand).callsFake((input: { NextToken?: string }) => {
    const { items, next } = page(tree.accounts, input.NextToken);
    return { Accounts: items.map(asAccount), NextToken: next };
  });
  mock.on(ListAccountsForParentCommand).callsFake((input: { ParentId: string; NextToken?: string }) => {
    const { items, next } = page(
      tree.accounts.filter((a) => a.parent === input.ParentId),
      input.NextToken,
    );
    return { Accounts: items.map(asAccount), NextToken: next };
  });
  mock
    .on(ListOrganizationalUnitsForParentCommand)
    .callsFake((input: { ParentId: string; NextToken?: string }) => {
      const children = Object.entries(tree.ous)
        .filter(([, parent]) => parent === input.ParentId)
        .map(([id]) => ({ Id: id, Name: id }));
      const { items, next } = page(children, input.NextToken);
      return { OrganizationalUnits: items, NextToken: next };
    });
  mock.on(ListParentsCommand).callsFake((input: { ChildId: string }) => {
    const parent = tree.accounts.find((a) => a.Id === input.ChildId)?.parent ?? tree.ous[input.ChildId];
    if (parent === undefined) throw new Error(`fake organization: no child ${input.ChildId}`);
    return {
      Parents: [{ Id: parent, Type: parent === tree.rootId ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }],
    };
  });
  mock.on(DescribeAccountCommand).callsFake((input: { AccountId: string }) => {
    const account = tree.accounts.find((a) => a.Id === input.AccountId);
    if (account === undefined) {
      throw new AccountNotFoundException({
        message: "You specified an account that doesn't exist.",
        $metadata: { httpStatusCode: 400 },
      });
    }
    return { Account: asAccount(account) };
  });
  return mock;
}
