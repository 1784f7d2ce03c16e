import { Logger } from '@aws-lambda-powertools/logger';
import {
  GetAccountSummaryCommand,
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { beforeEach, describe, expect, it } from 'vitest';
import { deduplicated, EVENT_KEY_PATH } from '../../../functions/checker/deduplicate';
import { type CheckResult } from '../../../functions/checker/process-event';
import { FindingStore } from '../../../functions/core/finding-store';
import { FindingSuppressions } from '../../../functions/core/finding-suppression';
import { createIdempotentProcessor } from '../../../functions/core/idempotency';
import { TEST_CONTEXT, testSettings } from '../../helpers/checker-harness';
import { closedPort, createFindingsTable, localClient } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';
import { projectFixture } from '../../helpers/events';
import { CHECKER_TIMEOUT_SECONDS } from '../../../functions/contract/timing';
import { consoleUserSays, mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';

// The checker with the finding store on a real DynamoDB implementation (dynalite): IAM, STS and SNS are
// mocked as in the other handler tests. EventBridge and Lambda's asynchronous queue may deliver one event
// more than once (EventBridge User Guide, "event delivery"; Lambda Developer Guide, "asynchronous
// invocation"), so duplicates, races and repeated checks must yield one message per transition.
const ACCOUNT = '210987654321';
const context = { ...TEST_CONTEXT, getRemainingTimeInMillis: () => 60_000 };
const dynamo = useDynalite();
let clock = new Date('2026-10-05T10:00:00Z');

/** A deployment-like checker: store + idempotency on a fresh table (or on an unreachable store). */
async function deployment(options: { storeDown?: boolean } = {}) {
  const client = options.storeDown
    ? localClient(`http://127.0.0.1:${await closedPort()}`, { maxAttempts: 1 })
    : dynamo.client;
  const tableName = options.storeDown ? 'unreachable' : await createFindingsTable(dynamo.client, 'checker');
  const settings = testSettings({ findings: { tableName, resolvedRetentionDays: 90 } });
  const logger = new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' });
  const checker = testChecker(settings, () => clock, {
    findings: new FindingStore({ client, tableName }),
    logger,
  });
  const once = createIdempotentProcessor<unknown, typeof context, CheckResult>(checker, {
    client,
    tableName,
    eventKeyJmesPath: EVENT_KEY_PATH,
  });
  return {
    check: deduplicated(checker, once, logger),
    store: new FindingStore({ client, tableName }),
    tableName,
  };
}

/** IAM says the user has `mfa` devices and a console password. */
const iamSays = (mfa: number): void => {
  consoleUserSays(mfa, clock);
};

/** A fixture with its own CloudTrail eventID (a different API call). */
function event(file: string, eventID: string, time = clock): Record<string, unknown> {
  const base = projectFixture(file);
  const detail = base.detail as Record<string, unknown>;
  return { ...base, id: `eb-${eventID}`, detail: { ...detail, eventID, eventTime: time.toISOString() } };
}

function messages() {
  return mocks.sns.commandCalls(PublishCommand).map((c) => {
    const input = c.args[0].input;
    const attr = (name: string) => input.MessageAttributes?.[name]?.StringValue;
    return {
      subject: input.Subject ?? '',
      body: input.Message ?? '',
      state: attr('findingState'),
      findingId: attr('findingId'),
      severity: attr('severity'),
    };
  });
}

beforeEach(() => {
  clock = new Date('2026-10-05T10:00:00Z');
  resetMocks(clock);
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
  mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-prod'] });
});

describe('one alert per problem', () => {
  it('alerts once for the same DeactivateMFADevice delivered twice', async () => {
    iamSays(0);
    const { check } = await deployment();
    const deactivate = event('deactivatemfa-user-console.json', 'evt-deactivate-1');
    expect(await check(deactivate, context)).toMatchObject({ outcome: 'alerted', severity: 'HIGH' });
    expect(await check(deactivate, context)).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('duplicate') as string,
    });
    expect(messages()).toHaveLength(1);
  });

  it('alerts once for two concurrent deliveries of the same event', async () => {
    iamSays(0);
    const { check } = await deployment();
    const deactivate = event('deactivatemfa-user-console.json', 'evt-concurrent');
    const results = await Promise.all([check(deactivate, context), check(deactivate, context)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['alerted', 'skipped']);
    expect(messages()).toHaveLength(1);
  });

  it('does not alert again for a second, different event about a problem that is still open', async () => {
    iamSays(0);
    const { check } = await deployment();
    await check(event('deactivatemfa-user-console.json', 'evt-a'), context);
    const second: CheckResult = await check(event('deactivatemfa-user-console.json', 'evt-b'), context);
    expect(second).toMatchObject({ outcome: 'already-open', finding: 'NO_MFA_CONSOLE' });
    expect(messages()).toHaveLength(1);
  });

  it('carries a stable finding id and the first-seen time in the alert', async () => {
    iamSays(0);
    const { check } = await deployment();
    await check(event('deactivatemfa-user-console.json', 'evt-id'), context);
    const [alert] = messages();
    expect(alert?.state).toBe('OPEN');
    expect(alert?.findingId).toMatch(/^f-[0-9a-f]{20}$/);
    expect(alert?.body).toContain(`Finding id: ${alert?.findingId ?? '?'}`);
    expect(alert?.body).toContain('First seen: 2026-10-05 10:00:00 UTC');
    expect(alert?.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });
});

describe('the lifecycle of a finding', () => {
  it('open -> resolve -> reopen sends three messages, in that order, under one finding id', async () => {
    const { check } = await deployment();
    iamSays(0);
    await check(event('deactivatemfa-user-console.json', 'evt-1'), context);
    clock = new Date('2026-10-05T13:30:00Z');
    iamSays(1);
    expect(await check(event('enablemfa-user-self.json', 'evt-2'), context)).toMatchObject({
      outcome: 'no-alert',
    });
    clock = new Date('2026-10-06T08:00:00Z');
    iamSays(0);
    await check(event('deactivatemfa-user-console.json', 'evt-3'), context);
    const sent = messages();
    expect(sent.map((m) => [m.severity, m.state])).toEqual([
      ['HIGH', 'OPEN'],
      ['INFO', 'RESOLVED'],
      ['HIGH', 'OPEN'],
    ]);
    expect(new Set(sent.map((m) => m.findingId)).size).toBe(1);
    expect(sent[1]?.subject).toBe(
      '[org-mfa-watch] RESOLVED: IAM user contractor.kim has MFA now (210987654321)',
    );
    expect(sent[1]?.body).toContain('Open for: 3 h 30 min');
  });

  it('resolves a finding whose user was deleted, with the reason "deleted"', async () => {
    const { check, store } = await deployment();
    iamSays(0);
    await check(event('deactivatemfa-user-console.json', 'evt-del-1'), context);
    const gone = new NoSuchEntityException({ message: 'gone', $metadata: {} });
    mocks.iam.on(ListMFADevicesCommand).rejects(gone);
    mocks.iam.on(ListUserTagsCommand).rejects(gone);
    clock = new Date('2026-10-05T11:00:00Z');
    expect(await check(event('deactivatemfa-user-console.json', 'evt-del-2'), context)).toMatchObject({
      outcome: 'skipped',
    });
    const [finding] = await store.listFindings({ state: 'ALL', accountId: ACCOUNT });
    expect(finding).toMatchObject({ state: 'RESOLVED', resolution: 'deleted' });
    expect(messages()[1]?.subject).toContain('was deleted');
  });

  it('a re-check racing an EnableMFADevice check resolves once, with one notice', async () => {
    const { check } = await deployment();
    iamSays(0);
    await check(event('deactivatemfa-user-console.json', 'evt-r1'), context);
    iamSays(1);
    clock = new Date('2026-10-05T12:00:00Z');
    await Promise.all([
      check(event('enablemfa-user-self.json', 'evt-r2'), context),
      check(event('deactivatemfa-user-console.json', 'evt-r3'), context),
    ]);
    expect(messages().map((m) => m.state)).toEqual(['OPEN', 'RESOLVED']);
  });
});

describe('when the alert could not be published', () => {
  it('alerts when the failed event is redriven: a recorded finding never swallows its alert', async () => {
    iamSays(0);
    const { check } = await deployment();
    mocks.sns.on(PublishCommand).rejectsOnce(new Error('SNS is down')).resolves({ MessageId: 'm' });
    const deactivate = event('deactivatemfa-user-console.json', 'evt-sns-down');
    await expect(check(deactivate, context)).rejects.toThrow('SNS is down');
    // The operator redrives the event from the on-failure queue a while later.
    clock = new Date('2026-10-05T10:30:00Z');
    expect(await check(deactivate, context)).toMatchObject({ outcome: 'alerted', severity: 'HIGH' });
    // Once notified, the finding stays quiet.
    expect(await check(event('deactivatemfa-user-console.json', 'evt-sns-3'), context)).toMatchObject({
      outcome: 'already-open',
    });
    expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(2);
  });
});

describe('when the store is down', () => {
  it('still alerts (a missed dedup is better than a missed alert)', async () => {
    iamSays(0);
    const { check } = await deployment({ storeDown: true });
    expect(await check(event('deactivatemfa-user-console.json', 'evt-down'), context)).toMatchObject({
      outcome: 'alerted',
      severity: 'HIGH',
    });
    expect(messages()).toHaveLength(1);
    expect(messages()[0]?.findingId).toBeUndefined();
  });
});

describe('behaviours pinned for issue 18, item 9', () => {
  it('a rename moves the open finding (same id, previousNames) and sends no new alert', async () => {
    iamSays(0);
    const { check, store } = await deployment();
    await check(event('deactivatemfa-user-console.json', 'evt-before-rename'), context);
    const before = await store.getFinding({
      accountId: ACCOUNT,
      kind: 'USER_NO_MFA',
      userName: 'contractor.kim',
    });
    clock = new Date('2026-10-05T10:05:00Z');
    const result = await check(event('updateuser-rename.json', 'evt-rename'), context);
    expect(result.outcome).not.toBe('alerted');
    expect(messages()).toHaveLength(1);
    expect(
      await store.getFinding({ accountId: ACCOUNT, kind: 'USER_NO_MFA', userName: 'svc-reporting' }),
    ).toMatchObject({
      findingId: before?.findingId,
      state: 'OPEN',
      previousNames: ['contractor.kim'],
    });
    expect(
      await store.getFinding({ accountId: ACCOUNT, kind: 'USER_NO_MFA', userName: 'contractor.kim' }),
    ).toBeUndefined();
  });

  it('alerts an open, never-notified finding again only once one checker timeout has passed since it opened', async () => {
    // The first publish failed (SNS down): the finding is open but was never notified. Another event about
    // the same problem may arrive while that first attempt could still be running (up to one function
    // timeout, CHECKER_TIMEOUT_SECONDS): then it stays quiet; after that, it alerts.
    iamSays(0);
    const { check } = await deployment();
    const opened = clock.getTime();
    mocks.sns.on(PublishCommand).rejectsOnce(new Error('SNS is down')).resolves({ MessageId: 'm' });
    await expect(check(event('deactivatemfa-user-console.json', 'evt-t0'), context)).rejects.toThrow(
      'SNS is down',
    );
    clock = new Date(opened + CHECKER_TIMEOUT_SECONDS * 1000);
    expect(await check(event('deactivatemfa-user-console.json', 'evt-t1'), context)).toMatchObject({
      outcome: 'already-open',
    });
    clock = new Date(opened + CHECKER_TIMEOUT_SECONDS * 1000 + 1);
    expect(await check(event('deactivatemfa-user-console.json', 'evt-t2'), context)).toMatchObject({
      outcome: 'alerted',
      severity: 'HIGH',
    });
    expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(2);
  });
});

describe('root resolutions carry the right reason (issue 18, item 9)', () => {
  const rootIs = (mfa: number, password: number) =>
    mocks.iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: { AccountMFAEnabled: mfa, AccountPasswordPresent: password },
    });

  it.each([
    ['MFA enabled', 1, 1, 'mfa-enabled'],
    ['MFA enabled, password removed too', 1, 0, 'mfa-enabled'],
    ['password removed (centralized root access)', 0, 0, 'console-removed'],
  ] as const)('resolves an open root finding: %s', async (_name, mfa, password, reason) => {
    const { check, store } = await deployment();
    rootIs(0, 1);
    await check(event('deactivatemfa-root-self.json', `evt-root-open-${reason}-${password}`), context);
    clock = new Date('2026-10-05T11:00:00Z');
    rootIs(mfa, password);
    await check(event('deactivatemfa-root-self.json', `evt-root-fixed-${reason}-${password}`), context);
    const [finding] = await store.listFindings({ state: 'ALL', accountId: ACCOUNT });
    expect(finding).toMatchObject({ kind: 'ROOT_NO_MFA', state: 'RESOLVED', resolution: reason });
    expect(messages().map((m) => m.state)).toEqual(['OPEN', 'RESOLVED']);
  });
});

