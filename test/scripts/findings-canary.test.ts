import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CanaryStore } from '../../functions/core/canary-store';
import { FindingStore } from '../../functions/core/finding-store';
import {
  formatCanaryTable,
  pathStatus,
  readCanaryStates,
  toCanaryRows,
  type CanaryRow,
} from '../../scripts/findings/canary';
import { main } from '../../scripts/findings/cli';
import { DUMMY_CREDENTIALS, createFindingsTable } from '../../scripts/simulation/dynalite';
import { rawTestConfig } from '../helpers/app';
import { useDynalite } from '../helpers/store';

// Issue 22, item 4: `npm run findings -- canary` shows, per account, when the real-time path was last
// proven (the state each sweep's canary comparison stores, functions/core/canary-store.ts), read from a
// real table (dynalite) next to findings and canary arrivals, which it must not list.

const NOW = new Date('2026-11-03T10:00:00.000Z');
const PROVEN = '111111111111';
const MISSED = '222222222222';
const BROKEN = '333333333333';
const NEVER = '444444444444';
const STALE = '555555555555';

describe('npm run findings -- canary, on a real table', () => {
  const dynamo = useDynalite();
  let tableName: string;
  const io = (out: string[], err: string[]) => ({
    out: (t: string) => out.push(t),
    err: (t: string) => err.push(t),
    now: () => NOW,
    canaryStates: (options: { table: string; account?: string }) =>
      readCanaryStates(dynamo.client, options.table, options.account),
  });

  beforeAll(async () => {
    tableName = await createFindingsTable(dynamo.client);
    const canaries = new CanaryStore({ client: dynamo.client, tableName });
    const write = (account: string, state: Parameters<CanaryStore['writeState']>[1]) =>
      canaries.writeState(account, state, undefined);
    await write(PROVEN, {
      consecutiveMisses: 0,
      lastProvenAt: '2026-11-03T09:12:00.000Z',
      lastComparedAt: '2026-11-03T09:20:00.000Z',
    });
    await write(MISSED, {
      consecutiveMisses: 1,
      lastProvenAt: '2026-11-02T09:10:00.000Z',
      lastComparedAt: '2026-11-03T09:20:00.000Z',
    });
    await write(BROKEN, {
      consecutiveMisses: 3,
      lastProvenAt: '2026-10-31T09:10:00.000Z',
      lastComparedAt: '2026-11-03T09:20:00.000Z',
    });
    await write(NEVER, { consecutiveMisses: 0, lastComparedAt: '2026-11-03T09:20:00.000Z' });
    await write(STALE, {
      consecutiveMisses: 0,
      lastProvenAt: '2026-11-01T09:14:00.000Z',
      lastComparedAt: '2026-11-03T09:20:00.000Z',
    });
    // An arrival and a finding share the table: neither is a canary state.
    await canaries.recordArrival(
      { accountId: PROVEN, sweepId: 'sweep-2026-11-03', eventTime: '2026-11-03T09:11:00Z' },
      new Date('2026-11-03T09:12:00.000Z'),
    );
    await new FindingStore({ client: dynamo.client, tableName }).observeProblem({
      accountId: PROVEN,
      source: 'event',
      now: NOW,
      kind: 'USER_NO_MFA',
      userName: 'kim',
      severity: 'HIGH',
    });
  });

  it('lists every account, those that need attention first, with when the path was last proven', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['canary', '--region', 'us-east-1', '--table', tableName], io(out, err));
    expect(err).toEqual(['findings: configuration not read (--region us-east-1 given)\n']);
    expect(code).toBe(0);
    const lines = out.join('').split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+LAST PROVEN\s+AGO\s+MISSES\s+LAST COMPARED\s+STATUS$/);
    expect(lines.slice(1, 6).map((l) => l.split(/\s{2,}/))).toEqual([
      [
        BROKEN,
        '2026-10-31 09:10 UTC',
        '3d 0h',
        '3',
        '2026-11-03 09:20 UTC',
        'BROKEN (3 misses: REALTIME_PATH_BROKEN)',
      ],
      [MISSED, '2026-11-02 09:10 UTC', '1d 0h', '1', '2026-11-03 09:20 UTC', 'missed once (digest only)'],
      [NEVER, 'never', '-', '0', '2026-11-03 09:20 UTC', 'never proven (tag call failed?)'],
      [STALE, '2026-11-01 09:14 UTC', '2d 0h', '0', '2026-11-03 09:20 UTC', 'proven'],
      [PROVEN, '2026-11-03 09:12 UTC', '48m', '0', '2026-11-03 09:20 UTC', 'proven'],
    ]);
    expect(lines[7]).toBe(
      '5 accounts: 1 proven in the last 24 hours, 1 broken, 1 missed once, 1 never proven',
    );
  });

  it('prints JSON for one account (a consistent read of its state)', async () => {
    const out: string[] = [];
    const code = await main(
      ['canary', '--region', 'us-east-1', '--table', tableName, '--account', MISSED, '--json'],
      io(out, []),
    );
    expect(code).toBe(0);
    expect(JSON.parse(out.join('')) as CanaryRow[]).toEqual([
      {
        accountId: MISSED,
        status: 'missed-once',
        lastProvenAt: '2026-11-02T09:10:00.000Z',
        provenAgoSeconds: 89_400,
        consecutiveMisses: 1,
        lastComparedAt: '2026-11-03T09:20:00.000Z',
      },
    ]);
  });

  it('says so for an account no sweep has compared yet, and for a table without any', async () => {
    const out: string[] = [];
    await main(
      ['canary', '--region', 'us-east-1', '--table', tableName, '--account', '999999999999'],
      io(out, []),
    );
    expect(out.join('')).toMatch(/^No canary result for account 999999999999 yet: no sweep has compared/);
    const empty = await createFindingsTable(dynamo.client);
    const none: string[] = [];
    await main(['canary', '--region', 'us-east-1', '--table', empty], io(none, []));
    expect(none.join('')).toMatch(/^No canary results yet: no sweep has compared a canary/);
  });

  it('rejects options that only apply to findings, and a bad account, with exit code 2', async () => {
    const err: string[] = [];
    expect(await main(['canary', '--region', 'us-east-1', '--severity', 'HIGH'], io([], err))).toBe(2);
    expect(await main(['canary', '--region', 'us-east-1', '--account', '12'], io([], err))).toBe(2);
    expect(err).toEqual([
      'findings canary: --severity and --all list findings, not canaries: leave them out. Usage: npm run findings -- canary --help\n',
      'findings canary: --account: expected a 12-digit account id, got "12". Usage: npm run findings -- canary --help\n',
    ]);
  });

  it('refuses the example organization of cdk.json, like the listing (issue 19)', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['canary'], {
      ...io(out, err),
      readText: (path) => {
        if (path !== 'cdk.json') throw new Error(`ENOENT: ${path}`);
        return JSON.stringify({ context: { orgMfaWatch: rawTestConfig() } });
      },
    });
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/findings canary: refusing to read findings with the example organization/);
  });

  it('runs as `npm run findings -- canary` (child process, real DynamoDB client)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'findings-canary-'));
    const run = await runCli(
      ['canary', '--region', 'us-east-1', '--endpoint', dynamo.endpoint, '--table', tableName],
      {
        HOME: home,
        AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    );
    expect(run.stderr).toBe('findings: configuration not read (--region us-east-1 given)\n');
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .split('\n')
        .slice(1, 6)
        .map((l) => l.slice(0, 12)),
    ).toEqual([BROKEN, MISSED, NEVER, STALE, PROVEN]);
    const help = await runCli(['canary', '--help'], { HOME: home });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run findings -- canary \[options\]/);
  });
});

describe('path status (pure)', () => {
  it.each([
    [{ consecutiveMisses: 0, lastProvenAt: '2026-11-03T09:00:00Z' }, 'proven'],
    [{ consecutiveMisses: 0 }, 'never-proven'],
    [{ consecutiveMisses: 1, lastProvenAt: '2026-11-03T09:00:00Z' }, 'missed-once'],
    [{ consecutiveMisses: 2 }, 'broken'],
  ] as const)('%o is %s', (state, status) => {
    expect(pathStatus(state)).toBe(status);
  });

  it('never reports a proof in the future as negative age', () => {
    const rows = toCanaryRows(
      [{ accountId: PROVEN, state: { consecutiveMisses: 0, lastProvenAt: '2026-11-03T10:05:00Z' } }],
      NOW,
    );
    expect(rows[0]?.provenAgoSeconds).toBe(0);
    expect(formatCanaryTable([], NOW)).toMatch(/^No canary results yet/);
  });
});

/** The real entry point, as `npm run findings` runs it, with an environment of our choosing. */
function runCli(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join('node_modules', '.bin', 'tsx'), ['scripts/findings.ts', ...args], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
