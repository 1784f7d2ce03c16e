import { Logger } from '@aws-lambda-powertools/logger';
import {
  ListAccountAliasesCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deduplicated, EVENT_KEY_PATH } from '../../../functions/checker/deduplicate';
import { CheckFailedError } from '../../../functions/checker/errors';
import { withMetrics } from '../../../functions/checker/metrics';
import { type CheckResult } from '../../../functions/checker/process-event';
import { FindingStore } from '../../../functions/core/finding-store';
import { createIdempotentProcessor } from '../../../functions/core/idempotency';
import { MetricsRecorder, createMetrics } from '../../../functions/core/metrics';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE, METRICS_SERVICE } from '../../../functions/contract/metrics';
import { TEST_CONTEXT, testSettings } from '../../helpers/checker-harness';
import { createFindingsTable } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';
import {
  captureEmf,
  datapointsOf,
  emfProblems,
  metricSum,
  type EmfCapture,
  type EmfDatapoint,
} from '../../helpers/emf';
import { projectFixture } from '../../helpers/events';
import { consoleUserSays, mocks, resetMocks, testChecker } from '../../helpers/mocked-checker';

// The checker as handler.ts wires it (idempotency, finding store on dynalite, outcome counting, flush per
// invocation) with a REAL Powertools Metrics: each invocation's EMF lines are captured from stdout,
// checked against the EMF specification and read back as CloudWatch would extract them. STS, IAM, SNS
// and SQS are mocked as in the other checker tests.
const ACCOUNT = '210987654321';
const USER = 'contractor.kim';
const service = { service: METRICS_SERVICE };
const context = { ...TEST_CONTEXT, getRemainingTimeInMillis: () => 60_000 };
const clock = new Date('2026-10-05T10:00:00Z');
const dynamo = useDynalite();
let capture: EmfCapture;
let invoke: (event: unknown) => Promise<CheckResult>;
/** Every datapoint written in the test, for the cardinality check. */
let written: EmfDatapoint[];

beforeEach(async () => {
  resetMocks(clock);
  mocks.sns.on(PublishCommand).resolves({ MessageId: 'm' });
  mocks.sqs.on(SendMessageCommand).resolves({ MessageId: 'q' });
  mocks.iam.on(ListAccountAliasesCommand).resolves({ AccountAliases: ['acme-prod'] });
  capture = captureEmf();
  written = [];
  const tableName = await createFindingsTable(dynamo.client, 'metrics');
  const settings = testSettings({ findings: { tableName, resolvedRetentionDays: 90 } });
  const logger = new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' });
  const metrics = new MetricsRecorder(createMetrics(logger));
  const checker = testChecker(settings, clock, {
    findings: new FindingStore({ client: dynamo.client, tableName }),
    logger,
    metrics,
  });
  const once = createIdempotentProcessor<unknown, typeof context, CheckResult>(checker, {
    client: dynamo.client,
    tableName,
    eventKeyJmesPath: EVENT_KEY_PATH,
  });
  const check = withMetrics(deduplicated(checker, once, logger), metrics, logger);
  invoke = (event) => check(event, context);
});

afterEach(() => {
  capture.restore();
  // No dimension may carry an account id or a user name: every value comes from the contract's lists.
  for (const point of written) {
    expect(point.namespace).toBe(METRICS_NAMESPACE);
    for (const [name, value] of Object.entries(point.dimensions)) {
      if (name === 'service') expect(value).toBe(METRICS_SERVICE);
      else expect(METRIC_DIMENSIONS[name as keyof typeof METRIC_DIMENSIONS]).toContain(value);
      expect(value).not.toContain(ACCOUNT);
      expect(value).not.toContain(USER);
    }
  }
});

/** The metrics the last invocation wrote (each document checked against the EMF specification). */
function lastInvocation() {
  const docs = capture.take();
  for (const doc of docs) expect(emfProblems(doc)).toEqual([]);
  const points = datapointsOf(docs);
  written.push(...points);
  const sum = (name: string, dimensions: Record<string, string> = {}) =>
    metricSum(points, name, { ...service, ...dimensions });
  return { docs, points, sum };
}

/** IAM says the user has `mfa` devices and a console password. */
const iamSays = (mfa: number): void => {
  consoleUserSays(mfa, clock, USER);
};

/** A fixture with its own CloudTrail eventID (a different API call). */
function event(file: string, eventID: string): Record<string, unknown> {
  const base = projectFixture(file);
  const detail = base.detail as Record<string, unknown>;
  return { ...base, id: `eb-${eventID}`, detail: { ...detail, eventID, eventTime: clock.toISOString() } };
}

