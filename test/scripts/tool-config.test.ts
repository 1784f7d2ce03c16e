import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsFailureKind, awsFailureLine } from '../../scripts/aws-failure';
import { CONFIG_ENV, UsageError, configLine, loadToolConfig, resolveConfig } from '../../scripts/cli';
import { rawTestConfig } from '../helpers/app';
import { PROJECT_ROOT } from '../helpers/events';

// Issue 19, items 2-4: every tool names the configuration it uses, a tool that touches AWS refuses the
// example organization of cdk.json, AWS that cannot be asked is one line (never a stack trace), and every
// tool words an unknown option the same way.

const TSX_CLI = join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const dir = mkdtempSync(join(tmpdir(), 'omw-tool-config-'));
const MY_ORG = join(dir, 'my-org.json');
writeFileSync(MY_ORG, JSON.stringify(rawTestConfig()));

/**
 * The environment of an operator's shell with no AWS credentials anywhere (no keys, no profile, no
 * files, no instance metadata) and nothing of the test runner's own (the SDK warning switch is the
 * tools' to set, not vitest's).
 */
function shell(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(
    ([key]) => !key.startsWith('AWS_') && key !== CONFIG_ENV && !key.startsWith('VITEST'),
  );
  return {
    ...Object.fromEntries(kept),
    AWS_CONFIG_FILE: join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

/** Static fake credentials and an endpoint nothing listens on: AWS cannot be reached. */
const NO_NETWORK = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'not-a-secret',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
};

/** Run a tool's real entry point in a child process, as `npm run` does. */
function tool(script: string, args: string[], env: NodeJS.ProcessEnv = shell()) {
  return spawnSync(process.execPath, [TSX_CLI, script, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 90_000,
    env,
  });
}

const lines = (text: string) => text.trim().split('\n');
const noStackTrace = (text: string) => {
  expect(text).not.toMatch(/\n\s+at /);
};

describe('resolveConfig: --config, then ORG_MFA_WATCH_CONFIG, then what cdk synth reads', () => {
  const files = (map: Record<string, string>) => (path: string) => {
    const text = map[path];
    if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    return text;
  };
  const read = files({
    'cdk.json': '{"context":{"orgMfaWatch":{"a":1}}}',
    'flag.json': '{"f":1}',
    'env.json': '{"e":1}',
  });

  it('takes the flag first, the environment variable next, the example of cdk.json last', () => {
    expect(resolveConfig('flag.json', read, { [CONFIG_ENV]: 'env.json' })).toEqual({
      source: { kind: 'option', file: 'flag.json' },
      raw: { f: 1 },
    });
    expect(resolveConfig(undefined, read, { [CONFIG_ENV]: 'env.json' })).toEqual({
      source: { kind: 'environment', file: 'env.json' },
      raw: { e: 1 },
    });
    expect(resolveConfig(undefined, read, {})).toEqual({ source: { kind: 'example' }, raw: { a: 1 } });
  });

  it('names a missing file with the way it was named', () => {
    expect(() => resolveConfig(undefined, read, { [CONFIG_ENV]: 'gone.json' })).toThrow(
      `${CONFIG_ENV} gone.json: ENOENT`,
    );
  });
});

describe('loadToolConfig: one line naming the configuration; the example refused where AWS is touched', () => {
  const read = (path: string) => {
    if (path === 'cdk.json') return JSON.stringify({ context: { orgMfaWatch: rawTestConfig() } });
    if (path === 'mine.json') return JSON.stringify(rawTestConfig());
    throw new Error(`ENOENT ${path}`);
  };

  it('prints which file, organization, security account and home region it uses', () => {
    const err: string[] = [];
    loadToolConfig('sweep', 'mine.json', {
      touchesAws: true,
      readText: read,
      env: {},
      err: (t) => err.push(t),
    });
    expect(err).toEqual([
      'sweep: configuration mine.json (--config): organization o-a1b2c3d4e5, security account 222222222222, home region eu-central-1\n',
    ]);
  });

  it('refuses the example organization of cdk.json for a tool that touches AWS, in one line', () => {
    const err: string[] = [];
    const load = () =>
      loadToolConfig('doctor', undefined, {
        touchesAws: true,
        readText: read,
        env: {},
        err: (t) => err.push(t),
      });
    expect(load).toThrow(UsageError);
    expect(load).toThrow(
      `refusing to act on AWS with the example organization of cdk.json (o-a1b2c3d4e5): name your configuration with --config FILE or ${CONFIG_ENV}=FILE`,
    );
    expect(err[0]).toContain(
      'doctor: configuration the example organization of cdk.json (context orgMfaWatch)',
    );
  });

  it('lets an offline tool use the example, saying so', () => {
    const err: string[] = [];
    loadToolConfig('preview', undefined, {
      touchesAws: false,
      readText: read,
      env: {},
      err: (t) => err.push(t),
    });
    expect(err.join('')).toContain('preview: configuration the example organization of cdk.json');
  });

  it('accepts a file named by the environment variable', () => {
    expect(configLine('findings', { kind: 'environment', file: 'x.json' })).toBe(
      `findings: configuration x.json (${CONFIG_ENV})`,
    );
  });
});

describe('every tool names its configuration on stderr, one line', () => {
  it('preview with the example organization (offline: allowed, and said so)', () => {
    const result = tool('scripts/preview.ts', ['test/fixtures/events/createuser-sso-console.json']);
    expect(result.status).toBe(0);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(/^preview: configuration the example organization of cdk\.json/),
    ]);
  });

  it.each([
    ['doctor', 'bin/doctor.ts', []],
    ['sweep', 'scripts/sweep.ts', []],
    ['sweep', 'scripts/sweep.ts', ['--local', '--account', '444455556666']],
    ['findings', 'scripts/findings.ts', []],
    ['test:e2e', 'scripts/e2e.ts', []],
  ])(
    '%s %j refuses the example organization of cdk.json: exit 2, before any AWS call',
    (name, script, args) => {
      const result = tool(script, args, shell(NO_NETWORK));
      expect(result.status).toBe(2);
      expect(lines(result.stderr)).toEqual([
        expect.stringMatching(new RegExp(`^${name}: configuration the example organization of cdk\\.json`)),
        expect.stringMatching(
          new RegExp(
            `^${name}: refusing to (act on AWS|read findings) with the example organization of cdk\\.json`,
          ),
        ),
      ]);
      expect(result.stdout).not.toContain('cannot reach AWS');
    },
  );
});

