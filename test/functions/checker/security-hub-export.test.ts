import { Logger } from '@aws-lambda-powertools/logger';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import { beforeEach, describe, expect, it } from 'vitest';
import { BENCH_ENV } from '../../../bench/cold-init';
import { loadSettings } from '../../../functions/checker/env';
import { createChecker } from '../../../functions/checker/process-event';
import { validateAsff } from '../../../functions/core/asff-rules';
import { AccountSessions } from '../../../functions/core/credentials';
import { FindingStore } from '../../../functions/core/finding-store';
import { AccountAliases } from '../../../functions/core/iam-facts';
import {
  createSecurityHubExporter,
  type ExportFailure,
  type SecurityHubExporter,
} from '../../../functions/core/security-hub';
import { TEST_CONTEXT, testSettings } from '../../helpers/checker-harness';
import { createFindingsTable } from '../../../scripts/simulation/dynalite';
import { useDynalite } from '../../helpers/store';
import { projectFixture } from '../../helpers/events';
import { FakeAws, type FakeAwsOptions, type FakeUser } from '../../../scripts/simulation/fake-aws';

// The Security Hub export on real SDK clients whose HTTP layer is the fake AWS (serialization, signing,
// retries and parsing run as in Lambda), with the finding store on dynalite. BatchImportFindings with the
// default product must be called by the account the finding belongs to (AWS Security Hub API Reference,
// BatchImportFindings); an update is applied only when its UpdatedAt is later than the stored one (User
// Guide, "BatchImportFindings for finding providers").
const MEMBER = '210987654321'; // the fixtures' account
const USER = 'contractor.kim';
const HOME = 'eu-central-1';
const context = { ...TEST_CONTEXT, getRemainingTimeInMillis: () => 60_000 };
const dynamo = useDynalite();
let clock: Date;
let user: FakeUser;

beforeEach(() => {
  clock = new Date('2026-10-05T10:00:00Z');
  user = { mfaDevices: 0, console: true };
});

/** A deployment-like checker: fake AWS for STS, IAM, SNS and Security Hub, the store on dynalite. */
async function deployment(options: { aws?: FakeAwsOptions; exportOn?: boolean } = {}) {
  const aws = new FakeAws({
    users: (account, name) => (account === MEMBER && name === USER ? user : undefined),
    now: () => clock.getTime(),
    ...options.aws,
  });
  const tableName = await createFindingsTable(dynamo.client, 'sechub');
  const settings = testSettings({
    findings: { tableName, resolvedRetentionDays: 90 },
    gracePeriodHours: 0,
    securityHub: { region: HOME },
  });
  const clientConfig = {
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDCHECKER', secretAccessKey: 'secret' },
    maxAttempts: 2,
    requestHandler: aws.requestHandler as never,
  };
  const { credentials: _central, ...memberClientConfig } = clientConfig;
  const sessions = new AccountSessions(new STSClient(clientConfig), {
    roleName: settings.checkRoleName,
    partition: 'aws',
    iamClientConfig: memberClientConfig,
    securityHubClientConfig: { ...memberClientConfig, region: HOME },
    now: () => clock.getTime(),
  });
  const failures: ExportFailure[] = [];
  const logger = new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' });
  const securityHub: SecurityHubExporter = createSecurityHubExporter({
    sessions,
    settings: { partition: 'aws', region: HOME, locale: 'en' },
    logger,
    onExportFailure: (failure) => failures.push(failure),
  });
  const check = createChecker({
    settings,
    sessions,
    aliases: new AccountAliases(),
    sns: new SNSClient(clientConfig),
    sqs: new SQSClient(clientConfig),
    scheduler: new SchedulerClient(clientConfig),
    findings: new FindingStore({ client: dynamo.client, tableName }),
    ...(options.exportOn === false ? {} : { securityHub }),
    logger,
    now: () => clock,
  });
  return { aws, check, failures };
}

