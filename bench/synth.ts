import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Wall time of `cdk synth` for the whole app (cdk-nag included), with the configuration file given to
 * `npm run bench --config` passed as CDK's `-c configFile=`, else what cdk synth reads by default.
 */
export function measureSynth(configFile?: string): {
  readonly ok: boolean;
  readonly seconds: number;
  readonly detail: string;
} {
  const output = mkdtempSync(join(tmpdir(), 'omw-bench-synth-'));
  const start = process.hrtime.bigint();
  const context = configFile === undefined ? [] : ['-c', `configFile=${configFile}`];
  const run = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', output, ...context], {
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { ok: run.status === 0, seconds, detail: run.status === 0 ? '' : run.stderr.trim().slice(-500) };
}
