import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/events';

/**
 * Run bin/app.ts the way `cdk synth -c configFile=...` does (context through CDK_CONTEXT_JSON), without
 * bundling the functions (`aws:cdk:bundling-stacks: []`, as the other stack tests): these tests read
 * the app's exit code and messages, not function code (test/stacks/bundle.test.ts bundles for real).
 */
function runApp(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'org-mfa-watch-cli-'));
  return spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ ...context, 'aws:cdk:bundling-stacks': [] }),
    },
    encoding: 'utf8',
    // A whole synth (cdk-nag) in a child process, on shared cores under a parallel test run.
    timeout: 110_000,
  });
}

describe('bin/app.ts on a bad configuration', () => {
  it('prints one line per problem, no stack trace, and exits non-zero', () => {
    const dir = mkdtempSync(join(tmpdir(), 'org-mfa-watch-config-'));
    const file = join(dir, 'my-org.json');
    writeFileSync(file, JSON.stringify({ organizationId: 'org-1', managementAccountId: '1234' }));
    const result = runApp({ configFile: file });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^Invalid org-mfa-watch configuration \(\d+ problem\(s\)\):$/);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^- organizationId: /),
        expect.stringMatching(/^- managementAccountId: /),
      ]),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing config file the same way', () => {
    const result = runApp({ configFile: join(tmpdir(), 'org-mfa-watch-does-not-exist.json') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^Invalid org-mfa-watch configuration \(1 problem\(s\)\):\n- configFile .*ENOENT/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('bin/app.ts on configurations the schema alone cannot judge', () => {
  const base = {
    organizationId: 'o-a1b2c3d4e5',
    managementAccountId: '111111111111',
    securityAccountId: '222222222222',
    rollout: { deployFrom: 'management', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
    notifications: { emails: ['secops@example.com'] },
  };
  const runWith = (config: Record<string, unknown>) => {
    const dir = mkdtempSync(join(tmpdir(), 'org-mfa-watch-config-'));
    const file = join(dir, 'my-org.json');
    writeFileSync(file, JSON.stringify(config));
    return runApp({ configFile: file });
  };

  it.each([
    [
      'a duplicate email',
      { ...base, notifications: { emails: ['secops@example.com', 'SECOPS@example.com'] } },
      '- notifications.emails[1]: "SECOPS@example.com" repeats notifications.emails[0]',
    ],
    [
      'a duplicate OU',
      {
        ...base,
        rollout: {
          deployFrom: 'management',
          organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-34cd56ef'],
        },
      },
      '- rollout.organizationalUnitIds[1]: "ou-ab12-34cd56ef" repeats',
    ],
    [
      'a GovCloud home region',
      { ...base, homeRegion: 'us-gov-west-1' },
      '- homeRegion: "us-gov-west-1" is in',
    ],
    [
      'a missing field',
      { ...base, securityAccountId: undefined },
      '- securityAccountId: required; expected a 12-digit',
    ],
  ])('rejects %s with one line and exit 1', (_name, config, line) => {
    const result = runWith(config);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'Invalid org-mfa-watch configuration (1 problem(s)):',
      expect.stringContaining(line),
    ]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('warns about an expired exemption, naming it, and still synthesizes', () => {
    const result = runWith({
      ...base,
      exemptions: [
        { accountId: '333333333333', userName: 'old-bridge', reason: 'vendor', expires: '2020-01-31' },
      ],
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      'Warning: exemptions[0] (account 333333333333, userName old-bridge) expired on 2020-01-31 and no longer applies',
    );
  });
});
