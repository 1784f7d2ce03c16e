// The whole test command (README: `npm test`): type-check, lint (ESLint and Prettier), synthesize every
// stack with the compliance checks, then the Vitest suite. Ends with the plain line
// `N passed, N failed, N skipped` and writes the same counts to .test-results/summary.json for .ci/run.
//
// `node scripts/run-tests.mjs --vitest-only [paths...]` runs only Vitest (on the `node` found first in
// PATH), for the Node.js 24 pass of .ci/run; the counts then go to .test-results/summary-vitest-only.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { countReport, skippedIn, slowestFiles, slowestLines } from './test-summary.mjs';

// The AWS SDK warns once per process that releases after January 2027 need Node.js 22; with one warning
// per test worker it buries the results. The SDK reads this variable (@aws-sdk/core, client submodule).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// aws-cdk-lib warns in every synth about a deprecated property it sets itself (the event bus policy's
// `principal`): noise in the synth gate's log. jsii's runtime reads this switch.
process.env.JSII_DEPRECATED = 'quiet';

const started = Date.now();
const args = process.argv.slice(2);
const vitestOnly = args[0] === '--vitest-only';
const paths = vitestOnly ? args.slice(1) : [];
const resultsFile = `.test-results/vitest${vitestOnly ? '-only' : ''}.json`;
const summaryFile = `.test-results/summary${vitestOnly ? '-vitest-only' : ''}.json`;
const timesFile = `.test-results/file-times${vitestOnly ? '-only' : ''}.json`;

// The gates before Vitest, each counted as one test.
const GATES = [
  ['typecheck', ['npx', 'tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', ['npx', 'eslint', '.', '--max-warnings', '0']],
  ['format (prettier --check; fix with npm run format)', ['npx', 'prettier', '--check', '.']],
];
if (existsSync('cdk.json')) GATES.push(['synth (cdk-nag)', ['npx', 'cdk', 'synth', '--quiet']]);

const gates = vitestOnly ? [] : GATES;
let gateFailures = 0;
for (const [name, [cmd, ...cmdArgs]] of gates) {
  process.stdout.write(`\n== ${name}\n`);
  const run = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (run.status !== 0) {
    gateFailures += 1;
    process.stdout.write(`${name} FAILED (exit ${run.status ?? run.signal})\n`);
  }
}

process.stdout.write(
  `\n== vitest (node ${spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim()})\n`,
);
mkdirSync('.test-results', { recursive: true });
rmSync(resultsFile, { force: true });
rmSync(timesFile, { force: true });
const vitest = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    ...paths,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${resultsFile}`,
    '--reporter=./scripts/file-times-reporter.mjs',
  ],
  { stdio: 'inherit', env: { ...process.env, FILE_TIMES_OUTPUT: timesFile } },
);

let passed = 0;
let failed = 0;
let skipped = 0;
let corpusSkipped = 0;
let slowest = [];
if (existsSync(resultsFile)) {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  ({ passed, failed, skipped } = countReport(report));
  corpusSkipped = skippedIn(report, 'test/functions/checker/corpus.test.ts');
}
if (existsSync(timesFile)) {
  slowest = slowestFiles(JSON.parse(readFileSync(timesFile, 'utf8')), 10, process.cwd());
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
const seconds = Math.round((Date.now() - started) / 1000);
writeFileSync(summaryFile, JSON.stringify({ passed, failed, skipped, corpusSkipped, slowest, seconds }));
// Where the time goes: printed on every run (and again by .ci/run's summary), so a slow file shows.
process.stdout.write(`\n${slowestLines('vitest', slowest).join('\n')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed === 0 ? 0 : 1);