/** A fixture with its own CloudTrail eventID, at the current clock. */
function event(file: string, eventID: string): Record<string, unknown> {
  const base = projectFixture(file);
  const detail = base.detail as Record<string, unknown>;
  return { ...base, id: `eb-${eventID}`, detail: { ...detail, eventID, eventTime: clock.toISOString() } };
}

const later = (hours: number) => {
  clock = new Date(clock.getTime() + hours * 3_600_000);
};

describe('Security Hub import and archival through the member account', () => {
  it('imports ACTIVE on open, ARCHIVED on resolution, ACTIVE on reopening: one Id, later UpdatedAt each time', async () => {
    const { aws, check, failures } = await deployment();

    expect(await check(event('deactivatemfa-user-console.json', 'e-open'), context)).toMatchObject({
      outcome: 'alerted',
      severity: 'HIGH',
    });
    later(20);
    user = { mfaDevices: 1, console: true };
    expect(await check(event('enablemfa-user-self.json', 'e-fixed'), context)).toMatchObject({
      outcome: 'no-alert',
    });
    later(30);
    user = { mfaDevices: 0, console: true };
    expect(await check(event('deactivatemfa-user-console.json', 'e-again'), context)).toMatchObject({
      outcome: 'alerted',
    });

    expect(failures).toEqual([]);
    expect(aws.imports).toHaveLength(3);
    // Imported by the member account itself (its check role's session), into the home region.
    expect(aws.imports.map((i) => [i.callerAccount, i.region, i.applied])).toEqual([
      [MEMBER, HOME, true],
      [MEMBER, HOME, true],
      [MEMBER, HOME, true],
    ]);
    const findings = aws.imports.map((i) => i.finding);
    expect(findings.map((f) => f.RecordState)).toEqual(['ACTIVE', 'ARCHIVED', 'ACTIVE']);
    expect(new Set(findings.map((f) => f.Id)).size).toBe(1);
    const updated = findings.map((f) => Date.parse(String(f.UpdatedAt)));
    expect(updated[1]).toBeGreaterThan(updated[0] ?? Infinity);
    expect(updated[2]).toBeGreaterThan(updated[1] ?? Infinity);
    expect(new Set(findings.map((f) => f.CreatedAt)).size).toBe(1);
    for (const finding of findings) {
      expect(validateAsff(finding)).toEqual([]);
      expect(finding).not.toHaveProperty('Workflow');
      expect(finding).toMatchObject({
        AwsAccountId: MEMBER,
        ProductArn: `arn:aws:securityhub:${HOME}:${MEMBER}:product/${MEMBER}/default`,
        FindingProviderFields: { Severity: { Label: 'HIGH' } },
        Resources: [{ Type: 'AwsIamUser', Id: `arn:aws:iam::${MEMBER}:user/${USER}` }],
      });
    }
    // Security Hub holds the latest state.
    expect([...aws.securityHubFindings.values()].map((f) => f.RecordState)).toEqual(['ACTIVE']);
    // Each import follows its message: alert, resolution notice, alert.
    const order = aws.calls
      .filter((c) => c.action === 'Publish' || c.action === 'BatchImportFindings')
      .map((c) => c.action);
    expect(order).toEqual([
      'Publish',
      'BatchImportFindings',
      'Publish',
      'BatchImportFindings',
      'Publish',
      'BatchImportFindings',
    ]);
  });

  it('does not import again while the finding stays open (no transition, no message)', async () => {
    const { aws, check } = await deployment();
    await check(event('deactivatemfa-user-console.json', 'e-1'), context);
    later(1);
    expect(await check(event('deactivatemfa-user-console.json', 'e-2'), context)).toMatchObject({
      outcome: 'already-open',
    });
    expect(aws.count('securityhub')).toBe(1);
  });

  it('calls Security Hub not at all when the export is off', async () => {
    const { aws, check } = await deployment({ exportOn: false });
    await check(event('deactivatemfa-user-console.json', 'e-off'), context);
    expect(aws.count('sns', 'Publish')).toBe(1);
    expect(aws.count('securityhub')).toBe(0);
  });
});

