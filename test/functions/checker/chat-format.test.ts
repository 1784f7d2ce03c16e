import { describe, expect, it } from 'vitest';
import { chatAlert, chatResolution } from '../../../functions/checker/chat-format';
import {
  alertParts,
  type AlertInput,
  type ResolutionCause,
  type ResolutionInput,
} from '../../../functions/checker/format';
import { parseEvent, type ParsedEvent } from '../../../functions/checker/parse-event';
import { chatNotificationProblems } from '../../../functions/core/chat-schema';
import type { AlertNote, Finding, Severity } from '../../../functions/core/judge';
import { findingId } from '../../../functions/contract/findings';
import { loadProjectFixtures, projectFixture } from '../../helpers/events';

// Amazon Q Developer in chat applications drops a custom notification that does not follow its schema
// without an error (Administrator Guide, "Custom notifications using Amazon Q Developer in chat
// applications"): every message kind the checker can send is validated here, in both locales.
const event = parseEvent(projectFixture('createuser-sso-console.json'));
const ACCOUNT = '210987654321';
const en = { locale: 'en', timeZone: 'Asia/Seoul', partition: 'aws' } as const;
const ko = { ...en, locale: 'ko' } as const;
const locales = [en, ko];

const findings: [Finding, Severity][] = [
  ['NO_MFA_CONSOLE', 'HIGH'],
  ['NO_MFA_NO_CONSOLE', 'MEDIUM'],
  ['ROOT_NO_MFA', 'CRITICAL'],
  ['ROOT_MFA_REMOVED', 'CRITICAL'],
  ['ROOT_PASSWORD_CREATED', 'CRITICAL'],
  ['CHECK_FAILED', 'HIGH'],
  ['USER_CREATED', 'INFO'],
  ['TAG_EXEMPTED', 'INFO'],
];
const isRoot = (finding: Finding) => finding.startsWith('ROOT_');
const notes: AlertNote[] = [
  { kind: 'exemption-expired', source: 'config', expires: '2026-01-01', reason: 'vendor' },
  { kind: 'tag-invalid', problem: { problem: 'until-without-reason' } },
  { kind: 'tag-untrusted', value: 'x'.repeat(256) },
  { kind: 'tag-trusted', value: 'approved', expires: '2027-01-01' },
  { kind: 'root-read-failed', error: 'AccessDenied: '.repeat(40) },
  { kind: 'renamed', previousUserName: 'old.name' },
];
const record = { findingId: 'f-0123456789abcdef0123', firstSeen: new Date('2026-10-01T00:00:00Z') };

function alert(finding: Finding, severity: Severity, extra: Partial<AlertInput> = {}): AlertInput {
  return {
    finding,
    severity,
    event,
    ...(isRoot(finding) ? {} : { userName: 'contractor.kim' }),
    ...(finding === 'USER_CREATED' ? { checkDueAt: new Date('2026-10-06T09:16:40Z') } : {}),
    ...(finding === 'CHECK_FAILED' ? { failure: 'sts:AssumeRole failed: AccessDenied' } : {}),
    ...extra,
  };
}

function resolution(cause: ResolutionCause, extra: Partial<ResolutionInput> = {}): ResolutionInput {
  return {
    event,
    finding: 'NO_MFA_CONSOLE',
    userName: 'contractor.kim',
    record,
    cause,
    openForMs: 3 * 86_400_000 + 4 * 3_600_000,
    ...extra,
  };
}

/** Every alert variant: plain, with a finding record, after the grace period, with each note, long names. */
function variants(finding: Finding, severity: Severity): [string, AlertInput][] {
  return [
    ['plain', alert(finding, severity)],
    ['with record and alias', alert(finding, severity, { record, accountAlias: 'acme-prod' })],
    ['after the grace period', alert(finding, severity, { afterGracePeriod: true })],
    ...notes.map((note): [string, AlertInput] => [`note ${note.kind}`, alert(finding, severity, { note })]),
    [
      '64-character user, 63-character alias',
      alert(finding, severity, {
        ...(isRoot(finding) ? {} : { userName: `${'u'.repeat(60)}@+=.` }),
        accountAlias: 'a'.repeat(63),
        record,
      }),
    ],
  ];
}

describe('every chat message validates against the custom-notification schema', () => {
  const alertCases = locales.flatMap((settings) =>
    findings.flatMap(([finding, severity]) =>
      variants(finding, severity).map(
        ([variant, input]) => [`${settings.locale} ${finding} (${variant})`, input, settings] as const,
      ),
    ),
  );

  it.each(alertCases)('alert %s', (_name, input, settings) => {
    expect(chatNotificationProblems(chatAlert(input, settings))).toEqual([]);
  });

  const causes: ResolutionCause[] = ['mfa-enabled', 'console-removed', 'deleted', 'exempted'];
  const resolutionCases = locales.flatMap((settings) =>
    causes.flatMap((cause) => [
      [`${settings.locale} ${cause} (user)`, resolution(cause), settings] as const,
      [
        `${settings.locale} ${cause} (root)`,
        resolution(cause, { userName: undefined, finding: 'ROOT_NO_MFA' }),
        settings,
      ] as const,
      [
        `${settings.locale} ${cause} (64-character user, alias)`,
        resolution(cause, { userName: 'n'.repeat(64), accountAlias: 'a'.repeat(63) }),
        settings,
      ] as const,
    ]),
  );

  it.each(resolutionCases)('resolution %s', (_name, input, settings) => {
    expect(chatNotificationProblems(chatResolution(input, settings))).toEqual([]);
  });

  it.each(
    loadProjectFixtures().flatMap(({ file, envelope }) => {
      try {
        return [[file, parseEvent(envelope)] as const];
      } catch {
        return []; // the malformed fixtures are quarantined, never alerted on
      }
    }),
  )('alert for fixture %s', (_file, parsed: ParsedEvent) => {
    const input: AlertInput = { finding: 'NO_MFA_CONSOLE', severity: 'HIGH', event: parsed, userName: 'u' };
    expect(chatNotificationProblems(chatAlert(input, en))).toEqual([]);
  });
});

