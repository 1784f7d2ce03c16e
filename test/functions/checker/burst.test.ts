import {
  GetLoginProfileCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
} from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { TEST_CONTEXT } from '../../helpers/checker-harness';
import { mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';
import { projectFixture } from '../../helpers/events';

const NOW = new Date('2026-10-05T10:00:00Z');

/** A CreateUser event for user `n` in account `account`. */
function createUser(account: string, n: number): Record<string, unknown> {
  const event = structuredClone(projectFixture('createuser-iamuser-cli-path.json'));
  const detail = event.detail as Record<string, unknown>;
  event.account = account;
  event.id = `burst-${account}-${n}`;
  detail.recipientAccountId = account;
  detail.responseElements = { user: { userName: `user-${n}`, path: '/' } };
  detail.requestParameters = { userName: `user-${n}` };
  return event;
}

describe('a burst of events', () => {
  it('1,000 CreateUser events across 50 accounts make at most 50 AssumeRole calls', async () => {
    resetMocks(NOW);
    mocks.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    mocks.iam.on(GetLoginProfileCommand).resolves({});
    mocks.iam.on(ListUserTagsCommand).resolves({ Tags: [] });
    mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['a'] });
    mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const check = testChecker(undefined, NOW);
    const accounts = Array.from({ length: 50 }, (_, i) => String(100000000000 + i * 7919));
    const events = Array.from({ length: 1000 }, (_, i) => createUser(accounts[i % 50] ?? '', i));
    // Concurrent batches: in-flight AssumeRole calls for one account must be shared, not repeated.
    for (let i = 0; i < events.length; i += 100) {
      const results = await Promise.all(events.slice(i, i + 100).map((e) => check(e, TEST_CONTEXT)));
      expect(results.every((r) => r.outcome === 'alerted')).toBe(true);
    }
    expect(mocks.sts.commandCalls(AssumeRoleCommand).length).toBeLessThanOrEqual(50);
    expect(mocks.sts.commandCalls(AssumeRoleCommand).length).toBe(50);
    expect(mocks.iam.commandCalls(ListAccountAliasesCommand).length).toBe(50);
    expect(mocks.sns.commandCalls(PublishCommand).length).toBe(1000);
  });
});
