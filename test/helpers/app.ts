import { App } from 'aws-cdk-lib';
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

/** Synthesize the whole app (with cdk-nag) from a configuration; throws if validation fails. */
export function synthApp(config: AppConfig = testConfig()): SynthesizedApp {
  const app = new App();
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
