import {
  GetLoginProfileCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-scheduler';
import { PublishCommand } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../../functions/checker/errors';
import { RECHECK_MARKER_KEY, recheckScheduleName } from '../../../functions/checker/recheck';
import { TEST_CONTEXT, testSettings } from '../../helpers/checker-harness';
import { projectFixture } from '../../helpers/events';
import { mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';

// An IAM user can be renamed (UpdateUser NewUserName) at any time; IAM then knows it only by the new
// name (IAM API Reference, UpdateUser). A re-check of the old name would read NoSuchEntity and skip as
// "deleted", so the re-check must follow the user.
const ACCOUNT = '210987654321';
const NOW = new Date('2026-10-05T11:02:20Z'); // just after the rename, inside the 24 h grace period
const settings = testSettings({ gracePeriodHours: 24 });
const OLD = 'contractor.kim';
const NEW = 'svc-reporting';
const notFound = () => new ResourceNotFoundException({ message: 'none', Message: 'none', $metadata: {} });

/** What CreateUser scheduled for `OLD`, as GetSchedule returns it. */
function pendingUserRecheck(dueAt = '2026-10-06T09:16:40.000Z') {
  const envelope = projectFixture('createuser-sso-console.json');
  return {
    Name: recheckScheduleName(ACCOUNT, OLD, 'CreateUser'),
    Target: {
      Arn: TEST_CONTEXT.invokedFunctionArn,
      RoleArn: 'arn:aws:iam::222222222222:role/org-mfa-watch-scheduler',
      Input: JSON.stringify({
        ...envelope,
        [RECHECK_MARKER_KEY]: {
          trigger: 'CreateUser',
          dueAt,
          scheduleName: recheckScheduleName(ACCOUNT, OLD, 'CreateUser'),
        },
      }),
    },
  };
}

function iamHas(userName: string, facts: { mfa: number; console: boolean }): void {
  mocks.iam.on(ListMFADevicesCommand, { UserName: userName }).resolves({
    MFADevices: Array.from({ length: facts.mfa }, () => ({
      UserName: userName,
      SerialNumber: 'x'.repeat(9),
      EnableDate: NOW,
    })),
  });
  mocks.iam
    .on(GetLoginProfileCommand, { UserName: userName })
    .resolves(facts.console ? { LoginProfile: { UserName: userName, CreateDate: NOW } } : {});
  mocks.iam.on(ListUserTagsCommand, { UserName: userName }).resolves({ Tags: [] });
}

beforeEach(() => {
  resetMocks(NOW);
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
  mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
  mocks.scheduler.on(GetScheduleCommand).rejects(notFound());
  mocks.scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
  mocks.scheduler.on(DeleteScheduleCommand).resolves({});
});

describe('UpdateUser within the grace period', () => {
  it('moves the pending re-check to the new name, due at the same time, and deletes the old one', async () => {
    mocks.scheduler
      .on(GetScheduleCommand, { Name: recheckScheduleName(ACCOUNT, OLD, 'CreateUser') })
      .resolves(pendingUserRecheck());
    const result = await testChecker(settings, NOW)(projectFixture('updateuser-rename.json'), TEST_CONTEXT);
    const newName = recheckScheduleName(ACCOUNT, NEW, 'CreateUser');
    expect(result).toEqual({ outcome: 'rescheduled', scheduleNames: [newName] });
    const created = mocks.scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(created).toMatchObject({ Name: newName, ScheduleExpression: 'at(2026-10-06T09:16:40)' });
    const input = JSON.parse(created?.Target?.Input ?? '{}') as Record<string, unknown>;
    expect(input[RECHECK_MARKER_KEY]).toEqual({
      trigger: 'CreateUser',
      dueAt: '2026-10-06T09:16:40.000Z',
      scheduleName: newName,
      userName: NEW,
    });
    // The replayed envelope is still the original CreateUser: the alert names the real creator.
    expect((input.detail as { eventName: string }).eventName).toBe('CreateUser');
    expect(mocks.scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, {
      Name: recheckScheduleName(ACCOUNT, OLD, 'CreateUser'),
    });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('then checks the new name when the moved re-check fires: bob is checked, not skipped as deleted', async () => {
    const later = new Date('2026-10-06T09:17:00Z');
    resetMocks(later);
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
    mocks.scheduler.on(DeleteScheduleCommand).resolves({});
    iamHas(NEW, { mfa: 0, console: true });
    const newName = recheckScheduleName(ACCOUNT, NEW, 'CreateUser');
    const fired = {
      ...projectFixture('createuser-sso-console.json'),
      [RECHECK_MARKER_KEY]: {
        trigger: 'CreateUser',
        dueAt: '2026-10-06T09:16:40.000Z',
        scheduleName: newName,
        userName: NEW,
      },
    };
    const result = await testChecker(settings, later)(fired, TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
    expect(mocks.iam).toHaveReceivedCommandWith(ListMFADevicesCommand, { UserName: NEW });
    expect(mocks.iam).not.toHaveReceivedCommandWith(ListMFADevicesCommand, { UserName: OLD });
  });

  it('carries a new path into the re-check, for path exemptions', async () => {
    mocks.scheduler
      .on(GetScheduleCommand, { Name: recheckScheduleName(ACCOUNT, OLD, 'CreateUser') })
      .resolves(pendingUserRecheck());
    await testChecker(settings, NOW)(projectFixture('updateuser-newpath.json'), TEST_CONTEXT);
    // Same name, new path: the schedule is replaced (deleted, then created) to carry the path.
    const name = recheckScheduleName(ACCOUNT, OLD, 'CreateUser');
    const created = mocks.scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input;
    expect(created?.Name).toBe(name);
    const input = JSON.parse(created?.Target?.Input ?? '{}') as Record<string, unknown>;
    expect(input[RECHECK_MARKER_KEY]).toMatchObject({
      userName: OLD,
      path: '/service/reporting/',
    });
    expect(mocks.scheduler).toHaveReceivedCommandWith(DeleteScheduleCommand, { Name: name });
  });
});

describe('UpdateUser with no pending re-check', () => {
  it('checks a renamed user at once under its new name, saying it was renamed', async () => {
    iamHas(NEW, { mfa: 0, console: true });
    const result = await testChecker(settings, NOW)(projectFixture('updateuser-rename.json'), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
    const body = mocks.sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '';
    expect(body).toContain(`IAM user "${NEW}"`);
    expect(body).toContain(`this user was renamed from ${OLD}`);
  });

  it('checks at once when the grace period is off', async () => {
    iamHas(NEW, { mfa: 1, console: true });
    const result = await testChecker(testSettings(), NOW)(
      projectFixture('updateuser-rename.json'),
      TEST_CONTEXT,
    );
    expect(result).toMatchObject({ outcome: 'no-alert' });
    expect(mocks.scheduler).not.toHaveReceivedCommand(GetScheduleCommand);
  });

  it('checks at once when the pending re-check is already due', async () => {
    mocks.scheduler
      .on(GetScheduleCommand, { Name: recheckScheduleName(ACCOUNT, OLD, 'CreateUser') })
      .resolves(pendingUserRecheck('2026-10-05T11:02:30.000Z'));
    iamHas(NEW, { mfa: 0, console: false });
    const result = await testChecker(settings, NOW)(projectFixture('updateuser-rename.json'), TEST_CONTEXT);
    expect(result).toMatchObject({ outcome: 'alerted', severity: 'MEDIUM' });
    expect(mocks.scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
  });
});

describe('UpdateUser when Scheduler fails', () => {
  it('sends CHECK_FAILED and fails the event, so it reaches the on-failure queue', async () => {
    mocks.scheduler
      .on(GetScheduleCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(
      testChecker(settings, NOW)(projectFixture('updateuser-rename.json'), TEST_CONTEXT),
    ).rejects.toBeInstanceOf(CheckFailedError);
    const [alert] = mocks.sns.commandCalls(PublishCommand);
    expect(alert?.args[0].input.MessageAttributes?.finding?.StringValue).toBe('CHECK_FAILED');
  });
});
