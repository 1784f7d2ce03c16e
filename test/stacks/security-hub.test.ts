import { Match } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SWEEP_ENV } from '../../functions/contract/sweep';
import { CHECKER_ENV } from '../../functions/contract/contract';
import { synthAppOnce, testConfig, type SynthesizedApp } from '../helpers/app';
import {
  logicalIdOf,
  policiesOfRole,
  simulate,
  type PolicyDocument,
  withoutCondition,
} from '../helpers/policy-simulation';

const MEMBER = '333333333333';
const OTHER = '444444444444';
const HOME = 'eu-central-1'; // testConfig's homeRegion
const CHECK_ROLE = `arn:aws:iam::${MEMBER}:role/org-mfa-watch-check`;
const productArn = (account: string, region = HOME) =>
  `arn:aws:securityhub:${region}:${account}:product/${account}/default`;

const IMPORT_STATEMENT = {
  Sid: 'ImportOwnFindingsToSecurityHub',
  Effect: 'Allow',
  Action: 'securityhub:BatchImportFindings',
  Resource: {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        `:securityhub:${HOME}:`,
        { Ref: 'AWS::AccountId' },
        ':product/',
        { Ref: 'AWS::AccountId' },
        '/default',
      ],
    ],
  },
  Condition: { StringEquals: { 'securityhub:TargetAccount': { Ref: 'AWS::AccountId' } } },
};

let enabled: SynthesizedApp;
let disabled: SynthesizedApp;

beforeAll(() => {
  enabled = synthAppOnce(testConfig({ securityHub: { enabled: true } }));
  disabled = synthAppOnce(testConfig());
}, 120_000);

describe('the securityHub configuration', () => {
  it('is off unless configured, and names the field of a bad value', () => {
    expect(testConfig().securityHub).toEqual({ enabled: false, reimportAfterDays: 30 });
    expect(testConfig({ securityHub: { enabled: true } }).securityHub).toEqual({
      enabled: true,
      reimportAfterDays: 30,
    });
    expect(() => testConfig({ securityHub: { enabled: 'yes' } })).toThrow(
      /securityHub\.enabled: expected true or false/,
    );
    expect(() => testConfig({ securityHub: { enabled: true, regions: ['us-east-1'] } })).toThrow(
      /securityHub: unknown field\(s\) "regions"/,
    );
  });

  // Security Hub deletes a finding 90 days after its last update (AWS Security Hub User Guide, "Findings
  // in Security Hub"): a re-import age of 90 days or more would let findings vanish.
  it.each([0, 90, 12.5, '30'])('rejects reimportAfterDays %j, naming the field', (value) => {
    expect(() => testConfig({ securityHub: { enabled: true, reimportAfterDays: value } })).toThrow(
      /securityHub\.reimportAfterDays: expected/,
    );
  });

  it('accepts reimportAfterDays from 1 to 89', () => {
    expect(
      testConfig({ securityHub: { enabled: true, reimportAfterDays: 1 } }).securityHub.reimportAfterDays,
    ).toBe(1);
    expect(
      testConfig({ securityHub: { enabled: true, reimportAfterDays: 89 } }).securityHub.reimportAfterDays,
    ).toBe(89);
  });
});

describe('Security Hub export in the member template', () => {
  it.each([
    ['StackSet member template', () => enabled.member],
    ['management-account stack', () => enabled.management],
  ])(
    'lets the check role import to its own default product in the home region when enabled (%s)',
    (_name, template) => {
      template().hasResourceProperties('AWS::IAM::Policy', {
        PolicyName: Match.stringLikeRegexp('CheckRole'),
        PolicyDocument: { Statement: Match.arrayWith([IMPORT_STATEMENT]) },
      });
    },
  );

  it.each([
    ['StackSet member template', () => disabled.member],
    ['management-account stack', () => disabled.management],
  ])('carries no Security Hub permission when the export is off (%s)', (_name, template) => {
    expect(JSON.stringify(template().toJSON())).not.toContain('securityhub');
  });

  it('keeps the member template free of literal partitions and parameters with the export on', () => {
    const text = JSON.stringify(enabled.memberTemplateJson);
    expect(text).not.toContain('arn:aws:');
    expect(enabled.memberTemplateJson.Parameters ?? {}).toEqual({});
  });
});