describe('an accepted (suppressed) finding (issue 19, item 8)', () => {
  const ADMIN = 'arn:aws:sts::222222222222:assumed-role/SecurityAdmin/jane';

  it('is not alerted while suppressed, even when never notified, and alerts once after its day', async () => {
    iamSays(0);
    const { check, store, tableName } = await deployment();
    mocks.sns.on(PublishCommand).rejectsOnce(new Error('SNS is down')).resolves({ MessageId: 'm' });
    const deactivate = event('deactivatemfa-user-console.json', 'evt-suppressed');
    await expect(check(deactivate, context)).rejects.toThrow('SNS is down');
    const [finding] = await store.listFindings({ accountId: ACCOUNT });
    await new FindingSuppressions({ client: dynamo.client, tableName }).suppress({
      findingId: finding!.findingId,
      until: '2026-10-20',
      reason: 'owner on leave; ticket SEC-7',
      by: ADMIN,
      now: clock,
    });
    // The redrive and a new event both stay quiet while the suppression holds.
    clock = new Date('2026-10-05T10:30:00Z');
    expect(await check(deactivate, context)).toMatchObject({ outcome: 'already-open' });
    expect(await check(event('deactivatemfa-user-console.json', 'evt-s-2'), context)).toMatchObject({
      outcome: 'already-open',
    });
    expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(1); // the failed attempt only
    // The day after "until": the next event that sees it reopens it, once.
    clock = new Date('2026-10-21T08:00:00Z');
    expect(await check(event('deactivatemfa-user-console.json', 'evt-s-3'), context)).toMatchObject({
      outcome: 'alerted',
    });
    expect(await check(event('deactivatemfa-user-console.json', 'evt-s-4'), context)).toMatchObject({
      outcome: 'already-open',
    });
    expect(messages().filter((m) => m.state === 'OPEN')).toHaveLength(2);
  });
});
