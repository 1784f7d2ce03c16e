import {
  GetAccountSummaryCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ServiceFailureException,
} from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../../functions/checker/errors';
import { TEST_CONTEXT, testSettings } from '../../helpers/checker-harness';
import { projectFixture, toEnvelope } from '../../helpers/events';
import { mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';

// The root user's MFA is read, not guessed: iam:GetAccountSummary returns AccountMFAEnabled and
// AccountPasswordPresent for the root user of the calling account (IAM API Reference, GetAccountSummary).
const NOW = new Date('2026-10-05T10:00:00Z');
const ACCOUNT = '210987654321';
const check = () => testChecker(testSettings(), NOW);

function rootIs(summary: { mfa: 0 | 1; password: 0 | 1 }): void {
  mocks.iam.on(GetAccountSummaryCommand).resolves({
    SummaryMap: { AccountMFAEnabled: summary.mfa, AccountPasswordPresent: summary.password, Users: 3 },
  });
}

function published() {
  return mocks.sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
}

/** A root-caller event of `eventName` with these request parameters (shape of the corpus' root events). */
function rootEvent(eventName: string, requestParameters: Record<string, unknown> | null): unknown {
  const base = projectFixture('deactivatemfa-root-self.json');
  const detail = base.detail as Record<string, unknown>;
  return { ...base, detail: { ...detail, eventName, requestParameters } };
}

beforeEach(() => {
  resetMocks(NOW);
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-prod'] });
});

describe('root user: judged from GetAccountSummary', () => {
  it('stays quiet when one root MFA device is removed and another remains', async () => {
    rootIs({ mfa: 1, password: 1 });
    const result = await check()(projectFixture('deactivatemfa-root-self.json'), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'no-alert', reason: 'the root user still has MFA enabled' });
    expect(mocks.iam).toHaveReceivedCommand(GetAccountSummaryCommand);
    expect(mocks.iam).not.toHaveReceivedCommand(ListMFADevicesCommand);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('alerts CRITICAL when the root user has a password and no MFA left', async () => {
    rootIs({ mfa: 0, password: 1 });
    const result = await check()(projectFixture('deactivatemfa-root-self.json'), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'ROOT_NO_MFA', severity: 'CRITICAL' });
    expect(mocks.sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/org-mfa-watch-check`,
    });
    const [alert] = published();
    expect(alert?.Subject).toBe(
      '[org-mfa-watch] CRITICAL: root user has a password and no MFA (210987654321)',
    );
    expect(alert?.MessageAttributes?.finding?.StringValue).toBe('ROOT_NO_MFA');
    expect(alert?.Message).toContain('(read from IAM just now)');
  });

  it('is not a finding when the root user has no password (centralized root access)', async () => {
    rootIs({ mfa: 0, password: 0 });
    const result = await check()(projectFixture('deactivatemfa-root-self.json'), TEST_CONTEXT);
    expect(result).toMatchObject({ outcome: 'no-alert' });
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('reads the root user when a root password is created (CreateLoginProfile without UserName)', async () => {
    rootIs({ mfa: 0, password: 1 });
    const result = await check()(rootEvent('CreateLoginProfile', {}), TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'ROOT_NO_MFA', severity: 'CRITICAL' });
    rootIs({ mfa: 1, password: 1 });
    expect(await check()(rootEvent('CreateLoginProfile', {}), TEST_CONTEXT)).toMatchObject({
      outcome: 'no-alert',
    });
  });

  it.each([
    ['the fixed root serial', 'arn:aws:iam::210987654321:mfa/root-account-mfa-device', 'AssumedRole'],
    ['any device the root user deletes', 'arn:aws:iam::210987654321:mfa/my-yubikey', 'Root'],
  ])('judges DeleteVirtualMFADevice of %s as a root event', async (_what, serialNumber, callerType) => {
    rootIs({ mfa: 0, password: 1 });
    const base = projectFixture('deletevirtualmfa-user.json');
    const detail = base.detail as Record<string, unknown>;
    const identity = detail.userIdentity as Record<string, unknown>;
    const event = {
      ...base,
      detail: {
        ...detail,
        userIdentity: { ...identity, type: callerType },
        requestParameters: { serialNumber },
      },
    };
    expect(await check()(event, TEST_CONTEXT)).toEqual({
      outcome: 'alerted',
      finding: 'ROOT_NO_MFA',
      severity: 'CRITICAL',
    });
  });

  it('judges the corpus root DeleteVirtualMFADevice (root caller) as a root event', async () => {
    rootIs({ mfa: 1, password: 1 });
    const raw = {
      version: '0',
      id: 'c57f67a6-9eae-3d73-bb37-508078a8ce30',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.iam',
      account: '012345678901',
      time: '2018-06-09T18:54:20Z',
      region: 'us-east-1',
      resources: [],
      detail: {
        eventVersion: '1.02',
        userIdentity: { type: 'Root', arn: 'arn:aws:iam::012345678901:root', accountId: '012345678901' },
        eventTime: '2018-06-09T18:54:20Z',
        eventSource: 'iam.amazonaws.com',
        eventName: 'DeleteVirtualMFADevice',
        awsRegion: 'us-east-1',
        sourceIPAddress: '192.42.83.150',
        userAgent: 'signin.amazonaws.com',
        requestParameters: { serialNumber: 'arn:aws:iam::012345678901:mfa/user1' },
        responseElements: null,
        eventID: 'eb01e566-f116-4181-9f54-37ff681c83e7',
      },
    };
    expect(await check()(toEnvelope(raw), TEST_CONTEXT)).toMatchObject({ outcome: 'no-alert' });
    expect(mocks.iam).toHaveReceivedCommand(GetAccountSummaryCommand);
  });
});

describe('root user: the read fails', () => {
  it('falls back to the event-based CRITICAL alert, says the read failed, and fails the event', async () => {
    mocks.iam
      .on(GetAccountSummaryCommand)
      .rejects(new ServiceFailureException({ message: 'boom', $metadata: {} }));
    await expect(
      check()(projectFixture('deactivatemfa-root-self.json'), TEST_CONTEXT),
    ).rejects.toBeInstanceOf(CheckFailedError);
    const [alert] = published();
    expect(alert?.Subject).toBe('[org-mfa-watch] CRITICAL: root user MFA removed (210987654321)');
    expect(alert?.Message).toContain("the root user's state (iam:GetAccountSummary) could not be read");
    expect(alert?.Message).toContain('ServiceFailureException: boom');
  });

  it('falls back when the check role cannot be assumed, naming a created root password', async () => {
    mocks.sts
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await expect(check()(rootEvent('CreateLoginProfile', null), TEST_CONTEXT)).rejects.toThrow(
      /failed at sts:AssumeRole/,
    );
    expect(published()[0]?.MessageAttributes?.finding?.StringValue).toBe('ROOT_PASSWORD_CREATED');
    expect(published()[0]?.MessageAttributes?.severity?.StringValue).toBe('CRITICAL');
  });
});
