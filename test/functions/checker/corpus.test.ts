import {
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../functions/checker/errors';
import { parseEvent } from '../../../functions/checker/parse-event';
import { TEST_CONTEXT } from '../../helpers/checker-harness';
import { mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';
import { CORPUS_DIR, corpusAvailable, loadCorpus, loadProjectFixtures } from '../../helpers/events';

/**
 * What the checker must do with each file, when IAM says "no MFA, console password" for users and
 * "password, no MFA" for the root user (grace period 0).
 */
type Expected =
  | { readonly outcome: 'alerted'; readonly user: string }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'quarantined'; readonly field: string };

const CORPUS_EXPECTED: Readonly<Record<string, Expected>> = {
  '01-createuser-iamuser-cli-records-wrapper-awsdocs.json': { outcome: 'alerted', user: 'Bob' },
  '02-createuser-assumedrole-console-awsinternal-ocsf.json': { outcome: 'alerted', user: 'test_user2' },
  '03-createuser-iamuser-terraform-ua-path-invictus.json': {
    outcome: 'alerted',
    user: 'stratus-red-team-nmfalu-gfjyeaypjt',
  },
  '04-createuser-iamuser-terraform-ua-tags-path-invictus.json': {
    outcome: 'alerted',
    user: 'stratus-red-team-backdoor-u-user',
  },
  '05-createuser-iamuser-sdk-tags-no-path-invictus.json': { outcome: 'alerted', user: 'malicious-iam-user' },
  // Made-up region and an IP with leading zeros are informational: they must not reject the event.
  '06-createuser-iamuser-tags-obfuscated-region-ip-stratus.json': {
    outcome: 'alerted',
    user: 'malicious-iam-user',
  },
  // responseElements null on a success: the request names the user.
  '07-createuser-assumedrole-console-panther.json': { outcome: 'alerted', user: 'new-user' },
  '08-createuser-assumedrole-invokedby-cloudformation-panther.json': { outcome: 'alerted', user: 'user' },
  '09-createuser-error-entityalreadyexists-panther.json': {
    outcome: 'skipped',
    reason: 'EntityAlreadyExists',
  },
  '10-createuser-root-console-panther.json': { outcome: 'alerted', user: 'tracy_stone' },
  // Request says TestUserDeleteSoon, response TestUser: what IAM created wins.
  '11-createuser-iamuser-console-invokedby-signin-techant.json': { outcome: 'alerted', user: 'TestUser' },
  '12-createuser-eventbridge-envelope-sqs-body-blanked-guardrails.json': {
    outcome: 'quarantined',
    field: 'account',
  },
  '13-createloginprofile-iamuser-terraform-ua-invictus.json': {
    outcome: 'alerted',
    user: 'stratus-red-team-nmfalu-gfjyeaypjt',
  },
  '14-createloginprofile-iamuser-eventversion-1.09-stratus.json': {
    outcome: 'alerted',
    user: 'stratus-red-team-login-profile-user',
  },
  // Envelope account is valid; the creator's 13-digit account id is informational only.
  '15-createloginprofile-iamuser-cli-eventbridge-cloudbuddy.json': { outcome: 'alerted', user: 'Cli1' },
  // EnableMFADevice is checked at once (it resolves an open finding); IAM says, in this test, that the
  // root user still has a password and no MFA, so the check alerts.
  '16-enablemfadevice-root-coral-netty-awsdocs.json': { outcome: 'alerted', user: 'root' },
  // The root user enabled MFA for user1 (requestParameters.userName): user1 is checked.
  '17-enablemfadevice-root-console-eventbridge-cloudbuddy.json': { outcome: 'alerted', user: 'user1' },
  '18-enablemfadevice-iamuser-for-other-user-elastic.json': { outcome: 'quarantined', field: 'account' },
  '19-deactivatemfadevice-iamuser-invokedby-signin-elastic.json': {
    outcome: 'quarantined',
    field: 'account',
  },
  // Root deactivated user1's device: user1 is checked at once.
  '20-deactivatemfadevice-root-console-eventbridge-cloudbuddy.json': { outcome: 'alerted', user: 'user1' },
  '21-deletevirtualmfadevice-iamuser-invokedby-signin-elastic.json': {
    outcome: 'quarantined',
    field: 'account',
  },
  // The root user deleted a device: it may be its own (root names its devices freely), so the root
  // user's state is read; IAM says (in this test) password and no MFA.
  '22-deletevirtualmfadevice-root-console-eventbridge-cloudbuddy.json': { outcome: 'alerted', user: 'root' },
  '23-createaccesskey-iamuser-sdk-invictus.json': { outcome: 'quarantined', field: 'detail.eventName' },
  '24-createaccesskey-iamuser-invokedby-signin-elastic.json': { outcome: 'quarantined', field: 'account' },
  '25-createaccesskey-root-invokedby-signin-panther.json': {
    outcome: 'quarantined',
    field: 'detail.eventName',
  },
};

const PROJECT_EXPECTED: Readonly<Record<string, Expected>> = {
  'createloginprofile-terraform.json': { outcome: 'alerted', user: 'contractor.kim' },
  'createuser-failed-accessdenied.json': { outcome: 'skipped', reason: 'AccessDenied' },
  'createuser-iamuser-cli-path.json': { outcome: 'alerted', user: 'etl-loader' },
  'createuser-root-console.json': { outcome: 'alerted', user: 'break-glass' },
  'createuser-sso-console.json': { outcome: 'alerted', user: 'contractor.kim' },
  'deactivatemfa-root-self.json': { outcome: 'alerted', user: 'root' },
  'deactivatemfa-user-console.json': { outcome: 'alerted', user: 'contractor.kim' },
  'deletevirtualmfa-user.json': { outcome: 'skipped', reason: 'deleted after deactivation' },
  'enablemfa-user-self.json': { outcome: 'alerted', user: 'contractor.kim' },
  'envelope-createuser-boto3-lambda.json': { outcome: 'alerted', user: 'reporting-bot' },
  'malformed-envelope-account-mismatch.json': { outcome: 'quarantined', field: 'detail.recipientAccountId' },
  'malformed-username-with-space.json': {
    outcome: 'quarantined',
    field: 'detail.requestParameters.userName',
  },
  'updateuser-newpath.json': { outcome: 'alerted', user: 'contractor.kim' },
  'updateuser-rename.json': { outcome: 'alerted', user: 'svc-reporting' },
};

const NOW = new Date('2026-10-05T10:00:00Z');

beforeEach(() => {
  resetMocks(NOW);
  mocks.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
  mocks.iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'x', CreateDate: NOW } });
  mocks.iam.on(ListUserTagsCommand).resolves({ Tags: [] });
  mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
  mocks.iam
    .on(GetAccountSummaryCommand)
    .resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountPasswordPresent: 1 } });
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
  mocks.sqs.on(SendMessageCommand).resolves({ MessageId: 'q' });
});

