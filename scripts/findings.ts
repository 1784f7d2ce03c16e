// `npm run findings [-- --json --account ID --severity HIGH --all --config my-org.json]`: the open
// findings of the finding store, with the operator's (security-account) AWS credentials; also
// `suppress`, `unsuppress` and `release` (a quarantined user, by hand).
import { main } from './findings/cli';

void main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
