import {
  DescribeAccountCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlannerSettings } from '../../../functions/sweep-planner/env';
import { InvalidSweepInputError, UnknownAccountError } from '../../../functions/sweep-planner/errors';
import { createPlanner } from '../../../functions/sweep-planner/plan';
import { INLINE_ITEMS_MAX, type SweepAccountItem } from '../../../functions/contract/sweep';
import { mockOrganization, type FakeAccount, type FakeOrgTree } from './fake-organization';

const NOW = new Date('2026-12-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const ROOT = 'r-ab12';
const PROD = 'ou-ab12-prod0001';
const TEAM = 'ou-ab12-team0001';
const DEEP = 'ou-ab12-deep0001';
const SANDBOX = 'ou-ab12-sand0001';

/**
 * root ─ management (999…), pending-closure (666…)
 *  ├─ prod (rollout) ─ 111… active, 555… suspended, 777… Status-only ACTIVE, 888… CLOSED with a stale Status
 *  │   └─ team ─ 333… (excluded)
 *  │       └─ deep ─ 222…
 *  └─ sandbox ─ 444…, 123… (joined 2 h ago)
 */
const tree: FakeOrgTree = {
  rootId: ROOT,
  ous: { [PROD]: ROOT, [TEAM]: PROD, [DEEP]: TEAM, [SANDBOX]: ROOT },
  accounts: [
    {
      Id: '999999999999',
      Name: 'management',
      parent: ROOT,
      State: 'ACTIVE',
      JoinedTimestamp: hoursAgo(9000),
    },
    { Id: '111111111111', Name: 'prod', parent: PROD, State: 'ACTIVE', JoinedTimestamp: hoursAgo(500) },
    { Id: '222222222222', Name: 'deep', parent: DEEP, State: 'ACTIVE', JoinedTimestamp: hoursAgo(400) },
    { Id: '333333333333', Name: 'excluded', parent: TEAM, State: 'ACTIVE', JoinedTimestamp: hoursAgo(300) },
    { Id: '444444444444', Name: 'sandbox', parent: SANDBOX, State: 'ACTIVE', JoinedTimestamp: hoursAgo(200) },
    { Id: '555555555555', Name: 'suspended', parent: PROD, State: 'SUSPENDED', Status: 'SUSPENDED' },
    {
      Id: '666666666666',
      Name: 'closing',
      parent: ROOT,
      State: 'PENDING_CLOSURE',
      JoinedTimestamp: hoursAgo(1),
    },
    { Id: '777777777777', Name: 'legacy', parent: PROD, Status: 'ACTIVE' },
    { Id: '888888888888', Name: 'closed', parent: PROD, State: 'CLOSED', Status: 'ACTIVE' },
    { Id: '123456789012', Name: 'newcomer', parent: SANDBOX, State: 'ACTIVE', JoinedTimestamp: hoursAgo(2) },
    // Enough ACTIVE accounts (13) that placing them costs less by walking down than by ListParents.
    ...Array.from({ length: 6 }, (_, i) => ({
      Id: `00000000000${i}`,
      Name: `filler-${i}`,
      parent: SANDBOX,
      State: 'ACTIVE',
      JoinedTimestamp: hoursAgo(1000),
    })),
  ],
};
const named = (items: readonly SweepAccountItem[]) => items.filter((i) => !i.name.startsWith('filler-'));

const settings: PlannerSettings = {
  bucketName: 'org-mfa-watch-sweep-222222222222',
  rolloutTargetIds: [PROD],
  excludedAccountIds: ['333333333333'],
  managementAccountId: '999999999999',
  joinedWithinHours: 24,
  rollout: {
    readerRoleArn: 'arn:aws:iam::999999999999:role/org-mfa-watch-rollout-reader',
    stackSetName: 'org-mfa-watch-member',
    callAs: 'SELF',
    region: 'us-east-1',
  },
};

const s3 = mockClient(S3Client);
let org: ReturnType<typeof mockOrganization>;
const silent = { info: () => undefined, warn: () => undefined };

function planner(overrides: Partial<PlannerSettings> = {}) {
  return createPlanner({
    settings: { ...settings, ...overrides },
    organizations: new OrganizationsClient({ region: 'us-east-1' }),
    s3: new S3Client({ region: 'us-east-1' }),
    logger: silent,
    now: () => NOW,
  });
}

function writtenItems(): SweepAccountItem[] {
  const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
  return JSON.parse(put?.Body as string) as SweepAccountItem[];
}

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});
afterEach(() => {
  org.restore();
});

