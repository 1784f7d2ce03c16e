// `node scripts/ci-summary.mjs LABEL=FILE...`: adds up the counts that scripts/run-tests.mjs wrote
// (.test-results/summary*.json) for each run of .ci/run, prints one line per run and the skipped count,
// then the ten slowest test files of each run (where the time goes), then the single closing line
// `N passed, N failed` that the workplace CI reads. A run whose summary is missing (it crashed before
// writing one) counts as one failure. Exit code 1 when anything failed.
import { existsSync, readFileSync } from 'node:fs';
import { slowestLines } from './test-summary.mjs';

let passed = 0;
let failed = 0;
let skipped = 0;
let corpusSkipped = 0;
const slowLines = [];
const runs = process.argv.slice(2);
if (runs.length === 0) {
  process.stderr.write('usage: node scripts/ci-summary.mjs LABEL=SUMMARY.json...\n');
  process.exit(2);
}
for (const run of runs) {
  const [label, file] = run.includes('=') ? run.split(/=(.*)/s) : [run, run];
  if (!existsSync(file)) {
    process.stdout.write(`${label}: no summary (${file} missing): counted as 1 failure\n`);
    failed += 1;
    continue;
  }
  const counts = JSON.parse(readFileSync(file, 'utf8'));
  process.stdout.write(
    `${label}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
  );
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  corpusSkipped += counts.corpusSkipped ?? 0;
  slowLines.push(...slowestLines(label, counts.slowest ?? []));
}
if (slowLines.length > 0) process.stdout.write(`${slowLines.join('\n')}\n`);
if (corpusSkipped > 0 || !existsSync('../shared/fixtures/events')) {
  process.stdout.write(
    `WARNING: ../shared/fixtures/events is absent: ${corpusSkipped} tests over the real CloudTrail corpus did not run.\n`,
  );
}
process.stdout.write(`(${skipped} skipped in all)\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
