import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WATCHED_EVENT_NAMES } from '../../functions/contract/contract';
import { NAMES } from '../../stacks/names';
import { synthAppOnce, testConfig } from '../helpers/app';

let member: Template;
let management: Template;
let memberJson: Record<string, unknown>;

beforeAll(() => {
  const app = synthAppOnce(testConfig());
  member = app.member;
  management = app.management;
  memberJson = app.memberTemplateJson;
});

describe.each([
  ['StackSet member template', () => member],
  ['management-account stack', () => management],
])('member resources in the %s', (_name, template) => {
  it('forwards successful watched IAM events, and the canary on the check role, from the default bus', () => {
    template().hasResourceProperties('AWS::Events::Rule', {
      Name: 'org-mfa-watch-forward',
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['iam.amazonaws.com'],
          errorCode: [{ exists: false }],
          $or: [
            { eventName: [...WATCHED_EVENT_NAMES] },
            { eventName: ['TagRole'], requestParameters: { roleName: [NAMES.memberCheckRole] } },
          ],
        },
      },
    });
  });

  it('targets the central bus in the home region with a role and an encrypted dead-letter queue', () => {
    template().hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':events:eu-central-1:222222222222:event-bus/org-mfa-watch',
              ],
            ],
          },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ForwardRole'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ForwardDlq'), 'Arn'] } },
        }),
      ],
    });
    template().hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template().hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('names the forward role, so the tamper-protection SCP can name it', () => {
    template().hasResourceProperties('AWS::IAM::Role', {
      RoleName: NAMES.memberForwardRole,
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })],
      },
    });
  });

  it('lets the forward role put events on the central bus only', () => {
    template().hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('ForwardRole'),
      PolicyDocument: {
        Statement: [
          {
            Action: 'events:PutEvents',
            Effect: 'Allow',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':events:eu-central-1:222222222222:event-bus/org-mfa-watch',
                ],
              ],
            },
          },
        ],
      },
    });
  });

  it('trusts only the checker and sweep worker roles of the security account, inside the organization', () => {
    template().hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'org-mfa-watch-check',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:root']] },
            },
            Condition: {
              ArnEquals: {
                'aws:PrincipalArn': [
                  {
                    'Fn::Join': [
                      '',
                      ['arn:', { Ref: 'AWS::Partition' }, ':iam::222222222222:role/org-mfa-watch-checker'],
                    ],
                  },
                  {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':iam::222222222222:role/org-mfa-watch-sweep-worker',
                      ],
                    ],
                  },
                ],
              },
              StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
            },
          },
        ],
      },
    });
  });

  it('grants the check role read-only IAM actions, the credential report and a read of its own forward rule', () => {
    template().hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('CheckRole'),
      PolicyDocument: {
        Statement: [
          {
            Sid: 'ReadUserMfaAndConsoleAccess',
            Effect: 'Allow',
            Action: ['iam:ListMFADevices', 'iam:GetLoginProfile', 'iam:ListUserTags'],
            Resource: {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':user/*'],
              ],
            },
          },
          {
            Sid: 'ReadAccountAliasAndRootState',
            Effect: 'Allow',
            Action: ['iam:ListAccountAliases', 'iam:GetAccountSummary'],
            Resource: '*',
          },
          {
            // IAM Service Authorization Reference: neither action has a resource type ("*" only).
            Sid: 'ReadCredentialReport',
            Effect: 'Allow',
            Action: ['iam:GenerateCredentialReport', 'iam:GetCredentialReport'],
            Resource: '*',
          },
          {
            Sid: 'ReadForwardRule',
            Effect: 'Allow',
            Action: ['events:DescribeRule', 'events:ListTargetsByRule'],
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':events:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':rule/org-mfa-watch-forward',
                ],
              ],
            },
          },
          {
            Sid: 'ReadForwardDeadLetterQueueDepth',
            Effect: 'Allow',
            Action: 'sqs:GetQueueAttributes',
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':sqs:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':org-mfa-watch-forward-dlq',
                ],
              ],
            },
          },
          {
            // The canary (docs/adr/0021-canary.md); proven in canary-policy-simulation.test.ts.
            Sid: 'TagItselfForTheCanary',
            Effect: 'Allow',
            Action: 'iam:TagRole',
            Condition: {
              'ForAllValues:StringEquals': { 'aws:TagKeys': ['org-mfa-watch:canary'] },
              Null: { 'aws:RequestTag/org-mfa-watch:canary': 'false' },
            },
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':iam::',
                  { Ref: 'AWS::AccountId' },
                  ':role/org-mfa-watch-check',
                ],
              ],
            },
          },
        ],
      },
    });
  });

  it('names the forward dead-letter queue, so the sweep can find it in every account', () => {
    member.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'org-mfa-watch-forward-dlq' });
  });
});

describe('the StackSet member template', () => {
  it('holds no assets and no parameters (a StackSet cannot upload them per account)', () => {
    const text = JSON.stringify(memberJson);
    expect(text).not.toMatch(/AssetParameters|cdk-hnb659fds-assets|BootstrapVersion/);
    expect(memberJson.Parameters ?? {}).toEqual({});
  });

  it('uses no literal commercial-partition ARN', () => {
    expect(JSON.stringify(memberJson)).not.toContain('arn:aws:');
  });
});

describe('the management-account stack', () => {
  it('outputs what an operator needs', () => {
    const outputs = Object.keys(management.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining(['ForwardRuleArn', 'CheckRoleArn', 'ForwardDeadLetterQueueUrl']),
    );
  });
});