describe('a full sweep (scheduled or on demand without account ids)', () => {
  beforeEach(() => {
    org = mockOrganization(tree);
  });

  it('lists every ACTIVE account through every page, with its coverage, and writes one JSON array to S3', async () => {
    const plan = await planner()({ sweepId: 'daily-2026-12-01', input: { mode: 'scheduled' } });
    const coverage = Object.fromEntries(named(writtenItems()).map((i) => [i.accountId, i.coverage]));
    expect(coverage).toEqual({
      '111111111111': 'stackset',
      '123456789012': 'outside-rollout',
      '222222222222': 'stackset', // two OUs below the rollout OU
      '333333333333': 'excluded',
      '444444444444': 'outside-rollout',
      '777777777777': 'stackset', // no State in the answer: Status ACTIVE
      '999999999999': 'management-stack',
    });
    // 16 accounts, 2 per page: every NextToken followed; each call asks for the largest page (20).
    expect(org.commandCalls(ListAccountsCommand)).toHaveLength(8);
    for (const call of org.commandCalls(ListAccountsCommand)) expect(call.args[0].input.MaxResults).toBe(20);
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put).toMatchObject({
      Bucket: settings.bucketName,
      Key: 'sweeps/daily-2026-12-01/accounts.json',
      ContentType: 'application/json',
    });
    // The bucket's default encryption applies: no per-object SSE override.
    expect(put).not.toHaveProperty('ServerSideEncryption');
    expect(plan).toEqual({
      sweepId: 'daily-2026-12-01',
      mode: 'scheduled',
      fullSweep: true,
      bucket: settings.bucketName,
      key: 'sweeps/daily-2026-12-01/accounts.json',
      count: 13,
      items: writtenItems(),
    });
  });

  it('walks down from the rollout OU (ListOrganizationalUnitsForParent + ListAccountsForParent), never ListParents', async () => {
    await planner()({ sweepId: 's1', input: { mode: 'on-demand' } });
    const walked = org
      .commandCalls(ListOrganizationalUnitsForParentCommand)
      .map((c) => c.args[0].input.ParentId);
    expect(walked.sort()).toEqual([DEEP, PROD, TEAM].sort());
    expect(org.commandCalls(ListParentsCommand)).toHaveLength(0);
    // The sandbox is never walked: it is not under a rollout target.
    expect(org.commandCalls(ListAccountsForParentCommand).map((c) => c.args[0].input.ParentId)).not.toContain(
      SANDBOX,
    );
  });

  it('walks a rollout OU nested in another rollout OU once', async () => {
    await planner({ rolloutTargetIds: [PROD, TEAM] })({ sweepId: 's1', input: { mode: 'on-demand' } });
    const walked = org
      .commandCalls(ListOrganizationalUnitsForParentCommand)
      .map((c) => c.args[0].input.ParentId);
    expect(walked.filter((id) => id === TEAM)).toHaveLength(1);
  });

  it('marks the accounts in or below an enforcement OU (issue 23), and no other; none configured: none', async () => {
    await planner({ enforcementOuIds: [TEAM, SANDBOX] })({ sweepId: 's1', input: { mode: 'scheduled' } });
    const marked = named(writtenItems())
      .filter((i) => i.inEnforcementOus === true)
      .map((i) => i.accountId)
      .sort();
    // team (333, excluded but still in the OU), deep below team (222), sandbox (444, 123).
    expect(marked).toEqual(['123456789012', '222222222222', '333333333333', '444444444444']);
    s3.reset();
    s3.on(PutObjectCommand).resolves({});
    await planner()({ sweepId: 's2', input: { mode: 'scheduled' } });
    expect(writtenItems().some((i) => i.inEnforcementOus !== undefined)).toBe(false);
  });

  it('places a small organization with ListParents instead (fewer calls)', async () => {
    org.restore();
    org = mockOrganization({ ...tree, accounts: tree.accounts.filter((a) => !a.Name.startsWith('filler-')) });
    await planner()({ sweepId: 's1', input: { mode: 'scheduled' } });
    expect(org.commandCalls(ListOrganizationalUnitsForParentCommand)).toHaveLength(0);
    expect(org.commandCalls(ListParentsCommand).length).toBeGreaterThan(0);
    expect(named(writtenItems()).find((i) => i.accountId === '222222222222')?.coverage).toBe('stackset');
  });

  it('treats every account as in the rollout when the root is a target, without walking the tree', async () => {
    await planner({ rolloutTargetIds: [ROOT] })({ sweepId: 's1', input: { mode: 'scheduled' } });
    const coverage = Object.fromEntries(writtenItems().map((i) => [i.accountId, i.coverage]));
    expect(coverage['444444444444']).toBe('stackset');
    expect(coverage['333333333333']).toBe('excluded');
    expect(coverage['999999999999']).toBe('management-stack');
    expect(org.commandCalls(ListOrganizationalUnitsForParentCommand)).toHaveLength(0);
    expect(org.commandCalls(ListAccountsForParentCommand)).toHaveLength(0);
  });

  it('skips SUSPENDED, PENDING_CLOSURE and CLOSED accounts, and does not list them in the plan', async () => {
    const plan = await planner()({ sweepId: 's1', input: { mode: 'scheduled' } });
    const ids = writtenItems().map((i) => i.accountId);
    for (const id of ['555555555555', '666666666666', '888888888888']) expect(ids).not.toContain(id);
    expect(plan.skipped).toBeUndefined();
  });

  it(`passes the items inline only up to ${INLINE_ITEMS_MAX}`, async () => {
    org.restore();
    const many: FakeAccount[] = Array.from({ length: INLINE_ITEMS_MAX + 1 }, (_, i) => ({
      Id: String(100000000000 + i),
      Name: `a${i}`,
      parent: PROD,
      State: 'ACTIVE',
    }));
    org = mockOrganization({ ...tree, accounts: many }, 20);
    const plan = await planner()({ sweepId: 's1', input: { mode: 'scheduled' } });
    expect(plan.count).toBe(INLINE_ITEMS_MAX + 1);
    expect(plan.items).toBeUndefined();
    expect(writtenItems()).toHaveLength(INLINE_ITEMS_MAX + 1);
  });
});

