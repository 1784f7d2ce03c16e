// `npm run sweep [-- --account ID] [-- --local --account ID]`: start the org-wide sweep, or run its
// worker for one account on this machine (docs/operations.md, "Sweep").
import { runTool } from './cli';
import { HINT, runSweepCli } from './sweep/cli';

void runTool(
  'sweep',
  () => runSweepCli(process.argv.slice(2), { out: (text) => process.stdout.write(text) }),
  HINT,
).then((code) => {
  process.exitCode = code;
});
