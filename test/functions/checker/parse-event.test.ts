import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../../functions/checker/errors';
import { parseEvent } from '../../../functions/checker/parse-event';
import { projectFixture } from '../../helpers/events';

type Json = Record<string, unknown>;
const base = (): Json => projectFixture('createuser-sso-console.json');
const detailOf = (event: Json): Json => event.detail as Json;

function withDetail(change: (detail: Json) => void): Json {
  const event = structuredClone(base());
  change(detailOf(event));
  return event;
}

function rejection(input: unknown): InvalidEventError {
  try {
    parseEvent(input);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected an InvalidEventError');
}

describe('parseEvent', () => {
  it('extracts the account, user, creator and times of a CreateUser event', () => {
    const parsed = parseEvent(base());
    expect(parsed).toMatchObject({
      accountId: '210987654321',
      eventName: 'CreateUser',
      target: { kind: 'user', userName: 'contractor.kim', path: '/' },
      actor: { type: 'AssumedRole', arn: expect.stringContaining('assumed-role/AWSReservedSSO') as string },
      sourceIp: '203.0.113.24',
      userAgent: 'AWS Internal',
    });
    expect(parsed.eventTime.toISOString()).toBe('2026-10-05T09:16:40.000Z');
  });

  it('prefers the response user name over the request user name', () => {
    const event = withDetail((d) => {
      (d.requestParameters as Json).userName = 'requested-name';
    });
    expect(parseEvent(event).target).toMatchObject({ userName: 'contractor.kim' });
  });

  it('falls back to the request user name when responseElements is null', () => {
    const event = withDetail((d) => {
      d.responseElements = null;
    });
    expect(parseEvent(event).target).toEqual({ kind: 'user', userName: 'contractor.kim' });
  });

  it.each([
    ['source', (e: Json) => (e.source = 'aws.s3'), '"aws.iam"'],
    ['detail-type', (e: Json) => (e['detail-type'] = 'Object Created'), 'AWS API Call via CloudTrail'],
    ['account', (e: Json) => (e.account = '12345'), '12 digits'],
    ['account', (e: Json) => (e.account = 123456789012), 'string'],
    ['id', (e: Json) => (e.id = '  '), 'non-blank'],
    ['region', (e: Json) => (e.region = 'mars'), 'region'],
    ['detail', (e: Json) => (e.detail = 'text'), 'object'],
    ['detail.eventSource', (e: Json) => (detailOf(e).eventSource = 'sts.amazonaws.com'), 'iam.amazonaws.com'],
    ['detail.eventName', (e: Json) => (detailOf(e).eventName = 'DeleteUser'), 'one of CreateUser'],
    ['detail.eventTime', (e: Json) => (detailOf(e).eventTime = '  '), 'ISO 8601'],
    ['detail.eventTime', (e: Json) => (detailOf(e).eventTime = '2026-13-45T99:00:00Z'), 'real date'],
    [
      'detail.recipientAccountId',
      (e: Json) => (detailOf(e).recipientAccountId = '999999999999'),
      'envelope account',
    ],
    [
      'detail.responseElements.user.userName',
      (e: Json) => (((detailOf(e).responseElements as Json).user as Json).userName = 'x'.repeat(65)),
      'IAM user name',
    ],
    [
      'detail.requestParameters.userName',
      (e: Json) => {
        detailOf(e).responseElements = null;
        delete (detailOf(e).requestParameters as Json).userName;
      },
      'IAM user name',
    ],
  ])('rejects a bad %s, naming the field and the expectation', (field, mutate, expectation) => {
    const event = structuredClone(base());
    mutate(event);
    const error = rejection(event);
    expect(error.field).toBe(field);
    expect(error.message).toContain(expectation);
  });

  it.each([null, undefined, 42, 'event', []])('rejects %j as not an event', (input) => {
    expect(rejection(input).field).toBe('(event)');
  });

  it('keeps odd informational fields as they are (leading-zero IP, blank user agent)', () => {
    const event = withDetail((d) => {
      d.sourceIPAddress = '075.050.255.067';
      d.userAgent = '';
      delete d.userIdentity;
    });
    expect(parseEvent(event)).toMatchObject({
      sourceIp: '075.050.255.067',
      userAgent: 'unknown',
      actor: { type: 'unknown', arn: 'unknown' },
    });
  });

  it('treats the root user as the target of its own MFA calls', () => {
    expect(parseEvent(projectFixture('deactivatemfa-root-self.json')).target).toEqual({ kind: 'root' });
    const named = withDetail((d) => {
      d.eventName = 'DeactivateMFADevice';
      d.requestParameters = { userName: 'AWS ROOT USER', serialNumber: 'arn:aws:iam::210987654321:mfa/key' };
    });
    expect(parseEvent(named).target).toEqual({ kind: 'root' });
  });

  it('targets the calling IAM user when an MFA call names no user', () => {
    const event = withDetail((d) => {
      d.eventName = 'DeactivateMFADevice';
      d.userIdentity = { type: 'IAMUser', arn: 'arn:aws:iam::210987654321:user/dev', userName: 'dev' };
      d.requestParameters = { serialNumber: 'arn:aws:iam::210987654321:mfa/dev' };
    });
    expect(parseEvent(event).target).toEqual({ kind: 'user', userName: 'dev' });
  });

  it('requires a serial number on DeleteVirtualMFADevice', () => {
    const event = withDetail((d) => {
      d.eventName = 'DeleteVirtualMFADevice';
      d.requestParameters = {};
    });
    expect(rejection(event).field).toBe('detail.requestParameters.serialNumber');
  });

  it('reads an UpdateUser rename and move (IAM API Reference, UpdateUser: NewUserName, NewPath)', () => {
    expect(parseEvent(projectFixture('updateuser-rename.json')).target).toEqual({
      kind: 'renamed-user',
      previousUserName: 'contractor.kim',
      userName: 'svc-reporting',
    });
    expect(parseEvent(projectFixture('updateuser-newpath.json')).target).toEqual({
      kind: 'renamed-user',
      previousUserName: 'contractor.kim',
      userName: 'contractor.kim',
      path: '/service/reporting/',
    });
  });

  it.each([
    [{ userName: 'contractor.kim', newUserName: 'has space' }, 'detail.requestParameters.newUserName'],
    [{ userName: 'contractor.kim', newPath: 'no-slashes' }, 'detail.requestParameters.newPath'],
    [{ newUserName: 'svc-reporting' }, 'detail.requestParameters.userName'],
  ])('rejects UpdateUser %j naming %s', (requestParameters, field) => {
    const event = withDetail((d) => {
      d.eventName = 'UpdateUser';
      d.requestParameters = requestParameters;
      d.responseElements = null;
    });
    expect(rejection(event).field).toBe(field);
  });

  it('rejects a re-check marker whose renamed user name is not an IAM user name', () => {
    const event = {
      ...base(),
      orgMfaWatchRecheck: {
        trigger: 'CreateUser',
        dueAt: '2026-10-06T09:16:40Z',
        scheduleName: 'omw-x',
        userName: 'bad name',
      },
    };
    expect(rejection(event).field).toBe('orgMfaWatchRecheck.userName');
  });

  it('does not reject a failed call whose request is odd: it is skipped later', () => {
    const event = withDetail((d) => {
      d.errorCode = 'ValidationError';
      d.requestParameters = { userName: 'not a valid name' };
      d.responseElements = null;
    });
    expect(parseEvent(event)).toMatchObject({ errorCode: 'ValidationError', target: { kind: 'unknown' } });
  });
});
