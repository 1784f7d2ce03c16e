import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewEvent, renderPreview, type PreviewOptions } from '../../scripts/preview';
import { rawTestConfig } from '../helpers/app';
import { PROJECT_FIXTURES_DIR, PROJECT_ROOT, projectFixture } from '../helpers/events';

const options: PreviewOptions = {
  locale: 'en',
  timeZone: 'UTC',
  mfa: 'none',
  console: true,
  gracePeriodHours: 0,
  partition: 'aws',
};

describe('previewEvent', () => {
  it('shows the HIGH alert for a console user without MFA', () => {
    const preview = previewEvent(projectFixture('createuser-sso-console.json'), options);
    expect(preview).toMatchObject({ kind: 'messages' });
    const [message] = preview.kind === 'messages' ? preview.messages : [];
    expect(message?.subject).toBe(
      '[org-mfa-watch] HIGH: IAM user contractor.kim has console access, no MFA (210987654321)',
    );
    // As the checker publishes a new finding: with its finding id and state (issue 19, item 6).
    expect(message?.attributes).toEqual({
      severity: 'HIGH',
      accountId: '210987654321',
      eventName: 'CreateUser',
      finding: 'NO_MFA_CONSOLE',
      findingId: 'f-ee28136aa2f042851a9e',
      findingState: 'OPEN',
    });
  });

  it('shows MEDIUM without a console password, and nothing with MFA', () => {
    const medium = previewEvent(projectFixture('createuser-sso-console.json'), {
      ...options,
      console: false,
    });
    expect(medium.kind === 'messages' && medium.messages[0]?.attributes.severity).toBe('MEDIUM');
    expect(
      previewEvent(projectFixture('createuser-sso-console.json'), { ...options, mfa: 'virtual' }),
    ).toEqual({
      kind: 'none',
      reason: 'the user has 1 MFA device(s)',
    });
  });

  it('shows the creation notice and the later alert with a grace period, in Korean', () => {
    const preview = previewEvent(projectFixture('createuser-sso-console.json'), {
      ...options,
      gracePeriodHours: 24,
      locale: 'ko',
    });
    expect(preview.kind === 'messages' && preview.messages.map((m) => m.attributes.severity)).toEqual([
      'INFO',
      'HIGH',
    ]);
    expect(renderPreview(preview)).toContain('유예 기간이 지난 뒤에도 MFA가 없습니다.');
  });

  it('explains an event the member rule does not forward', () => {
    expect(renderPreview(previewEvent(projectFixture('createuser-failed-accessdenied.json'), options))).toBe(
      'No message would be published: not forwarded by the member rule: the CreateUser call failed (AccessDenied); only successful calls are forwarded\n',
    );
  });
});

