import {
  GetLoginProfileCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-scheduler';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../../functions/checker/errors';
import { RECHECK_MARKER_KEY, recheckScheduleName } from '../../../functions/checker/recheck';
import { TEST_CONTEXT, testSettings } from '../../helpers/checker-harness';
import { mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';
import { projectFixture } from '../../helpers/events';

const NOW = new Date('2026-10-05T10:00:00Z');
const ACCOUNT = '210987654321';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/org-mfa-watch-check`;
const TOPIC = 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts';

/** IAM answers for the user under check. */
function iamSays(opts: { mfa: number; console: boolean; tags?: { Key: string; Value: string }[] }): void {
  mocks.iam.on(ListMFADevicesCommand).resolves({
    MFADevices: Array.from({ length: opts.mfa }, (_, i) => ({
      UserName: 'u',
      SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/d${i}`,
      EnableDate: NOW,
    })),
  });
  if (opts.console) {
    mocks.iam.on(GetLoginProfileCommand).resolves({ LoginProfile: { UserName: 'u', CreateDate: NOW } });
  } else {
    mocks.iam
      .on(GetLoginProfileCommand)
      .rejects(new NoSuchEntityException({ message: 'no login profile', $metadata: {} }));
  }
  mocks.iam.on(ListUserTagsCommand).resolves({ Tags: opts.tags ?? [] });
  mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-prod'] });
}

function published(): { subject: string; body: string; attributes: Record<string, string> }[] {
  return mocks.sns.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    return {
      subject: input.Subject ?? '',
      body: input.Message ?? '',
      attributes: Object.fromEntries(
        Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
      ),
    };
  });
}

beforeEach(() => {
  resetMocks(NOW);
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  mocks.sqs.on(SendMessageCommand).resolves({ MessageId: 'q-1' });
  mocks.scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
  mocks.scheduler
    .on(DeleteScheduleCommand)
    .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
});

