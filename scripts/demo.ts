// `npm run demo [-- --locale ko --chat --json --out DIR]`: the whole product on a simulated
// organization, offline, in this process (scripts/demo/).
import { runTool } from './cli';
import { HINT, main } from './demo/cli';

// The functions' output is captured while they run; the demo writes through the stream's own write.
const write = process.stdout.write.bind(process.stdout);

void runTool('demo', () => main(process.argv.slice(2), (text) => write(text)), HINT).then(
  (code) => {
    // Timers of the loaded functions (SDK sockets, caches) must not keep the demo alive.
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(
      `demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
