import { describe, expect, it } from 'vitest';
import type { Finding } from '../../functions/core/finding-store';
import { formatJson, formatTable } from '../../scripts/findings/format';

// Issue 23, item 6: every attach and detach (who, when, why) is shown in `npm run findings`.

const NOW = new Date('2026-12-07T13:00:00.000Z');
const ADMIN = 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com';
const ATTACH = { at: '2026-12-04T09:05:00.000Z', by: 'sweep:2026-12-04', reason: 'USER_NO_MFA open 72 h' };
const RELEASE = { at: '2026-12-07T12:30:00.000Z', by: ADMIN, reason: 'travelling, enrols Monday' };

const finding = (overrides: Partial<Finding>): Finding => ({
  findingId: 'f-0123456789abcdef0123',
  accountId: '123456789012',
  kind: 'USER_NO_MFA',
  subject: 'contractor.kim',
  state: 'OPEN',
  severity: 'HIGH',
  detail: 'NO_MFA_CONSOLE',
  source: 'sweep',
  firstSeen: '2026-12-01T09:00:00.000Z',
  openedAt: '2026-12-01T09:00:00.000Z',
  lastSeen: '2026-12-07T09:00:00.000Z',
  reopenCount: 0,
  previousNames: [],
  version: 1,
  ...overrides,
});

const quarantined = finding({
  quarantine: { quarantined: ATTACH, log: [{ action: 'quarantined', ...ATTACH }] },
});
const released = finding({
  findingId: 'f-aaaaaaaaaaaaaaaaaaaa',
  subject: 'dev.lee',
  quarantine: {
    released: RELEASE,
    log: [
      { action: 'quarantined', ...ATTACH },
      { action: 'released', ...RELEASE },
    ],
  },
});

describe('npm run findings with quarantined users', () => {
  it('lists each quarantine with every attach and detach, and how to release', () => {
    const text = formatTable(
      [quarantined, released, finding({ findingId: 'f-bbbbbbbbbbbbbbbbbbbb', subject: 'bob' })],
      NOW,
      { all: false },
    );
    expect(text).toContain('Quarantine (enforcement');
    expect(text).toContain('f-0123456789abcdef0123  123456789012  contractor.kim  QUARANTINED');
    expect(text).toContain('2026-12-04 09:05 UTC  attached by sweep:2026-12-04: USER_NO_MFA open 72 h');
    expect(text).toContain('f-aaaaaaaaaaaaaaaaaaaa  123456789012  dev.lee  released');
    expect(text).toContain(`2026-12-07 12:30 UTC  detached by ${ADMIN}: travelling, enrols Monday`);
    expect(text).toContain('npm run findings -- release <finding id> --reason "..."');
    expect(text).not.toMatch(/bob {2}(QUARANTINED|released)/);
  });

  it('says nothing of quarantine when nobody ever was', () => {
    expect(formatTable([finding({})], NOW, { all: false })).not.toContain('Quarantine');
  });

  it('prints the state and the history in JSON', () => {
    const [q, r] = JSON.parse(formatJson([quarantined, released], NOW)) as { quarantine: unknown }[];
    expect(q?.quarantine).toEqual({
      state: 'QUARANTINED',
      ...ATTACH,
      history: [{ action: 'quarantined', ...ATTACH }],
    });
    expect(r?.quarantine).toEqual({
      state: 'RELEASED',
      ...RELEASE,
      history: [
        { action: 'quarantined', ...ATTACH },
        { action: 'released', ...RELEASE },
      ],
    });
  });
});
