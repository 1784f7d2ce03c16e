import { IAMClient, TagRoleCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { CANARY_TAG_KEY } from '../../../functions/contract/canary';
import { FakeMemberAccounts } from '../../../scripts/simulation/fake-member-accounts';

// Issue 22: the sweep worker tags the check role in every account it reaches (the canary), so the fake
// member accounts the sweep bench, the demo and the worker tests run on must answer iam:TagRole through
// a real SDK client (IAM API Reference, TagRole: RoleName and Tags required; an existing key is
// overwritten).

const ACCOUNT = '111111111111';

function iamOf(fake: FakeMemberAccounts, account: string): IAMClient {
  return new IAMClient({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'ASIAFAKE', secretAccessKey: 'secret', sessionToken: `token-${account}` },
    requestHandler: fake.requestHandler as never,
  });
}

describe('the fake member accounts answer iam:TagRole', () => {
  it('records the canary tag on the role of the calling account; a later value overwrites it', async () => {
    const fake = new FakeMemberAccounts({ [ACCOUNT]: {} }, { centralBusArn: 'arn', now: () => new Date() });
    const iam = iamOf(fake, ACCOUNT);
    const tag = (value: string) =>
      iam.send(
        new TagRoleCommand({
          RoleName: 'org-mfa-watch-check',
          Tags: [{ Key: CANARY_TAG_KEY, Value: value }],
        }),
      );
    await tag('sweep-1');
    await tag('sweep-2');
    expect(fake.roleTags.get(`${ACCOUNT}:org-mfa-watch-check`)).toEqual({ [CANARY_TAG_KEY]: 'sweep-2' });
    expect(fake.callsOf(ACCOUNT, 'TagRole').map((c) => c.status)).toEqual([200, 200]);
  });

  it('answers ValidationError without a tag, and the injected failure (an SCP denying it) when asked', async () => {
    const fake = new FakeMemberAccounts(
      { [ACCOUNT]: {}, '222222222222': {} },
      {
        centralBusArn: 'arn',
        now: () => new Date(),
        fail: ({ account, action }) =>
          account === '222222222222' && action === 'TagRole'
            ? { status: 403, code: 'AccessDenied' }
            : undefined,
      },
    );
    await expect(
      iamOf(fake, ACCOUNT).send(new TagRoleCommand({ RoleName: 'org-mfa-watch-check', Tags: [] })),
    ).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      iamOf(fake, '222222222222').send(
        new TagRoleCommand({ RoleName: 'org-mfa-watch-check', Tags: [{ Key: CANARY_TAG_KEY, Value: 's' }] }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(fake.roleTags.size).toBe(0);
  });
});
