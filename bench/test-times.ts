import { existsSync, readFileSync } from 'node:fs';

/** Targets of issue 17 for the test command and CI, in seconds. */
export const TEST_TARGETS = { npmTest: 180, ci: 300 } as const;

function lastRun(file: string): { seconds: number; passed: number } | undefined {
  if (!existsSync(file)) return undefined;
  const summary = JSON.parse(readFileSync(file, 'utf8')) as { seconds?: number; passed?: number };
  return typeof summary.seconds === 'number'
    ? { seconds: summary.seconds, passed: summary.passed ?? 0 }
    : undefined;
}

/**
 * Rows for the wall time of the last `npm test` and the last Node.js 24 pass on this machine, as
 * scripts/run-tests.mjs recorded them in .test-results (the bench does not run the suite: minutes);
 * `.ci/run` on a fresh clone is measured by whoever runs it.
 */
export function testTimeRows(dir = '.test-results'): [string, string, string, string][] {
  const npmTest = lastRun(`${dir}/summary.json`);
  const node24 = lastRun(`${dir}/summary-vitest-only.json`);
  const verdict = (seconds: number, target: number) => (seconds <= target ? 'met' : 'MISSED');
  return [
    [
      '`npm test`, last run here (wall time)',
      npmTest === undefined ? 'not run here yet' : `${npmTest.seconds} s (${npmTest.passed} passed)`,
      `<= ${TEST_TARGETS.npmTest} s`,
      npmTest === undefined ? 'n/a' : verdict(npmTest.seconds, TEST_TARGETS.npmTest),
    ],
    [
      'Node.js 24 pass of `.ci/run`, last run here',
      node24 === undefined ? 'not run here yet' : `${node24.seconds} s (${node24.passed} passed)`,
      '',
      '',
    ],
    ['`.ci/run` on a fresh clone', 'see the closing note of issue 17', `<= ${TEST_TARGETS.ci} s`, ''],
  ];
}
