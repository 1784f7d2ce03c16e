// The whole test command (README: `npm test`): type-check, lint, synthesize every stack with the
// compliance checks, then the Vitest suite. Ends with the plain line `N passed, N failed` that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { countReport, skippedIn } from './test-summary.mjs';

const resultsFile = '.test-results/vitest.json';
const gates = [
  ['typecheck', ['npx', 'tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', ['npx', 'eslint', '.', '--max-warnings', '0']],
];
if (existsSync('cdk.json')) gates.push(['synth (cdk-nag)', ['npx', 'cdk', 'synth', '--quiet']]);

let gateFailures = 0;
for (const [name, [cmd, ...args]] of gates) {
  process.stdout.write(`\n== ${name}\n`);
  const run = spawnSync(cmd, args, { stdio: 'inherit' });
  if (run.status !== 0) {
    gateFailures += 1;
    process.stdout.write(`${name} FAILED (exit ${run.status ?? run.signal})\n`);
  }
}

process.stdout.write('\n== vitest\n');
mkdirSync('.test-results', { recursive: true });
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`],
  { stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
let skipped = 0;
let corpusSkipped = 0;
if (existsSync(resultsFile)) {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  ({ passed, failed, skipped } = countReport(report));
  corpusSkipped = skippedIn(report, 'test/functions/checker/corpus.test.ts');
} else {
  failed += 1;
}
if (vitest.status !== 0 && failed === 0) failed = 1;
passed += gates.length - gateFailures;
failed += gateFailures;

if (!existsSync('../shared/fixtures/events') || corpusSkipped > 0) {
  process.stdout.write(
    `\nWARNING: ../shared/fixtures/events is absent: ${corpusSkipped} tests over the real CloudTrail corpus did not run.\n`,
  );
}
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed === 0 ? 0 : 1);
