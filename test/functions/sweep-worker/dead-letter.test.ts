import { describe, expect, it } from 'vitest';
import { deadLetterQueueUrl } from '../../../functions/sweep-worker/dead-letter';
import { judgeForwarding } from '../../../functions/sweep-worker/forwarding';
import type { SweepAccountResult, SweepBatchResult } from '../../../functions/contract/sweep';
import { NAMES } from '../../../stacks/names';
import { useDynalite } from '../../helpers/store';
import {
  FakeMemberAccounts,
  type FakeAccount,
  type FakeMemberOptions,
} from '../../../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN, sweepWorker } from '../../helpers/sweep-harness';

// Events the member rule cannot deliver to the central bus land in its dead-letter queue after
// EventBridge's retries (Amazon EventBridge User Guide, "Using dead-letter queues to process undelivered
// events", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html). The sweep reads the
// queue's depth, ApproximateNumberOfMessages (Amazon SQS API Reference, "GetQueueAttributes",
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html), and
// a queue that is not empty means deliveries are failing: FORWARDING_BROKEN.

const A = '111111111111';
const NOW = new Date('2026-10-05T10:00:00Z');
const FRESH = { state: 'ready', generatedAt: new Date(NOW.getTime() - 3_600_000) } as const;
const QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${A}/${NAMES.memberForwardDeadLetterQueue}`;

const dynamo = useDynalite();

const item = { accountId: A, name: 'account A', coverage: 'stackset' as const };

async function setup(accounts: Record<string, FakeAccount>, fail?: FakeMemberOptions['fail']) {
  const aws = new FakeMemberAccounts(accounts, {
    centralBusArn: TEST_BUS_ARN,
    now: () => NOW,
    ...(fail === undefined ? {} : { fail }),
  });
  const harness = await sweepWorker(dynamo, {
    now: () => NOW,
    transport: { requestHandler: aws.requestHandler },
    settings: { forwardDeadLetterQueueName: NAMES.memberForwardDeadLetterQueue },
  });
  return { aws, ...harness };
}

function only(result: SweepBatchResult): SweepAccountResult {
  const [first] = result.accounts;
  if (first === undefined) throw new Error('no result');
  return first;
}

const changes = (result: SweepAccountResult) =>
  result.findings.map(
    (f) => `${f.kind}:${f.severity}:${f.change}${f.resolvedBecause ? `:${f.resolvedBecause}` : ''}`,
  );

describe('the member dead-letter queue URL', () => {
  it('is derived from the account, the rule region and the queue name', () => {
    expect(deadLetterQueueUrl(A, 'us-east-1', NAMES.memberForwardDeadLetterQueue)).toBe(QUEUE_URL);
  });
});

describe('judgeForwarding with the dead-letter queue depth', () => {
  const rule = { state: 'ENABLED', targetArns: [TEST_BUS_ARN] };
  it.each([
    [0, { status: 'ok' }],
    [undefined, { status: 'ok' }],
    [1, { status: 'broken', problem: 'DELIVERIES_FAILING', deadLetterMessages: 1 }],
    [250, { status: 'broken', problem: 'DELIVERIES_FAILING', deadLetterMessages: 250 }],
  ])('depth %s: %j', (depth, expected) => {
    expect(judgeForwarding(rule, TEST_BUS_ARN, depth)).toEqual(expected);
  });
  it('a broken rule is the problem named first', () => {
    expect(judgeForwarding(undefined, TEST_BUS_ARN, 3)).toEqual({
      status: 'broken',
      problem: 'RULE_MISSING',
    });
  });
});

describe('sweep worker: failed deliveries in the member account', () => {
  it('opens FORWARDING_BROKEN (deliveries failing) when the dead-letter queue is not empty, and resolves it once emptied', async () => {
    const { aws, sweep, store } = await setup({ [A]: { report: FRESH, deadLetterMessages: 3 } });
    const broken = only(await sweep({ Items: [item] }));
    expect(changes(broken)).toEqual(['FORWARDING_BROKEN:HIGH:new']);
    expect(broken.reason).toBe("deliveries failing: 3 event(s) in the forward rule's dead-letter queue");
    expect((await store.listFindings({ accountId: A })).map((f) => f.detail)).toEqual(['DELIVERIES_FAILING']);
    const [alert] = aws.published;
    expect(alert?.attributes.finding).toBe('DELIVERIES_FAILING');
    expect(alert?.body).toContain('deliveries failing');
    expect(alert?.body).toContain(NAMES.memberForwardDeadLetterQueue);
    const [read] = aws.callsOf(A, 'GetQueueAttributes');
    expect(read?.params).toMatchObject({
      QueueUrl: QUEUE_URL,
      AttributeNames: 'ApproximateNumberOfMessages',
    });

    aws.accounts[A] = { report: FRESH, deadLetterMessages: 0 };
    const fixed = only(await sweep({ Items: [item] }));
    expect(changes(fixed)).toEqual(['FORWARDING_BROKEN:HIGH:resolved:forwarding-restored']);
    expect(aws.published).toHaveLength(1);
  });

  it('reports nothing for an empty queue', async () => {
    const { aws, sweep } = await setup({ [A]: { report: FRESH } });
    const result = only(await sweep({ Items: [item] }));
    expect(result).toMatchObject({ outcome: 'checked', findings: [] });
    expect(aws.callsOf(A, 'GetQueueAttributes')).toHaveLength(1);
  });

  it('a queue that does not exist yet (member template before the update) opens nothing', async () => {
    const { sweep } = await setup({ [A]: { report: FRESH, deadLetterMessages: null } });
    expect(only(await sweep({ Items: [item] }))).toMatchObject({ outcome: 'checked', findings: [] });
  });

  it('a check role that may not read the queue opens nothing, and the rule is still judged', async () => {
    const { sweep, store } = await setup(
      { [A]: { report: FRESH, rule: null, deadLetterMessages: 5 } },
      (call) => (call.service === 'sqs' ? { status: 400, code: 'AccessDenied' } : undefined),
    );
    const result = only(await sweep({ Items: [item] }));
    expect(result.outcome).toBe('checked');
    expect((await store.listFindings({ accountId: A })).map((f) => f.detail)).toEqual(['RULE_MISSING']);
  });
});