describe('chatAlert', () => {
  it('titles the message with the severity and the localized headline', () => {
    const n = chatAlert(alert('NO_MFA_CONSOLE', 'HIGH'), en);
    expect(n.content.title).toBe(
      `🔴 HIGH: IAM user "contractor.kim" in account ${ACCOUNT} has a console password and no MFA.`,
    );
    expect(chatAlert(alert('NO_MFA_CONSOLE', 'HIGH'), ko).content.title).toContain(
      '콘솔 비밀번호가 있지만 MFA가 없습니다',
    );
  });

  it('lists severity, finding, account, alias and user as keywords', () => {
    const n = chatAlert(alert('NO_MFA_CONSOLE', 'HIGH', { accountAlias: 'acme-prod' }), en);
    expect(n.content.keywords).toEqual(['HIGH', 'NO_MFA_CONSOLE', ACCOUNT, 'acme-prod', 'contractor.kim']);
    expect(chatAlert(alert('ROOT_NO_MFA', 'CRITICAL'), en).content.keywords).toEqual([
      'CRITICAL',
      'ROOT_NO_MFA',
      ACCOUNT,
      'root',
    ]);
  });

  it('gives the same steps as the email, and every fact as inline code', () => {
    const input = alert('NO_MFA_CONSOLE', 'HIGH');
    const parts = alertParts(input, en);
    const n = chatAlert(input, en);
    expect(n.content.nextSteps).toEqual(parts.todo);
    expect(n.content.description).toContain('Source IP: `203.0.113.24`');
    expect(n.content.description).toContain('Severity: `HIGH`');
    expect(n.content.description).toContain(
      'Console (sign in to account 210987654321 first): https://console.aws.amazon.com/iam/home#/users/details/contractor.kim',
    );
    expect(chatAlert(input, ko).content.description).toContain('소스 IP: `203.0.113.24`');
  });

  it('sets a qualifying sentence apart from the facts', () => {
    const n = chatAlert(alert('NO_MFA_CONSOLE', 'HIGH', { afterGracePeriod: true }), en);
    expect(n.content.description).toMatch(
      /^The grace period has passed and the user still has no MFA\.\n\nSeverity: `HIGH`\n/,
    );
  });

  it('threads an alert of the finding store under its finding id', () => {
    const n = chatAlert(alert('NO_MFA_CONSOLE', 'HIGH', { record }), en);
    expect(n.metadata?.threadId).toBe(record.findingId);
    expect(n.metadata?.additionalContext).toMatchObject({
      findingId: record.findingId,
      findingState: 'OPEN',
    });
  });

  it('threads a creation notice where the user’s later finding and resolution go', () => {
    const notice = chatAlert(alert('USER_CREATED', 'INFO'), en);
    const opened = findingId(ACCOUNT, 'USER_NO_MFA', 'contractor.kim');
    expect(notice.metadata?.threadId).toBe(opened);
    const resolved = chatResolution(
      resolution('mfa-enabled', { record: { ...record, findingId: opened } }),
      en,
    );
    expect(resolved.metadata?.threadId).toBe(notice.metadata?.threadId);
  });

  it('threads a root alert without a finding record under the root finding', () => {
    const n = chatAlert(alert('ROOT_PASSWORD_CREATED', 'CRITICAL'), en);
    expect(n.metadata?.threadId).toBe(findingId(ACCOUNT, 'ROOT_NO_MFA', 'root'));
  });

  it('gives each message its own id and an event type a custom action could match', () => {
    const a = chatAlert(alert('NO_MFA_CONSOLE', 'HIGH', { record }), en);
    const b = chatAlert(alert('NO_MFA_NO_CONSOLE', 'MEDIUM', { record }), en);
    expect(a.id).not.toBe(b.id);
    expect(a.metadata?.eventType).toBe('org-mfa-watch-no-mfa-console');
    expect(a.metadata?.enableCustomActions).toBe(false);
    expect(a.metadata?.summary).toMatch(/^\[org-mfa-watch\] HIGH: /);
  });
});

describe('chatResolution', () => {
  it('says resolved, in the finding’s thread, with nothing to do', () => {
    const n = chatResolution(resolution('mfa-enabled'), en);
    expect(n.content.title).toBe(
      `✅ Resolved: IAM user "contractor.kim" in account ${ACCOUNT} has MFA now (open for 3 d 4 h).`,
    );
    expect(n.metadata?.threadId).toBe(record.findingId);
    expect(n.content.keywords?.[0]).toBe('RESOLVED');
    expect(n.content.nextSteps).toBeUndefined();
    expect(n.content.description).toContain('What to do: nothing. This finding is closed.');
    expect(n.metadata?.eventType).toBe('org-mfa-watch-resolved');
    expect(chatResolution(resolution('deleted'), ko).content.title).toContain('해결됨');
  });
});
