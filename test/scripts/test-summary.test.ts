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
  report: unknown,
  n: number,
  root?: string,
) => { file: string; seconds: number }[];
const slowLines = slowestLines as (label: string, files: { file: string; seconds: number }[]) => string[];

let report: unknown;
/** Vitest's JSON report on the runner fixtures, as `npm test` gets it (run once per file: a few seconds). */
function realReport(): unknown {
  report ??= runFixtures();
  return report;
}

function runFixtures(): unknown {
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

describe('where the time goes', () => {
  const file = (name: string, seconds: number) => ({
    name: `/repo/${name}`,
    startTime: 1_000_000,
    endTime: 1_000_000 + seconds * 1000,
  });

  it('lists the slowest files first, relative to the root, at most n of them', () => {
    const report = {
      testResults: [file('a.test.ts', 1.2), file('b.test.ts', 30.44), file('c.test.ts', 7), { name: 'x' }],
    };
    expect(slowest(report, 2, '/repo')).toEqual([
      { file: 'b.test.ts', seconds: 30.4 },
      { file: 'c.test.ts', seconds: 7 },
    ]);
    expect(slowest(report, 10, '/repo').map((f) => f.file)).toEqual(['b.test.ts', 'c.test.ts', 'a.test.ts']);
  });

  it('reads the durations of a real Vitest JSON report', () => {
    const files = slowest(realReport(), 10, PROJECT_ROOT);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      expect(f.file).toMatch(/^test\/.*\.ts$/);
      expect(f.seconds).toBeGreaterThanOrEqual(0);
    }
  });

  it('prints one line per file under a heading, nothing when there is nothing to list', () => {
    expect(slowLines('node 24', [{ file: 'test/a.test.ts', seconds: 12.5 }])).toEqual([
      'node 24: the 1 slowest test files',
      '    12.5 s  test/a.test.ts',
    ]);
    expect(slowLines('node 24', [])).toEqual([]);
  });
});
