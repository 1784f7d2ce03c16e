// `npm run doctor [-- --config path.json]`: read-only preflight against the operator's AWS credentials.
import { main } from '../scripts/doctor/cli';

void main(process.argv.slice(2), (text) => process.stdout.write(text)).then((code) => {
  process.exitCode = code;
});
