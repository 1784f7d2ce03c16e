import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the test runner, without type declarations
import { countReport, skippedIn } from '../../scripts/test-summary.mjs';
import { PROJECT_ROOT } from '../helpers/events';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
const count = countReport as (report: unknown) => Counts;
const skippedOf = skippedIn as (report: unknown, suffix: string) => number;

/** Run Vitest itself on the runner fixtures and return its JSON report, as `npm test` does. */
function realReport(): unknown {
  const out = join(mkdtempSync(join(tmpdir(), 'summary-')), 'report.json');
  spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'vitest.runner-fixtures.config.mts',
      '--reporter=json',
      `--outputFile.json=${out}`,
    ],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  return JSON.parse(readFileSync(out, 'utf8')) as unknown;
}

describe('the closing line of npm test', () => {
  it('counts the tests of a file whose setup failed (a failed synth) as failed, never as skipped', () => {
    const counts = count(realReport());
    expect(counts).toEqual({ passed: 1, failed: 2, skipped: 1 });
  });

  it('counts a file that did not load as one failure', () => {
    expect(count({ testResults: [{ name: 'x.test.ts', status: 'failed', assertionResults: [] }] })).toEqual({
      passed: 0,
      failed: 1,
      skipped: 0,
    });
  });

  it('finds the skipped tests of one file (the corpus tests when the corpus is absent)', () => {
    const report = {
      testResults: [
        {
          name: '/repo/test/functions/checker/corpus.test.ts',
          status: 'passed',
          assertionResults: [{ status: 'skipped' }, { status: 'skipped' }, { status: 'passed' }],
        },
      ],
    };
    expect(skippedOf(report, 'test/functions/checker/corpus.test.ts')).toBe(2);
  });
});
