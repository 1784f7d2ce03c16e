// `npm run test:e2e [-- --config my-org.json]`: the end-to-end test against a real sandbox
// (test/e2e/alert.e2e.test.ts). Vitest's own `--config` names its config file, so this wrapper takes the
// project's one configuration flag, validates the configuration, and hands the file to the test through
// the environment.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CONFIG_OPTION, loadConfig, parseCommandLine, runTool } from './cli';

/** Environment variable through which the e2e test receives the configuration file. */
export const E2E_CONFIG_ENV = 'ORG_MFA_WATCH_CONFIG_FILE';

const USAGE = `usage: npm run test:e2e [-- --config my-org.json]

End to end in a real sandbox organization: creates a throwaway IAM user in the security account and
waits for its alert. Preconditions (docs/deployment.md, "Verify end to end"): credentials of the
security account, AWS_REGION = homeRegion, all three stacks deployed, the security account inside a
targeted OU, and gracePeriodHours 0 or notifyOnCreate true. Skipped without credentials; fails at once,
naming what is missing, when a precondition does not hold.

options:
  --config FILE   configuration of the deployment (default: what cdk synth reads)
  --help          this text
`;
const HINT = 'Usage: npm run test:e2e [-- --config my-org.json]; --help for details';

function main(argv: readonly string[]): number {
  const { values } = parseCommandLine(argv, { ...CONFIG_OPTION, help: { type: 'boolean' } });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  loadConfig(values.config);
  const run = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.e2e.config.mts'], {
    stdio: 'inherit',
    env: { ...process.env, [E2E_CONFIG_ENV]: values.config === undefined ? '' : resolve(values.config) },
  });
  return run.status ?? 1;
}

if (require.main === module) {
  void runTool('test:e2e', () => main(process.argv.slice(2)), HINT).then((code) => {
    process.exitCode = code;
  });
}
