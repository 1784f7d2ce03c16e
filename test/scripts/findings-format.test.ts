import { describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/core/finding-store';
import { formatAge, formatJson, formatTable, openForMs } from '../../scripts/findings/format';

const NOW = new Date('2026-11-05T12:00:00.000Z');

const finding = (overrides: Partial<Finding>): Finding => ({
  findingId: 'f-0123456789abcdef0123',
  accountId: '123456789012',
  kind: 'USER_NO_MFA',
  subject: 'contractor.kim',
  state: 'OPEN',
  severity: 'HIGH',
  detail: 'NO_MFA_CONSOLE',
  source: 'event',
  firstSeen: '2026-11-02T09:00:00.000Z',
  openedAt: '2026-11-02T09:00:00.000Z',
  lastSeen: '2026-11-05T09:00:00.000Z',
  reopenCount: 0,
  previousNames: [],
  version: 1,
  ...overrides,
});

const root = finding({
  findingId: 'f-root0000000000000000',
  accountId: '210987654321',
  accountAlias: 'acme-prod',
  kind: 'ROOT_NO_MFA',
  subject: 'root',
  severity: 'CRITICAL',
  openedAt: '2026-11-05T11:15:00.000Z',
  firstSeen: '2026-11-05T11:15:00.000Z',
});

describe('formatAge', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [12 * 60_000, '12m'],
    [(3 * 60 + 20) * 60_000, '3h 20m'],
    [(4 * 24 + 2) * 3_600_000 + 59_000, '4d 2h'],
  ])('writes %s ms as %s', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe('openForMs', () => {
  it('counts an open finding up to now and a resolved one up to its resolution', () => {
    expect(openForMs(finding({}), NOW)).toBe((3 * 24 + 3) * 3_600_000);
    expect(
      openForMs(
        finding({ state: 'RESOLVED', resolvedAt: '2026-11-02T10:30:00.000Z', resolution: 'mfa-enabled' }),
        NOW,
      ),
    ).toBe(90 * 60_000);
  });
});

describe('formatTable', () => {
  it('lists account, alias, user, kind, severity, first seen and age, then a summary', () => {
    expect(formatTable([root, finding({})], NOW, { all: false })).toBe(
      [
        'ACCOUNT       ALIAS      USER            KIND         SEVERITY  FIRST SEEN            AGE',
        '210987654321  acme-prod  (root)          ROOT_NO_MFA  CRITICAL  2026-11-05 11:15 UTC  45m',
        '123456789012  -          contractor.kim  USER_NO_MFA  HIGH      2026-11-02 09:00 UTC  3d 3h',
        '',
        '2 open (1 CRITICAL, 1 HIGH)',
        '',
      ].join('\n'),
    );
  });

  it('adds the state and resolution with --all', () => {
    const fixed = finding({
      subject: 'ops',
      state: 'RESOLVED',
      resolution: 'deleted',
      resolvedAt: '2026-11-03T09:00:00.000Z',
    });
    const text = formatTable([finding({}), fixed], NOW, { all: true });
    expect(text.split('\n')[0]).toMatch(/AGE +STATE$/);
    expect(text).toContain('RESOLVED (deleted)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 open (1 HIGH), 1 recently resolved');
  });

  it('says so when there is nothing to list', () => {
    expect(formatTable([], NOW, { all: false })).toBe('No open findings.\n');
    expect(formatTable([], NOW, { all: true })).toBe('No findings (open or recently resolved).\n');
  });
});

describe('formatJson', () => {
  it('prints one stable object per finding, with nulls for absent fields and the age in seconds', () => {
    const rows = JSON.parse(formatJson([root], NOW)) as unknown;
    expect(rows).toEqual([
      {
        findingId: 'f-root0000000000000000',
        accountId: '210987654321',
        accountAlias: 'acme-prod',
        subject: 'root',
        kind: 'ROOT_NO_MFA',
        severity: 'CRITICAL',
        detail: 'NO_MFA_CONSOLE',
        state: 'OPEN',
        resolution: null,
        firstSeen: '2026-11-05T11:15:00.000Z',
        openedAt: '2026-11-05T11:15:00.000Z',
        lastSeen: '2026-11-05T09:00:00.000Z',
        resolvedAt: null,
        ageSeconds: 45 * 60,
        suppressedUntil: null,
        suppressedBy: null,
        suppressionReason: null,
        quarantine: null,
      },
    ]);
  });

  it('prints an empty array when there is nothing to list', () => {
    expect(formatJson([], NOW)).toBe('[]\n');
  });
});
