// Counting for the closing line of `npm test` (scripts/run-tests.mjs), kept pure so it is tested.

/**
 * Count a Vitest JSON report. A test file that failed to load, or whose setup failed (a synth in
 * beforeAll that throws), reports its tests as skipped: they never ran, so they count as failed,
 * never as skipped. Only tests skipped in a file that passed count as skipped.
 * @param {{ numPassedTests?: number, testResults?: { name?: string, status?: string, assertionResults?: { status?: string }[] }[] }} report
 * @returns {{ passed: number, failed: number, skipped: number }}
 */
export function countReport(report) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const fileFailed = file.status === 'failed';
    if (fileFailed && tests.length === 0) failed += 1; // the file did not even load
    for (const test of tests) {
      if (test.status === 'passed') passed += 1;
      else if (test.status === 'failed') failed += 1;
      else if (fileFailed)
        failed += 1; // skipped because its setup failed
      else skipped += 1;
    }
  }
  return { passed, failed, skipped };
}

/**
 * Tests of one file that were skipped (e.g. the corpus tests when ../shared/fixtures/events is absent).
 * @param {{ testResults?: { name?: string, assertionResults?: { status?: string }[] }[] }} report
 * @param {string} fileSuffix
 */
export function skippedIn(report, fileSuffix) {
  const file = (report.testResults ?? []).find((f) => (f.name ?? '').endsWith(fileSuffix));
  return (file?.assertionResults ?? []).filter((t) => t.status === 'skipped' || t.status === 'pending')
    .length;
}

/**
 * The `n` test files that took longest, slowest first, as `{ file, seconds }` with the file relative to
 * `root`, from the times scripts/file-times-reporter.mjs wrote (`{ "<absolute path>": ms }`: imports,
 * hooks and tests of each file). The CI summary prints them, so the next slowdown is seen where it is.
 * @param {Record<string, number>} times
 * @param {number} n
 * @param {string} [root]
 * @returns {{ file: string, seconds: number }[]}
 */
export function slowestFiles(times, n, root = '') {
  const prefix = root === '' || root.endsWith('/') ? root : `${root}/`;
  return Object.entries(times)
    .filter(([, ms]) => typeof ms === 'number' && Number.isFinite(ms))
    .map(([name, ms]) => ({
      file: name.startsWith(prefix) ? name.slice(prefix.length) : name,
      seconds: Math.round(ms / 100) / 10,
    }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, n);
}

/**
 * The lines that list the slowest files under a heading, for the end of a test run.
 * @param {string} label
 * @param {{ file: string, seconds: number }[]} files
 * @returns {string[]}
 */
export function slowestLines(label, files) {
  if (files.length === 0) return [];
  return [
    `${label}: the ${files.length} slowest test files`,
    ...files.map((f) => `  ${f.seconds.toFixed(1).padStart(6)} s  ${f.file}`),
  ];
}
