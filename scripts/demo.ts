// `npm run demo [-- --locale ko --chat --json --out DIR]`: the whole product on a simulated
// organization, offline, in this process (scripts/demo/).
import { runTool } from './cli';
import { FunctionTimeoutError } from './demo/bundles';
import { HINT, main } from './demo/cli';
import { SimulationGapError } from './demo/runtime';

// The functions' output is captured while they run; the demo writes through the stream's own write.
const write = process.stdout.write.bind(process.stdout);

void runTool('demo', () => main(process.argv.slice(2), (text) => write(text)), HINT).then(
  (code) => {
    // Timers of the loaded functions (SDK sockets, caches) must not keep the demo alive.
    process.exit(code);
  },
  (error: unknown) => {
    // A gap in the simulation or a hung function is named in one line; anything else is a bug: its stack.
    const known = error instanceof SimulationGapError || error instanceof FunctionTimeoutError;
    const text =
      error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error);
    process.stderr.write(`demo: ${text}\n`);
    process.exit(1);
  },
);
