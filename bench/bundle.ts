import { build, type Metafile } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Size of the bundled checker, and the packages that dominate it. */
export interface BundleReport {
  readonly file: string;
  readonly bytes: number;
  readonly topModules: readonly { readonly name: string; readonly bytes: number }[];
}

/** The checker's entry point, as the central stack bundles it. */
export const CHECKER_ENTRY = 'functions/checker/handler.ts';

function packageOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match?.[1] ?? '(project code)';
}

/**
 * Bundle the checker the way NodejsFunction does in the central stack (esbuild, CommonJS, minified,
 * Node.js 24, AWS SDK bundled) and attribute the output bytes to packages.
 */
export async function measureBundle(): Promise<BundleReport> {
  const outdir = mkdtempSync(join(tmpdir(), 'omw-bench-'));
  const file = join(outdir, 'index.js');
  const result = await build({
    entryPoints: [CHECKER_ENTRY],
    outfile: file,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    metafile: true,
    logLevel: 'silent',
  });
  const meta: Metafile = result.metafile;
  const output = Object.values(meta.outputs)[0];
  if (!output) throw new Error('esbuild produced no output');
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const name = packageOf(path);
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  const topModules = [...byPackage.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
  return { file, bytes: output.bytes, topModules };
}
