import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { formatMarkdown } from '../../bench/report';
import { testConfig } from '../helpers/app';
import { e2eProblems } from '../helpers/e2e-preconditions';
import { PROJECT_ROOT } from '../helpers/events';

const TSX_CLI = join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Run a tool's real entry point in a child process, as `npm run` does. */
function tool(script: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [TSX_CLI, script, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });
}

describe('npm run docs:diagram', () => {
  it('without Graphviz says which package to install, exits non-zero and installs nothing', () => {
    // A PATH with node and a fake apt-get that would leave a mark, but no `dot`.
    const bin = mkdtempSync(join(tmpdir(), 'omw-nodot-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    const mark = join(bin, 'apt-get-was-run');
    writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\ntouch ${mark}\n`);
    chmodSync(join(bin, 'apt-get'), 0o755);
    const result = tool('scripts/diagram/generate.ts', [], { ...process.env, PATH: bin });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Graphviz `dot` was not found');
    expect(result.stderr).toContain('apt-get install graphviz');
    expect(result.stdout).not.toContain('wrote docs/architecture.dot');
    expect(existsSync(mark)).toBe(false);
  });
});

describe('npm run bench', () => {
  it('--help prints the usage and exits 0 without measuring', () => {
    const result = tool('bench/run.ts', ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run bench \[-- --config my-org.json\]/);
  });

  it.each([
    [['--confg', 'x.json'], 'bench: unknown option --confg.'],
    [['--config', 'does-not-exist.json'], '- --config does-not-exist.json: ENOENT'],
  ])('%j: one-line error, exit 2, before any measurement', (args, message) => {
    const result = tool('bench/run.ts', args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('writes its report formatted as prettier --check expects', async () => {
    const raw = [
      '# Benchmarks',
      'text',
      '| measure | value |',
      '|---|---|',
      '| a very long measure name | 1 |',
      '',
    ].join('\n');
    const file = join(PROJECT_ROOT, 'docs', 'benchmarks.md');
    const formatted = await formatMarkdown(raw, file);
    expect(await check(raw, { filepath: file })).toBe(false);
    expect(await check(formatted, { ...(await resolveConfig(file)), filepath: file })).toBe(true);
    expect(formatted).toContain('| a very long measure name | 1     |');
  });
});

describe('npm run test:e2e', () => {
  it('--help names the preconditions and exits 0', () => {
    const result = tool('scripts/e2e.ts', ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('credentials of the');
    expect(result.stdout).toContain('security account');
  });

  it('takes the one --config flag and rejects anything else in one line, exit 2', () => {
    const result = tool('scripts/e2e.ts', ['--conf', 'x.json']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('test:e2e: unknown option --conf.'),
    ]);
  });

  const config = testConfig();
  const ok = { account: config.securityAccountId, region: config.homeRegion, checkRoleExists: true };

  it('accepts the documented preconditions', () => {
    expect(e2eProblems(config, ok)).toEqual([]);
  });

  it.each([
    [
      'another account',
      { ...ok, account: '333333333333' },
      'use credentials of the security account 222222222222',
    ],
    ['another region', { ...ok, region: 'us-west-2' }, 'set AWS_REGION to homeRegion eu-central-1'],
    [
      'a security account outside the targeted OUs',
      { ...ok, checkRoleExists: false },
      'inside a targeted OU',
    ],
  ])('fails fast naming %s', (_name, facts, message) => {
    expect(e2eProblems(config, facts)).toEqual([expect.stringContaining(message)]);
  });

  it('fails fast when no message could arrive in time', () => {
    expect(e2eProblems(testConfig({ gracePeriodHours: 24, notifyOnCreate: false }), ok)).toEqual([
      expect.stringContaining('deploy the sandbox with gracePeriodHours 0 or notifyOnCreate true'),
    ]);
  });
});
