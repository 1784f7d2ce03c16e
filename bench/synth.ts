import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Wall time of `cdk synth` for the whole app (example configuration, cdk-nag included). */
export function measureSynth(): { readonly ok: boolean; readonly seconds: number; readonly detail: string } {
  const output = mkdtempSync(join(tmpdir(), 'omw-bench-synth-'));
  const start = process.hrtime.bigint();
  const run = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', output], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { ok: run.status === 0, seconds, detail: run.status === 0 ? '' : run.stderr.trim().slice(-500) };
}
