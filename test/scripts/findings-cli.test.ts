import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../functions/core/finding-errors';
import { FindingStore } from '../../functions/core/finding-store';
import { FINDINGS_TABLE_NAME } from '../../functions/contract/findings';
import { describeFailure, main, parseOptions, resolveRegion } from '../../scripts/findings/cli';
import { rawTestConfig } from '../helpers/app';
import {
  DUMMY_CREDENTIALS,
  closedPort,
  createFindingsTable,
  startDynalite,
} from '../../scripts/simulation/dynalite';
import { useDynalite } from '../helpers/store';
import { startPagingProxy } from '../helpers/paged-dynamo';

// `npm run findings`: option parsing and error wording as functions, then the real entry point as a
// child process (help, a bad option, no credentials, unreachable AWS, and a listing from dynalite).

describe('parseOptions', () => {
  it('defaults to open findings of the contract table, as a table', () => {
    expect(parseOptions([])).toEqual({ help: false, json: false, all: false, table: FINDINGS_TABLE_NAME });
  });

  it('reads every option', () => {
    expect(
      parseOptions([
        '--json',
        '--all',
        '--account',
        '123456789012',
        '--severity',
        'high',
        '--table',
        'my-findings',
        '--region',
        'eu-central-1',
        '--config',
        'my-org.json',
        '--endpoint',
        'http://127.0.0.1:8000',
      ]),
    ).toEqual({
      help: false,
      json: true,
      all: true,
      account: '123456789012',
      severity: 'HIGH',
      table: 'my-findings',
      region: 'eu-central-1',
      config: 'my-org.json',
      endpoint: 'http://127.0.0.1:8000',
    });
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--account', '1234'], '--account: expected a 12-digit account id, got "1234"'],
    [['--severity', 'LOW'], '--severity: expected one of CRITICAL, HIGH, MEDIUM, got "LOW"'],
    [['--region', 'mars'], '--region: expected a region name'],
    [['--endpoint', 'localhost'], '--endpoint: expected an http(s) URL'],
    [['--account'], '--account needs a value'],
    [['extra'], 'unexpected argument "extra"'],
  ])('rejects %j in one line', (argv, message) => {
    expect(() => parseOptions(argv)).toThrow(message);
  });
});

describe('resolveRegion', () => {
  const files = (entries: Record<string, string>) => (path: string) => {
    const text = entries[path];
    if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return text;
  };
  const config = JSON.stringify(rawTestConfig()); // homeRegion eu-central-1

  it('prefers --region, then the --config file, then cdk.json', () => {
    const read = files({ 'my.json': config, 'cdk.json': '{"context":{"orgMfaWatch":{}}}' });
    expect(resolveRegion(parseOptions(['--region', 'ap-northeast-2', '--config', 'my.json']), read)).toBe(
      'ap-northeast-2',
    );
    expect(resolveRegion(parseOptions(['--config', 'my.json']), read)).toBe('eu-central-1');
    expect(
      resolveRegion(
        parseOptions([]),
        files({ 'cdk.json': '{"context":{"configFile":"my.json"}}', 'my.json': config }),
        undefined,
        {},
      ),
    ).toBe('eu-central-1');
  });

  it('refuses the example organization of cdk.json (issue 19: tools act on the organization you mean)', () => {
    const err: string[] = [];
    expect(() =>
      resolveRegion(
        parseOptions([]),
        files({ 'cdk.json': `{"context":{"orgMfaWatch":${config}}}` }),
        (t) => err.push(t),
        {},
      ),
    ).toThrow(/^refusing to read findings with the example organization of cdk\.json \(o-a1b2c3d4e5\)/);
    expect(err).toEqual([
      expect.stringContaining('findings: configuration the example organization of cdk.json'),
    ]);
  });

  it('leaves the region to the SDK when there is no cdk.json', () => {
    expect(resolveRegion(parseOptions([]), files({}))).toBeUndefined();
  });

  it('reports a missing or invalid --config file in one line', () => {
    expect(() => resolveRegion(parseOptions(['--config', 'nope.json']), files({}))).toThrow(
      /^--config nope\.json: ENOENT/,
    );
    expect(() => resolveRegion(parseOptions(['--config', 'bad.json']), files({ 'bad.json': '{}' }))).toThrow(
      /^invalid configuration in bad\.json: organizationId: .*; managementAccountId: /,
    );
  });
});

