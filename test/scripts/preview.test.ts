import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, previewEvent, renderPreview, type PreviewOptions } from '../../scripts/preview';
import { PROJECT_FIXTURES_DIR, projectFixture } from '../helpers/events';

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
    expect(message?.attributes).toEqual({
      severity: 'HIGH',
      accountId: '210987654321',
      eventName: 'CreateUser',
      finding: 'NO_MFA_CONSOLE',
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

  it('explains a skip', () => {
    expect(renderPreview(previewEvent(projectFixture('createuser-failed-accessdenied.json'), options))).toBe(
      'No message would be published: the CreateUser call failed (AccessDenied): nothing changed\n',
    );
  });
});

describe('npm run preview', () => {
  afterEach(() => vi.restoreAllMocks());

  function run(args: string[]): { code: number; out: string; err: string } {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    const code = main(args);
    vi.restoreAllMocks();
    return { code, out, err };
  }

  it('prints subject, attributes and body for a file', () => {
    const result = run([join(PROJECT_FIXTURES_DIR, 'deactivatemfa-root-self.json')]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'Subject: [org-mfa-watch] CRITICAL: root user has a password and no MFA (210987654321)',
    );
    expect(result.out).toContain('Attributes: severity=CRITICAL');
  });

  it('rejects bad options with the usage line', () => {
    expect(run([join(PROJECT_FIXTURES_DIR, 'createuser-sso-console.json'), '--mfa', 'sms']).err).toContain(
      'usage:',
    );
    expect(run([]).code).toBe(2);
  });

  it('says the event would be quarantined, naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omw-preview-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...projectFixture('createuser-sso-console.json'), account: '123' }));
    const result = run([file]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('quarantine this event: Invalid event: account');
  });
});
