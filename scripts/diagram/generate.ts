// `npm run docs:diagram`: writes docs/architecture.dot from the shared names and renders
// docs/architecture.svg with Graphviz. Graphviz is an optional prerequisite: this script never installs
// system packages itself (that needs root and changes the machine); without `dot` it says what to
// install and exits 1 before writing anything, so the .dot and .svg never disagree.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parseCommandLine, runTool } from '../cli';
import { architectureDot } from './architecture-dot';

const DOT_FILE = 'docs/architecture.dot';
const SVG_FILE = 'docs/architecture.svg';

const USAGE = `usage: npm run docs:diagram

Writes ${DOT_FILE} from the shared resource names and renders ${SVG_FILE} with Graphviz (\`dot\`,
an optional prerequisite this tool never installs). Offline; reads no configuration.
Exit code 0 when both are written, 1 without Graphviz (nothing written), 2 on bad usage.

options:
  --help          this text
`;
const HINT = 'Usage: npm run docs:diagram; --help for details';

function main(argv: readonly string[]): number {
  const { values } = parseCommandLine(argv, { help: { type: 'boolean' } });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (spawnSync('dot', ['-V'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write(
      'docs:diagram: Graphviz `dot` was not found in PATH. Install the Graphviz package ' +
        '(Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz) and rerun. Nothing was written.\n',
    );
    return 1;
  }
  writeFileSync(DOT_FILE, architectureDot());
  process.stdout.write(`wrote ${DOT_FILE}\n`);
  if (spawnSync('dot', ['-Tsvg', DOT_FILE, '-o', SVG_FILE], { stdio: 'inherit' }).status !== 0) return 1;
  process.stdout.write(`rendered ${SVG_FILE}\n`);
  return 0;
}

void runTool('docs:diagram', () => main(process.argv.slice(2)), HINT).then((code) => {
  process.exitCode = code;
});
