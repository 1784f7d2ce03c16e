import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKER_ENV } from '../../functions/contract/contract';
import { CentralStack } from '../../stacks/central-stack';
import { CentralKey } from '../../stacks/constructs/central-key';
import { ChatChannels } from '../../stacks/constructs/chat-channels';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { testAppProps, testConfig } from '../helpers/app';
import { synthWithNag, violations, type NagReport } from '../helpers/nag';
import {
  logicalIdOf,
  policiesOfRole,
  resolveIntrinsics,
  simulate,
  type PolicyDocument,
} from '../helpers/policy-simulation';

// Chat through Amazon Q Developer in chat applications (formerly AWS Chatbot): created only when
// configured, a read-only guardrail (CDK's SlackChannelConfiguration applies AdministratorAccess when
// none is given), a role that can do nothing, and its own encrypted, TLS-only topic (ADR 0011).

const SECURITY = '222222222222';
const REGION = 'eu-central-1';
const SLACK = [
  { workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' },
  { workspaceId: 'T07EA123LEP', channelId: 'C0SECOPS99' },
];
const TEAMS = {
  teamId: '74361522-da01-538d-aa2e-ac7918c6bb92',
  tenantId: 'a1b2c3d4-0000-4000-8000-123456789abc',
  channelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
};
const config = testConfig({ chat: { slack: SLACK, teams: TEAMS } });
const CHAT_TOPIC = `arn:aws:sns:${REGION}:${SECURITY}:${NAMES.chatTopic}`;
const ALERT_TOPIC = `arn:aws:sns:${REGION}:${SECURITY}:${NAMES.alertTopic}`;
const CHAT_KEY = `arn:aws:kms:${REGION}:${SECURITY}:key/11111111-2222-3333-4444-555555555555`;
const CHAT_ROLE = `arn:aws:iam::${SECURITY}:role/OrgMfaWatch-Central-ChatRole`;

let json: Record<string, unknown>;
let template: Template;
let nag: NagReport;

beforeAll(() => {
  ({ json, nag } = synthWithNag(
    (app) =>
      new CentralStack(app, STACK_IDS.central, {
        config,
        env: { account: config.securityAccountId, region: config.homeRegion },
      }),
  ));
  template = Template.fromJSON(json);
}, 180_000);

const chatTopicId = () => logicalIdOf(json, 'AWS::SNS::Topic', { TopicName: NAMES.chatTopic });
// The chat topic's key is the stack's one key (ADR 0019).
const chatKeyId = () =>
  logicalIdOf(json, 'AWS::KMS::Key', {
    Description:
      'org-mfa-watch: encrypts the alert topic, the findings table, the sweep bucket and the chat topic',
  });
const chatRoleId = () => {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })],
      },
    },
  });
  const ids = Object.keys(roles);
  expect(ids).toHaveLength(1);
  return ids[0] ?? '?';
};
const scope = () => ({
  account: SECURITY,
  region: REGION,
  resources: {
    [chatTopicId()]: CHAT_TOPIC,
    [`${chatKeyId()}.Arn`]: CHAT_KEY,
    [`${chatRoleId()}.Arn`]: CHAT_ROLE,
  },
});

/** The chat key's policy: KMS honours identity policies only where the key policy lets the account. */
const chatKeyPolicy = (): PolicyDocument => {
  const resources = json.Resources as Record<string, { Properties: Record<string, unknown> }>;
  return resolveIntrinsics(resources[chatKeyId()]?.Properties.KeyPolicy, scope()) as PolicyDocument;
};

describe('chat off (no "chat" in the configuration)', () => {
  it('creates no topic, role, channel configuration or environment variable for chat', () => {
    // Bundling is skipped: this synth only looks at the template.
    const app = new App(testAppProps());
    const plain = testConfig();
    const stack = new CentralStack(app, STACK_IDS.central, {
      config: plain,
      env: { account: plain.securityAccountId, region: plain.homeRegion },
    });
    const off = Template.fromStack(stack);
    off.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
    off.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 0);
    expect(off.findResources('AWS::SNS::Topic', { Properties: { TopicName: NAMES.chatTopic } })).toEqual({});
    expect(JSON.stringify(off.toJSON())).not.toContain(CHECKER_ENV.chatTopicArn);
    expect(JSON.stringify(off.toJSON())).not.toContain('chatbot.amazonaws.com');
  });
});