describe('checker: decision table (grace period 0)', () => {
  const check = () => testChecker(testSettings(), NOW);

  it('alerts HIGH when a console user has no MFA, with exact commands', async () => {
    iamSays({ mfa: 0, console: true });
    const result = await check()(projectFixture('createuser-sso-console.json'), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
    expect(mocks.sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: ROLE_ARN,
      RoleSessionName: expect.stringMatching(/^org-mfa-watch-[\w+=,.@-]+$/) as string,
      DurationSeconds: 900,
    });
    expect(mocks.iam).toHaveReceivedCommandWith(ListMFADevicesCommand, { UserName: 'contractor.kim' });
    expect(mocks.iam).toHaveReceivedCommandWith(GetLoginProfileCommand, { UserName: 'contractor.kim' });
    expect(mocks.iam).toHaveReceivedCommandWith(ListUserTagsCommand, { UserName: 'contractor.kim' });
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(mocks.sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: '[org-mfa-watch] HIGH: IAM user contractor.kim has console access, no MFA (210987654321)',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'HIGH' },
        accountId: { DataType: 'String', StringValue: ACCOUNT },
        eventName: { DataType: 'String', StringValue: 'CreateUser' },
        finding: { DataType: 'String', StringValue: 'NO_MFA_CONSOLE' },
      },
    });
    const [alert] = published();
    expect(alert?.body).toContain('210987654321 (acme-prod)');
    expect(alert?.body).toContain('AWSReservedSSO_AdministratorAccess');
    expect(alert?.body).toContain('2026-10-05 09:16:40 UTC / 2026-10-05 18:16:40 (Asia/Seoul)');
  });

  it('alerts MEDIUM when a user without console password has no MFA', async () => {
    iamSays({ mfa: 0, console: false });
    const result = await check()(projectFixture('createuser-iamuser-cli-path.json'), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_NO_CONSOLE', severity: 'MEDIUM' });
    expect(published()[0]?.attributes).toMatchObject({ severity: 'MEDIUM', finding: 'NO_MFA_NO_CONSOLE' });
  });

  it('sends no alert when the user has MFA', async () => {
    iamSays({ mfa: 1, console: true });
    const result = await check()(projectFixture('createuser-sso-console.json'), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'no-alert', reason: 'the user has 1 MFA device(s)' });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('skips, with its reason, a user deleted before the check (NoSuchEntity)', async () => {
    const gone = new NoSuchEntityException({
      message: 'The user with name x cannot be found.',
      $metadata: {},
    });
    mocks.iam.on(ListMFADevicesCommand).rejects(gone);
    mocks.iam.on(GetLoginProfileCommand).rejects(gone);
    mocks.iam.on(ListUserTagsCommand).rejects(gone);
    const result = await check()(projectFixture('createuser-sso-console.json'), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'skipped', reason: 'the user no longer exists (NoSuchEntity)' });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('skips a failed call (errorCode) without any AWS call', async () => {
    const result = await check()(projectFixture('createuser-failed-accessdenied.json'), TEST_CONTEXT);
    expect(result).toEqual({
      outcome: 'skipped',
      reason: 'the CreateUser call failed (AccessDenied): nothing changed',
    });
    expect(mocks.sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('skips a user exempted in the config', async () => {
    iamSays({ mfa: 0, console: true });
    const exempted = testChecker(
      testSettings({
        exemptions: [{ accountId: ACCOUNT, pathPrefix: '/service/', reason: 'service users, SEC-7' }],
      }),
      NOW,
    );
    expect(await exempted(projectFixture('createuser-iamuser-cli-path.json'), TEST_CONTEXT)).toEqual({
      outcome: 'skipped',
      reason: 'exempt: service users, SEC-7',
    });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('alerts on a user its creator tagged exempt when tags are not trusted (the default), naming the tag', async () => {
    // iam:CreateUser accepts Tags: whoever creates a backdoor user can tag it, so a tag cannot silence it.
    iamSays({ mfa: 0, console: true, tags: [{ Key: 'org-mfa-watch:exempt', Value: 'vendor appliance' }] });
    expect(await check()(projectFixture('createuser-sso-console.json'), TEST_CONTEXT)).toEqual({
      outcome: 'alerted',
      finding: 'NO_MFA_CONSOLE',
      severity: 'HIGH',
    });
    expect(published()[0]?.body).toContain(
      'Note: exemption tag org-mfa-watch:exempt="vendor appliance" was ignored: this deployment does not trust exemption tags',
    );
  });

  it('sends an INFO notice naming user, tag value and creator when trusted tags exempt a user', async () => {
    iamSays({ mfa: 0, console: true, tags: [{ Key: 'org-mfa-watch:exempt', Value: 'vendor appliance' }] });
    const trusting = testChecker(testSettings({ trustExemptionTags: true }), NOW);
    expect(await trusting(projectFixture('createuser-sso-console.json'), TEST_CONTEXT)).toEqual({
      outcome: 'noticed',
      finding: 'TAG_EXEMPTED',
      reason: 'exempt by tag: vendor appliance',
    });
    const [notice] = published();
    expect(notice?.attributes).toMatchObject({ severity: 'INFO', finding: 'TAG_EXEMPTED' });
    expect(notice?.subject).toBe(
      '[org-mfa-watch] INFO: IAM user contractor.kim without MFA exempted by tag (210987654321)',
    );
    expect(notice?.body).toContain('IAM user "contractor.kim"');
    expect(notice?.body).toContain('exemption tag org-mfa-watch:exempt="vendor appliance" applied');
    expect(notice?.body).toContain(
      'Requested by: arn:aws:sts::210987654321:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane.doe@example.com',
    );
  });

  it('alerts on a user whose exemption expired, saying so', async () => {
    iamSays({ mfa: 0, console: false });
    const expired = testChecker(
      testSettings({
        exemptions: [
          { accountId: ACCOUNT, userName: 'etl-loader', reason: 'migration', expires: '2026-09-30' },
        ],
      }),
      NOW,
    );
    expect(await expired(projectFixture('createuser-iamuser-cli-path.json'), TEST_CONTEXT)).toMatchObject({
      outcome: 'alerted',
    });
    expect(published()[0]?.body).toContain('the configuration exemption expired on 2026-09-30 (migration)');
  });

  it('checks a user at once when MFA is deactivated', async () => {
    iamSays({ mfa: 0, console: true });
    const result = await check()(projectFixture('deactivatemfa-user-console.json'), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
    expect(published()[0]?.attributes.eventName).toBe('DeactivateMFADevice');
  });

  it('skips a deleted virtual MFA device of a user without any AWS call', async () => {
    expect(await check()(projectFixture('deletevirtualmfa-user.json'), TEST_CONTEXT)).toMatchObject({
      outcome: 'skipped',
    });
    expect(mocks.sts).not.toHaveReceivedCommand(AssumeRoleCommand);
  });

  it('checks a user at once when MFA is enabled, so an open finding can be resolved', async () => {
    iamSays({ mfa: 1, console: true });
    expect(await check()(projectFixture('enablemfa-user-self.json'), TEST_CONTEXT)).toMatchObject({
      outcome: 'no-alert',
    });
    expect(mocks.iam).toHaveReceivedCommandWith(ListMFADevicesCommand, { UserName: 'contractor.kim' });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it.each([
    ['malformed-envelope-account-mismatch.json', 'detail.recipientAccountId'],
    ['malformed-username-with-space.json', 'detail.requestParameters.userName'],
  ])('quarantines %s naming %s, without retry or alert', async (file, field) => {
    const event = projectFixture(file);
    const result = await check()(event, TEST_CONTEXT);
    expect(result).toMatchObject({ outcome: 'quarantined', field });
    expect(mocks.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    const sent = mocks.sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(sent?.QueueUrl).toBe('https://sqs.us-east-1.amazonaws.com/222222222222/quarantine');
    expect(JSON.parse(sent?.MessageBody ?? '{}')).toMatchObject({ field, event });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(mocks.sts).not.toHaveReceivedCommand(AssumeRoleCommand);
  });

  it('quarantines an event from a foreign source', async () => {
    const event = { ...projectFixture('createuser-sso-console.json'), source: 'custom.forged' };
    expect(await check()(event, TEST_CONTEXT)).toMatchObject({ outcome: 'quarantined', field: 'source' });
  });
});

describe('checker: fault matrix', () => {
  const check = () => testChecker(testSettings(), NOW);

  it('sends one "check failed" alert and throws when the role cannot be assumed (AccessDenied)', async () => {
    mocks.sts.on(AssumeRoleCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
        name: 'AccessDenied',
      }),
    );
    await expect(check()(projectFixture('createuser-sso-console.json'), TEST_CONTEXT)).rejects.toBeInstanceOf(
      CheckFailedError,
    );
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const [alert] = published();
    expect(alert?.subject).toBe('[org-mfa-watch] HIGH: MFA check failed for contractor.kim (210987654321)');
    expect(alert?.attributes.finding).toBe('CHECK_FAILED');
    expect(alert?.body).toContain('sts:AssumeRole');
    expect(alert?.body).toContain('AccessDenied');
  });

  it('sends a "check failed" alert and throws when IAM keeps failing', async () => {
    mocks.iam
      .on(ListMFADevicesCommand)
      .rejects(new ServiceFailureException({ message: 'internal', $metadata: {} }));
    mocks.iam.on(GetLoginProfileCommand).resolves({});
    mocks.iam.on(ListUserTagsCommand).resolves({ Tags: [] });
    await expect(check()(projectFixture('createuser-sso-console.json'), TEST_CONTEXT)).rejects.toThrow(
      /IAM read/,
    );
    expect(published()[0]?.attributes.finding).toBe('CHECK_FAILED');
  });

  it('does not cache a failed AssumeRole: the next event assumes again', async () => {
    const checker = check();
    mocks.sts
      .on(AssumeRoleCommand)
      .rejectsOnce(Object.assign(new Error('not yet deployed'), { name: 'AccessDenied' }))
      .resolves({
        Credentials: {
          AccessKeyId: 'A',
          SecretAccessKey: 'S',
          SessionToken: 'T',
          Expiration: new Date(NOW.getTime() + 3_600_000),
        },
      });
    iamSays({ mfa: 1, console: true });
    await expect(checker(projectFixture('createuser-sso-console.json'), TEST_CONTEXT)).rejects.toThrow(
      CheckFailedError,
    );
    expect(await checker(projectFixture('createuser-sso-console.json'), TEST_CONTEXT)).toMatchObject({
      outcome: 'no-alert',
    });
    expect(mocks.sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
  });

  it('propagates an SNS Publish failure (nothing swallowed)', async () => {
    iamSays({ mfa: 0, console: true });
    mocks.sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));
    await expect(check()(projectFixture('createuser-sso-console.json'), TEST_CONTEXT)).rejects.toThrow(
      'KMS key disabled',
    );
  });

  it('propagates a quarantine failure so the event reaches the on-failure destination', async () => {
    mocks.sqs.on(SendMessageCommand).rejects(new Error('queue gone'));
    await expect(check()(projectFixture('malformed-username-with-space.json'), TEST_CONTEXT)).rejects.toThrow(
      'queue gone',
    );
  });

  it('alerts without an alias when ListAccountAliases fails', async () => {
    iamSays({ mfa: 0, console: true });
    mocks.iam
      .on(ListAccountAliasesCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    expect(await check()(projectFixture('createuser-sso-console.json'), TEST_CONTEXT)).toMatchObject({
      outcome: 'alerted',
    });
    expect(published()[0]?.body).not.toContain('acme-prod');
  });
});

describe('checker: grace period and re-checks', () => {
  const settings = testSettings({ gracePeriodHours: 24 });
  const userName = 'contractor.kim';
  const userSchedule = recheckScheduleName(ACCOUNT, userName, 'CreateUser');
  const consoleSchedule = recheckScheduleName(ACCOUNT, userName, 'CreateLoginProfile');

  it('schedules one re-check per new user and sends the creation notice, with the exact Scheduler request', async () => {
    const event = projectFixture('createuser-sso-console.json');
    const result = await testChecker(settings, NOW)(event, TEST_CONTEXT);
    expect(result).toEqual({
      outcome: 'scheduled',
      scheduleName: userSchedule,
      dueAt: '2026-10-06T09:16:40.000Z',
      alreadyScheduled: false,
      notified: true,
    });
    expect(mocks.sts).not.toHaveReceivedCommand(AssumeRoleCommand);
    expect(mocks.scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      Name: userSchedule,
      GroupName: 'org-mfa-watch',
      ScheduleExpression: 'at(2026-10-06T09:16:40)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: TEST_CONTEXT.invokedFunctionArn,
        RoleArn: 'arn:aws:iam::222222222222:role/org-mfa-watch-scheduler',
        Input: JSON.stringify({
          ...event,
          [RECHECK_MARKER_KEY]: {
            trigger: 'CreateUser',
            dueAt: '2026-10-06T09:16:40.000Z',
            scheduleName: userSchedule,
          },
        }),
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:222222222222:recheck-dlq' },
      },
    });
    const [notice] = published();
    expect(notice?.attributes).toMatchObject({ severity: 'INFO', finding: 'USER_CREATED' });
    expect(notice?.body).toContain('MFA will be checked at 2026-10-06 18:16:40 (Asia/Seoul)');
  });

  it('makes a repeated CreateUser event idempotent: one schedule, one notice', async () => {
    const checker = testChecker(settings, NOW);
    const event = projectFixture('createuser-sso-console.json');
    await checker(event, TEST_CONTEXT);
    mocks.scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    const again = await checker(event, TEST_CONTEXT);
    expect(again).toMatchObject({ outcome: 'scheduled', alreadyScheduled: true, notified: false });
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('sends no creation notice when notifyOnCreate is off, and none for CreateLoginProfile', async () => {
    await testChecker(testSettings({ gracePeriodHours: 24, notifyOnCreate: false }), NOW)(
      projectFixture('createuser-sso-console.json'),
      TEST_CONTEXT,
    );
    await testChecker(settings, NOW)(projectFixture('createloginprofile-terraform.json'), TEST_CONTEXT);
    expect(mocks.scheduler).toHaveReceivedCommandTimes(CreateScheduleCommand, 2);
    expect(mocks.scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, { Name: consoleSchedule });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  /** The input Scheduler replays when the schedule fires. */
  function recheckInput(file: string, trigger: 'CreateUser' | 'CreateLoginProfile'): unknown {
    const name = recheckScheduleName(ACCOUNT, userName, trigger);
    return {
      ...projectFixture(file),
      [RECHECK_MARKER_KEY]: { trigger, dueAt: '2026-10-06T09:16:40.000Z', scheduleName: name },
    };
  }

  it('stays silent when the user enabled MFA within the grace period', async () => {
    iamSays({ mfa: 1, console: true });
    const later = new Date('2026-10-06T09:17:00Z');
    resetMocks(later);
    iamSays({ mfa: 1, console: true });
    mocks.scheduler.on(DeleteScheduleCommand).resolves({});
    const result = await testChecker(settings, later)(
      recheckInput('createuser-sso-console.json', 'CreateUser'),
      TEST_CONTEXT,
    );
    expect(result).toMatchObject({ outcome: 'no-alert' });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(mocks.scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });

  it('alerts once when the user never enabled MFA, and drops the pending console re-check', async () => {
    const later = new Date('2026-10-06T09:17:00Z');
    resetMocks(later);
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    mocks.scheduler.on(DeleteScheduleCommand).resolves({});
    iamSays({ mfa: 0, console: true });
    const result = await testChecker(settings, later)(
      recheckInput('createuser-sso-console.json', 'CreateUser'),
      TEST_CONTEXT,
    );
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(published()[0]?.body).toContain('The grace period has passed');
    expect(mocks.scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      GroupName: 'org-mfa-watch',
      Name: consoleSchedule,
    });
  });

  it('skips a re-check of a user deleted meanwhile', async () => {
    const gone = new NoSuchEntityException({ message: 'gone', $metadata: {} });
    mocks.iam.on(ListMFADevicesCommand).rejects(gone);
    mocks.iam.on(GetLoginProfileCommand).rejects(gone);
    mocks.iam.on(ListUserTagsCommand).rejects(gone);
    const result = await testChecker(settings, new Date('2026-10-06T09:17:00Z'))(
      recheckInput('createuser-sso-console.json', 'CreateUser'),
      TEST_CONTEXT,
    );
    expect(result).toMatchObject({ outcome: 'skipped', reason: 'the user no longer exists (NoSuchEntity)' });
  });

  it('validates a re-check input like any event: a bad marker is quarantined', async () => {
    const bad = {
      ...projectFixture('createuser-sso-console.json'),
      [RECHECK_MARKER_KEY]: { trigger: 'DeleteUser' },
    };
    const result = await testChecker(settings, NOW)(bad, TEST_CONTEXT);
    expect(result).toMatchObject({ outcome: 'quarantined', field: `${RECHECK_MARKER_KEY}.trigger` });
  });

  it('checks at once an event whose grace period has already passed (replayed from the archive)', async () => {
    iamSays({ mfa: 0, console: false });
    const muchLater = new Date('2026-10-20T00:00:00Z');
    resetMocks(muchLater);
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-3' });
    iamSays({ mfa: 0, console: false });
    const result = await testChecker(settings, muchLater)(
      projectFixture('createuser-sso-console.json'),
      TEST_CONTEXT,
    );
    expect(result).toMatchObject({ outcome: 'alerted', severity: 'MEDIUM' });
    expect(mocks.scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });
});

describe('checker: superseded console re-check', () => {
  it('still alerts when the pending console re-check cannot be deleted', async () => {
    const later = new Date('2026-10-06T09:17:00Z');
    resetMocks(later);
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
    mocks.scheduler
      .on(DeleteScheduleCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    iamSays({ mfa: 0, console: true });
    const name = recheckScheduleName(ACCOUNT, 'contractor.kim', 'CreateUser');
    const input = {
      ...projectFixture('createuser-sso-console.json'),
      [RECHECK_MARKER_KEY]: { trigger: 'CreateUser', dueAt: '2026-10-06T09:16:40.000Z', scheduleName: name },
    };
    const result = await testChecker(testSettings({ gracePeriodHours: 24 }), later)(input, TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
  });
});
