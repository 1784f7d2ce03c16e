import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module of the test runner, without type declarations
import { countReport, skippedIn, slowestFiles, slowestLines } from '../../scripts/test-summary.mjs';
import { PROJECT_ROOT } from '../helpers/events';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
const count = countReport as (report: unknown) => Counts;
const skippedOf = skippedIn as (report: unknown, suffix: string) => number;
const slowest = slowestFiles as (
  times: Record<string, number>,
  n: number,
  root?: string,
) => { file: string; seconds: number }[];
const slowLines = slowestLines as (label: string, files: { file: string; seconds: number }[]) => string[];

let run: { report: unknown; times: Record<string, number> } | undefined;
/** Vitest's JSON report on the runner fixtures, as `npm test` gets it (run once per file: a few seconds). */
function realReport(): unknown {
  run ??= runFixtures();
  return run.report;
}
/** The file times scripts/file-times-reporter.mjs wrote in the same run. */
function realTimes(): Record<string, number> {
  run ??= runFixtures();
  return run.times;
}

function runFixtures(): { report: unknown; times: Record<string, number> } {
  const dir = mkdtempSync(join(tmpdir(), 'summary-'));
  const out = join(dir, 'report.json');
  const timesFile = join(dir, 'times.json');
  spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'vitest.runner-fixtures.config.mts',
      '--reporter=json',
      `--outputFile.json=${out}`,
      '--reporter=./scripts/file-times-reporter.mjs',
    ],
    { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, FILE_TIMES_OUTPUT: timesFile } },
  );
  return {
    report: JSON.parse(readFileSync(out, 'utf8')) as unknown,
    times: JSON.parse(readFileSync(timesFile, 'utf8')) as Record<string, number>,
  };
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

describe('where the time goes', () => {
  it('lists the slowest files first, relative to the root, at most n of them', () => {
    const times = { '/repo/a.test.ts': 1200, '/repo/b.test.ts': 30_440, '/repo/c.test.ts': 7000 };
    expect(slowest(times, 2, '/repo')).toEqual([
      { file: 'b.test.ts', seconds: 30.4 },
      { file: 'c.test.ts', seconds: 7 },
    ]);
    expect(slowest(times, 10, '/repo').map((f) => f.file)).toEqual(['b.test.ts', 'c.test.ts', 'a.test.ts']);
  });

  it('times a real Vitest run per file, its beforeAll included (scripts/file-times-reporter.mjs)', () => {
    const times = realTimes();
    const files = slowest(times, 10, PROJECT_ROOT);
    expect(files.map((f) => f.file).sort()).toEqual([
      'test/fixtures/runner/passes.fixture.ts',
      'test/fixtures/runner/setup-fails.fixture.ts',
    ]);
    // passes.fixture.ts sleeps 400 ms in beforeAll; Vitest's JSON report would say ~0 s for it.
    expect(files.find((f) => f.file.endsWith('passes.fixture.ts'))?.seconds).toBeGreaterThanOrEqual(0.4);
  });

  it('prints one line per file under a heading, nothing when there is nothing to list', () => {
    expect(slowLines('node 24', [{ file: 'test/a.test.ts', seconds: 12.5 }])).toEqual([
      'node 24: the 1 slowest test files',
      '    12.5 s  test/a.test.ts',
    ]);
    expect(slowLines('node 24', [])).toEqual([]);
  });
});
