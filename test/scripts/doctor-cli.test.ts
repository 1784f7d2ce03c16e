import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { partitionOf, rerunCommand, skippedNote, whoAmI } from '../../scripts/doctor/cli';
import { rawTestConfig } from '../helpers/app';
import { PROJECT_ROOT } from '../helpers/events';

/** An organization's own configuration file: the doctor refuses the example of cdk.json. */
const MY_ORG = join(mkdtempSync(join(tmpdir(), 'omw-doctor-')), 'my-org.json');
writeFileSync(MY_ORG, JSON.stringify(rawTestConfig()));

const sts = new STSClient({});
const stsMock = mockClient(sts);
beforeEach(() => {
  stsMock.reset();
});

/** Run `npm run doctor` the way an operator does (real entry point, child process), never against AWS. */
function doctor(args: string[], env: Record<string, string> = {}) {
  return spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/doctor.ts', ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      // Fake static credentials and no profile: the SDK goes straight to the (unreachable) endpoint.
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_PROFILE: '',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_MAX_ATTEMPTS: '1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      ...env,
    },
  });
}

const noStackTrace = (text: string) => {
  expect(text).not.toMatch(/\n\s+at /);
};

describe('npm run doctor (entry point)', () => {
  it('--help prints the usage, which account each check needs, and exits 0', () => {
    const result = doctor(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run doctor \[-- --config my-org.json\]/);
    expect(result.stdout).toContain('security account: email subscriptions');
  });

  it.each([
    [['--confg', 'my-org.json'], 'doctor: unknown option --confg.'],
    [
      ['my-org.json'],
      'doctor: unexpected argument "my-org.json" (a configuration file goes after --config).',
    ],
    [['--config'], 'doctor: --config needs a value.'],
  ])('%j is a one-line error with exit code 2, never a run against the example', (args, message) => {
    const result = doctor(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(message) as string]);
    expect(result.stderr).toContain('Usage: npm run doctor [-- --config my-org.json]');
  });

  it('reports an unreadable configuration in one line, exit 2', () => {
    const result = doctor(['--config', 'does-not-exist.json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^Invalid org-mfa-watch configuration \(1 problem\(s\)\):\n- --config does-not-exist.json: ENOENT/,
    );
    noStackTrace(result.stderr);
  });

  it.each([
    ['a refused connection', 'http://127.0.0.1:9', 'ECONNREFUSED'],
    ['a name that does not resolve', 'https://doctor-test.invalid', 'ENOTFOUND'],
  ])('says "cannot reach AWS" on %s, not a credentials problem', (_name, endpoint, code) => {
    const result = doctor(['--config', MY_ORG], { AWS_ENDPOINT_URL: endpoint });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('cannot reach AWS');
    expect(result.stdout).toContain(code);
    expect(result.stdout).not.toContain('configure credentials');
    expect(result.stdout).toContain('1 check: 0 passed, 1 failed');
    noStackTrace(result.stdout + result.stderr);
  });
});

describe('doctor CLI helpers', () => {
  it.each([
    ['arn:aws:iam::111111111111:user/op', 'aws'],
    ['arn:aws-us-gov:sts::111111111111:assumed-role/r/s', 'aws-us-gov'],
  ])('takes the partition from %s', (arn, partition) => {
    expect(partitionOf(arn)).toBe(partition);
  });

  it('returns the caller account and partition', async () => {
    stsMock
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '111111111111', Arn: 'arn:aws-cn:iam::111111111111:user/op' });
    expect(await whoAmI(sts)).toEqual({ accountId: '111111111111', partition: 'aws-cn' });
  });

  it('turns missing credentials into a FAIL row instead of throwing', async () => {
    stsMock.on(GetCallerIdentityCommand).rejects(new Error('Could not load credentials from any providers'));
    expect(await whoAmI(sts)).toMatchObject({
      check: 'credentials',
      status: 'FAIL',
      fix: expect.stringContaining('configure credentials') as string,
    });
  });

  it('reruns with the same configuration flag', () => {
    expect(rerunCommand(undefined)).toBe('npm run doctor');
    expect(rerunCommand('my-org.json')).toBe('npm run doctor -- --config my-org.json');
  });

  it('ends with the checks skipped for lack of credentials, grouped by the account that can run them', () => {
    const note = skippedNote([
      { check: 'organization', status: 'PASS', detail: 'ok' },
      {
        check: 'alert subscriptions',
        status: 'SKIP',
        detail: 'needs credentials of the security account 222222222222',
        fix: 'with those credentials: npm run doctor',
      },
      {
        check: 'lambda concurrency',
        status: 'SKIP',
        detail: 'needs credentials of the security account 222222222222',
        fix: 'with those credentials: npm run doctor',
      },
      {
        check: 'stacksets delegated admin',
        status: 'SKIP',
        detail: 'rollout.deployFrom is "management"',
        fix: 'nothing to do',
      },
    ]);
    expect(note).toBe(
      '\nSkipped because these credentials cannot run them:\n- alert subscriptions, lambda concurrency: need credentials of the security account 222222222222; with those credentials: npm run doctor\n',
    );
  });
});