describe('checker metrics, one invocation at a time', () => {
  it('alert HIGH: one check completed, one HIGH NO_MFA_CONSOLE alert, one new finding from an event', async () => {
    iamSays(0);
    expect(await invoke(event('deactivatemfa-user-console.json', 'e-high'))).toMatchObject({
      outcome: 'alerted',
      severity: 'HIGH',
    });
    const { sum } = lastInvocation();
    expect(sum('ChecksCompleted')).toBe(1);
    expect(sum('Alerts')).toBe(1);
    expect(sum('Alerts', { Severity: 'HIGH' })).toBe(1);
    expect(sum('Alerts', { Finding: 'NO_MFA_CONSOLE' })).toBe(1);
    expect(sum('NewFindings', { Source: 'event' })).toBe(1);
    expect(sum('CheckFailures')).toBeUndefined();
    expect(sum('ResolvedFindings')).toBeUndefined();
  });

  it('no alert: the check completes and nothing else is counted', async () => {
    iamSays(1);
    expect(await invoke(event('deactivatemfa-user-console.json', 'e-ok'))).toMatchObject({
      outcome: 'no-alert',
    });
    const { points, sum } = lastInvocation();
    expect(sum('ChecksCompleted')).toBe(1);
    expect(new Set(points.map((p) => p.name))).toEqual(new Set(['ChecksCompleted']));
  });

  it('a problem already open: counted as a completed check, neither alerted nor new again', async () => {
    iamSays(0);
    await invoke(event('deactivatemfa-user-console.json', 'e-first'));
    lastInvocation();
    expect(await invoke(event('deactivatemfa-user-console.json', 'e-again'))).toMatchObject({
      outcome: 'already-open',
    });
    const { points, sum } = lastInvocation();
    expect(sum('ChecksCompleted')).toBe(1);
    expect(points.filter((p) => p.name !== 'ChecksCompleted')).toEqual([]);
  });

  it('resolution: MFA enabled on a user with an open finding counts one resolution by reason and source', async () => {
    iamSays(0);
    await invoke(event('deactivatemfa-user-console.json', 'e-open'));
    lastInvocation();
    iamSays(1);
    expect(await invoke(event('enablemfa-user-self.json', 'e-fixed'))).toMatchObject({ outcome: 'no-alert' });
    const { sum } = lastInvocation();
    expect(sum('ChecksCompleted')).toBe(1);
    expect(sum('ResolvedFindings')).toBe(1);
    expect(sum('ResolvedFindings', { Reason: 'mfa-enabled' })).toBe(1);
    expect(sum('ResolvedFindings', { Source: 'event' })).toBe(1);
    // The resolution notice is not an alert.
    expect(sum('Alerts')).toBeUndefined();
  });

  it('resolution of a deleted user is counted under "deleted"', async () => {
    iamSays(0);
    await invoke(event('deactivatemfa-user-console.json', 'e-open-2'));
    lastInvocation();
    const gone = new NoSuchEntityException({ message: 'gone', $metadata: {} });
    mocks.iam.on(ListMFADevicesCommand).rejects(gone);
    mocks.iam.on(ListUserTagsCommand).rejects(gone);
    expect(await invoke(event('deactivatemfa-user-console.json', 'e-deleted'))).toMatchObject({
      outcome: 'skipped',
    });
    expect(lastInvocation().sum('ResolvedFindings', { Reason: 'deleted' })).toBe(1);
  });

  it('check failure: the failure and its CHECK_FAILED alert are counted, then the error is rethrown', async () => {
    mocks.sts
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await expect(invoke(event('deactivatemfa-user-console.json', 'e-fail'))).rejects.toBeInstanceOf(
      CheckFailedError,
    );
    const { sum } = lastInvocation();
    expect(sum('CheckFailures')).toBe(1);
    expect(sum('Alerts', { Finding: 'CHECK_FAILED' })).toBe(1);
    expect(sum('Alerts', { Severity: 'HIGH' })).toBe(1);
    expect(sum('ChecksCompleted')).toBeUndefined();
  });

  it('a failure whose alert could not be published counts the failure and no alert', async () => {
    mocks.sts
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    mocks.sns.on(PublishCommand).rejects(new Error('SNS unavailable'));
    await expect(invoke(event('deactivatemfa-user-console.json', 'e-fail-2'))).rejects.toThrow();
    const { sum } = lastInvocation();
    expect(sum('CheckFailures')).toBe(1);
    expect(sum('Alerts')).toBeUndefined();
  });

  it('quarantine: an invalid event is counted as quarantined, not as a completed check', async () => {
    expect(await invoke(projectFixture('malformed-username-with-space.json'))).toMatchObject({
      outcome: 'quarantined',
    });
    const { sum } = lastInvocation();
    expect(sum('QuarantinedEvents')).toBe(1);
    expect(sum('ChecksCompleted')).toBeUndefined();
    expect(sum('CheckFailures')).toBeUndefined();
  });

  it('a duplicate delivery is a completed check and adds no alert', async () => {
    iamSays(0);
    const deactivate = event('deactivatemfa-user-console.json', 'e-dup');
    await invoke(deactivate);
    lastInvocation();
    expect(await invoke(deactivate)).toMatchObject({ outcome: 'skipped' });
    const { points, sum } = lastInvocation();
    expect(sum('ChecksCompleted')).toBe(1);
    expect(points.map((p) => p.name)).toEqual(['ChecksCompleted']);
  });
});
