import { z } from 'zod';

// Ids of Amazon Q Developer in chat applications (formerly AWS Chatbot), as its CloudFormation resources
// accept them (CloudFormation Template Reference, AWS::Chatbot::SlackChannelConfiguration and
// AWS::Chatbot::MicrosoftTeamsChannelConfiguration): a Slack workspace id of upper-case letters and
// digits, a Slack channel id of letters and digits, a Teams team and tenant id that are GUIDs, and a
// Teams channel id as the console shows it, URL-encoded with %3a and %40 (19%3a...%40thread.tacv2).
const SLACK_WORKSPACE_ID = /^[0-9A-Z]{1,255}$/;
const SLACK_CHANNEL_ID = /^[A-Za-z0-9]{1,255}$/;
const GUID = /^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const TEAMS_CHANNEL_ID = /^[a-zA-Z0-9-_=+/.,]*%3[aA][a-zA-Z0-9-_=+/.,]*%40[a-zA-Z0-9-_=+/.,]*$/;

/**
 * AWS managed policies that are read-only and may serve as the chat channels' guardrail (the upper
 * bound of what anyone can do from the channel). Never AdministratorAccess, CDK's default.
 */
export const CHAT_GUARDRAIL_POLICIES = ['CloudWatchReadOnlyAccess', 'ReadOnlyAccess'] as const;

/** Logging levels of a chat channel configuration (ERROR, INFO or NONE). */
export const CHAT_LOGGING_LEVELS = ['ERROR', 'INFO', 'NONE'] as const;

const slackChannel = z.strictObject(
  {
    /** The Slack workspace authorized in the Amazon Q Developer in chat applications console. */
    workspaceId: z.string({ error: 'expected a Slack workspace id string' }).regex(SLACK_WORKSPACE_ID, {
      error:
        'expected a Slack workspace id of upper-case letters and digits, e.g. "T07EA123LEP" (copy it from the Amazon Q Developer in chat applications console)',
    }),
    /** The Slack channel, e.g. `C07EZ1ABC23` (the end of the channel link). */
    channelId: z.string({ error: 'expected a Slack channel id string' }).regex(SLACK_CHANNEL_ID, {
      error:
        'expected a Slack channel id of letters and digits, e.g. "C07EZ1ABC23" (the end of the channel link)',
    }),
  },
  { error: 'expected { "workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23" }' },
);

const teamsChannel = z.strictObject(
  {
    /** The team authorized in the Amazon Q Developer in chat applications console (a GUID). */
    teamId: z.string({ error: 'expected a Microsoft Teams team id string' }).regex(GUID, {
      error: 'expected a Microsoft Teams team id, a GUID such as "74361522-da01-538d-aa2e-ac7918c6bb92"',
    }),
    /** The Microsoft Entra tenant of the team (a GUID). */
    tenantId: z.string({ error: 'expected a Microsoft Teams tenant id string' }).regex(GUID, {
      error: 'expected a Microsoft Teams tenant id, a GUID such as "a1b2c3d4-0000-4000-8000-123456789abc"',
    }),
    /** The channel, URL-encoded as in its link: `19%3a...%40thread.tacv2`. */
    channelId: z
      .string({ error: 'expected a Microsoft Teams channel id string' })
      .max(255, { error: 'expected a Microsoft Teams channel id of at most 255 characters' })
      .regex(TEAMS_CHANNEL_ID, {
        error:
          'expected a Microsoft Teams channel id, URL-encoded as in the channel link, e.g. "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"',
      }),
  },
  { error: 'expected { "teamId": "<GUID>", "tenantId": "<GUID>", "channelId": "19%3a...%40thread.tacv2" }' },
);

/**
 * One channel or a list of them; always a list after parsing. A single channel is read as a list of one
 * first, so that a mistake in it is reported by field (`chat.slack[0].channelId`), not as "no match".
 */
const oneOrMore = <T extends z.ZodType>(channel: T, what: string) =>
  z.preprocess(
    (value) => (value !== undefined && value !== null && !Array.isArray(value) ? [value] : value),
    z
      .array(channel, { error: `expected one ${what} channel or a list of them` })
      .min(1, { error: `expected at least one ${what} channel` }),
  );

/**
 * Chat channels (Slack, Microsoft Teams) through Amazon Q Developer in chat applications. Off unless
 * configured; alerts still go by email (docs/configuration.md, "Chat").
 */
export const chatSchema = z
  .strictObject(
    {
      slack: oneOrMore(slackChannel, 'Slack').optional(),
      teams: oneOrMore(teamsChannel, 'Microsoft Teams').optional(),
      /** What the service logs to CloudWatch Logs about deliveries to the channels. */
      loggingLevel: z
        .enum(CHAT_LOGGING_LEVELS, { error: `expected one of: ${CHAT_LOGGING_LEVELS.join(', ')}` })
        .default('ERROR'),
      /** Read-only AWS managed policies that cap what can be done from the channels. */
      guardrailPolicies: z
        .array(
          z.enum(CHAT_GUARDRAIL_POLICIES, {
            error: `expected a read-only guardrail policy: ${CHAT_GUARDRAIL_POLICIES.join(', ')}`,
          }),
          { error: 'expected a list of guardrail policy names' },
        )
        .min(1, { error: 'expected at least one guardrail policy' })
        .default(['CloudWatchReadOnlyAccess']),
    },
    {
      error:
        'expected an object such as { "slack": { "workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23" } }',
    },
  )
  .optional();