describe('a failed export never blocks the alert', () => {
  it.each([
    [
      'Security Hub not enabled (InvalidAccessException)',
      { securityHub: () => 'not-enabled' as const },
      'not-enabled',
      'InvalidAccessException',
    ],
    [
      'Security Hub not enabled for the account (FailedFindings InvalidAccess)',
      { securityHub: () => 'not-subscribed' as const },
      'not-enabled',
      'InvalidAccess',
    ],
    [
      'a finding in FailedFindings',
      { rejectFinding: () => ({ ErrorCode: 'InvalidInput', ErrorMessage: 'Finding rejected' }) },
      'rejected',
      'InvalidInput',
    ],
  ])('%s: the e-mail is sent, the failure counted', async (_name, aws, reason, errorCode) => {
    const deployed = await deployment({ aws });
    expect(await deployed.check(event('deactivatemfa-user-console.json', 'e-fail'), context)).toMatchObject({
      outcome: 'alerted',
    });
    expect(deployed.aws.count('sns', 'Publish')).toBe(1);
    expect(deployed.aws.count('securityhub', 'BatchImportFindings')).toBe(1);
    expect(deployed.aws.securityHubFindings.size).toBe(0);
    expect(deployed.failures).toEqual([expect.objectContaining({ accountId: MEMBER, reason, errorCode })]);
    expect(deployed.failures[0]?.ids).toHaveLength(1);
  });

  it('the resolution notice is sent too when the archival import fails', async () => {
    let enabled = true;
    const deployed = await deployment({ aws: { securityHub: () => (enabled ? 'enabled' : 'not-enabled') } });
    await deployed.check(event('deactivatemfa-user-console.json', 'e-open'), context);
    enabled = false;
    later(2);
    user = { mfaDevices: 1, console: true };
    await deployed.check(event('enablemfa-user-self.json', 'e-fixed'), context);
    expect(deployed.aws.count('sns', 'Publish')).toBe(2);
    expect(deployed.failures.map((f) => f.reason)).toEqual(['not-enabled']);
  });
});

/** The exporter alone on the fake AWS, as the sweep worker builds it (one attempt per call). */
function standaloneExporter(aws: FakeAws, locale: 'en' | 'ko'): SecurityHubExporter {
  const sessions = new AccountSessions(
    new STSClient({
      credentials: { accessKeyId: 'AKIDCHECKER', secretAccessKey: 'secret' },
      maxAttempts: 1,
      region: 'us-east-1',
      requestHandler: aws.requestHandler as never,
    }),
    {
      roleName: 'org-mfa-watch-check',
      partition: 'aws',
      iamClientConfig: { region: 'us-east-1', requestHandler: aws.requestHandler as never },
      securityHubClientConfig: { region: HOME, requestHandler: aws.requestHandler as never },
    },
  );
  return createSecurityHubExporter({
    sessions,
    settings: { partition: 'aws', region: HOME, locale },
    logger: new Logger({ serviceName: 'org-mfa-watch-test', logLevel: 'SILENT' }),
  });
}

