import { build, type Metafile } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildOptionsOf, FUNCTION_BUNDLING } from '../stacks/constructs/bundling';
import { CHECKER_ENTRY } from '../stacks/constructs/checker-function';
import { SWEEP_ENTRIES } from '../stacks/constructs/sweep';

/** Size of one bundled function, and the packages that dominate it. */
export interface BundleReport {
  readonly name: FunctionName;
  readonly file: string;
  readonly bytes: number;
  readonly topModules: readonly { readonly name: string; readonly bytes: number }[];
}

/** Every function the central stack bundles, by its entry point there. */
export const FUNCTION_ENTRIES = {
  checker: CHECKER_ENTRY,
  'sweep planner': SWEEP_ENTRIES.planner,
  'sweep worker': SWEEP_ENTRIES.worker,
  'sweep reporter': SWEEP_ENTRIES.reporter,
} as const;

/** A function's name in the report. */
export type FunctionName = keyof typeof FUNCTION_ENTRIES;

function packageOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match?.[1] ?? '(project code)';
}

/** Bundle one function the way the central stack does and attribute the output bytes to packages. */
async function bundleOne(name: FunctionName, outdir: string): Promise<BundleReport> {
  const file = join(outdir, name.replace(/ /g, '-'), 'index.js');
  const result = await build({
    ...esbuildOptionsOf(FUNCTION_BUNDLING),
    entryPoints: [FUNCTION_ENTRIES[name]],
    outfile: file,
    metafile: true,
    logLevel: 'silent',
  });
  const meta: Metafile = result.metafile;
  // With source maps the metafile also lists index.js.map: the bundle is the .js output.
  const output = Object.entries(meta.outputs).find(([path]) => path.endsWith('.js'))?.[1];
  if (!output) throw new Error(`esbuild produced no output for ${name}`);
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const pkg = packageOf(path);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + input.bytesInOutput);
  }
  const topModules = [...byPackage.entries()]
    .map(([pkg, bytes]) => ({ name: pkg, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
  return { name, file, bytes: output.bytes, topModules };
}

/** Bundle every function with the stack's options (stacks/constructs/bundling.ts). */
export async function measureBundles(): Promise<readonly BundleReport[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'omw-bench-'));
  const names = Object.keys(FUNCTION_ENTRIES) as FunctionName[];
  return Promise.all(names.map((name) => bundleOne(name, outdir)));
}
