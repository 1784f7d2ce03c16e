// `npm run doctor [-- --config path.json]`: read-only preflight against the operator's AWS credentials.
import { runTool } from '../scripts/cli';
import { main } from '../scripts/doctor/cli';

void runTool(
  'doctor',
  () => main(process.argv.slice(2), (text) => process.stdout.write(text)),
  'Usage: npm run doctor [-- --config my-org.json]; --help for details',
).then((code) => {
  process.exitCode = code;
});
