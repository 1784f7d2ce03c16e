import { App } from 'aws-cdk-lib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../bin/app';
import type { AppConfig } from '../../stacks/config';
import { testConfig, testAppProps } from '../helpers/app';
import { PROJECT_ROOT } from '../helpers/events';

// Issue 19, item 10: what `cdk destroy` keeps, and a redeploy afterwards that does not fail on a name.
// AWS CloudFormation User Guide, "DeletionPolicy attribute": with Retain, CloudFormation keeps the
// resource when the stack is deleted; a resource with a fixed physical name that still exists makes the
// next creation of that name fail ("... already exists"), so every retained resource must either let
// CloudFormation name it, carry a name unique to the stack, or be reused by configuration.

interface Resource {
  readonly Type: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** Every template of the app (the StackSet member template included), by file name. */
function templates(config: AppConfig): Record<string, Record<string, Resource>> {
  // Path metadata names each resource as the docs do (the CDK CLI turns it on; a bare App does not).
  const app = new App(testAppProps({ context: { 'aws:cdk:enable-path-metadata': true } }));
  buildApp(app, config);
  const dir = app.synth().directory;
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.template.json'))
      .map((f) => [
        f,
        (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { Resources: Record<string, Resource> }).Resources,
      ]),
  );
}

/** The construct path inside its stack (`Findings/Table`), as docs/deployment.md names it. */
function pathOf(resource: Resource): string {
  const path = resource.Metadata?.['aws:cdk:path'];
  if (typeof path !== 'string') throw new Error('a resource without aws:cdk:path metadata');
  return path
    .split('/')
    .slice(1)
    .filter((p) => p !== 'Resource' && p !== 'Default')
    .join('/');
}

/** Physical-name properties CloudFormation would otherwise generate. */
const NAME_PROPERTIES = [
  'TableName',
  'LogGroupName',
  'BucketName',
  'AliasName',
  'KeyAlias',
  'Name',
  'TopicName',
];

const everything = testConfig({
  chat: { slack: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' }] },
  dashboard: { enabled: true },
  securityHub: { enabled: true },
  tamperProtection: { enabled: true, exemptPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'] },
});
const all = templates(everything);
const retained = Object.entries(all).flatMap(([file, resources]) =>
  Object.entries(resources)
    .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.UpdateReplacePolicy === 'Retain')
    .map(([logicalId, r]) => ({ file, logicalId, resource: r, path: pathOf(r) })),
);
const removal = /## Removing org-mfa-watch[\s\S]*?(?=\n## |$)/.exec(
  readFileSync(join(PROJECT_ROOT, 'docs', 'deployment.md'), 'utf8'),
)?.[0];

describe('what cdk destroy keeps', () => {
  it('finds the retained resources (keys, table, bucket, log groups)', () => {
    expect(retained.map((r) => r.resource.Type).sort()).toEqual(
      expect.arrayContaining([
        'AWS::DynamoDB::GlobalTable',
        'AWS::KMS::Key',
        'AWS::Logs::LogGroup',
        'AWS::S3::Bucket',
      ]),
    );
  });

  it.each(retained.map((r) => [`${r.file.replace('.template.json', '')} ${r.path}`, r] as const))(
    'docs/deployment.md, "Removal", lists %s',
    (_name, r) => {
      expect(removal).toBeDefined();
      expect(removal).toContain(`\`${r.path}\``);
    },
  );

  it.each(retained.map((r) => [`${r.path} (${r.resource.Type})`, r] as const))(
    '%s has no fixed physical name, or is reused by configuration on a redeploy',
    (_name, r) => {
      const fixed = NAME_PROPERTIES.filter((p) => typeof r.resource.Properties?.[p] === 'string');
      if (r.resource.Type === 'AWS::DynamoDB::GlobalTable') {
        // The table's TLS-only resource policy is built from its name (a policy cannot reference the
        // resource it is on): fixed, and reused through findings.retainedTableKeyArn.
        expect(fixed).toEqual(['TableName']);
        return;
      }
      expect(fixed).toEqual([]);
    },
  );

  it('names the sweep log group after the stack, so the retained one never clashes', () => {
    const [group] = retained.filter((r) => r.path === 'Sweep/StateMachineLogGroup');
    expect(JSON.stringify(group?.resource.Properties?.LogGroupName)).toContain('AWS::StackId');
  });
});

describe('redeploying after cdk destroy: findings.retainedTableKeyArn', () => {
  const keyArn = 'arn:aws:kms:eu-central-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const central = templates(testConfig({ findings: { retainedTableKeyArn: keyArn } }))[
    'OrgMfaWatch-Central.template.json'
  ];

  it('creates no table, and grants the functions the retained table and its key, through DynamoDB only', () => {
    const resources = Object.values(central ?? {});
    expect(resources.filter((r) => r.Type === 'AWS::DynamoDB::GlobalTable')).toEqual([]);
    const policies = JSON.stringify(resources.filter((r) => r.Type === 'AWS::IAM::Policy'));
    expect(policies).toContain(':table/org-mfa-watch-findings');
    const onRetainedKey = resources
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap(
        (r) =>
          (r.Properties?.PolicyDocument as { Statement: { Resource: unknown; Condition?: unknown }[] })
            .Statement,
      )
      .filter((st) => JSON.stringify(st.Resource).includes(keyArn));
    expect(onRetainedKey.length).toBeGreaterThan(0);
    for (const st of onRetainedKey) {
      expect(st.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 'dynamodb.eu-central-1.amazonaws.com' },
      });
    }
  });

  it('keeps the retained key for the table only: the topics and the bucket get the new central key (ADR 0019)', () => {
    // An imported key's policy is not the stack's: it could not carry the CloudWatch alarms statement.
    const resources = Object.entries(central ?? {});
    const keys = resources.filter(([, r]) => r.Type === 'AWS::KMS::Key');
    expect(keys.map(([, r]) => pathOf(r))).toEqual(['CentralKey/Key']);
    const newKey = JSON.stringify({ 'Fn::GetAtt': [keys[0]?.[0], 'Arn'] });
    const encryptedBy = (type: string) =>
      resources.filter(([, r]) => r.Type === type).map(([, r]) => JSON.stringify(r.Properties));
    for (const type of ['AWS::SNS::Topic', 'AWS::S3::Bucket']) {
      expect(encryptedBy(type).length, type).toBeGreaterThan(0);
      expect(
        encryptedBy(type).every((p) => p.includes(newKey)),
        type,
      ).toBe(true);
    }
    expect(JSON.stringify(central)).not.toContain(`"KmsMasterKeyId":"${keyArn}"`);
  });

  it('rejects a key of another account or region', () => {
    expect(() =>
      testConfig({
        findings: {
          retainedTableKeyArn: 'arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
      }),
    ).toThrow(
      'findings.retainedTableKeyArn: the key is in 999999999999 us-east-1, but the retained table is in the security account 222222222222 in homeRegion eu-central-1',
    );
  });
});
