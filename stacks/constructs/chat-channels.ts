import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { NAMES } from '../names';

/** A Slack channel authorized in Amazon Q Developer in chat applications. */
export interface SlackChannel {
  readonly workspaceId: string;
  readonly channelId: string;
}

/** A Microsoft Teams channel authorized in Amazon Q Developer in chat applications. */
export interface TeamsChannel {
  readonly teamId: string;
  readonly tenantId: string;
  /** URL-encoded, as in the channel link (`19%3a...%40thread.tacv2`). */
  readonly channelId: string;
}

/** Properties of {@link ChatChannels}. */
export interface ChatChannelsProps {
  /** Slack channels that receive the notifications. @default none */
  readonly slack?: readonly SlackChannel[];
  /** Microsoft Teams channels that receive the notifications. @default none */
  readonly teams?: readonly TeamsChannel[];
  /**
   * What the service logs about deliveries (CloudWatch Logs, us-east-1, `/aws/chatbot/<name>`).
   * @default 'ERROR'
   */
  readonly loggingLevel?: 'ERROR' | 'INFO' | 'NONE';
  /**
   * Names of AWS managed, read-only policies that cap what anyone can do from the channels.
   * @default ['CloudWatchReadOnlyAccess']
   */
  readonly guardrailPolicies?: readonly string[];
  /** The central key ({@link CentralKey}) that encrypts the topic. */
  readonly key: kms.IKey;
}

/** Configuration names allow `[A-Za-z0-9-_]`, 1-128 characters (AWS::Chatbot::*ChannelConfiguration). */
const MAX_CONFIGURATION_NAME = 128;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The chat side of the alerts: the topic `org-mfa-watch-chat` (the central stack's customer-managed KMS
 * key, TLS-only), which receives only custom notifications, and one channel configuration of Amazon Q
 * Developer in chat applications per Slack or Microsoft Teams channel, subscribed to it (ADR 0011).
 *
 * The configurations share one role trusted by `chatbot.amazonaws.com` that has no permissions at all:
 * custom notifications are rendered from the message itself, so the service needs no AWS API to show
 * them, and nobody in the channel can act through the role. The guardrail (read-only managed policies,
 * never CDK's AdministratorAccess default) caps anything a later change could grant, and user roles are
 * not required (they would let each channel member act with a role of their own).
 */
export class ChatChannels extends Construct {
  /** The topic `org-mfa-watch-chat`. */
  readonly topic: sns.Topic;
  /** Its customer-managed key: the central key. */
  readonly key: kms.IKey;
  /** The role of every channel configuration: no policies. */
  readonly role: iam.Role;
  /** One configuration per Slack channel. */
  readonly slack: readonly chatbot.SlackChannelConfiguration[];
  /** One configuration per Microsoft Teams channel. */
  readonly teams: readonly chatbot.CfnMicrosoftTeamsChannelConfiguration[];

  constructor(scope: Construct, id: string, props: ChatChannelsProps) {
    super(scope, id);
    const loggingLevel = props.loggingLevel ?? 'ERROR';
    const guardrails = (props.guardrailPolicies ?? ['CloudWatchReadOnlyAccess']).map((name) =>
      iam.ManagedPolicy.fromAwsManagedPolicyName(name),
    );
    if (guardrails.length === 0) {
      // Without a guardrail the service applies AdministratorAccess.
      throw new Error('ChatChannels: at least one guardrail policy is required');
    }

    // Only the publishers (the checker and the sweep worker, through grantPublish in central-key.ts) need
    // this key: SNS decrypts a message itself before it delivers it to a subscription (Amazon SNS
    // Developer Guide, "Encryption at rest": messages are stored encrypted and decrypted only when they
    // are sent), so the service's HTTPS subscription needs no key permission, and the key policy names
    // no chat principal.
    this.key = props.key;
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: NAMES.chatTopic,
      displayName: 'org-mfa-watch chat',
      masterKey: this.key,
      enforceSSL: true,
    });

    this.role = new iam.Role(this, 'Role', {
      description: 'org-mfa-watch chat channels: no permissions (custom notifications need none)',
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
    });

    this.slack = (props.slack ?? []).map((channel) => {
      const name = `org-mfa-watch-slack-${channel.channelId}`;
      return new chatbot.SlackChannelConfiguration(this, `Slack${channel.channelId}`, {
        slackChannelConfigurationName:
          name.length <= MAX_CONFIGURATION_NAME
            ? name
            : `org-mfa-watch-slack-${shortHash(`${channel.workspaceId}/${channel.channelId}`)}`,
        slackWorkspaceId: channel.workspaceId,
        slackChannelId: channel.channelId,
        role: this.role,
        guardrailPolicies: guardrails,
        loggingLevel: chatbot.LoggingLevel[loggingLevel],
        notificationTopics: [this.topic],
        userRoleRequired: false,
      });
    });

    this.teams = (props.teams ?? []).map((channel) => {
      // The channel id holds %, which names do not allow: a hash of team and channel keeps it stable.
      const hash = shortHash(`${channel.teamId.toLowerCase()}/${channel.channelId.toLowerCase()}`);
      return new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, `Teams${hash}`, {
        configurationName: `org-mfa-watch-teams-${hash}`,
        teamId: channel.teamId,
        teamsTenantId: channel.tenantId,
        teamsChannelId: channel.channelId,
        iamRoleArn: this.role.roleArn,
        guardrailPolicies: guardrails.map((policy) => policy.managedPolicyArn),
        loggingLevel,
        snsTopicArns: [this.topic.topicArn],
        userRoleRequired: false,
      });
    });
  }
}
