// `npm run test:e2e [-- --config my-org.json]`: the end-to-end test against a real sandbox
// (test/e2e/alert.e2e.test.ts). Vitest's own `--config` names its config file, so this wrapper takes the
// project's one configuration flag, validates the configuration, and hands the file to the test through
// the environment.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { awsFailureKind, awsFailureLine } from './aws-failure';
import { CONFIG_OPTION, loadToolConfig, parseCommandLine, runTool } from './cli';

/** Environment variable through which the e2e test receives the configuration file. */
export const E2E_CONFIG_ENV = 'ORG_MFA_WATCH_CONFIG_FILE';

const USAGE = `usage: npm run test:e2e [-- --config my-org.json]

End to end in a real sandbox organization: creates a throwaway IAM user in the security account and
waits for its alert. Preconditions (docs/deployment.md, "Verify end to end"): credentials of the
security account, AWS_REGION = homeRegion, all three stacks deployed, the security account inside a
targeted OU, and gracePeriodHours 0 or notifyOnCreate true. Skipped (exit 0) without credentials;
fails (exit 1) when AWS cannot be reached, and at once, naming what is missing, when a precondition
does not hold.

options:
  --config FILE   configuration of the deployment (or ORG_MFA_WATCH_CONFIG=FILE); the example
                  organization of cdk.json is refused
  --help          this text
`;
const HINT = 'Usage: npm run test:e2e [-- --config my-org.json]; --help for details';

/**
 * Whether AWS can be asked at all: no credentials is a skip (exit 0, said so); anything else that stops
 * the first call (no network, rejected credentials) throws, and runTool reports it in one line, exit 1.
 */
async function credentialsPresent(region: string): Promise<boolean> {
  const sts = new STSClient({ region, maxAttempts: 2 });
  try {
    await sts.send(new GetCallerIdentityCommand({}));
    return true;
  } catch (error) {
    if (awsFailureKind(error) !== 'no-credentials') throw error;
    process.stderr.write(
      `test:e2e: skipped: ${awsFailureLine(error) ?? 'no AWS credentials'}; run it in a sandbox with security-account credentials after deploying\n`,
    );
    return false;
  } finally {
    sts.destroy();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const { values } = parseCommandLine(argv, { ...CONFIG_OPTION, help: { type: 'boolean' } });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadToolConfig('test:e2e', values.config, { touchesAws: true });
  if (!(await credentialsPresent(process.env.AWS_REGION ?? config.homeRegion))) return 0;
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
