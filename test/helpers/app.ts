import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../../bin/app';
import { parseConfig, type AppConfig } from '../../stacks/config';
import { STACK_IDS } from '../../stacks/names';

/** A complete, valid raw configuration for tests (never read from cdk.json). */
export function rawTestConfig(): Record<string, unknown> {
  return {
    organizationId: 'o-a1b2c3d4e5',
    managementAccountId: '111111111111',
    securityAccountId: '222222222222',
    homeRegion: 'eu-central-1',
    rollout: { deployFrom: 'management', organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'] },
    notifications: {
      emails: ['secops@example.com', 'oncall@example.com'],
      locale: 'ko',
      timeZone: 'Asia/Seoul',
    },
    gracePeriodHours: 24,
    notifyOnCreate: true,
    exemptions: [
      {
        accountId: '333333333333',
        userName: 'legacy-bridge',
        reason: 'vendor appliance',
        expires: '2027-03-31',
      },
    ],
    archiveRetentionDays: 90,
  };
}

/** The test configuration, parsed, with top-level overrides. */
export function testConfig(overrides: Record<string, unknown> = {}): AppConfig {
  return parseConfig({ ...rawTestConfig(), ...overrides });
}

/** Templates of one synthesized app. */
export interface SynthesizedApp {
  readonly central: Template;
  readonly rollout: Template;
  readonly management: Template;
  /** The StackSet member template (written as its own file; Template.fromStack cannot read it). */
  readonly member: Template;
  readonly memberTemplateJson: Record<string, unknown>;
  readonly outdir: string;
}

/**
 * App settings of a stack test: no esbuild bundling and no built-in CloudFormation validation, so a
 * synthesis takes well under a second instead of seconds.
 * - `aws:cdk:bundling-stacks: []` makes CDK skip asset bundling for every stack (no stack matches): the
 *   template is the same except the asset hash in the function's `Code`. No stack test reads function
 *   code; test/stacks/bundle.test.ts is the one test that bundles for real and loads the bundles.
 * - `builtinCloudFormationValidation: false`: aws-cdk-lib's own template validation starts a WebAssembly
 *   engine (about 4 s per process) and only warns; test/stacks/bundle.test.ts runs it, strictly, once.
 */
export function testAppProps(props: AppProps = {}): AppProps {
  return {
    ...props,
    context: { 'aws:cdk:bundling-stacks': [], ...props.context },
    builtinCloudFormationValidation: props.builtinCloudFormationValidation ?? false,
  };
}

/** Options of {@link synthApp}. */
export interface SynthOptions {
  /**
   * Bundle the functions with esbuild and run CDK's built-in CloudFormation validation, as `cdk synth`
   * does. Only test/stacks/bundle.test.ts needs this.
   * @default false
   */
  readonly real?: boolean;
}

/**
 * Synthesize the whole app (with cdk-nag) from a configuration; throws if validation fails. Skips
 * bundling ({@link testAppProps}) unless `options.real`. A stack test reads one configuration from
 * {@link synthAppOnce} instead, so the file synthesizes it once, whatever the number of tests.
 */
export function synthApp(config: AppConfig = testConfig(), options: SynthOptions = {}): SynthesizedApp {
  // Real: as cdk synth, with CDK's template validation failing the synth on an error (it only warns
  // by default), so the one real synthesis of the tests also proves the templates valid.
  const app = new App(
    options.real === true
      ? { context: { '@aws-cdk/core:validateAgainstDefaultRules': true } }
      : testAppProps(),
  );
  buildApp(app, config);
  const assembly = app.synth();
  const template = (id: string) =>
    Template.fromJSON(
      JSON.parse(readFileSync(join(assembly.directory, `${id}.template.json`), 'utf8')) as Record<
        string,
        unknown
      >,
    );
  const memberFile = readdirSync(assembly.directory).find((f) => f.endsWith('.stackset.template.json'));
  if (!memberFile) throw new Error('no StackSet member template in the assembly');
  const memberTemplateJson = JSON.parse(readFileSync(join(assembly.directory, memberFile), 'utf8')) as Record<
    string,
    unknown
  >;
  return {
    central: template(STACK_IDS.central),
    rollout: template(STACK_IDS.rollout),
    management: template(STACK_IDS.managementMember),
    member: Template.fromJSON(memberTemplateJson),
    memberTemplateJson,
    outdir: assembly.directory,
  };
}

const synthesized = new Map<string, SynthesizedApp>();

/**
 * The app synthesized from `config`, once per test file: the first call synthesizes (no bundling, see
 * {@link testAppProps}), later calls with an equal configuration return the same templates. Vitest
 * runs each test file in its own process, so the memo never leaks between files.
 *
 * How a stack test should use it (new tests too): call it in `beforeAll` or at the top of a `describe`,
 * or inside an `it` for a configuration only that test reads; never build an `App` per test. Treat the
 * templates as read-only (Template assertions do not mutate them).
 * @example
 *   let app: SynthesizedApp;
 *   beforeAll(() => { app = synthAppOnce(testConfig({ securityHub: { enabled: true } })); });
 */
export function synthAppOnce(config: AppConfig = testConfig()): SynthesizedApp {
  const key = JSON.stringify(config);
  let app = synthesized.get(key);
  if (app === undefined) {
    app = synthApp(config);
    synthesized.set(key, app);
  }
  return app;
}
