import { App } from 'aws-cdk-lib';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../bin/app';
import { parseConfig, type AppConfig } from '../../stacks/config';
import { testConfig, testAppProps } from '../helpers/app';

// The AWS CloudFormation linter (cfn-lint, https://github.com/aws-cloudformation/cfn-lint) over every
// template the app synthesizes, the StackSet member template included, once per configuration (one
// cfn-lint run each: it loads its schemas once). Any error or warning fails. A finding is ignored only
// for one rule on one resource, with CloudFormation Metadata `cfn-lint: { config: { ignore_checks } }`
// set in the CDK code beside the reason (cfn-lint README, "Metadata").

interface LintMatch {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
  readonly Location: { readonly Path?: readonly (string | number)[] };
}

/** The configuration in cdk.json (what `cdk synth` deploys with no edits). */
function exampleConfig(): AppConfig {
  const cdkJson = JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> };
  return parseConfig(cdkJson.context.orgMfaWatch);
}

/**
 * Every option on: chat (Slack and Teams), Security Hub, the dashboard, tamper protection with trails,
 * enforcement (quarantine).
 */
function everythingOn(): AppConfig {
  return testConfig({
    chat: {
      slack: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' }],
      teams: {
        teamId: '74361522-da01-538d-aa2e-ac7918c6bb92',
        tenantId: 'a1b2c3d4-0000-4000-8000-123456789abc',
        channelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
      },
    },
    securityHub: { enabled: true },
    dashboard: { enabled: true },
    tamperProtection: {
      enabled: true,
      exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'],
      protectTrails: true,
    },
    enforcement: { mode: 'quarantine', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
  });
}

/** Synthesize without bundling (the templates are what is linted) and return the template files. */
function templatesOf(config: AppConfig): string[] {
  const app = new App(testAppProps());
  buildApp(app, config);
  const dir = app.synth().directory;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => join(dir, f));
}

function lint(files: readonly string[]): LintMatch[] {
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8' });
  if (run.error !== undefined)
    throw new Error(`cfn-lint could not run (is it installed?): ${run.error.message}`);
  // Exit code: bit flags for errors (2), warnings (4), informational (8); 1 for a crash.
  if (run.status === 1 || run.stdout.trim() === '') {
    throw new Error(`cfn-lint failed: ${run.stderr || run.stdout}`);
  }
  return JSON.parse(run.stdout) as LintMatch[];
}

/** `file/resource: rule` for every ignored rule without a written reason beside it. */
function unexplainedIgnores(files: readonly string[]): string[] {
  type Resource = { Metadata?: Record<string, unknown> };
  return files.flatMap((file) => {
    const { Resources } = JSON.parse(readFileSync(file, 'utf8')) as { Resources: Record<string, Resource> };
    return Object.entries(Resources).flatMap(([id, resource]) => {
      const lint = resource.Metadata?.['cfn-lint'] as { config?: { ignore_checks?: string[] } } | undefined;
      const reasons = (resource.Metadata?.['cfn-lint-reasons'] ?? {}) as Record<string, string>;
      return (lint?.config?.ignore_checks ?? [])
        .filter((rule) => (reasons[rule] ?? '').length < 20)
        .map((rule) => `${file.split('/').pop() ?? ''}/${id}: ${rule}`);
    });
  });
}

const describeMatch = (m: LintMatch) =>
  `${m.Level} ${m.Rule.Id} ${m.Filename.split('/').pop() ?? ''} ${(m.Location.Path ?? []).join('/')}: ${m.Message}`;

describe('cfn-lint over every synthesized template', () => {
  it.each([
    ['the example configuration (cdk.json)', exampleConfig],
    ['every option on', everythingOn],
  ])(
    '%s: no error and no warning',
    (_name, config) => {
      const files = templatesOf(config());
      expect(files.some((f) => f.endsWith('.stackset.template.json'))).toBe(true);
      expect(files.length).toBeGreaterThanOrEqual(4);
      const findings = lint(files).filter((m) => m.Level === 'Error' || m.Level === 'Warning');
      expect(findings.map(describeMatch)).toEqual([]);
      expect(unexplainedIgnores(files)).toEqual([]);
    },
    120_000,
  );

  it('the gate is live: cfn-lint reports an error in a broken template', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfn-lint-')), 'broken.template.json');
    writeFileSync(
      file,
      JSON.stringify({
        Resources: { Broken: { Type: 'AWS::SQS::Queue', Properties: { NoSuchProperty: true } } },
      }),
    );
    expect(lint([file]).map((m) => m.Rule.Id)).toContain('E3002');
  }, 60_000);
});
