import { describe, expect, it } from 'vitest';
import {
  PARENT_LOOKUP_MAX,
  accountState,
  chooseRolloutLookup,
  coverageOf,
  isActive,
  joinedWithin,
  planItems,
  type CoverageRules,
} from '../../../functions/sweep-planner/coverage';

const MANAGEMENT = '999999999999';
const rules: CoverageRules = {
  managementAccountId: MANAGEMENT,
  excludedAccountIds: new Set(['333333333333']),
};

describe('coverageOf', () => {
  it.each([
    // account, in a rollout subtree, expected
    ['111111111111', true, 'stackset'],
    ['444444444444', false, 'outside-rollout'],
    ['333333333333', true, 'excluded'],
    // Listed in excludeAccountIds but outside every rollout OU: still the operator's deliberate choice.
    ['333333333333', false, 'excluded'],
    // A service-managed StackSet never deploys to the management account, even under a rollout root.
    [MANAGEMENT, true, 'management-stack'],
    [MANAGEMENT, false, 'management-stack'],
  ] as const)('account %s, in rollout %s → %s', (accountId, inRollout, expected) => {
    expect(coverageOf(accountId, inRollout, rules)).toBe(expected);
  });
});

describe('account state (Organizations API reference, Account: State replaces the retired Status)', () => {
  it.each([
    [{ State: 'ACTIVE' }, 'ACTIVE', true],
    [{ State: 'SUSPENDED', Status: 'SUSPENDED' }, 'SUSPENDED', false],
    [{ State: 'PENDING_CLOSURE' }, 'PENDING_CLOSURE', false],
    [{ State: 'CLOSED' }, 'CLOSED', false],
    [{ State: 'PENDING_ACTIVATION' }, 'PENDING_ACTIVATION', false],
    // State wins over a stale Status.
    [{ State: 'CLOSED', Status: 'ACTIVE' }, 'CLOSED', false],
    // Responses without State (older API) fall back to Status.
    [{ Status: 'ACTIVE' }, 'ACTIVE', true],
    [{ Status: 'SUSPENDED' }, 'SUSPENDED', false],
    [{}, 'UNKNOWN', false],
  ])('%j is %s (swept: %s)', (fields, state, active) => {
    expect(accountState(fields)).toBe(state);
    expect(isActive(fields)).toBe(active);
  });
});

describe('joinedWithin', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const account = (joinedAt?: Date) => ({
    accountId: '123456789012',
    name: 'new',
    state: 'ACTIVE',
    ...(joinedAt === undefined ? {} : { joinedAt }),
  });
  it.each([
    [new Date('2026-12-01T11:59:00Z'), true],
    [new Date('2026-11-30T12:00:00Z'), true], // exactly 24 h: still inside
    [new Date('2026-11-30T11:59:59Z'), false],
    [undefined, false],
  ])('joined at %s within 24 h: %s', (joinedAt, expected) => {
    expect(joinedWithin(account(joinedAt), now, 24)).toBe(expected);
  });
});

describe('chooseRolloutLookup', () => {
  it.each([
    [['r-ab12'], 10_000, 'everything'],
    [['ou-ab12-prod0001', 'r-ab12'], 1, 'everything'],
    [['ou-ab12-prod0001'], 1, 'parents'],
    [['ou-ab12-prod0001'], PARENT_LOOKUP_MAX, 'parents'],
    [['ou-ab12-prod0001'], PARENT_LOOKUP_MAX + 1, 'walk'],
    [[], 5, 'parents'],
  ] as const)('targets %j with %i accounts → %s', (targets, count, expected) => {
    expect(chooseRolloutLookup(targets, count)).toBe(expected);
  });
});

describe('planItems', () => {
  it('orders items by account id, with coverage and the join time', () => {
    const items = planItems(
      [
        { accountId: '444444444444', name: 'sandbox', state: 'ACTIVE' },
        {
          accountId: '111111111111',
          name: 'prod',
          state: 'ACTIVE',
          joinedAt: new Date('2026-01-02T03:04:05Z'),
        },
        { accountId: MANAGEMENT, name: 'management', state: 'ACTIVE' },
      ],
      (id) => id === '111111111111',
      rules,
    );
    expect(items).toEqual([
      { accountId: '111111111111', name: 'prod', coverage: 'stackset', joinedAt: '2026-01-02T03:04:05.000Z' },
      { accountId: '444444444444', name: 'sandbox', coverage: 'outside-rollout' },
      { accountId: MANAGEMENT, name: 'management', coverage: 'management-stack' },
    ]);
  });
});

describe('the management account is covered by its own stack, even when listed as excluded (issue 18, item 9)', () => {
  // A service-managed StackSet never deploys to the management account (AWS CloudFormation User Guide,
  // "Create a stack set with service-managed permissions"); OrgMfaWatch-ManagementMember covers it, so an
  // exclusion (often added because "the StackSet does not reach it") must not report it as a gap.
  const excludingManagement: CoverageRules = {
    managementAccountId: MANAGEMENT,
    excludedAccountIds: new Set(['333333333333', MANAGEMENT]),
  };

  it.each([true, false])('in a rollout subtree: %s', (inRollout) => {
    expect(coverageOf(MANAGEMENT, inRollout, excludingManagement)).toBe('management-stack');
  });

  it('in the planned items', () => {
    const items = planItems(
      [
        { accountId: MANAGEMENT, name: 'management', state: 'ACTIVE' },
        { accountId: '333333333333', name: 'legacy', state: 'ACTIVE' },
      ],
      () => true,
      excludingManagement,
    );
    expect(items.map((i) => [i.accountId, i.coverage])).toEqual([
      ['333333333333', 'excluded'],
      [MANAGEMENT, 'management-stack'],
    ]);
  });
});
