import { describe, expect, it } from 'vitest';
import { TEST_CONTEXT, fakeAwsChecker } from '../../helpers/checker-harness';
import { projectFixture } from '../../helpers/events';
import { FakeAws } from '../../../scripts/simulation/fake-aws';

// AssumeRole credentials expire (Expiration in the AssumeRole response) and belong to one account: the
// cache must never hand out expired credentials, nor one account's credentials for another account.
const A = '210987654321';
const B = '333344445555';

/** A CreateUser of `userName` in `account`, from the project fixture. */
function createUser(account: string, userName: string, id: string): Record<string, unknown> {
  const base = projectFixture('createuser-sso-console.json');
  const detail = base.detail as Record<string, unknown>;
  return {
    ...base,
    id,
    account,
    detail: {
      ...detail,
      recipientAccountId: account,
      requestParameters: { userName },
      responseElements: { user: { userName, path: '/' } },
    },
  };
}

/** IAM of the fake AWS answers per account: each user exists only in its own account. */
const users = (account: string, userName: string) =>
  (account === A && userName === 'alice') || (account === B && userName === 'bob')
    ? { mfaDevices: 0, console: true }
    : undefined;

describe('cached AssumeRole credentials', () => {
  it('are used only for their own account: a user of B is read with B credentials', async () => {
    const aws = new FakeAws({ users });
    const check = fakeAwsChecker(aws.requestHandler);
    expect(await check(createUser(A, 'alice', 'e1'), TEST_CONTEXT)).toMatchObject({ outcome: 'alerted' });
    // With A's credentials, IAM would answer NoSuchEntity for bob and the check would skip.
    expect(await check(createUser(B, 'bob', 'e2'), TEST_CONTEXT)).toMatchObject({ outcome: 'alerted' });
    expect(await check(createUser(A, 'alice', 'e3'), TEST_CONTEXT)).toMatchObject({ outcome: 'alerted' });
    expect(aws.calls.filter((c) => c.action === 'AssumeRole').map((c) => c.params.RoleArn)).toEqual([
      `arn:aws:iam::${A}:role/org-mfa-watch-check`,
      `arn:aws:iam::${B}:role/org-mfa-watch-check`,
    ]);
  });

  it('are never used past their expiry: the next event after it assumes the role again', async () => {
    let now = new Date('2026-10-05T10:00:00Z');
    const aws = new FakeAws({ users, now: () => now.getTime() });
    const check = fakeAwsChecker(aws.requestHandler, undefined, () => now);
    await check(createUser(A, 'alice', 'e1'), TEST_CONTEXT);
    now = new Date('2026-10-05T10:30:00Z'); // still valid: cached
    await check(createUser(A, 'alice', 'e2'), TEST_CONTEXT);
    expect(aws.count('sts', 'AssumeRole')).toBe(1);
    now = new Date('2026-10-05T11:00:01Z'); // the one-hour credentials have expired
    expect(await check(createUser(A, 'alice', 'e3'), TEST_CONTEXT)).toMatchObject({ outcome: 'alerted' });
    expect(aws.count('sts', 'AssumeRole')).toBe(2);
  });

  it('are refreshed shortly before expiry, not used until the last second', async () => {
    let now = new Date('2026-10-05T10:00:00Z');
    const aws = new FakeAws({ users, now: () => now.getTime() });
    const check = fakeAwsChecker(aws.requestHandler, undefined, () => now);
    await check(createUser(A, 'alice', 'e1'), TEST_CONTEXT);
    now = new Date('2026-10-05T10:58:00Z'); // two minutes left: too close to use
    await check(createUser(A, 'alice', 'e2'), TEST_CONTEXT);
    expect(aws.count('sts', 'AssumeRole')).toBe(2);
  });
});
