import { beforeEach, describe, expect, it } from 'vitest';
import { FindingStore, type Finding } from '../../functions/core/finding-store';
import { FindingSuppressions } from '../../functions/core/finding-suppression';
import { main } from '../../scripts/findings/cli';
import { formatJson, formatTable } from '../../scripts/findings/format';
import { parseSuppressCommand } from '../../scripts/findings/suppress';
import { UsageError } from '../../scripts/cli';
import { createFindingsTable } from '../../scripts/simulation/dynalite';
import { useDynalite } from '../helpers/store';

// `npm run findings -- suppress | unsuppress` (issue 19, item 8): one-line errors with exit 2, the
// caller's ARN recorded, and the listing that shows accepted findings apart. The store is dynalite.

const NOW = new Date('2026-12-01T09:00:00Z');
const ID = 'f-0123456789abcdef0123';
const CALLER = 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com';

describe('parseSuppressCommand', () => {
  it.each([
    [['suppress', ID, '--until', '2026-12-31'], 'suppress: --reason: expected why the finding is accepted'],
    [['suppress', ID, '--reason', 'x'], 'suppress: --until: expected a date YYYY-MM-DD, got ""'],
    [
      ['suppress', ID, '--reason', 'x', '--until', '2027-03-15'],
      'suppress: --until: at most 90 days ahead (2027-03-01); for a permanent exception add an exemption to the configuration',
    ],
    [['suppress', '--reason', 'x', '--until', '2026-12-31'], 'suppress: expected exactly one finding id'],
    [
      ['suppress', 'alice', '--reason', 'x', '--until', '2026-12-31'],
      'suppress: finding id: expected f- and 20 hex digits',
    ],
    [['unsuppress', ID, '--until', '2026-12-31'], 'unsuppress: --reason and --until only go with suppress'],
    [['suppress', ID, '--forever'], "suppress: Unknown option '--forever'"],
  ])('%j is refused in one line: %s', (argv, message) => {
    expect(() => parseSuppressCommand(argv, NOW)).toThrow(UsageError);
    expect(() => parseSuppressCommand(argv, NOW)).toThrow(message);
  });

  it('reads a complete suppress command', () => {
    expect(
      parseSuppressCommand(['suppress', ID, '--reason', ' vendor box ', '--until', '2026-12-31'], NOW),
    ).toMatchObject({
      action: 'suppress',
      findingId: ID,
      until: '2026-12-31',
      reason: 'vendor box',
    });
  });
});

describe('npm run findings -- suppress | unsuppress', () => {
  const dynamo = useDynalite();
  let tableName: string;
  let store: FindingStore;
  let findingId: string;
  beforeEach(async () => {
    tableName = await createFindingsTable(dynamo.client, 'cli-suppress');
    store = new FindingStore({ client: dynamo.client, tableName });
    ({
      finding: { findingId },
    } = await store.observeProblem({
      accountId: '111111111111',
      kind: 'USER_NO_MFA',
      userName: 'alice',
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'sweep',
      now: NOW,
    }));
  });

  async function run(argv: string[]) {
    let out = '';
    let err = '';
    const code = await main(argv, {
      out: (t) => (out += t),
      err: (t) => (err += t),
      now: () => NOW,
      readText: () => {
        throw new Error('no config file in this test');
      },
      callerArn: () => Promise.resolve(CALLER),
      suppressions: () => new FindingSuppressions({ client: dynamo.client, tableName }),
    });
    return { code, out, err };
  }

  it('records the caller ARN and the reason, says so in one line, and unsuppress ends it', async () => {
    const done = await run([
      'suppress',
      findingId,
      '--reason',
      'owner on leave',
      '--until',
      '2026-12-20',
      '--region',
      'us-east-1',
    ]);
    expect(done).toEqual({
      code: 0,
      out: `suppressed ${findingId} (USER_NO_MFA "alice" in 111111111111) until 2026-12-20 by ${CALLER}: owner on leave\n`,
      err: '',
    });
    const stored = await store.getFinding({
      accountId: '111111111111',
      kind: 'USER_NO_MFA',
      userName: 'alice',
    });
    expect(stored?.suppression).toEqual({
      until: '2026-12-20',
      reason: 'owner on leave',
      by: CALLER,
      at: NOW.toISOString(),
    });

    const lifted = await run(['unsuppress', findingId, '--region', 'us-east-1']);
    expect(lifted.code).toBe(0);
    expect(lifted.out).toContain(`unsuppressed ${findingId}`);
  });

  it('answers a bad date or an unknown finding with one line and exit 2', async () => {
    const bad = await run([
      'suppress',
      findingId,
      '--reason',
      'x',
      '--until',
      '31-12-2026',
      '--region',
      'us-east-1',
    ]);
    expect(bad).toEqual({
      code: 2,
      out: '',
      err: 'findings: suppress: --until: expected a date YYYY-MM-DD, got "31-12-2026"\n',
    });
    const unknown = await run(['unsuppress', 'f-ffffffffffffffffffff', '--region', 'us-east-1']);
    expect(unknown.code).toBe(2);
    expect(unknown.err.trim().split('\n')).toHaveLength(1);
    expect(unknown.err).toContain('no finding f-ffffffffffffffffffff');
  });
});

describe('the listing shows accepted findings apart', () => {
  const base: Finding = {
    findingId: ID,
    accountId: '111111111111',
    kind: 'USER_NO_MFA',
    subject: 'alice',
    state: 'OPEN',
    severity: 'HIGH',
    source: 'sweep',
    firstSeen: '2026-11-01T00:00:00.000Z',
    openedAt: '2026-11-01T00:00:00.000Z',
    lastSeen: '2026-12-01T00:00:00.000Z',
    reopenCount: 0,
    previousNames: [],
    version: 1,
  };
  const accepted: Finding = {
    ...base,
    findingId: 'f-00000000000000000001',
    subject: 'break-glass',
    suppression: { until: '2026-12-20', reason: 'reviewed monthly', by: CALLER, at: NOW.toISOString() },
  };

  it('in the table: a section of its own, with until, by and why; counted in the summary', () => {
    const table = formatTable([base, accepted], NOW, { all: false });
    const [main, apart] = table.split('Accepted until a date (suppressed: open, not alerted):');
    expect(main).toContain('alice');
    expect(main).not.toContain('break-glass');
    expect(main).toContain('1 open (1 HIGH), 1 accepted until a date');
    expect(apart).toContain('break-glass');
    expect(apart).toContain('2026-12-20');
    expect(apart).toContain(CALLER);
    expect(apart).toContain('reviewed monthly');
  });

  it('an expired suppression is listed with the findings that alert', () => {
    const table = formatTable([accepted], new Date('2026-12-21T00:00:00Z'), { all: false });
    expect(table).not.toContain('Accepted until a date');
  });

  it('in JSON: suppressedUntil, suppressedBy and suppressionReason', () => {
    const [row] = JSON.parse(formatJson([accepted], NOW)) as Record<string, unknown>[];
    expect(row).toMatchObject({
      suppressedUntil: '2026-12-20',
      suppressedBy: CALLER,
      suppressionReason: 'reviewed monthly',
    });
  });
});
