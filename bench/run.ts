import { CONFIG_OPTION, loadConfig, parseCommandLine, runTool } from '../scripts/cli';
import { measureBurst, measureRoundTrips } from './aws-runs';
import { measureBundles, type BundleReport } from './bundle';
import { measureNodeColdInit, measurePythonBaseline } from './cold-init';
import { DYNAMODB_PRICES, WORST_CASE_PATHS, estimateDynamoCost } from './dynamodb-cost';
import { writeFormattedMarkdown } from './report';
import { BENCH_SWEEP, measureSweep, modelSweep, sweepNotes, sweepRows } from './sweep-run';
import { measureSynth } from './synth';

// `npm run bench`: measures, prints a table and writes docs/benchmarks.md. Targets are reported, never
// asserted (speed belongs in benchmarks, not unit tests).
const RUNS = 21;
const TARGETS = {
  bundleBytes: 1_000_000,
  coldRatio: 0.5,
  coldTrips: 3,
  warmTrips: 2,
  assumeRoles: 50,
  synthSeconds: 30,
};

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

const REPORT_FILE = 'docs/benchmarks.md';

const USAGE = `usage: npm run bench [-- --config my-org.json]

Measures bundle size, cold init, AWS round trips, bursts, the org-wide sweep and synth time, prints
a table and writes ${REPORT_FILE} (formatted with the repository's Prettier settings). Takes a few
minutes.

options:
  --config FILE   configuration the synth measurement uses (default: what cdk synth reads)
  --help          this text
`;
const HINT = 'Usage: npm run bench [-- --config my-org.json]; --help for details';

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(argv, { ...CONFIG_OPTION, help: { type: 'boolean' } });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Validate before minutes of measuring: a bad configuration is reported at once, in one line per problem.
  loadConfig(values.config);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log('bundle...');
  const bundles = await measureBundles();
  const bundle = bundles.find((b) => b.name === 'checker') as BundleReport;
  log(`cold init (node, ${RUNS} runs)...`);
  const node = measureNodeColdInit(bundle.file, RUNS);
  log(`cold init (python3 + boto3 baseline, ${RUNS} runs)...`);
  const python = measurePythonBaseline(RUNS);
  log('round trips...');
  const trips = await measureRoundTrips();
  log('burst...');
  const burst = await measureBurst();
  const calm = await measureBurst(0);
  log(
    `sweep (${BENCH_SWEEP.accounts} accounts x ${BENCH_SWEEP.usersPerAccount} users through the real worker, about a minute)...`,
  );
  const sweep = await measureSweep(BENCH_SWEEP);
  const sweepModel = modelSweep(sweep);
  log('synth...');
  const synth = measureSynth(values.config);
  const dynamo = estimateDynamoCost(10_000);

  const ratio = python.available ? node.medianMs / python.timing.medianMs : undefined;
  const rows: [string, string, string, string][] = [
    [
      'Bundle size (minified checker)',
      mb(bundle.bytes),
      `<= ${mb(TARGETS.bundleBytes)}`,
      verdict(bundle.bytes <= TARGETS.bundleBytes),
    ],
    ['Cold init, checker (median)', ms(node.medianMs), '', ''],
    [
      'Cold init, Python/boto3 baseline (median)',
      python.available ? ms(python.timing.medianMs) : `n/a (${python.reason})`,
      '',
      '',
    ],
    [
      'Cold init ratio (checker / baseline)',
      ratio === undefined ? 'n/a' : ratio.toFixed(2),
      `<= ${TARGETS.coldRatio}`,
      ratio === undefined ? 'n/a' : verdict(ratio <= TARGETS.coldRatio),
    ],
    [
      'Sequential AWS round trips, cold',
      String(trips.coldSequential),
      `<= ${TARGETS.coldTrips}`,
      verdict(trips.coldSequential <= TARGETS.coldTrips),
    ],
    [
      'Sequential AWS round trips, warm',
      String(trips.warmSequential),
      `<= ${TARGETS.warmTrips}`,
      verdict(trips.warmSequential <= TARGETS.warmTrips),
    ],
    [
      'Burst: AssumeRole calls (1,000 events, 50 accounts)',
      String(burst.assumeRoleCalls),
      `<= ${TARGETS.assumeRoles}`,
      verdict(burst.assumeRoleCalls <= TARGETS.assumeRoles),
    ],
    ['Burst: throttled IAM answers retried by the SDK', String(burst.throttledResponses), '', ''],
    ['Burst: failures', String(burst.failures), '0', verdict(burst.failures === 0)],
    ['Burst: handler throughput, 5% throttled', `${burst.eventsPerSecond.toFixed(0)} events/s`, '', ''],
    ['Burst: handler throughput, no throttling', `${calm.eventsPerSecond.toFixed(0)} events/s`, '', ''],
    [
      'DynamoDB cost per 10,000 events (on-demand, worst-case mix)',
      `$${dynamo.usd.toFixed(3)} (${dynamo.writeUnits.toLocaleString('en-US')} WRU)`,
      '',
      '',
    ],
    ...sweepRows(sweep, sweepModel),
    [
      'cdk synth, whole app (with cdk-nag)',
      synth.ok ? `${synth.seconds.toFixed(1)} s` : `failed: ${synth.detail}`,
      `< ${TARGETS.synthSeconds} s`,
      verdict(synth.ok && synth.seconds < TARGETS.synthSeconds),
    ],
  ];

  const width = Math.max(...rows.map((r) => r[0].length));
  log('');
  for (const [name, value, target, result] of rows)
    log(`${name.padEnd(width)}  ${value.padEnd(14)} ${target.padEnd(10)} ${result}`);

  const missed = rows.filter((r) => r[3] === 'MISSED').map((r) => r[0]);
  const md = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node.js ${process.version}, ${process.platform}/${process.arch}). Re-run it after a change; targets are reported here, never asserted in tests.`,
    '',
    '| measure | value | target | |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '## How each number is measured',
    '',
    `- **Bundle**: esbuild with the central stack's options (CommonJS, minified, Node.js 24 target, AWS SDK bundled). Largest contributors: ${bundle.topModules.map((m) => `${m.name} ${(m.bytes / 1000).toFixed(0)} kB`).join(', ')}.`,
    `- **Cold init**: a fresh \`node\` process \`require\`s the bundle (module evaluation, settings parsed, five SDK clients created at module scope), ${RUNS} runs, median (min ${ms(node.minMs)}, max ${ms(node.maxMs)}). The baseline, measured the same way in the same run, is the original single-account recipe: a fresh \`python3\` that imports boto3 and creates IAM and SNS clients${python.available ? ` (Python ${python.python}, boto3 ${python.boto3} from Debian; the Lambda baseline would be Python 3.13, which this machine's Debian does not serve: same library, similar import cost)` : ''}.`,
    `- **Round trips**: the real SDK clients with a recording fake HTTP handler (SDK serialization, signing, retries and parsing all run), 20 ms latency per call; the number is the longest chain of calls each waiting for the previous. Cold: ${trips.coldCalls.join(', ')}. Warm: ${trips.warmCalls.join(', ')}. These are the checker's own AWS calls; the finding store adds two DynamoDB requests in the home region to an alert's chain (the idempotency record before the check, the finding's conditional write before the Publish), so an alert takes ${trips.coldSequential + 2} sequential round trips cold and ${trips.warmSequential + 2} warm in a deployment: the price of one message per transition and of resolution notices (docs/adr/0009-finding-store-keys.md, "Round trips on the alert path").`,
    `- **Burst**: ${burst.events} CreateUser events across ${burst.accounts} accounts, 50 in flight at a time, through the same real clients; the fake AWS throttles 5% of first IAM attempts (seeded, repeatable). Outcomes: ${Object.entries(
      burst.outcomes,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ', ',
      )}; ${burst.iamCalls} IAM requests in total; ${burst.seconds.toFixed(2)} s of handler overhead. The throttled run is slower by design: after a Throttling answer the SDK's adaptive retry mode backs off and lowers its own send rate, which is what protects IAM's per-account quota in a real burst. The same burst without throttling shows the handler's own overhead (${calm.seconds.toFixed(2)} s, ${calm.failures} failures).`,
    `- **DynamoDB cost** (finding store and idempotency records; a model from the store's code, not a measurement): ${WORST_CASE_PATHS.map((p) => `${Math.round(p.share * 100)}% ${p.name} = ${p.writeUnits} WRU (${p.why})`).join('; ')}. Every item is under 1 KB (1 WRU per write; a failed conditional write is billed too). Prices: $${DYNAMODB_PRICES.perMillionWrites} per million write and $${DYNAMODB_PRICES.perMillionReads} per million read request units, ${DYNAMODB_PRICES.source}. Not per event: storage ($0.25/GB-month; a few MB), point-in-time recovery ($0.20/GB-month) and the table's KMS key ($1/month).`,
    sweepNotes(sweep, sweepModel),
    '- **Synth**: wall time of `npx cdk synth --quiet` (all stacks, the StackSet template, bundling, cdk-nag) into a temporary folder.',
    '',
    '## Where a target is missed',
    '',
    ...(missed.length === 0 ? ['Every target is met.'] : missed.map((name) => `- ${name}: ${explain(name)}`)),
    '',
  ].join('\n');
  await writeFormattedMarkdown(REPORT_FILE, md);
  log(`\nwrote ${REPORT_FILE}`);
  return 0;
}

