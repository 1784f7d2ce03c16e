import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FindingStore } from '../../functions/core/finding-store';
import { ALERT_LOCALES } from '../../functions/contract/contract';
import { formatDigest } from '../../functions/sweep-reporter/digest';
import { parseEvent } from '../../functions/checker/parse-event';
import { toEnvelope } from '../../scripts/envelope';
import { previewEvent } from '../../scripts/preview';
import { renderMessage } from '../../scripts/preview-extras';
import { rawTestConfig } from '../helpers/app';
import { TEST_CONTEXT, fakeAwsChecker, testSettings } from '../helpers/checker-harness';
import { createFindingsTable } from '../../scripts/simulation/dynalite';
import { useDynalite } from '../helpers/store';
import { PROJECT_ROOT, projectFixture } from '../helpers/events';
import { FakeAws, type RecordedCall } from '../../scripts/simulation/fake-aws';
import { sampleReport } from '../functions/sweep-reporter/sample';

// Issue 19, item 6: `npm run preview` is exact. The checker runs on the fake AWS (real SDK clients, a
// finding store on dynalite) and its one Publish is compared, subject, body and every message attribute,
// with what the preview renders from the same event and the same settings.

/** Subject, body and attributes of one recorded sns:Publish (query protocol). */
function published(call: RecordedCall) {
  const attributes: Record<string, string> = {};
  for (let i = 1; call.params[`MessageAttributes.entry.${i}.Name`] !== undefined; i += 1) {
    attributes[call.params[`MessageAttributes.entry.${i}.Name`] ?? ''] =
      call.params[`MessageAttributes.entry.${i}.Value.StringValue`] ?? '';
  }
  return { subject: call.params.Subject, body: call.params.Message, attributes };
}

describe('preview = what the checker publishes for a new finding', () => {
  const dynamo = useDynalite();

  const consoleAccess = {
    accessPortalUrl: 'https://d-1234567890.awsapps.com/start',
    permissionSet: 'SecurityAudit',
  };

  it.each(ALERT_LOCALES)(
    'same subject, body and attributes, finding id and first seen included (%s)',
    async (locale) => {
      const raw = projectFixture('createuser-sso-console.json');
      const aws = new FakeAws({ users: () => ({ mfaDevices: 0, console: true }) });
      const tableName = await createFindingsTable(dynamo.client);
      const settings = testSettings({ locale, timeZone: 'Asia/Seoul', consoleAccess });
      const preview = previewEvent(raw, {
        locale,
        timeZone: 'Asia/Seoul',
        mfa: 'none',
        console: true,
        gracePeriodHours: 0,
        partition: 'aws',
        accountAlias: 'fake-alias', // what the fake AWS answers to ListAccountAliases
        consoleAccess,
      });
      expect(preview.kind).toBe('messages');
      const [expected] = preview.kind === 'messages' ? preview.messages : [];
      // The checker checks at once (no grace period): its clock is the event's time, as the preview's.
      const eventTime = parseEvent(toEnvelope(raw)).eventTime;
      const checker = fakeAwsChecker(aws.requestHandler, settings, eventTime, {
        findings: new FindingStore({ client: dynamo.client, tableName }),
      });
      expect(await checker(raw, TEST_CONTEXT)).toMatchObject({ outcome: 'alerted' });
      const calls = aws.calls.filter((c) => c.action === 'Publish');
      expect(calls).toHaveLength(1);
      const actual = published(calls[0] as RecordedCall);
      expect(actual).toEqual(expected);
      expect(actual.attributes).toMatchObject({
        findingState: 'OPEN',
        findingId: expect.stringMatching(/^f-/) as unknown,
      });
      expect(actual.body).toContain(actual.attributes.findingId);
    },
  );
});

/** `npm run preview` as an operator runs it (real entry point, child process). */
function preview(args: string[]) {
  return spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/preview.ts', ...args],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

describe('preview renders every message before deploying', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omw-preview-'));
  const config = join(dir, 'my-org.json');
  writeFileSync(
    config,
    JSON.stringify({
      ...rawTestConfig(),
      gracePeriodHours: 0,
      notifications: { emails: ['a@example.com'], locale: 'en', timeZone: 'UTC' },
    }),
  );
  const event = 'test/fixtures/events/createuser-sso-console.json';

  it('the resolution notice of the finding, with the same finding id', () => {
    const result = preview([event, '--config', config, '--resolution']);
    expect(result.status).toBe(0);
    const id = /findingId=(f-[0-9a-f]{20})/.exec(result.stdout)?.[1];
    expect(id).toBeDefined();
    expect(result.stdout).toContain('--- resolution notice 1 of 1 (MFA enabled a day later) ---');
    expect(result.stdout).toContain('Subject: [org-mfa-watch] RESOLVED: IAM user contractor.kim has MFA now');
    expect(result.stdout.match(new RegExp(`findingId=${id ?? ''}`, 'g'))).toHaveLength(2);
  });

  it('the chat message (custom notification JSON)', () => {
    const result = preview([event, '--config', config, '--chat']);
    expect(result.status).toBe(0);
    const json = result.stdout.slice(result.stdout.indexOf('(chat topic, custom notification) ---\n') + 38);
    expect(JSON.parse(json)).toMatchObject({ version: '1.0', source: 'custom' });
  });

  it('the sweep digest of a report JSON file, with the reporter own formatDigest', () => {
    const report = sampleReport();
    const file = join(dir, 'report.json');
    writeFileSync(file, JSON.stringify(report));
    const result = preview(['--digest', file, '--config', config, '--bucket', 'my-sweep-bucket']);
    expect(result.status).toBe(0);
    const digest = formatDigest(report, {
      locale: 'en',
      timeZone: 'UTC',
      partition: 'aws',
      region: 'eu-central-1',
      bucket: 'my-sweep-bucket',
      reportCsvKey: `reports/${report.sweepId}/report.csv`,
      reportJsonKey: `reports/${report.sweepId}/report.json`,
    });
    expect(result.stdout).toBe(renderMessage(`sweep digest ${report.sweepId}`, digest));
  });

  it('refuses a file that is not a sweep report, in one line', () => {
    const file = join(dir, 'not-a-report.json');
    writeFileSync(file, '{"hello":1}');
    const result = preview(['--digest', file, '--config', config]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('not a sweep report');
  });
});
