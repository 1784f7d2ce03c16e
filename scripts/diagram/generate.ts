// `npm run docs:diagram`: writes docs/architecture.dot from the shared names and renders
// docs/architecture.svg with Graphviz, installing the Debian package when `dot` is missing.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { architectureDot } from './architecture-dot';

const DOT_FILE = 'docs/architecture.dot';
const SVG_FILE = 'docs/architecture.svg';

function run(cmd: string, args: readonly string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'inherit' }).status === 0;
}

writeFileSync(DOT_FILE, architectureDot());
console.log(`wrote ${DOT_FILE}`);
if (spawnSync('dot', ['-V'], { stdio: 'ignore' }).status !== 0) {
  console.log('Graphviz `dot` not found: installing the Debian package graphviz');
  if (!run('apt-get', ['update']) || !run('apt-get', ['install', '-y', 'graphviz'])) {
    console.error('could not install graphviz; install it and rerun (the DOT source is written)');
    process.exit(1);
  }
}
if (!run('dot', ['-Tsvg', DOT_FILE, '-o', SVG_FILE])) process.exit(1);
console.log(`rendered ${SVG_FILE}`);
