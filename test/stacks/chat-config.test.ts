import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../stacks/config';
import { rawTestConfig } from '../helpers/app';

// The `chat` section. Id forms from the CloudFormation Template Reference,
// AWS::Chatbot::SlackChannelConfiguration (SlackWorkspaceId ^[0-9A-Z]{1,255}$, SlackChannelId
// ^[A-Za-z0-9]+$) and AWS::Chatbot::MicrosoftTeamsChannelConfiguration (TeamId and TeamsTenantId are
// GUIDs; TeamsChannelId is URL-encoded with %3a and %40, at most 255 characters).

const slack = { workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' };
const teams = {
  teamId: '74361522-da01-538d-aa2e-ac7918c6bb92',
  tenantId: 'a1b2c3d4-0000-4000-8000-123456789abc',
  channelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
};

function problemsOf(chat: unknown): readonly string[] {
  try {
    parseConfig({ ...rawTestConfig(), chat });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('chat configuration', () => {
  it('is off unless configured', () => {
    expect(parseConfig(rawTestConfig()).chat).toBeUndefined();
  });

  it('reads a single Slack channel as a list, with logging level ERROR and a read-only guardrail', () => {
    expect(parseConfig({ ...rawTestConfig(), chat: { slack } }).chat).toEqual({
      slack: [slack],
      loggingLevel: 'ERROR',
      guardrailPolicies: ['CloudWatchReadOnlyAccess'],
    });
  });

  it('accepts lists of Slack and Teams channels, another logging level and ReadOnlyAccess', () => {
    const chat = {
      slack: [slack, { ...slack, channelId: 'C0SECOPS99' }],
      teams: [teams],
      loggingLevel: 'INFO',
      guardrailPolicies: ['ReadOnlyAccess'],
    };
    expect(parseConfig({ ...rawTestConfig(), chat }).chat).toEqual(chat);
  });

  it.each([
    [
      'a lower-case workspace id',
      { slack: { ...slack, workspaceId: 't07ea123lep' } },
      'chat.slack[0].workspaceId: expected a Slack workspace id of upper-case letters and digits',
    ],
    [
      'a channel link instead of its id',
      { slack: { ...slack, channelId: 'https://acme.slack.com/archives/C07EZ1ABC23' } },
      'chat.slack[0].channelId: expected a Slack channel id of letters and digits',
    ],
    [
      'a team id that is not a GUID',
      { teams: { ...teams, teamId: 'acme-security' } },
      'chat.teams[0].teamId: expected a Microsoft Teams team id, a GUID',
    ],
    [
      'a tenant id that is not a GUID',
      { teams: [{ ...teams, tenantId: '1234' }] },
      'chat.teams[0].tenantId: expected a Microsoft Teams tenant id, a GUID',
    ],
    [
      'a Teams channel id that is not URL-encoded',
      { teams: { ...teams, channelId: '19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2' } },
      'chat.teams[0].channelId: expected a Microsoft Teams channel id, URL-encoded',
    ],
    [
      'an unknown logging level',
      { slack, loggingLevel: 'DEBUG' },
      'chat.loggingLevel: expected one of: ERROR, INFO, NONE',
    ],
    [
      'AdministratorAccess as a guardrail',
      { slack, guardrailPolicies: ['AdministratorAccess'] },
      'chat.guardrailPolicies[0]: expected a read-only guardrail policy',
    ],
    ['no guardrail', { slack, guardrailPolicies: [] }, 'chat.guardrailPolicies: expected at least one'],
    ['an empty Slack list', { slack: [] }, 'chat.slack: expected at least one Slack channel'],
    ['no channel at all', {}, 'chat: expected "slack" or "teams" (or both)'],
    ['an unknown field', { slack, webhook: 'https://hooks.slack.com/x' }, 'chat: unknown field(s) "webhook"'],
    [
      'the same Slack channel twice',
      { slack: [slack, slack] },
      'chat.slack[1]: repeats chat.slack[0]; list each channel once',
    ],
    [
      'the same Teams channel twice (ids compared ignoring case)',
      { teams: [teams, { ...teams, channelId: teams.channelId.toUpperCase().replace('%3A', '%3a') }] },
      'chat.teams[1]: repeats chat.teams[0]',
    ],
  ])('rejects %s, naming the field', (_what, chat, message) => {
    expect(problemsOf(chat).join('\n')).toContain(message);
  });
});
