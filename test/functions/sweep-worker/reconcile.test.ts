import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../functions/core/finding-store';
import type { CredentialReport, ReportUser } from '../../../functions/sweep-worker/credential-report';
import { decideAccount, planReads } from '../../../functions/sweep-worker/reconcile';

const ACCOUNT = '111122223333';
const NOW = new Date('2026-10-05T10:00:00Z');

function row(userName: string, mfaActive: boolean, createdAt = '2024-01-01T00:00:00Z'): ReportUser {
  return {
    userName,
    arn: `arn:aws:iam::${ACCOUNT}:user/${userName}`,
    path: '/',
    createdAt: new Date(createdAt),
    passwordEnabled: true,
    mfaActive,
  };
}

function open(kind: Finding['kind'], subject: string): Finding {
  return {
    findingId: `f-${subject}`,
    accountId: ACCOUNT,
    kind,
    subject,
    state: 'OPEN',
    severity: 'HIGH',
    source: 'event',
    firstSeen: '2026-10-01T00:00:00.000Z',
    openedAt: '2026-10-01T00:00:00.000Z',
    lastSeen: '2026-10-01T00:00:00.000Z',
    reopenCount: 0,
    previousNames: [],
    version: 1,
  };
}

describe('planReads', () => {
  it('reads report candidates and users with open findings, never users in their grace period', () => {
    const report: CredentialReport = {
      users: [row('a', false), row('b', true), row('new', false, '2026-10-05T09:00:00Z'), row('Carol', true)],
      root: { mfaActive: true },
    };
    const plan = planReads({
      report,
      open: [open('USER_NO_MFA', 'carol'), open('USER_NO_MFA', 'gone'), open('USER_NO_MFA', 'new')],
      now: NOW,
      gracePeriodHours: 24,
    });
    expect(plan.users.map((u) => [u.userName, u.row !== undefined])).toEqual([
      ['a', true],
      ['Carol', true],
      ['gone', false],
    ]);
    expect([...plan.inGracePeriod]).toEqual(['new']);
    expect(plan.readRoot).toBe(false);
  });

  it('reads root when the report says no root MFA, when a root finding is open, or without a root row', () => {
    const base = { now: NOW, gracePeriodHours: 0 };
    expect(planReads({ ...base, report: { users: [], root: { mfaActive: false } }, open: [] }).readRoot).toBe(
      true,
    );
    expect(
      planReads({
        ...base,
        report: { users: [], root: { mfaActive: true } },
        open: [open('ROOT_NO_MFA', 'root')],
      }).readRoot,
    ).toBe(true);
    expect(planReads({ ...base, report: { users: [] }, open: [] }).readRoot).toBe(true);
  });
});

describe('decideAccount', () => {
  const base = { accountId: ACCOUNT, now: NOW, exemptions: [], trustExemptionTags: false, users: [] };

  it('resolves an open ACCOUNT_NOT_COVERED (the role was assumed) and keeps what it could not confirm', () => {
    const operations = decideAccount({
      ...base,
      open: [open('ACCOUNT_NOT_COVERED', 'account'), open('FORWARDING_BROKEN', 'account')],
    });
    expect(
      operations.map((o) => [
        o.op,
        'finding' in o ? o.finding.kind : o.ref.kind,
        'reason' in o ? o.reason : '-',
      ]),
    ).toEqual([
      ['resolve', 'ACCOUNT_NOT_COVERED', 'role-reachable'],
      ['keep', 'FORWARDING_BROKEN', '-'],
    ]);
  });

  it('resolves root findings as console-removed when root has no password any more', () => {
    const operations = decideAccount({
      ...base,
      open: [open('ROOT_NO_MFA', 'root')],
      root: { mfaEnabled: false, passwordPresent: false },
    });
    expect(operations).toMatchObject([{ op: 'resolve', reason: 'console-removed' }]);
  });

  it('does not resolve a finding for a user not read (no live evidence)', () => {
    const operations = decideAccount({ ...base, open: [open('USER_NO_MFA', 'dave')] });
    expect(operations).toMatchObject([{ op: 'keep' }]);
  });
});

describe('root resolutions carry the right reason (issue 18, item 9)', () => {
  it.each([
    [{ mfaEnabled: true, passwordPresent: true }, 'mfa-enabled'],
    [{ mfaEnabled: true, passwordPresent: false }, 'mfa-enabled'],
    [{ mfaEnabled: false, passwordPresent: false }, 'console-removed'],
  ] as const)('resolves an open root finding when root is %j as %s', (root, reason) => {
    const operations = decideAccount({
      accountId: ACCOUNT,
      now: NOW,
      exemptions: [],
      trustExemptionTags: false,
      users: [],
      open: [open('ROOT_NO_MFA', 'root')],
      root,
    });
    expect(operations).toMatchObject([{ op: 'resolve', reason }]);
  });
});