async function expectOutcome(envelope: Record<string, unknown>, expected: Expected): Promise<void> {
  if (expected.outcome === 'quarantined') {
    expect(() => parseEvent(envelope)).toThrow(InvalidEventError);
  }
  const result = await testChecker(undefined, NOW)(envelope, TEST_CONTEXT);
  switch (expected.outcome) {
    case 'alerted': {
      expect(result.outcome).toBe('alerted');
      const body = mocks.sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
      expect(body).toContain(expected.user === 'root' ? 'root user' : `IAM user "${expected.user}"`);
      break;
    }
    case 'skipped':
      expect(result).toMatchObject({
        outcome: 'skipped',
        reason: expect.stringContaining(expected.reason) as string,
      });
      expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
      break;
    case 'quarantined':
      expect(result).toMatchObject({ outcome: 'quarantined', field: expected.field });
      expect(mocks.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
      expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
      break;
  }
}

describe('the shared corpus of real CloudTrail events', () => {
  if (!corpusAvailable()) {
    console.log(`corpus test skipped: ${CORPUS_DIR} is absent (CI always has it)`);
  }
  const corpus = loadCorpus();

  it.skipIf(!corpusAvailable())('has an expected outcome for every file, and no stale entries', () => {
    expect(corpus.map((f) => f.file).sort()).toEqual(Object.keys(CORPUS_EXPECTED).sort());
  });

  it.skipIf(!corpusAvailable()).each(corpus.map((f) => [f.file, f] as const))(
    '%s',
    async (_file, fixture) => {
      const expected = CORPUS_EXPECTED[fixture.file];
      expect(expected, `no expected outcome for ${fixture.file}`).toBeDefined();
      if (expected) await expectOutcome(fixture.envelope, expected);
    },
  );
});

describe('the project fixtures', () => {
  const fixtures = loadProjectFixtures();

  it('has an expected outcome for every file', () => {
    expect(fixtures.map((f) => f.file).sort()).toEqual(Object.keys(PROJECT_EXPECTED).sort());
  });

  it.each(fixtures.map((f) => [f.file, f] as const))('%s', async (_file, fixture) => {
    const expected = PROJECT_EXPECTED[fixture.file];
    expect(expected).toBeDefined();
    if (expected) await expectOutcome(fixture.envelope, expected);
  });
});
