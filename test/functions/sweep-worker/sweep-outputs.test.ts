import { describe, expect, it } from 'vitest';
import { asffId } from '../../../functions/core/asff';
import { chatNotificationSchema } from '../../../functions/core/chat-schema';
import type { SweepAccountResult, SweepBatchResult } from '../../../functions/contract/sweep';
import { useDynalite } from '../../helpers/store';
import {
  FakeMemberAccounts,
  type FakeAccount,
  type FakeMemberOptions,
} from '../../../scripts/simulation/fake-member-accounts';
import { TEST_BUS_ARN, sweepWorker } from '../../helpers/sweep-harness';

/**
 * The sweep's outputs besides the email: the chat topic (new HIGH/CRITICAL findings, after the email)
 * and Security Hub (every finding it opens, escalates or resolves, imported from inside the member
 * account). Real SDK clients on the fake AWS, the finding store on dynalite.
 */

const A = '111111111111';
const NOW = new Date('2026-10-05T10:00:00Z');
const HOUR = 3_600_000;
const FRESH = { state: 'ready', generatedAt: new Date(NOW.getTime() - HOUR) } as const;
const CHAT_TOPIC = 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-chat';
const ALERT_TOPIC = 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts';
// Not the worker's own region: the import must go to the configured home region.
const HUB_REGION = 'eu-central-1';

const dynamo = useDynalite();

const item = (accountId: string) => ({ accountId, name: `account ${accountId}`, coverage: 'stackset' });

function account(result: SweepBatchResult, accountId: string): SweepAccountResult {
  const found = result.accounts.find((a) => a.accountId === accountId);
  if (!found) throw new Error(`no result for ${accountId}`);
  return found;
}

async function setup(
  accounts: Record<string, FakeAccount>,
  options: {
    chat?: boolean;
    securityHub?: boolean;
    fake?: Pick<FakeMemberOptions, 'fail' | 'securityHub'>;
  } = {},
) {
  const aws = new FakeMemberAccounts(accounts, {
    centralBusArn: TEST_BUS_ARN,
    now: () => NOW,
    ...options.fake,
  });
  const exportFailures: number[] = [];
  const harness = await sweepWorker(dynamo, {
    now: () => NOW,
    transport: { requestHandler: aws.requestHandler },
    settings: {
      ...(options.chat === false ? {} : { chatTopicArn: CHAT_TOPIC }),
      ...(options.securityHub === false ? {} : { securityHub: { region: HUB_REGION } }),
    },
    metrics: {
      findingOpened: () => undefined,
      findingResolved: () => undefined,
      recordExportFailure: (count = 1) => exportFailures.push(count),
    },
  });
  const topic = (arn: string) => aws.published.filter((m) => m.topicArn === arn);
  return { aws, ...harness, exportFailures, topic };
}