describe('the exporter on its own (as the sweep worker calls it)', () => {
  it('sends at most 100 findings per request and skips what cannot come from its account', async () => {
    const aws = new FakeAws();
    const exporter = standaloneExporter(aws, 'ko');
    const at = '2026-10-05T10:00:00.000Z';
    const base = {
      accountId: MEMBER,
      state: 'OPEN',
      severity: 'MEDIUM',
      source: 'sweep',
      firstSeen: at,
      openedAt: at,
      lastSeen: at,
      reopenCount: 0,
      previousNames: [],
      version: 1,
    } as const;
    const users = Array.from({ length: 150 }, (_, i) => ({
      finding: {
        ...base,
        findingId: `f-${String(i).padStart(20, '0')}`,
        kind: 'USER_NO_MFA' as const,
        subject: `u${i}`,
      },
    }));
    const notCovered = {
      finding: { ...base, findingId: 'f-nc', kind: 'ACCOUNT_NOT_COVERED' as const, subject: 'account' },
    };
    const result = await exporter.exportFindings(MEMBER, [...users, notCovered], 'sweep-1');
    expect(result.imported).toHaveLength(150);
    expect(result.failures).toEqual([]);
    expect(result.skipped).toEqual([`org-mfa-watch/${MEMBER}/f-nc`]);
    expect(aws.count('securityhub', 'BatchImportFindings')).toBe(2);
    expect(aws.imports).toHaveLength(150);
    expect(aws.imports.every((i) => i.callerAccount === MEMBER && i.region === HOME)).toBe(true);
    expect(aws.count('sts', 'AssumeRole')).toBe(1);
  });
});

describe('the export settings', () => {
  it('reads the export switch and region, and refuses the switch without a region (naming both)', () => {
    expect(loadSettings({ ...BENCH_ENV }).securityHub).toBeUndefined();
    expect(
      loadSettings({ ...BENCH_ENV, SECURITY_HUB_EXPORT: 'true', SECURITY_HUB_REGION: HOME }).securityHub,
    ).toEqual({ region: HOME });
    expect(
      loadSettings({ ...BENCH_ENV, SECURITY_HUB_EXPORT: 'false', SECURITY_HUB_REGION: HOME }).securityHub,
    ).toBeUndefined();
    expect(() => loadSettings({ ...BENCH_ENV, SECURITY_HUB_EXPORT: 'true' })).toThrow(
      /SECURITY_HUB_REGION must be set when SECURITY_HUB_EXPORT is "true"/,
    );
    expect(() =>
      loadSettings({ ...BENCH_ENV, SECURITY_HUB_EXPORT: 'yes', SECURITY_HUB_REGION: 'Frankfurt' }),
    ).toThrow(
      /SECURITY_HUB_EXPORT: expected "true" or "false"[\s\S]*SECURITY_HUB_REGION: expected an AWS region name/,
    );
  });
});

describe('what Security Hub rejects is not counted as imported (issue 18, item 9)', () => {
  it('leaves a finding returned in FailedFindings out of imported, and reports it as a failure', async () => {
    // AWS Security Hub API Reference, BatchImportFindings: the response lists the findings that could
    // not be imported in FailedFindings (with ErrorCode and ErrorMessage); the others were imported.
    const aws = new FakeAws({
      rejectFinding: (finding) =>
        String(finding.Id).endsWith('f-rejected')
          ? { ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }
          : undefined,
    });
    const exporter = standaloneExporter(aws, 'en');
    const at = '2026-10-05T10:00:00.000Z';
    const finding = (findingId: string, subject: string) => ({
      finding: {
        accountId: MEMBER,
        findingId,
        kind: 'USER_NO_MFA' as const,
        subject,
        state: 'OPEN' as const,
        severity: 'HIGH' as const,
        source: 'sweep' as const,
        firstSeen: at,
        openedAt: at,
        lastSeen: at,
        reopenCount: 0,
        previousNames: [],
        version: 1,
      },
    });
    const result = await exporter.exportFindings(
      MEMBER,
      [finding('f-accepted', 'alice'), finding('f-rejected', 'bob')],
      'sweep-1',
    );
    expect(result.imported).toEqual([`org-mfa-watch/${MEMBER}/f-accepted`]);
    expect(result.failures).toEqual([
      expect.objectContaining({
        ids: [`org-mfa-watch/${MEMBER}/f-rejected`],
        reason: 'rejected',
        errorCode: 'InvalidInput',
      }),
    ]);
  });
});