describe('describeFailure', () => {
  const where = { table: FINDINGS_TABLE_NAME, region: 'eu-central-1' };
  const named = (name: string, message = 'x', extra: Record<string, unknown> = {}) =>
    Object.assign(new Error(message), { name, ...extra });

  it.each([
    [
      named('CredentialsProviderError', 'Could not load credentials from any providers'),
      /^no AWS credentials found/,
    ],
    [named('ResourceNotFoundException'), /^table org-mfa-watch-findings not found in eu-central-1: deploy/],
    [named('AccessDeniedException'), /^access denied to table org-mfa-watch-findings in eu-central-1/],
    [named('ExpiredTokenException'), /^AWS rejected the credentials \(ExpiredTokenException\)/],
    [
      named('Error', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }),
      /^cannot reach DynamoDB in eu-central-1 \(ECONNREFUSED\)/,
    ],
    [named('Error', 'Region is missing'), /^no AWS region: pass --region/],
  ])('explains %s in one line', (cause, expected) => {
    const text = describeFailure(new StoreUnavailableError('listFindings', cause), where);
    expect(text).toMatch(expected);
    expect(text).not.toContain('\n');
  });
});

describe('main', () => {
  it('lists through the injected store and prints the table', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['--region', 'us-east-1'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      list: () => Promise.resolve([]),
    });
    expect(code).toBe(0);
    expect(out.join('')).toBe('No open findings.\n');
    expect(err).toEqual(['findings: configuration not read (--region us-east-1 given)\n']);
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

/** No credentials anywhere: empty keys, no profile files, no instance metadata. */
function noCredentials(home: string): Record<string, string> {
  return {
    HOME: home,
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

describe('npm run findings (child process)', () => {
  const dynamo = useDynalite();
  let tableName: string;
  const home = mkdtempSync(join(tmpdir(), 'findings-cli-'));
  const localCredentials = {
    HOME: home,
    AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };

  beforeAll(async () => {
    tableName = await createFindingsTable(dynamo.client);
    const store = new FindingStore({ client: dynamo.client, tableName });
    const now = new Date();
    const base = { accountId: '123456789012', source: 'event', now } as const;
    await store.observeProblem({
      ...base,
      kind: 'USER_NO_MFA',
      userName: 'contractor.kim',
      severity: 'HIGH',
      accountAlias: 'acme-prod',
    });
    await store.observeProblem({ ...base, kind: 'USER_NO_MFA', userName: 'etl-bot', severity: 'MEDIUM' });
    await store.observeProblem({
      ...base,
      accountId: '210987654321',
      kind: 'ROOT_NO_MFA',
      severity: 'CRITICAL',
    });
    await store.observeProblem({ ...base, kind: 'USER_NO_MFA', userName: 'fixed', severity: 'HIGH' });
    await store.resolve({
      ...base,
      kind: 'USER_NO_MFA',
      userName: 'fixed',
      reason: 'mfa-enabled',
      retentionDays: 90,
    });
    writeFileSync(join(home, 'my-org.json'), JSON.stringify(rawTestConfig()));
  });
  it('prints the usage with --help', async () => {
    const run = await runCli(['--help'], { HOME: home });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run findings -- \[options\]/);
    expect(run.stdout).toContain('--severity <level>');
  });

  it('rejects a bad option in one line with exit code 2', async () => {
    const run = await runCli(['--severity', 'LOW'], { HOME: home });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'findings: --severity: expected one of CRITICAL, HIGH, MEDIUM, got "LOW". Usage: npm run findings -- [options]; --help lists the options\n',
    );
  });

  it('says in one line that there are no credentials, without a stack trace', async () => {
    const port = await closedPort(); // even with credentials somewhere, nothing could reach AWS
    const run = await runCli(
      ['--region', 'us-east-1', '--endpoint', `http://127.0.0.1:${port}`],
      noCredentials(home),
    );
    expect(run.code).toBe(1);
    const [named, failure, ...rest] = run.stderr.trimEnd().split('\n');
    expect(named).toBe('findings: configuration not read (--region us-east-1 given)');
    expect(failure).toMatch(/^findings: no AWS credentials found: sign in with security-account credentials/);
    expect(rest).toEqual([]);
  });

  it('says in one line that DynamoDB cannot be reached', async () => {
    const port = await closedPort();
    const run = await runCli(
      ['--region', 'us-east-1', '--endpoint', `http://127.0.0.1:${port}`],
      localCredentials,
    );
    expect(run.code).toBe(1);
    const [, failure, ...rest] = run.stderr.trimEnd().split('\n');
    expect(failure).toMatch(/^findings: cannot reach DynamoDB in us-east-1 \(ECONNREFUSED\)/);
    expect(rest).toEqual([]);
  });

  it('lists the open findings of a real table, most severe first', async () => {
    const run = await runCli(
      ['--config', join(home, 'my-org.json'), '--endpoint', dynamo.endpoint, '--table', tableName],
      localCredentials,
    );
    expect(run.stderr).toBe(
      `findings: configuration ${join(home, 'my-org.json')} (--config): organization o-a1b2c3d4e5, security account 222222222222, home region eu-central-1\n`,
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+ALIAS\s+USER\s+KIND\s+SEVERITY\s+FIRST SEEN\s+AGE$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s{2,}/).slice(0, 5))).toEqual([
      ['210987654321', '-', '(root)', 'ROOT_NO_MFA', 'CRITICAL'],
      ['123456789012', 'acme-prod', 'contractor.kim', 'USER_NO_MFA', 'HIGH'],
      ['123456789012', '-', 'etl-bot', 'USER_NO_MFA', 'MEDIUM'],
    ]);
    expect(run.stdout).toContain('3 open (1 CRITICAL, 1 HIGH, 1 MEDIUM)');
  });

  it('prints JSON filtered by account and severity, and includes resolved findings with --all', async () => {
    const local = ['--region', 'us-east-1', '--endpoint', dynamo.endpoint, '--table', tableName];
    const high = await runCli(
      [...local, '--json', '--account', '123456789012', '--severity', 'HIGH'],
      localCredentials,
    );
    expect(high.code).toBe(0);
    expect((JSON.parse(high.stdout) as { subject: string }[]).map((r) => r.subject)).toEqual([
      'contractor.kim',
    ]);
    const all = await runCli([...local, '--json', '--all'], localCredentials);
    const rows = JSON.parse(all.stdout) as { subject: string; state: string; resolution: string | null }[];
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.subject === 'fixed')).toMatchObject({
      state: 'RESOLVED',
      resolution: 'mfa-enabled',
    });
  });
});

