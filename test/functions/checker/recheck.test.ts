import { describe, expect, it } from 'vitest';
import {
  RECHECK_MARKER_KEY,
  atExpression,
  buildRecheckSchedule,
  pendingRecheckFrom,
  recheckDueAt,
  recheckScheduleName,
} from '../../../functions/checker/recheck';

const target = {
  groupName: 'org-mfa-watch',
  functionArn: 'arn:aws:lambda:us-east-1:222222222222:function:checker',
  roleArn: 'arn:aws:iam::222222222222:role/scheduler',
  deadLetterQueueArn: 'arn:aws:sqs:us-east-1:222222222222:recheck-dlq',
};

describe('recheckScheduleName', () => {
  it('is the same for a repeated event and differs per account, user and trigger', () => {
    const name = recheckScheduleName('111122223333', 'alice', 'CreateUser');
    expect(recheckScheduleName('111122223333', 'alice', 'CreateUser')).toBe(name);
    expect(recheckScheduleName('111122223333', 'ALICE', 'CreateUser')).toBe(name); // IAM names are case-insensitive
    expect(recheckScheduleName('111122223333', 'bob', 'CreateUser')).not.toBe(name);
    expect(recheckScheduleName('444455556666', 'alice', 'CreateUser')).not.toBe(name);
    expect(recheckScheduleName('111122223333', 'alice', 'CreateLoginProfile')).not.toBe(name);
  });

  it('fits Scheduler name rules even for a 64-character user name with +=,.@ characters', () => {
    const name = recheckScheduleName('111122223333', `${'a+=,.@'.repeat(10)}abcd`, 'CreateLoginProfile');
    expect(name).toMatch(/^[0-9a-zA-Z\-_.]{1,64}$/);
  });
});

describe('recheckDueAt', () => {
  const eventTime = new Date('2026-03-01T10:00:00Z');
  it('adds the grace period to the event time', () => {
    expect(recheckDueAt(eventTime, 24, new Date('2026-03-01T10:00:05Z'))?.toISOString()).toBe(
      '2026-03-02T10:00:00.000Z',
    );
  });
  it('answers "check now" when the due time has passed (a replayed or late event)', () => {
    expect(recheckDueAt(eventTime, 24, new Date('2026-03-05T00:00:00Z'))).toBeUndefined();
    expect(recheckDueAt(eventTime, 24, new Date('2026-03-02T09:59:30Z'))).toBeUndefined();
  });
});

describe('buildRecheckSchedule', () => {
  it('builds a one-time, self-deleting schedule that replays the envelope with a re-check marker', () => {
    const envelope = { id: 'e1', source: 'aws.iam', detail: { eventName: 'CreateUser' } };
    const due = new Date('2026-03-02T10:00:00.123Z');
    const request = buildRecheckSchedule(
      { accountId: '111122223333', userName: 'alice', trigger: 'CreateUser', due, envelope },
      target,
    );
    const name = recheckScheduleName('111122223333', 'alice', 'CreateUser');
    expect(request).toEqual({
      Name: name,
      GroupName: 'org-mfa-watch',
      Description: 'MFA re-check of IAM user alice in 111122223333 after CreateUser',
      ScheduleExpression: 'at(2026-03-02T10:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Target: {
        Arn: target.functionArn,
        RoleArn: target.roleArn,
        Input: expect.any(String) as string,
        RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: target.deadLetterQueueArn },
      },
    });
    expect(JSON.parse(request.Target?.Input ?? '')).toEqual({
      ...envelope,
      [RECHECK_MARKER_KEY]: { trigger: 'CreateUser', dueAt: '2026-03-02T10:00:00.123Z', scheduleName: name },
    });
  });

  it('writes at() expressions to the second, in UTC', () => {
    expect(atExpression(new Date('2026-12-31T23:59:59.999Z'))).toBe('at(2026-12-31T23:59:59)');
  });
});

describe('pendingRecheckFrom', () => {
  const marker = { trigger: 'CreateUser', dueAt: '2026-10-06T09:16:40.000Z', scheduleName: 'omw-x' };

  it('reads the due time, marker and original envelope back from a schedule input', () => {
    const pending = pendingRecheckFrom(
      JSON.stringify({ id: 'e1', detail: {}, [RECHECK_MARKER_KEY]: marker }),
    );
    expect(pending).toEqual({
      due: new Date('2026-10-06T09:16:40.000Z'),
      envelope: { id: 'e1', detail: {} },
      marker,
    });
  });

  it.each([
    ['no input', undefined],
    ['not JSON', '{oops'],
    ['a JSON array', '[]'],
    ['no marker', JSON.stringify({ id: 'e1' })],
    ['an unknown trigger', JSON.stringify({ [RECHECK_MARKER_KEY]: { ...marker, trigger: 'DeleteUser' } })],
    ['a bad due time', JSON.stringify({ [RECHECK_MARKER_KEY]: { ...marker, dueAt: 'tomorrow' } })],
  ])('answers "not a re-check" for %s, never throws', (_what, input) => {
    expect(pendingRecheckFrom(input)).toBeUndefined();
  });
});
