import { describe, expect, it } from 'vitest';
import {
  InvalidEnforcementInputError,
  capSweep,
  planAccount,
  type AccountEnforcementScope,
  type EnforcementCandidate,
  type EnforcementDecision,
  type EnforcementSettings,
} from '../../../functions/core/enforcement-plan';
import { planReleases, type QuarantinedFinding } from '../../../functions/core/enforcement-release';
import { RESOLUTION_REASONS } from '../../../functions/contract/findings';

// Issue 23, items 4-6: when the sweep quarantines, releases, and halts. Pure decisions, table-tested.

const A = '333333333333';
const NOW = new Date('2026-12-07T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

const SETTINGS: EnforcementSettings = {
  mode: 'quarantine',
  afterHours: 72,
  includeProgrammaticUsers: false,
  maxPerSweep: 3,
};
const IN_SCOPE: AccountEnforcementScope = { accountId: A, inEnforcementOus: true, inRollout: true };
const candidate = (over: Partial<EnforcementCandidate> = {}): EnforcementCandidate => ({
  findingId: 'f-0123456789abcdef0123',
  accountId: A,
  userName: 'alice',
  openedAt: hoursAgo(72),
  consoleAccess: true,
  root: false,
  exempt: false,
  suppressed: false,
  quarantined: false,
  ...over,
});
const decide = (
  c: Partial<EnforcementCandidate> = {},
  settings: Partial<EnforcementSettings> = {},
  scope: Partial<AccountEnforcementScope> = {},
): EnforcementDecision => {
  const [decision] = planAccount(
    [candidate(c)],
    { ...IN_SCOPE, ...scope },
    { ...SETTINGS, ...settings },
    NOW,
  );
  if (decision === undefined) throw new Error('no decision');
  return decision;
};
const summary = (d: EnforcementDecision) => (d.action === 'skip' ? `skip:${d.reason}` : d.action);

describe('planAccount', () => {
  it('quarantines a console user whose finding has been open exactly afterHours', () => {
    const d = decide();
    expect(d).toMatchObject({ action: 'quarantine', openHours: 72 });
    expect(d.action !== 'skip' && d.reason).toBe('no MFA for 72 h since the alert (enforcement after 72 h)');
  });

  it('does not quarantine one hour before afterHours', () => {
    expect(summary(decide({ openedAt: hoursAgo(71) }))).toBe('skip:not-open-long-enough');
  });

  it('only reports would-quarantine in dry-run', () => {
    expect(summary(decide({}, { mode: 'dry-run' }))).toBe('would-quarantine');
  });

  it.each<
    [
      string,
      Partial<EnforcementCandidate>,
      Partial<EnforcementSettings>,
      Partial<AccountEnforcementScope>,
      string,
    ]
  >([
    ['enforcement off', {}, { mode: 'off' }, {}, 'skip:enforcement-off'],
    ['an account outside the rollout', {}, {}, { inRollout: false }, 'skip:outside-rollout'],
    [
      'an account outside the enforcement OUs',
      {},
      {},
      { inEnforcementOus: false },
      'skip:outside-enforcement-ous',
    ],
    ['the root user', { root: true, userName: 'root' }, {}, {}, 'skip:root'],
    ['an exempt user', { exempt: true }, {}, {}, 'skip:exempt'],
    ['a suppressed finding', { suppressed: true }, {}, {}, 'skip:suppressed'],
    ['a programmatic user', { consoleAccess: false }, {}, {}, 'skip:programmatic-user'],
    [
      'a programmatic user when they are included',
      { consoleAccess: false },
      { includeProgrammaticUsers: true },
      {},
      'quarantine',
    ],
    ['a user already quarantined', { quarantined: true }, {}, {}, 'skip:already-quarantined'],
    [
      'a user released by hand 71 h ago',
      { releasedByHandAt: hoursAgo(71) },
      {},
      {},
      'skip:released-by-hand-recently',
    ],
    ['a user released by hand 72 h ago', { releasedByHandAt: hoursAgo(72) }, {}, {}, 'quarantine'],
    [
      'root even in dry-run with programmatic users included',
      { root: true },
      { mode: 'dry-run', includeProgrammaticUsers: true },
      {},
      'skip:root',
    ],
  ])('%s: %s', (_name, c, settings, scope, expected) => {
    expect(summary(decide(c, settings, scope))).toBe(expected);
  });

  it.each([
    [
      { accountId: '444444444444' },
      'enforcement input accountId: expected 333333333333 (the account planned), got 444444444444',
    ],
    [{ openedAt: 'yesterday' }, 'enforcement input openedAt: expected an ISO time, got "yesterday"'],
    [{ releasedByHandAt: '' }, 'enforcement input releasedByHandAt: expected an ISO time, got ""'],
  ])('refuses %j', (c, message) => {
    expect(() => decide(c)).toThrow(InvalidEnforcementInputError);
    expect(() => decide(c)).toThrow(message);
  });
});

describe('capSweep', () => {
  const due = (n: number, account = A) =>
    planAccount(
      Array.from({ length: n }, (_, i) => candidate({ userName: `user${i}`, accountId: account })),
      { ...IN_SCOPE, accountId: account },
      SETTINGS,
      NOW,
    );

  it('lets exactly maxPerSweep quarantines through', () => {
    const plan = capSweep(due(3), SETTINGS);
    expect(plan.halted).toBeUndefined();
    expect(plan.decisions.map(summary)).toEqual(['quarantine', 'quarantine', 'quarantine']);
  });

  it('quarantines nobody and halts with the count and why when the whole sweep is over the cap', () => {
    const decisions = [
      ...due(2),
      ...due(2, '444444444444'),
      ...planAccount([candidate({ root: true })], IN_SCOPE, SETTINGS, NOW),
    ];
    const plan = capSweep(decisions, SETTINGS);
    expect(plan.decisions.map(summary)).toEqual([
      'skip:halted',
      'skip:halted',
      'skip:halted',
      'skip:halted',
      'skip:root',
    ]);
    expect(plan.halted).toMatchObject({
      mode: 'quarantine',
      count: 4,
      maxPerSweep: 3,
      accountIds: [A, '444444444444'],
    });
    expect(plan.halted?.why).toContain(
      '4 users in 2 account(s) are due for quarantine, more than enforcement.maxPerSweep (3): nobody was quarantined',
    );
  });

  it('reports the halt a dry-run would have hit', () => {
    const decisions = planAccount(
      Array.from({ length: 4 }, (_, i) => candidate({ userName: `u${i}` })),
      IN_SCOPE,
      { ...SETTINGS, mode: 'dry-run' },
      NOW,
    );
    const plan = capSweep(decisions, { ...SETTINGS, mode: 'dry-run' });
    expect(plan.halted?.mode).toBe('dry-run');
    expect(plan.decisions.every((d) => d.action === 'skip')).toBe(true);
  });
});

describe('planReleases', () => {
  const SETTINGS_Q = SETTINGS;
  const quarantined = (over: Partial<QuarantinedFinding> = {}): QuarantinedFinding => ({
    findingId: 'f-0123456789abcdef0123',
    accountId: A,
    userName: 'alice',
    state: 'OPEN',
    exempt: false,
    suppressed: false,
    consoleAccess: true,
    ...over,
  });
  const release = (
    f: Partial<QuarantinedFinding>,
    settings: Partial<EnforcementSettings> = {},
    scope: Partial<AccountEnforcementScope> = {},
  ) => planReleases([quarantined(f)], { ...IN_SCOPE, ...scope }, { ...SETTINGS_Q, ...settings })[0];

  it.each(RESOLUTION_REASONS)('releases a finding resolved as %s', (resolution) => {
    expect(release({ state: 'RESOLVED', resolution })).toMatchObject({ release: true, cause: resolution });
  });

  it.each<
    [
      string,
      Partial<QuarantinedFinding>,
      Partial<EnforcementSettings>,
      Partial<AccountEnforcementScope>,
      string,
    ]
  >([
    ['an accepted (suppressed) finding', { suppressed: true }, {}, {}, 'suppressed'],
    ['a user who became exempt', { exempt: true }, {}, {}, 'exempt'],
    ['a user who lost the console password', { consoleAccess: false }, {}, {}, 'programmatic-user'],
    [
      'an account taken out of the enforcement OUs',
      {},
      {},
      { inEnforcementOus: false },
      'outside-enforcement-ous',
    ],
    [
      'every user when the mode goes back to dry-run (the emergency stop)',
      {},
      { mode: 'dry-run' },
      {},
      'enforcement-withdrawn',
    ],
  ])('releases %s', (_name, f, settings, scope, cause) => {
    expect(release(f, settings, scope)).toMatchObject({ release: true, cause });
  });

  it('says why in the resolution notice', () => {
    expect(release({ state: 'RESOLVED', resolution: 'mfa-enabled' })).toMatchObject({
      reason: 'quarantine released: the user enabled MFA',
    });
  });

  it('keeps the quarantine of an open, in-scope console user without MFA', () => {
    expect(release({})).toEqual({ release: false, finding: quarantined() });
    expect(release({ consoleAccess: false }, { includeProgrammaticUsers: true })).toMatchObject({
      release: false,
    });
  });
});