describe('AWS that cannot be asked: one line, exit 1, no stack trace, no SDK warning', () => {
  it('npm run sweep without credentials', () => {
    const result = tool('scripts/sweep.ts', [], shell({ [CONFIG_ENV]: MY_ORG }));
    expect(result.status).toBe(1);
    expect(lines(result.stderr)).toEqual([
      `sweep: configuration ${MY_ORG} (${CONFIG_ENV}): organization o-a1b2c3d4e5, security account 222222222222, home region eu-central-1`,
      expect.stringMatching(/^sweep: no AWS credentials found \(CredentialsProviderError: .*\): sign in/),
    ]);
    noStackTrace(result.stderr);
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
  });

  it('npm run sweep without network', () => {
    const result = tool('scripts/sweep.ts', ['--config', MY_ORG], shell(NO_NETWORK));
    expect(result.status).toBe(1);
    expect(lines(result.stderr)[1]).toMatch(/^sweep: cannot reach AWS \(ECONNREFUSED: /);
    expect(lines(result.stderr)).toHaveLength(2);
    noStackTrace(result.stderr);
  });

  it('sweep --local that could not check the account exits 1 and blames the call that failed', () => {
    const result = tool('scripts/sweep.ts', ['--local', '--account', '444455556666', '--config', MY_ORG]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /^account 444455556666: failed - sts:GetCallerIdentity: CredentialsProviderError: /m,
    );
    expect(result.stdout).toContain('not checked: its findings are unknown');
    expect(result.stdout).not.toContain('no findings');
    expect(result.stdout).not.toContain('sts:AssumeRole');
    noStackTrace(result.stdout + result.stderr);
  });

  it('test:e2e without credentials is skipped (exit 0), saying so', () => {
    const result = tool('scripts/e2e.ts', ['--config', MY_ORG]);
    expect(result.status).toBe(0);
    expect(lines(result.stderr)[1]).toMatch(/^test:e2e: skipped: no AWS credentials found/);
  });

  it('test:e2e without network fails (exit 1): it is not a credentials problem', () => {
    const result = tool('scripts/e2e.ts', ['--config', MY_ORG], shell(NO_NETWORK));
    expect(result.status).toBe(1);
    expect(lines(result.stderr)[1]).toMatch(/^test:e2e: cannot reach AWS \(ECONNREFUSED: /);
    expect(result.stderr).not.toMatch(/credentials/i);
  });

  it.each([
    [
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'no-credentials',
    ],
    [
      Object.assign(new Error('getaddrinfo ENOTFOUND sts.amazonaws.com'), { code: 'ENOTFOUND' }),
      'no-network',
    ],
    [
      Object.assign(new Error('x'), { name: 'ExpiredTokenException', $metadata: {}, $fault: 'client' }),
      'credentials-rejected',
    ],
    [
      Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: {}, $fault: 'client' }),
      'aws-error',
    ],
    [new TypeError('a bug'), undefined],
  ])('classifies %s as %s', (error, kind) => {
    expect(awsFailureKind(error)).toBe(kind);
    if (kind !== undefined) expect(awsFailureLine(error)).not.toContain('\n');
  });
});

describe('one wording for an unknown option, in every tool', () => {
  it.each([
    ['preview', 'scripts/preview.ts'],
    ['doctor', 'bin/doctor.ts'],
    ['findings', 'scripts/findings.ts'],
    ['sweep', 'scripts/sweep.ts'],
    ['bench', 'bench/run.ts'],
    ['test:e2e', 'scripts/e2e.ts'],
    ['docs:diagram', 'scripts/diagram/generate.ts'],
  ])('%s --bogus: "<tool>: unknown option --bogus. Usage: ...", exit 2', (name, script) => {
    const result = tool(script, ['--bogus']);
    expect(result.status).toBe(2);
    expect(lines(result.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^${name}: unknown option --bogus\\. Usage: npm run `)),
    ]);
  });

  it('docs:diagram answers --help', () => {
    const result = tool('scripts/diagram/generate.ts', ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run docs:diagram/);
  });
});
