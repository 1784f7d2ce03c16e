import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHECKER_ENV } from '../../../functions/contract/contract';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../../functions/contract/metrics';
import { PUBLISH_RESERVE_MS } from '../../../functions/contract/timing';
import { createFindingsTable, startDynalite, type LocalDynamo } from '../../../scripts/simulation/dynalite';
import { captureEmf, datapointsOf, emfProblems, metricSum, type EmfCapture } from '../../helpers/emf';
import { projectFixture } from '../../helpers/events';
import { FakeAws } from '../../../scripts/simulation/fake-aws';
import { startFakeAwsServer, type FakeAwsServer } from '../../../scripts/simulation/fake-aws-server';

// The real handler.ts (module-scope Metrics, as deployed) against a fake AWS over HTTP and dynalite: it
// writes its metrics as EMF on stdout at the end of every invocation, also when the invocation fails.
const aws = new FakeAws({ users: () => ({ mfaDevices: 0, console: true }) });
const service = { service: METRICS_SERVICE };
let server: FakeAwsServer;
let dynamo: LocalDynamo;
let capture: EmfCapture;
let handler: (event: unknown, context: Context) => Promise<unknown>;

beforeAll(async () => {
  server = await startFakeAwsServer(aws);
  dynamo = await startDynalite();
  const tableName = await createFindingsTable(dynamo.client, 'metrics-handler');
  vi.stubEnv('AWS_ENDPOINT_URL', server.url);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
  vi.stubEnv('FINDINGS_TABLE_NAME', tableName);
  vi.stubEnv('FINDINGS_RESOLVED_RETENTION_DAYS', '90');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFAKEHANDLER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
  vi.stubEnv('AWS_SESSION_TOKEN', 'token-222222222222');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
  // The deployed function's service name; the metrics use the contract's whatever it is.
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'org-mfa-watch-checker');
  const env: Record<string, string> = {
    [CHECKER_ENV.checkRoleName]: 'org-mfa-watch-check',
    [CHECKER_ENV.alertTopicArn]: 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts',
    [CHECKER_ENV.alertLocale]: 'en',
    [CHECKER_ENV.alertTimeZone]: 'UTC',
    [CHECKER_ENV.quarantineQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/222222222222/quarantine',
    [CHECKER_ENV.gracePeriodHours]: '0',
    [CHECKER_ENV.notifyOnCreate]: 'false',
    [CHECKER_ENV.exemptions]: '[]',
    [CHECKER_ENV.trustExemptionTags]: 'false',
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  capture = captureEmf();
  vi.resetModules();
  ({ handler } = await import('../../../functions/checker/handler'));
});

afterAll(async () => {
  capture.restore();
  vi.unstubAllEnvs();
  await server.close();
  await dynamo.close();
});

const context = {
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:222222222222:function:org-mfa-watch-checker',
  getRemainingTimeInMillis: () => 120_000,
  functionName: 'org-mfa-watch-checker',
  awsRequestId: 'req-1',
} as unknown as Context;

function written() {
  const docs = capture.take();
  for (const doc of docs) expect(emfProblems(doc)).toEqual([]);
  return datapointsOf(docs);
}

describe('the real handler writes EMF per invocation', () => {
  it('after an alert: the check and its HIGH alert, in the contract namespace', async () => {
    await expect(handler(projectFixture('createuser-sso-console.json'), context)).resolves.toMatchObject({
      outcome: 'alerted',
      severity: 'HIGH',
    });
    const points = written();
    expect(new Set(points.map((p) => p.namespace))).toEqual(new Set([METRICS_NAMESPACE]));
    expect(metricSum(points, 'ChecksCompleted', service)).toBe(1);
    expect(metricSum(points, 'Alerts', { ...service, Severity: 'HIGH' })).toBe(1);
    expect(metricSum(points, 'NewFindings', { ...service, Source: 'event' })).toBe(1);
  });

  it('after a failed check: the failure and its CHECK_FAILED alert are written, then the error is rethrown', async () => {
    // No time left beyond the publish reserve: the check fails at its deadline, before any answer.
    const late = { ...context, getRemainingTimeInMillis: () => PUBLISH_RESERVE_MS };
    await expect(handler(projectFixture('deactivatemfa-user-console.json'), late)).rejects.toThrow(
      /function deadline/,
    );
    const points = written();
    expect(metricSum(points, 'CheckFailures', service)).toBe(1);
    expect(metricSum(points, 'Alerts', { ...service, Finding: 'CHECK_FAILED' })).toBe(1);
    expect(metricSum(points, 'ChecksCompleted', service)).toBeUndefined();
  });
});
