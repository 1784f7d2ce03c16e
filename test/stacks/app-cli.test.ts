import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/events';

/** Run bin/app.ts the way `cdk synth -c configFile=...` does (context through CDK_CONTEXT_JSON). */
function runApp(context: Record<string, unknown>) {
  const outdir = mkdtempSync(join(tmpdir(), 'org-mfa-watch-cli-'));
  return spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['bin/app.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    encoding: 'utf8',
    timeout: 60_000,
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
