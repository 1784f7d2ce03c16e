import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FINDINGS_ENV,
  FINDINGS_TABLE_NAME,
  FINDING_KEY,
  FINDING_TTL_ATTRIBUTE,
} from '../../functions/contract/findings';
import { ConfigError } from '../../stacks/config';
import { CentralKey } from '../../stacks/constructs/central-key';
import { FindingTable } from '../../stacks/constructs/finding-table';
import { NAMES } from '../../stacks/names';
import { testConfig } from '../helpers/app';
import { synthWithNag, violations, type NagReport } from '../helpers/nag';
import { logicalIdOf } from '../helpers/policy-simulation';

// The findings table synthesized alone, with cdk-nag's AwsSolutions pack, and a role given store access.

let json: Record<string, unknown>;
let template: Template;
let nag: NagReport;
let findings: FindingTable;

beforeAll(() => {
  ({ json, nag } = synthWithNag((app) => {
    const stack = new Stack(app, 'FindingTableTest', {
      env: { account: '222222222222', region: 'eu-central-1' },
    });
    findings = new FindingTable(stack, 'Findings', {
      retentionDays: 30,
      key: new CentralKey(stack, 'Key').key,
    });
    const role = new iam.Role(stack, 'StoreUser', {
      roleName: 'store-user',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    findings.grantStoreAccess(role);
    return stack;
  }));
  template = Template.fromJSON(json);
}, 120_000);

const tableId = () => logicalIdOf(json, 'AWS::DynamoDB::GlobalTable', { TableName: FINDINGS_TABLE_NAME });
const keyId = () =>
  logicalIdOf(json, 'AWS::KMS::Key', {
    Description:
      'org-mfa-watch: encrypts the alert topic, the findings table, the sweep bucket and the chat topic',
  });

describe('findings table', () => {
  it('is named in the shared contract and in NAMES', () => {
    expect(NAMES.findingsTable).toBe(FINDINGS_TABLE_NAME);
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TableName: 'org-mfa-watch-findings' });
  });

  it('has the key schema of the shared contract: string pk (account) and sk (kind#subject)', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: FINDING_KEY.partition, KeyType: 'HASH' },
        { AttributeName: FINDING_KEY.sort, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: FINDING_KEY.partition, AttributeType: 'S' },
        { AttributeName: FINDING_KEY.sort, AttributeType: 'S' },
      ],
    });
  });

  it('bills on demand, with point-in-time recovery and deletion protection', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [
        Match.objectLike({
          Region: 'eu-central-1',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
  });

  it('is retained, with its key, when the stack is deleted or the resource replaced', () => {
    expect(template.toJSON()).toMatchObject({
      Resources: {
        [tableId()]: { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
        [keyId()]: { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' },
      },
    });
  });

  it('is encrypted with its rotated customer-managed key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      Description:
        'org-mfa-watch: encrypts the alert topic, the findings table, the sweep bucket and the chat topic',
      EnableKeyRotation: true,
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({
          SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] } },
        }),
      ],
    });
  });

  it('expires items through the TTL attribute of the shared contract', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: FINDING_TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('denies every request without TLS, by a resource policy on the table and its indexes', () => {
    const tableArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          `:dynamodb:eu-central-1:222222222222:table/${FINDINGS_TABLE_NAME}`,
        ],
      ],
    };
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [
        Match.objectLike({
          ResourcePolicy: {
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: 'DenyRequestsWithoutTls',
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 'dynamodb:*',
                  Resource: [
                    tableArn,
                    {
                      'Fn::Join': [
                        '',
                        [
                          'arn:',
                          { Ref: 'AWS::Partition' },
                          `:dynamodb:eu-central-1:222222222222:table/${FINDINGS_TABLE_NAME}/index/*`,
                        ],
                      ],
                    },
                  ],
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                },
              ],
            },
          },
        }),
      ],
    });
  });

  it('gives a grantee item reads and writes on this table and its key, and nothing else', () => {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: logicalIdOf(json, 'AWS::IAM::Role', { RoleName: 'store-user' }) }] },
    });
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const normalized = statements.map((st) => ({
      ...st,
      Action: (Array.isArray(st.Action) ? [...st.Action] : [st.Action]).sort(),
    }));
    expect(normalized).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        Resource: { 'Fn::GetAtt': [tableId(), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: [
          'kms:Decrypt',
          'kms:DescribeKey',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
        ],
        Resource: { 'Fn::GetAtt': [keyId(), 'Arn'] },
        // The key is the central one: only through DynamoDB (ADR 0019).
        Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.eu-central-1.amazonaws.com' } },
      },
    ]);
  });

  it('tells a function its table and retention through the contract variables', () => {
    expect(Object.keys(findings.functionEnvironment())).toEqual([
      FINDINGS_ENV.tableName,
      FINDINGS_ENV.resolvedRetentionDays,
    ]);
    expect(findings.functionEnvironment()[FINDINGS_ENV.resolvedRetentionDays]).toBe('30');
  });

  it.each([0, 3651, 2.5])('refuses a retention of %s days at construct time', (retentionDays) => {
    const stack = new Stack(new App(), 'Bad');
    const key = new CentralKey(stack, 'Key').key;
    expect(() => new FindingTable(stack, 'Findings', { retentionDays, key })).toThrow(/retentionDays/);
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expect(violations(nag)).toEqual([]);
  });
});

describe('config findings.resolvedRetentionDays', () => {
  it('defaults to 90 days', () => {
    expect(testConfig().findings).toEqual({ resolvedRetentionDays: 90 });
  });

  it('accepts a whole number of days from 1 to 3650', () => {
    expect(testConfig({ findings: { resolvedRetentionDays: 365 } }).findings.resolvedRetentionDays).toBe(365);
  });

  it.each([
    [0, 'findings.resolvedRetentionDays: expected at least 1 day'],
    [3651, 'findings.resolvedRetentionDays: expected at most 3650 days'],
    [1.5, 'findings.resolvedRetentionDays: expected a whole number of days'],
    ['90', 'findings.resolvedRetentionDays: expected a whole number of days'],
  ])('rejects %s with a message naming the field', (value, message) => {
    try {
      testConfig({ findings: { resolvedRetentionDays: value } });
      expect.unreachable('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([message]);
    }
  });

  it('rejects unknown fields under findings', () => {
    expect(() => testConfig({ findings: { retentionDays: 90 } })).toThrow(/findings: unknown field/);
  });
});
