#!/usr/bin/env node
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CentralStack } from '../stacks/central-stack';
import { ConfigError, configWarnings, parseConfig, rolloutAccountId, type AppConfig } from '../stacks/config';
import { ManagementMemberStack } from '../stacks/management-member-stack';
import { MEMBER_REGION, STACK_IDS } from '../stacks/names';
import { RolloutStack } from '../stacks/rollout-stack';

/** Context key of the inline configuration in cdk.json. */
const CONFIG_CONTEXT_KEY = 'orgMfaWatch';
/** Context key naming a JSON configuration file (`cdk synth -c configFile=./my-org.json`). */
const CONFIG_FILE_CONTEXT_KEY = 'configFile';

function readRawConfig(app: App): unknown {
  const file: unknown = app.node.tryGetContext(CONFIG_FILE_CONTEXT_KEY);
  if (typeof file === 'string' && file !== '') {
    try {
      return JSON.parse(readFileSync(resolve(file), 'utf8')) as unknown;
    } catch (error) {
      // An unreadable or non-JSON file is a configuration problem: report it like one, in one line.
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError([`configFile ${file}: ${reason}`]);
    }
  }
  return app.node.tryGetContext(CONFIG_CONTEXT_KEY);
}

/** Build the whole app from a validated configuration (also used by tests and benchmarks). */
export function buildApp(app: App, config: AppConfig): void {
  new CentralStack(app, STACK_IDS.central, {
    config,
    env: { account: config.securityAccountId, region: config.homeRegion },
    description: 'org-mfa-watch central: bus, MFA checker, alert topic (security account)',
  });
  new ManagementMemberStack(app, STACK_IDS.managementMember, {
    config,
    env: { account: config.managementAccountId, region: MEMBER_REGION },
    description: 'org-mfa-watch member resources in the management account',
  });
  new RolloutStack(app, STACK_IDS.rollout, {
    config,
    env: { account: rolloutAccountId(config), region: MEMBER_REGION },
    description: 'org-mfa-watch rollout: StackSet of the member resources to every account',
  });
  Tags.of(app).add('project', 'org-mfa-watch');
  // Fails synth on any AwsSolutions finding that is not acknowledged with a reason. The acknowledgements
  // are also written into each resource's Metadata (cdk_nag), so they travel with the StackSet template.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
}

function main(): void {
  // aws-cdk-lib's built-in CloudFormation schema validation only warns by default and costs about 4 s
  // of WebAssembly start-up plus its checks (20 of 33 s of `cdk synth` on a 2-core machine): off here;
  // test/stacks/bundle.test.ts runs it in strict mode (errors fail) on a real synthesis of the app.
  const app = new App({ builtinCloudFormationValidation: false });
  let config: AppConfig;
  try {
    config = parseConfig(readRawConfig(app));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Warnings name what to clean up without failing the synth (see configWarnings for why).
  for (const warning of configWarnings(config, new Date())) process.stderr.write(`Warning: ${warning}\n`);
  buildApp(app, config);
  app.synth();
}

if (require.main === module) main();
