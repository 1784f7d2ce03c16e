import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthAppOnce, testAppProps, testConfig } from '../helpers/app';

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: unknown[];
    suppressedViolations: {
      ruleName: string;
      reason: string;
      violatingConstructs: { constructPath: string }[];
    }[];
  }[];
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['the example-like configuration', testConfig()],
    [
      'grace period 0, delegated admin',
      testConfig({
        gracePeriodHours: 0,
        rollout: { deployFrom: 'delegated-admin', organizationalUnitIds: ['r-ab12'] },
      }),
    ],
    [
      'tamper protection and enforcement on, a custom sweep schedule',
      testConfig({
        tamperProtection: { enabled: true, exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] },
        enforcement: { mode: 'quarantine', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
        sweep: { schedule: { expression: 'rate(12 hours)' }, maxConcurrency: 50 },
      }),
    ],
  ])(
    'finds nothing unacknowledged in any stack, the StackSet member template included (%s)',
    (_name, config) => {
      const app = synthAppOnce(config);
      const report = JSON.parse(
        readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'),
      ) as ValidationReport;
      const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
      expect(nag?.conclusion).toBe('success');
      expect(nag?.violations).toEqual([]);
      const acknowledged = nag?.suppressedViolations ?? [];
      // Every acknowledgement is scoped to a resource and carries a reason.
      for (const finding of acknowledged) {
        expect(finding.reason.length).toBeGreaterThan(20);
        expect(finding.violatingConstructs.every((c) => c.constructPath.split('/').length >= 3)).toBe(true);
      }
      // The StackSet template was checked too: its acknowledged findings are reported under its path.
      expect(
        acknowledged.some((f) =>
          f.violatingConstructs.some((c) => c.constructPath.includes('Rollout/MemberTemplate')),
        ),
      ).toBe(true);
    },
  );

  it('fails synth on an unacknowledged finding (the check is live)', () => {
    const app = new App(testAppProps());
    const stack = new Stack(app, 'Noncompliant');
    new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow();
  });
});

interface NagSuppression {
  readonly id: string;
  readonly reason: string;
}

/**
 * Load a synthesized template into a fresh stack with CfnInclude and run AwsSolutionsChecks on it
 * directly. CfnInclude keeps no construct metadata, so acknowledgements only count here if they
 * survived into the template as resource Metadata (`cdk_nag.rules_to_suppress`, written by
 * `writeSuppressionsToCloudFormation`): `replay` re-applies exactly those, resource by resource.
 */
function nagIncludedTemplate(file: string, replay: boolean) {
  const app = new App();
  const stack = new Stack(app, 'Included');
  const included = new CfnInclude(stack, 'Template', { templateFile: file });
  const template = JSON.parse(readFileSync(file, 'utf8')) as {
    Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress?: NagSuppression[] } } }>;
  };
  const replayed: NagSuppression[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    for (const rule of resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
      replayed.push(rule);
      if (replay) {
        const cfn: CfnResource = included.getResource(logicalId);
        // In a full synth the plugin-qualified form ("AwsSolutions::<rule>") is matched by the CDK's
        // validation report; validateScope consults only the bare rule id on the construct.
        const id = rule.id.replace(/^AwsSolutions::/, '');
        Validations.of(cfn).acknowledge({ id, reason: rule.reason });
      }
    }
  }
  return { report: new AwsSolutionsChecks().validateScope(stack), replayed };
}

describe.each([
  ['enforcement off', testConfig()],
  ['enforcement on (quarantine policy, enforce role)', testConfig({ enforcement: { mode: 'quarantine' } })],
])('cdk-nag on the StackSet member template file itself (%s)', (_name, config) => {
  const outdir = synthAppOnce(config).outdir;
  const memberFile = readdirSync(outdir).find((f) => f.endsWith('.stackset.template.json'));
  const path = join(outdir, memberFile ?? 'missing.stackset.template.json');

  it('has no unacknowledged finding, counting only acknowledgements written into the template', () => {
    const { report, replayed } = nagIncludedTemplate(path, true);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
    for (const rule of replayed) expect(rule.reason.length).toBeGreaterThan(20);
  });

  it('would fail without those acknowledgements (the check sees the included resources)', () => {
    const { report } = nagIncludedTemplate(path, false);
    const rules = report.violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3']));
    expect(rules.some((r) => r.startsWith('AwsSolutions-IAM5'))).toBe(true);
  });
});
