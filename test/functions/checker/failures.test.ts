import { ListAccountAliasesCommand } from '@aws-sdk/client-iam';
import { CreateScheduleCommand, ServiceQuotaExceededException } from '@aws-sdk/client-scheduler';
import { PublishCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../../functions/checker/errors';
import {
  CHECKER_TIMEOUT_SECONDS,
  PUBLISH_RESERVE_MS,
  SDK_CALL_LIMITS,
  worstCaseCallMs,
} from '../../../functions/contract/timing';
import { TEST_CONTEXT, testSettings } from '../../helpers/checker-harness';
import { projectFixture } from '../../helpers/events';
import { mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';

const NOW = new Date('2026-10-05T10:00:00Z');

function alerts() {
  return mocks.sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
}

beforeEach(() => {
  resetMocks(NOW);
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
  mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: [] });
});

describe('a re-check that cannot be scheduled', () => {
  it('is a failed check: CHECK_FAILED names account and user, and the event fails to the on-failure queue', async () => {
    // Without the schedule the user is never checked: a silent failure here would lose the check.
    mocks.scheduler.on(CreateScheduleCommand).rejects(
      new ServiceQuotaExceededException({
        message: 'too many schedules',
        Message: 'too many schedules',
        $metadata: {},
      }),
    );
    const checker = testChecker(testSettings({ gracePeriodHours: 24 }), NOW);
    const run = checker(projectFixture('createuser-sso-console.json'), TEST_CONTEXT);
    await expect(run).rejects.toBeInstanceOf(CheckFailedError);
    await expect(run).rejects.toThrow(/contractor\.kim in 210987654321 failed at scheduler:CreateSchedule/);
    expect(alerts()).toHaveLength(1);
    expect(alerts()[0]?.MessageAttributes?.finding?.StringValue).toBe('CHECK_FAILED');
    expect(alerts()[0]?.Message).toContain('too many schedules');
  });
});

describe('a hung dependency', () => {
  it('ends the check at the deadline and still publishes CHECK_FAILED before Lambda times out', async () => {
    // AssumeRole never answers (a hung socket): the deadline, not Lambda's timeout, ends the check.
    mocks.sts.on(AssumeRoleCommand).callsFake(() => new Promise(() => undefined));
    const remaining = PUBLISH_RESERVE_MS + 50;
    const started = Date.now();
    const context = { ...TEST_CONTEXT, getRemainingTimeInMillis: () => remaining - (Date.now() - started) };
    const run = testChecker(testSettings(), NOW)(projectFixture('createuser-sso-console.json'), context);
    await expect(run).rejects.toThrow(/failed at sts:AssumeRole: DeadlineExceededError/);
    expect(alerts()[0]?.MessageAttributes?.finding?.StringValue).toBe('CHECK_FAILED');
    // The alert went out with the publish reserve still left.
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(PUBLISH_RESERVE_MS - 1_000);
  });
});

describe('the time budget (functions/contract/timing.ts)', () => {
  it('bounds every SDK call: all attempts timing out, with the longest backoffs, is finite and short', () => {
    // 3 attempts x (3 s connect + 5 s request) + backoffs of at most 1 s and 2 s.
    expect(worstCaseCallMs()).toBe(27_000);
    expect(SDK_CALL_LIMITS.maxAttempts).toBeGreaterThan(1); // throttling must still be retried
  });

  it('leaves room for the check (several worst-case calls) and then one worst-case publish', () => {
    const checkBudget = CHECKER_TIMEOUT_SECONDS * 1000 - PUBLISH_RESERVE_MS;
    expect(PUBLISH_RESERVE_MS).toBeGreaterThan(worstCaseCallMs());
    expect(checkBudget).toBeGreaterThanOrEqual(3 * worstCaseCallMs());
  });
});