describe('sweep worker: chat and Security Hub', () => {
  it('a new HIGH finding: email, then chat in the finding thread, and an ACTIVE import by the member account; MEDIUM: import only', async () => {
    const { aws, sweep, store, exportFailures, topic } = await setup({
      [A]: {
        report: FRESH,
        users: {
          alice: { mfaDevices: 0, console: true },
          carol: { mfaDevices: 0, console: false, keyLastUsed: '2026-10-01T00:00:00+00:00' },
        },
      },
    });
    const result = account(
      await sweep({ Items: [item(A)], BatchInput: { sweepId: 'nightly-1', mode: 'scheduled' } }),
      A,
    );
    expect(result.outcome).toBe('checked');
    const alice = result.findings.find((f) => f.userName === 'alice')!;
    const carol = result.findings.find((f) => f.userName === 'carol')!;
    expect([alice.severity, carol.severity]).toEqual(['HIGH', 'MEDIUM']);

    const [email, ...moreEmail] = topic(ALERT_TOPIC);
    const [chat, ...moreChat] = topic(CHAT_TOPIC);
    expect(moreEmail).toEqual([]);
    expect(moreChat).toEqual([]); // the MEDIUM finding goes to the digest, not to chat
    // The chat message comes after the email (the email is the alert of record).
    expect(aws.published.map((m) => m.topicArn)).toEqual([ALERT_TOPIC, CHAT_TOPIC]);
    // Same attributes, so one subscription filter policy serves both topics.
    expect(chat!.attributes).toEqual(email!.attributes);
    expect(chat!.subject).toBe(''); // the notification carries its own title

    // The service drops a malformed custom notification silently: validate it against the schema.
    const notification = chatNotificationSchema.parse(JSON.parse(chat!.body));
    expect(notification.metadata?.threadId).toBe(alice.findingId);
    expect(notification.id).toBe(`${alice.findingId}:no-mfa-console:sweep-nightly-1`);
    expect(notification.content.title).toMatch(/^🔴 HIGH: The org-wide sweep found IAM user "alice"/);
    expect(notification.content.keywords).toEqual(['HIGH', 'NO_MFA_CONSOLE', A, 'fake-alias', 'alice']);
    expect(notification.metadata?.additionalContext).toMatchObject({
      eventName: 'Sweep',
      findingId: alice.findingId,
      findingState: 'OPEN',
      sweepId: 'nightly-1',
    });

    // Both findings imported, ACTIVE, by the member account itself, in the home region.
    expect(
      aws.imports.map((i) => [i.callerAccount, i.region, i.finding.Id, i.finding.RecordState, i.applied]),
    ).toEqual([
      [A, HUB_REGION, asffId({ accountId: A, findingId: alice.findingId }), 'ACTIVE', true],
      [A, HUB_REGION, asffId({ accountId: A, findingId: carol.findingId }), 'ACTIVE', true],
    ]);
    expect(exportFailures).toEqual([]);
    expect((await store.listFindings({ accountId: A })).every((f) => f.lastNotified !== undefined)).toBe(
      true,
    );

    // A second sweep finds them still open: no new email, chat or import.
    await sweep({ Items: [item(A)], BatchInput: { sweepId: 'nightly-2', mode: 'scheduled' } });
    expect(aws.published).toHaveLength(2);
    expect(aws.imports).toHaveLength(2);
  });

  it('a resolution: ARCHIVED import, no email and no chat', async () => {
    const { aws, sweep, store } = await setup({ [A]: { report: FRESH, users: {} } });
    const { finding: judy } = await store.observeProblem({
      accountId: A,
      kind: 'USER_NO_MFA',
      userName: 'judy',
      severity: 'HIGH',
      detail: 'NO_MFA_CONSOLE',
      source: 'event',
      now: new Date(NOW.getTime() - 2 * HOUR),
    });
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result.findings.map((f) => [f.userName, f.change, f.resolvedBecause])).toEqual([
      ['judy', 'resolved', 'deleted'],
    ]);
    expect(aws.published).toEqual([]);
    expect(aws.imports.map((i) => [i.callerAccount, i.finding.Id, i.finding.RecordState])).toEqual([
      [A, asffId(judy), 'ARCHIVED'],
    ]);
  });

  it('Security Hub not enabled in the member account: the account is still checked, the failure counted', async () => {
    // BatchImportFindings answers InvalidAccessException where Security Hub is not enabled
    // (AWS Security Hub API Reference, BatchImportFindings: Errors).
    const { aws, sweep, exportFailures, topic } = await setup(
      { [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } } },
      { fake: { securityHub: () => 'not-enabled' } },
    );
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result).toMatchObject({ outcome: 'checked', findings: [{ userName: 'alice', change: 'new' }] });
    expect(
      aws
        .callsOf(A)
        .filter((c) => c.service === 'securityhub')
        .map((c) => c.status),
    ).toEqual([401]);
    expect(aws.imports).toEqual([]);
    expect(exportFailures).toEqual([1]);
    // The alert paths are unaffected.
    expect(topic(ALERT_TOPIC)).toHaveLength(1);
    expect(topic(CHAT_TOPIC)).toHaveLength(1);
  });

  it('a failed chat publish: the account is still checked, the finding notified and exported', async () => {
    const { aws, sweep, store, topic } = await setup(
      { [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } } },
      {
        fake: {
          fail: ({ service, action, params }) =>
            service === 'sns' && action === 'Publish' && params.TopicArn === CHAT_TOPIC
              ? { status: 403, code: 'AuthorizationError' }
              : undefined,
        },
      },
    );
    const result = account(await sweep({ Items: [item(A)] }), A);
    expect(result).toMatchObject({ outcome: 'checked', findings: [{ userName: 'alice', change: 'new' }] });
    expect(aws.calls.filter((c) => c.params.TopicArn === CHAT_TOPIC).map((c) => c.status)).toEqual([403]);
    expect(topic(ALERT_TOPIC)).toHaveLength(1);
    const [stored] = await store.listFindings({ accountId: A });
    expect(stored?.lastNotified).toBeDefined(); // the email went out: not alerted again by the next sweep
    expect(aws.imports.map((i) => i.finding.RecordState)).toEqual(['ACTIVE']);
  });

  it('with chat and Security Hub off: only the email, no import and no chat call', async () => {
    const { aws, sweep } = await setup(
      { [A]: { report: FRESH, users: { alice: { mfaDevices: 0, console: true } } } },
      { chat: false, securityHub: false },
    );
    expect(account(await sweep({ Items: [item(A)] }), A).outcome).toBe('checked');
    expect(aws.published.map((m) => m.topicArn)).toEqual([ALERT_TOPIC]);
    expect(aws.calls.filter((c) => c.service === 'securityhub')).toEqual([]);
  });
});