describe('npm run findings reads every page (issue 18, item 9)', () => {
  it('lists every open finding when DynamoDB answers the Scan in pages', async () => {
    const dynamo = await startDynalite();
    // DynamoDB pages a Scan at 1 MB (Developer Guide, "Paginating table query results"): a proxy that
    // asks for 2 items per page stands in for a large table.
    const proxy = await startPagingProxy(dynamo.endpoint, 2);
    try {
      const tableName = await createFindingsTable(dynamo.client);
      const store = new FindingStore({ client: dynamo.client, tableName });
      const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7'];
      for (const userName of users) {
        await store.observeProblem({
          accountId: '123456789012',
          kind: 'USER_NO_MFA',
          userName,
          severity: 'HIGH',
          source: 'event',
          now: new Date(),
        });
      }
      const run = await runCli(
        ['--region', 'us-east-1', '--endpoint', proxy.endpoint, '--table', tableName, '--json'],
        {
          HOME: mkdtempSync(join(tmpdir(), 'findings-cli-')),
          AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
          AWS_EC2_METADATA_DISABLED: 'true',
        },
      );
      // The one line every tool prints about its configuration (issue 19, item 2), and nothing else.
      expect(run.stderr).toBe('findings: configuration not read (--region us-east-1 given)\n');
      expect((JSON.parse(run.stdout) as { subject: string }[]).map((r) => r.subject).sort()).toEqual(users);
      expect(proxy.pages()).toBeGreaterThan(1);
    } finally {
      await proxy.close();
      await dynamo.close();
    }
  });
});
