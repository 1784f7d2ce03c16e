// `npm run docs:diagram`: writes docs/architecture.dot from the shared names and renders
// docs/architecture.svg with Graphviz. Graphviz is an optional prerequisite: this script never installs
// system packages itself (that needs root and changes the machine); without `dot` it says what to
// install and exits 1 before writing anything, so the .dot and .svg never disagree.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { architectureDot } from './architecture-dot';

const DOT_FILE = 'docs/architecture.dot';
const SVG_FILE = 'docs/architecture.svg';

if (spawnSync('dot', ['-V'], { stdio: 'ignore' }).status !== 0) {
  console.error(
    'docs:diagram: Graphviz `dot` was not found in PATH. Install the Graphviz package ' +
      '(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz) and rerun. Nothing was written.',
  );
  process.exit(1);
}
writeFileSync(DOT_FILE, architectureDot());
console.log(`wrote ${DOT_FILE}`);
if (spawnSync('dot', ['-Tsvg', DOT_FILE, '-o', SVG_FILE], { stdio: 'inherit' }).status !== 0) process.exit(1);
console.log(`rendered ${SVG_FILE}`);