describe('a sweep of given accounts', () => {
  beforeEach(() => {
    org = mockOrganization(tree);
  });

  it('describes each account and places it with ListParents, without listing the organization', async () => {
    const plan = await planner()({
      sweepId: 'one',
      input: { mode: 'on-demand', accountIds: ['222222222222', '444444444444', '222222222222'] },
    });
    expect(plan.fullSweep).toBe(false);
    expect(writtenItems()).toEqual([
      {
        accountId: '222222222222',
        name: 'deep',
        coverage: 'stackset',
        joinedAt: hoursAgo(400).toISOString(),
      },
      {
        accountId: '444444444444',
        name: 'sandbox',
        coverage: 'outside-rollout',
        joinedAt: hoursAgo(200).toISOString(),
      },
    ]);
    expect(org.commandCalls(DescribeAccountCommand)).toHaveLength(2); // the repeated id once
    expect(org.commandCalls(ListAccountsCommand)).toHaveLength(0);
    // 222…: deep → team → prod (a target): 3 calls; 444…: sandbox → root: 2 calls.
    expect(org.commandCalls(ListParentsCommand)).toHaveLength(5);
  });

  it('names every unknown account id in one clear error', async () => {
    const error = await planner()({
      sweepId: 'one',
      input: { mode: 'on-demand', accountIds: ['111111111111', '010101010101', '020202020202'] },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownAccountError);
    expect((error as UnknownAccountError).accountIds).toEqual(['010101010101', '020202020202']);
    expect((error as Error).message).toContain('010101010101, 020202020202 are not in the organization');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('does not sweep an asked-for account that is not ACTIVE, and says so in the plan', async () => {
    const plan = await planner()({
      sweepId: 'one',
      input: { mode: 'on-demand', accountIds: ['555555555555'] },
    });
    expect(plan.count).toBe(0);
    expect(plan.items).toEqual([]);
    expect(plan.skipped).toEqual([{ accountId: '555555555555', state: 'SUSPENDED' }]);
    expect(writtenItems()).toEqual([]);
  });
});

describe('a joined sweep', () => {
  beforeEach(() => {
    org = mockOrganization(tree);
  });

  it('sweeps the ACTIVE accounts that joined within JOINED_WITHIN_HOURS when no id is given', async () => {
    const plan = await planner()({ sweepId: 'joined-1', input: { mode: 'joined' } });
    expect(plan).toMatchObject({ mode: 'joined', fullSweep: false, count: 1 });
    expect(writtenItems().map((i) => [i.accountId, i.coverage])).toEqual([
      ['123456789012', 'outside-rollout'],
    ]);
    // 666… joined an hour ago but is closing: not swept, and reported.
    expect(plan.skipped).toEqual([{ accountId: '666666666666', state: 'PENDING_CLOSURE' }]);
    expect(plan.items).toHaveLength(1);
  });

  // A created account fires CreateAccountResult (its rule names the account) and AccountJoinedOrganization
  // with joinedMethod CREATED (AWS Organizations API Reference, "AcceptHandshake" and the "Account" data
  // type, JoinedMethod INVITED | CREATED, https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html).
  // Each joining account is swept once: by its CreateAccountResult when created, by the
  // AccountJoinedOrganization sweep (no ids) when invited.
  describe('sweeps each joining account once', () => {
    const withMethods: FakeOrgTree = {
      ...tree,
      accounts: [
        ...tree.accounts.map((a) =>
          a.Id === '123456789012' ? { ...a, JoinedMethod: 'CREATED' as const } : a,
        ),
        {
          Id: '121212121212',
          Name: 'invitee',
          parent: SANDBOX,
          State: 'ACTIVE',
          JoinedTimestamp: hoursAgo(3),
          JoinedMethod: 'INVITED' as const,
        },
      ],
    };
    beforeEach(() => {
      org = mockOrganization(withMethods);
    });

    it('a joined sweep naming accounts (CreateAccountResult) sweeps those accounts only', async () => {
      const plan = await planner()({
        sweepId: 'joined-created',
        input: { mode: 'joined', accountIds: ['123456789012'] },
      });
      expect(writtenItems().map((i) => i.accountId)).toEqual(['123456789012']);
      expect(plan).toMatchObject({ count: 1 });
      expect(plan.skipped).toBeUndefined();
    });

    it('a joined sweep without ids (AccountJoinedOrganization) leaves created accounts to their own sweep', async () => {
      await planner()({ sweepId: 'joined-invited', input: { mode: 'joined' } });
      expect(writtenItems().map((i) => i.accountId)).toEqual(['121212121212']);
    });
  });

  it('rejects a given id that is not in the organization', async () => {
    await expect(
      planner()({ sweepId: 'joined-1', input: { mode: 'joined', accountIds: ['010101010101'] } }),
    ).rejects.toThrow(UnknownAccountError);
  });

  it('widens the window with JOINED_WITHIN_HOURS', async () => {
    await planner({ joinedWithinHours: 250 })({ sweepId: 'joined-2', input: { mode: 'joined' } });
    expect(writtenItems().map((i) => i.accountId)).toEqual(['123456789012', '444444444444']);
  });
});

describe('invalid input', () => {
  beforeEach(() => {
    org = mockOrganization(tree);
  });

  it.each([
    [{ sweepId: 'a/b', input: { mode: 'scheduled' } }, 'sweepId'],
    [{ sweepId: 's', input: { mode: 'hourly' } }, 'input.mode'],
    [{ sweepId: 's', input: { mode: 'on-demand', accountIds: ['12345'] } }, 'input.accountIds.0'],
    [{ sweepId: 's', input: { mode: 'on-demand', accountIds: [] } }, 'input.accountIds'],
    [{ sweepId: 's' }, 'input'],
  ])('%j is rejected naming %s, before any AWS call', async (raw, field) => {
    const error = await planner()(raw).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSweepInputError);
    expect((error as InvalidSweepInputError).field).toBe(field);
    expect(org.calls()).toHaveLength(0);
  });
});