describe('chat on', () => {
  it('has zero unacknowledged cdk-nag findings', () => {
    expect(violations(nag)).toEqual([]);
  });

  it('configures one Slack channel per entry and one Teams channel, all on the chat topic only', () => {
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 2);
    for (const channel of SLACK) {
      template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
        ConfigurationName: `org-mfa-watch-slack-${channel.channelId}`,
        SlackWorkspaceId: channel.workspaceId,
        SlackChannelId: channel.channelId,
        SnsTopicArns: [{ Ref: chatTopicId() }],
      });
    }
    template.resourceCountIs('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', 1);
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      ConfigurationName: Match.stringLikeRegexp('^org-mfa-watch-teams-[0-9a-f]{16}$'),
      TeamId: TEAMS.teamId,
      TeamsTenantId: TEAMS.tenantId,
      TeamsChannelId: TEAMS.channelId,
      SnsTopicArns: [{ Ref: chatTopicId() }],
    });
  });

  it('sets a read-only guardrail, logging level ERROR, no user roles and its own role on every channel', () => {
    const configurations = {
      ...template.findResources('AWS::Chatbot::SlackChannelConfiguration'),
      ...template.findResources('AWS::Chatbot::MicrosoftTeamsChannelConfiguration'),
    };
    expect(Object.keys(configurations)).toHaveLength(3);
    for (const resource of Object.values(configurations)) {
      const props = (resource as { Properties: Record<string, unknown> }).Properties;
      expect(props.GuardrailPolicies).toEqual([
        {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/CloudWatchReadOnlyAccess']],
        },
      ]);
      expect(JSON.stringify(props.GuardrailPolicies)).not.toContain('AdministratorAccess');
      expect(props.LoggingLevel).toBe('ERROR');
      expect(props.UserRoleRequired).toBe(false);
      expect(props.IamRoleArn).toEqual({ 'Fn::GetAtt': [chatRoleId(), 'Arn'] });
    }
  });

  it("encrypts the chat topic with the stack's one rotated key and refuses publishing without TLS", () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: NAMES.chatTopic,
      KmsMasterKeyId: { 'Fn::GetAtt': [chatKeyId(), 'Arn'] },
    });
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: chatTopicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('gives the checker the chat topic ARN and lets it publish there', async () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [CHECKER_ENV.chatTopicArn]: { Ref: chatTopicId() } }) },
    });
    const checkerRole = logicalIdOf(json, 'AWS::IAM::Role', { RoleName: NAMES.checkerRole });
    const policies = policiesOfRole(json, checkerRole, scope());
    const ask = (action: string, resource: string, context: Record<string, string> = {}) =>
      simulate({
        principal: `arn:aws:iam::${SECURITY}:role/${NAMES.checkerRole}`,
        action,
        resource,
        resourceAccount: SECURITY,
        identityPolicies: policies,
        ...(resource === CHAT_KEY ? { resourcePolicy: chatKeyPolicy() } : {}),
        context,
      });
    expect(await ask('sns:Publish', CHAT_TOPIC)).toBe('Allowed');
    // SNS asks KMS on the publisher's behalf (kms:ViaService sns): the key's only use the publish grant covers.
    const viaSns = { 'kms:ViaService': `sns.${REGION}.amazonaws.com` };
    expect(await ask('kms:GenerateDataKey', CHAT_KEY, viaSns)).toBe('Allowed');
  });
});

describe('the chat role can change nothing (policy simulation)', () => {
  it('has no policy of its own: no inline, attached or managed policy', () => {
    const role = (template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>)[
      chatRoleId()
    ];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.Policies).toBeUndefined();
    expect(policiesOfRole(json, chatRoleId(), scope())).toEqual([]);
  });

  const writes: [string, string][] = [
    ['iam:CreateUser', `arn:aws:iam::${SECURITY}:user/backdoor`],
    ['iam:AttachRolePolicy', CHAT_ROLE],
    ['s3:PutObject', 'arn:aws:s3:::any-bucket/any-key'],
    ['sns:Publish', ALERT_TOPIC],
    ['sns:Publish', CHAT_TOPIC],
    ['kms:Decrypt', CHAT_KEY],
    ['lambda:UpdateFunctionCode', `arn:aws:lambda:${REGION}:${SECURITY}:function:any`],
    ['dynamodb:DeleteItem', `arn:aws:dynamodb:${REGION}:${SECURITY}:table/${NAMES.findingsTable}`],
  ];

  it.each(writes)('denies %s on %s', async (action, resource) => {
    const question = {
      principal: CHAT_ROLE,
      action,
      resource,
      resourceAccount: SECURITY,
      identityPolicies: policiesOfRole(json, chatRoleId(), scope()),
      ...(resource === CHAT_KEY ? { resourcePolicy: chatKeyPolicy() } : {}),
    };
    expect(await simulate(question)).toBe('ImplicitlyDenied');
    // The question can fail: the same question with one broad grant on the role is allowed.
    const grantAll: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    expect(await simulate({ ...question, identityPolicies: [...question.identityPolicies, grantAll] })).toBe(
      'Allowed',
    );
  });

  it('is trusted by Amazon Q Developer in chat applications only', () => {
    const role = (template.toJSON().Resources as Record<string, { Properties: Record<string, unknown> }>)[
      chatRoleId()
    ];
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'chatbot.amazonaws.com' } },
      ],
    });
  });
});

describe('ChatChannels construct', () => {
  const build = (props: Omit<ConstructorParameters<typeof ChatChannels>[2], 'key'>) => {
    const stack = new Stack(new App(testAppProps()), 'S', { env: { account: SECURITY, region: REGION } });
    new ChatChannels(stack, 'Chat', { ...props, key: new CentralKey(stack, 'Key').key });
    return Template.fromStack(stack);
  };

  it('takes the logging level and the guardrails it is given', () => {
    const t = build({
      slack: [SLACK[0] ?? SLACK[1]!],
      loggingLevel: 'INFO',
      guardrailPolicies: ['ReadOnlyAccess'],
    });
    t.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      LoggingLevel: 'INFO',
      GuardrailPolicies: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] },
      ],
    });
  });

  it('refuses an empty guardrail list, which the service would read as AdministratorAccess', () => {
    expect(() => build({ teams: [TEAMS], guardrailPolicies: [] })).toThrow('at least one guardrail policy');
  });
});