function explain(name: string): string {
  if (name.startsWith('Bundle')) {
    return 'the bundle carries six AWS SDK clients (IAM, STS, SNS, SQS, Scheduler, DynamoDB) with their shared Smithy runtime, and since the integrations also the Security Hub client (about 260 kB, mostly its ASFF shapes). That client is loaded only on first use, and only deployments with `securityHub.enabled` use it, but esbuild still puts it in the one file. Marking `@aws-sdk/client-securityhub` external (the Lambda runtime ships an SDK) would take the bundle back to about 1.0 MB at the cost of an unpinned version for that client, against ADR 0005; we left it bundled and record the miss.';
  }
  if (name.startsWith('Cold init ratio')) {
    return `most of the time is evaluating the SDK's shared runtime (@smithy/core) and the IAM, STS and SNS clients: a bundle of only those three clients and the logger takes ~85% of the checker's init on this machine, and the ratio varies between runs. Each capability added to the event path has raised it: the finding store (DynamoDB client, Powertools idempotency: 0.57 to 0.66), then metrics (Powertools Metrics, created at module scope), chat formatting and the larger bundle of the integrations (0.62 to 0.87 in this run, on a loaded machine). Accepted for now, because each brings what the issues ask for on the event path; the next steps would be loading the SQS, Scheduler and Security Hub clients only on the paths that need them, and measuring on Lambda's Node.js 24 runtime, where V8's code cache narrows the gap, before changing code.`;
  }
  if (name.startsWith('Sweep') && name.includes('calls per account')) {
    return "a daily sweep finds every credential report older than the worker's 4-hour limit, so it regenerates it: GenerateCredentialReport and at least one more GetCredentialReport (the poll) on top of AssumeRole, the forward rule (DescribeRule, ListTargetsByRule) and the first GetCredentialReport; ListAccountAliases is added in accounts with a finding. Setting CREDENTIAL_REPORT_MAX_AGE_HOURS (1-24) above the sweep interval would skip the regeneration at the price of an older candidate list: a user whose MFA device was removed since the last report, with the event lost, would stay unseen one more day. We keep the fresher list.";
  }
  if (name.startsWith('cdk synth'))
    return 'synth includes esbuild bundling and cdk-nag; on a loaded machine it can exceed the target.';
  return 'see the measurement notes above.';
}

if (require.main === module) {
  void runTool('bench', () => main(process.argv.slice(2)), HINT).then((code) => {
    process.exitCode = code;
  });
}