describe('Security Hub export in the central stack', () => {
  function checkerEnvironment(app: SynthesizedApp): Record<string, unknown> {
    const fn = Object.values(
      app.central.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: Match.objectLike({ CHECK_ROLE_NAME: Match.anyValue() }) } },
      }),
    )[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
    return fn.Properties.Environment.Variables;
  }

  it('tells the sweep worker the re-import age when enabled, and not when off', () => {
    const worker = (app: typeof enabled) =>
      (
        Object.values(
          app.central.findResources('AWS::Lambda::Function', {
            Properties: {
              Environment: { Variables: Match.objectLike({ FORWARD_RULE_NAME: Match.anyValue() }) },
            },
          }),
        )[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }
      ).Properties.Environment.Variables;
    expect(worker(enabled)).toMatchObject({ [SWEEP_ENV.securityHubReimportAfterDays]: '30' });
    expect(worker(disabled)).not.toHaveProperty(SWEEP_ENV.securityHubReimportAfterDays);
  });

  it('tells the checker to export, and where (the home region), when enabled', () => {
    expect(checkerEnvironment(enabled)).toMatchObject({
      [CHECKER_ENV.securityHubExport]: 'true',
      [CHECKER_ENV.securityHubRegion]: HOME,
    });
  });

  it('sets neither variable when the export is off', () => {
    const env = checkerEnvironment(disabled);
    expect(env).not.toHaveProperty(CHECKER_ENV.securityHubExport);
    expect(env).not.toHaveProperty(CHECKER_ENV.securityHubRegion);
  });

  it('passes cdk-nag with nothing unacknowledged, the member template included', () => {
    const report = JSON.parse(readFileSync(join(enabled.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
    };
    const nag = report.pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
  });
});

describe('who may import findings through the check role (policy simulation)', () => {
  let policies: PolicyDocument[];
  beforeAll(() => {
    const member = enabled.memberTemplateJson;
    const roleId = logicalIdOf(member, 'AWS::IAM::Role', { RoleName: 'org-mfa-watch-check' });
    policies = policiesOfRole(member, roleId, { account: MEMBER, region: 'us-east-1' });
  });

  const ask = (resource: string, targetAccount: string, identityPolicies = policies) =>
    simulate({
      principal: CHECK_ROLE,
      action: 'securityhub:BatchImportFindings',
      resource,
      resourceAccount: MEMBER,
      identityPolicies,
      context: { 'securityhub:TargetAccount': targetAccount },
    });

  it('allows importing a finding of its own account to its default product in the home region', async () => {
    expect(await ask(productArn(MEMBER), MEMBER)).toBe('Allowed');
  });

  // Service Authorization Reference, AWS Security Hub: securityhub:TargetAccount "filters access by the
  // AwsAccountId field that is specified in the request" of BatchImportFindings.
  it('denies a finding of another account, and only because of securityhub:TargetAccount', async () => {
    expect(await ask(productArn(MEMBER), OTHER)).toBe('ImplicitlyDenied');
    const mutant = policies.map((p) => withoutCondition(p, 'securityhub:TargetAccount'));
    expect(await ask(productArn(MEMBER), OTHER, mutant)).toBe('Allowed');
  });

  it("denies another account's product and another region's product", async () => {
    expect(await ask(productArn(OTHER), MEMBER)).toBe('ImplicitlyDenied');
    expect(await ask(productArn(MEMBER, 'us-west-2'), MEMBER)).toBe('ImplicitlyDenied');
  });

  it('grants nothing else in Security Hub (BatchUpdateFindings stays with the security team)', async () => {
    expect(
      await simulate({
        principal: CHECK_ROLE,
        action: 'securityhub:BatchUpdateFindings',
        resource: `arn:aws:securityhub:${HOME}:${MEMBER}:hub/default`,
        resourceAccount: MEMBER,
        identityPolicies: policies,
      }),
    ).toBe('ImplicitlyDenied');
  });
});
