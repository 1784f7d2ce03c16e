import { describe, expect, it } from 'vitest';
import { TEST_CONTEXT, fakeAwsChecker } from '../../helpers/checker-harness';
import { projectFixture } from '../../helpers/events';
import { FakeAws } from '../../../scripts/simulation/fake-aws';

// These tests use the real SDK clients (no aws-sdk-client-mock): only the HTTP layer is fake, so the
// SDK's own retry of a throttled call is exercised.
describe('checker on real SDK clients with a fake AWS', () => {
  const event = projectFixture('createuser-sso-console.json');

  it('retries a throttled IAM call inside the SDK and then alerts', async () => {
    const aws = new FakeAws({
      users: () => ({ mfaDevices: 0, console: true }),
      throttle: ({ action, attempt }) => action === 'ListMFADevices' && attempt === 1,
    });
    const result = await fakeAwsChecker(aws.requestHandler)(event, TEST_CONTEXT);
    expect(result).toEqual({ outcome: 'alerted', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' });
    expect(aws.count('iam', 'ListMFADevices')).toBe(2);
    expect(aws.calls.filter((c) => c.status === 400).map((c) => c.action)).toEqual(['ListMFADevices']);
    expect(aws.count('sns', 'Publish')).toBe(1);
  });

  it('sends exactly the expected requests: one AssumeRole, the IAM reads, one Publish', async () => {
    const aws = new FakeAws({ users: () => ({ mfaDevices: 0, console: false }) });
    await fakeAwsChecker(aws.requestHandler)(event, TEST_CONTEXT);
    expect(aws.calls.map((c) => `${c.service}:${c.action}`).sort()).toEqual(
      [
        'iam:GetLoginProfile',
        'iam:ListAccountAliases',
        'iam:ListMFADevices',
        'iam:ListUserTags',
        'sns:Publish',
        'sts:AssumeRole',
      ].sort(),
    );
    const assume = aws.calls.find((c) => c.action === 'AssumeRole');
    expect(assume?.params.RoleArn).toBe('arn:aws:iam::210987654321:role/org-mfa-watch-check');
    expect(assume?.params.DurationSeconds).toBe('900');
    const publish = aws.calls.find((c) => c.action === 'Publish');
    expect(publish?.params['MessageAttributes.entry.1.Name']).toBe('severity');
  });

  it('reports a user that IAM does not know as a skip, parsing the real NoSuchEntity error', async () => {
    const aws = new FakeAws({ users: () => undefined });
    expect(await fakeAwsChecker(aws.requestHandler)(event, TEST_CONTEXT)).toMatchObject({
      outcome: 'skipped',
    });
    expect(aws.count('sns')).toBe(0);
  });
});

describe('round trips on the critical path', () => {
  const event = projectFixture('createuser-sso-console.json');

  it('takes 3 sequential round trips cold (assume, reads + alias, publish) and 2 warm', async () => {
    const aws = new FakeAws({ users: () => ({ mfaDevices: 0, console: true }), latencyMs: 15 });
    const check = fakeAwsChecker(aws.requestHandler);
    await check(event, TEST_CONTEXT);
    expect(FakeAws.sequentialDepth(aws.calls)).toBe(3);
    const cold = aws.calls.length;
    await check({ ...event, id: 'second-event' }, TEST_CONTEXT);
    expect(FakeAws.sequentialDepth(aws.calls.slice(cold))).toBe(2);
  });
});
