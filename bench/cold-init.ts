import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Median and spread of repeated cold-init measurements, in milliseconds. */
export interface Timing {
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs: sorted.length, medianMs: median, minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]! };
}

/** Environment the checker needs at init (values are placeholders; nothing is called). */
/** Same variables the central stack sets. */
export const BENCH_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
  AWS_SECRET_ACCESS_KEY: 'bench-secret',
  CHECK_ROLE_NAME: 'org-mfa-watch-check',
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts',
  ALERT_LOCALE: 'en',
  ALERT_TIME_ZONE: 'UTC',
  QUARANTINE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/222222222222/quarantine',
  GRACE_PERIOD_HOURS: '24',
  NOTIFY_ON_CREATE: 'true',
  EXEMPTIONS: '[]',
  TRUST_EXEMPTION_TAGS: 'false',
  FINDINGS_TABLE_NAME: 'org-mfa-watch-findings',
  FINDINGS_RESOLVED_RETENTION_DAYS: '90',
  SCHEDULE_GROUP_NAME: 'org-mfa-watch',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::222222222222:role/org-mfa-watch-scheduler',
  RECHECK_DLQ_ARN: 'arn:aws:sqs:us-east-1:222222222222:recheck-dlq',
  POWERTOOLS_LOG_LEVEL: 'WARN',
};

/** How the Lambda runtime may load a CommonJS handler file: `require`, or `import()` (ESM loader). */
export type LoadMode = 'require' | 'import';

/** A child script that loads the bundle one way and prints the milliseconds, failing without `handler`. */
function loaderScript(bundleFile: string, mode: LoadMode): string {
  const check = `if(typeof m.handler!=='function')throw new Error('no handler export');`;
  if (mode === 'require') {
    return `const t=performance.now();const m=require(${JSON.stringify(bundleFile)});const d=performance.now()-t;${check}process.stdout.write(String(d));`;
  }
  const url = pathToFileURL(bundleFile).href;
  return `const t=performance.now();import(${JSON.stringify(url)}).then((m)=>{const d=performance.now()-t;${check}process.stdout.write(String(d));});`;
}

/**
 * Load the bundled handler in a fresh Node.js process, `runs` times; each child reports the time from
 * just before `require` (or `import()`) to just after: parsing, module evaluation, module-scope SDK
 * clients; through `import()` also Node's scan of the CommonJS file for its exports.
 */
export function measureNodeColdInit(bundleFile: string, runs: number, mode: LoadMode = 'require'): Timing {
  const script = loaderScript(bundleFile, mode);
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const child = spawnSync(process.execPath, ['-e', script], {
      env: { ...process.env, ...BENCH_ENV, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`cold init run failed: ${child.stderr}`);
    samples.push(Number(child.stdout));
  }
  return summarize(samples);
}

/** Debian's interpreter: the one `apt-get install python3-boto3` serves (a pyenv python3 would not see it). */
const DEBIAN_PYTHON = '/usr/bin/python3';

/** The baseline a team would otherwise run: a Python Lambda that imports boto3 and makes IAM and SNS clients. */
const PYTHON_BASELINE = [
  'import time',
  't = time.perf_counter()',
  'import boto3',
  "iam = boto3.client('iam', region_name='us-east-1')",
  "sns = boto3.client('sns', region_name='us-east-1')",
  'print((time.perf_counter() - t) * 1000)',
].join('\n');

/** Result of the baseline measurement, or why it could not be taken. */
export type BaselineResult =
  | { readonly available: true; readonly python: string; readonly boto3: string; readonly timing: Timing }
  | { readonly available: false; readonly reason: string };

function pythonHasBoto3(): boolean {
  return (
    existsSync(DEBIAN_PYTHON) &&
    spawnSync(DEBIAN_PYTHON, ['-c', 'import boto3'], { encoding: 'utf8' }).status === 0
  );
}

/** Install python3-boto3 from Debian when missing (we run as root on these machines). */
function ensureBoto3(): string | undefined {
  if (pythonHasBoto3()) return undefined;
  process.stdout.write('python3-boto3 is missing: installing it from Debian (apt-get)...\n');
  const update = spawnSync('apt-get', ['update', '-qq'], { encoding: 'utf8' });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', 'python3-boto3'], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (pythonHasBoto3()) return undefined;
  return `could not install python3-boto3 (apt-get update exit ${update.status ?? 'none'}, install exit ${
    install.status ?? 'none'
  }: ${(install.stderr || update.stderr || '').trim().split('\n').slice(-1)[0] ?? ''})`;
}

/** Cold init of the Python/boto3 baseline, measured the same way (fresh process, import to clients). */
export function measurePythonBaseline(runs: number): BaselineResult {
  const problem = ensureBoto3();
  if (problem !== undefined) return { available: false, reason: problem };
  const version = spawnSync(
    DEBIAN_PYTHON,
    ['-c', 'import sys, boto3; print(sys.version.split()[0], boto3.__version__)'],
    { encoding: 'utf8' },
  ).stdout.trim();
  const [python = '?', boto3 = '?'] = version.split(' ');
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const child = spawnSync(DEBIAN_PYTHON, ['-c', PYTHON_BASELINE], {
      encoding: 'utf8',
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK', AWS_SECRET_ACCESS_KEY: 'bench-secret' },
    });
    if (child.status !== 0)
      return { available: false, reason: `baseline run failed: ${child.stderr.trim()}` };
    samples.push(Number(child.stdout));
  }
  return { available: true, python, boto3, timing: summarize(samples) };
}