describe('npm run preview (entry point)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omw-preview-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const raw = (name: string) => readFileSync(join(PROJECT_FIXTURES_DIR, name), 'utf8');
  const fixture = (name: string) => join(PROJECT_FIXTURES_DIR, name);
  const config = (overrides: Record<string, unknown>) =>
    file(
      `config-${Object.keys(overrides).join('-')}-${Math.random().toString(36).slice(2)}.json`,
      JSON.stringify({ ...rawTestConfig(), ...overrides }),
    );

  /** `npm run preview -- ...` as an operator runs it: the real entry point in a child process. */
  function preview(args: string[]) {
    return spawnSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/preview.ts', ...args], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it.each([
    ['a missing file', () => [join(dir, 'nope.json')], 'nope.json does not exist'],
    ['a folder', () => [dir], 'is a folder; give one JSON file'],
    ['non-JSON', () => [file('text.json', 'hello\nworld\n')], 'text.json is not JSON'],
    [
      'an empty file',
      () => [file('empty.json', '  \n')],
      'empty.json is empty; expected a CloudTrail record',
    ],
    ['a JSON array', () => [file('array.json', '[]')], 'array.json holds a JSON array'],
    ['{} with no records', () => [file('object.json', '{}')], 'object.json has no event'],
    ['an empty Records list', () => [file('records.json', '{"Records":[]}')], 'records.json has no records'],
    ['no file', () => [], 'no event file given'],
    [
      'an unknown option',
      () => [fixture('createuser-sso-console.json'), '--colour'],
      'unknown option --colour',
    ],
    [
      '--grace -1',
      () => [fixture('createuser-sso-console.json'), '--grace', '-1'],
      '--grace "-1" is not an accepted value',
    ],
    [
      '--grace=-1',
      () => [fixture('createuser-sso-console.json'), '--grace=-1'],
      '--grace "-1" is not a whole number of hours',
    ],
    [
      'an unknown --tz',
      () => [fixture('createuser-sso-console.json'), '--tz', 'Mars/Olympus'],
      '--tz "Mars/Olympus" is not an IANA time zone',
    ],
    [
      'an unknown --partition',
      () => [fixture('createuser-sso-console.json'), '--partition', 'aws-mars'],
      '--partition "aws-mars" is not one of aws, aws-us-gov, aws-cn',
    ],
    [
      'a bad --mfa',
      () => [fixture('createuser-sso-console.json'), '--mfa', 'sms'],
      '--mfa "sms" is not one of none, virtual',
    ],
  ])('%s: one line saying what is wrong and how to call it, exit 2', (_name, args, message) => {
    const result = preview(args());
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(lines[0]).toContain('Usage: npm run preview -- <event.json> [--config FILE] [options]');
    expect(result.stdout).toBe('');
  });

  it('--help prints the usage and exits 0', () => {
    const result = preview(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run preview -- <event.json> \[options\]/);
    expect(result.stdout).toContain('--config FILE');
  });

  it('uses the configuration cdk synth reads by default (cdk.json: 24 h grace period, creation notice)', () => {
    const result = preview([fixture('createuser-sso-console.json')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('(the check runs 24 h after the event');
    expect(result.stdout).toContain('Attributes: severity=INFO');
    expect(result.stdout).toContain(
      'Subject: [org-mfa-watch] HIGH: IAM user contractor.kim has console access',
    );
  });

  it('reads --config: locale, time zone, grace period and notify-on-create of that file', () => {
    const result = preview([
      fixture('createuser-sso-console.json'),
      '--config',
      config({ gracePeriodHours: 0, notifyOnCreate: false }),
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--- message 1 of 1 ---');
    expect(result.stdout).toContain('콘솔 비밀번호가 있지만 MFA가 없습니다');
    expect(result.stdout).toContain('(Asia/Seoul)');
  });

  it('lets options override the configuration', () => {
    const result = preview([
      fixture('createuser-sso-console.json'),
      '--config',
      config({ gracePeriodHours: 24, notifyOnCreate: true }),
      '--locale',
      'en',
      '--grace',
      '0',
      '--tz',
      'Europe/Berlin',
    ]);
    expect(result.stdout).toContain('--- message 1 of 1 ---');
    expect(result.stdout).toContain('has a console password and no MFA.');
    expect(result.stdout).toContain('(Europe/Berlin)');
  });

  it('applies the configured exemptions', () => {
    const result = preview([
      fixture('createuser-sso-console.json'),
      '--config',
      config({
        gracePeriodHours: 0,
        exemptions: [
          { accountId: '210987654321', userName: 'contractor.kim', reason: 'vendor appliance SEC-1' },
        ],
      }),
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('No message would be published: exempt: vendor appliance SEC-1\n');
  });

  it('previews every record of a CloudTrail log file, numbered', () => {
    const records = file(
      'log.json',
      JSON.stringify({
        Records: [
          JSON.parse(raw('createuser-sso-console.json')),
          JSON.parse(raw('deactivatemfa-root-self.json')),
        ],
      }),
    );
    const result = preview([records, '--grace', '0']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('=== record 1 of 2 ===');
    expect(result.stdout).toContain('=== record 2 of 2 ===');
    expect(result.stdout).toContain('CRITICAL: root user has a password and no MFA (210987654321)');
  });

  it('says an event the member rule would never forward is not forwarded, rather than quarantined', () => {
    const accessKey = {
      ...(JSON.parse(raw('createuser-sso-console.json')) as Record<string, unknown>),
      eventName: 'CreateAccessKey',
    };
    const result = preview([file('access-key.json', JSON.stringify(accessKey))]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^No message would be published: not forwarded by the member rule: .*CreateAccessKey/,
    );
    expect(preview([fixture('createuser-failed-accessdenied.json')]).stdout).toContain(
      'not forwarded by the member rule: the CreateUser call failed (AccessDenied)',
    );
  });

  it('says the event would be quarantined, naming the field', () => {
    const bad = file(
      'bad.json',
      JSON.stringify({ ...projectFixture('createuser-sso-console.json'), account: '123' }),
    );
    const result = preview([bad]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('quarantine this event: Invalid event: account');
  });

  it('--partition changes the console link domain as the function does', () => {
    const result = preview([fixture('createuser-sso-console.json'), '--grace', '0', '--partition', 'aws-cn']);
    expect(result.stdout).toContain(
      'Console (sign in to account 210987654321 first): https://console.amazonaws.cn/iam/home#/users/details/contractor.kim',
    );
  });
});
