import { describe, expect, it } from 'vitest';
import { planEvent, rootFallback } from '../../../functions/checker/decide';
import { judgeRoot, judgeUser, type UserFacts } from '../../../functions/core/judge';
import type { ExemptionStatus } from '../../../functions/core/exemptions';
import { parseEvent } from '../../../functions/checker/parse-event';
import { RECHECK_MARKER_KEY } from '../../../functions/checker/recheck';
import { projectFixture } from '../../helpers/events';

const NOW = new Date('2026-10-05T10:00:00Z');
const atOnce = { gracePeriodHours: 0, notifyOnCreate: true };
const daily = { gracePeriodHours: 24, notifyOnCreate: true };
const plan = (file: string, settings = atOnce, now = NOW) =>
  planEvent(parseEvent(projectFixture(file)), settings, now);

describe('planEvent', () => {
  it.each([
    ['createuser-sso-console.json', { action: 'check', userName: 'contractor.kim', path: '/' }],
    ['createloginprofile-terraform.json', { action: 'check', userName: 'contractor.kim' }],
    ['deactivatemfa-user-console.json', { action: 'check', userName: 'contractor.kim' }],
    ['deactivatemfa-root-self.json', { action: 'check-root', trigger: 'mfa-removed' }],
    [
      'updateuser-rename.json',
      { action: 'follow-rename', previousUserName: 'contractor.kim', userName: 'svc-reporting' },
    ],
    [
      'updateuser-newpath.json',
      {
        action: 'follow-rename',
        previousUserName: 'contractor.kim',
        userName: 'contractor.kim',
        path: '/service/reporting/',
      },
    ],
    ['deletevirtualmfa-user.json', { action: 'skip' }],
    // Checked at once, so that an open finding is resolved with one notice.
    ['enablemfa-user-self.json', { action: 'check', userName: 'contractor.kim' }],
    ['createuser-failed-accessdenied.json', { action: 'skip' }],
  ])('with no grace period, %s -> %j', (file, expected) => {
    expect(plan(file)).toMatchObject(expected);
  });

  it('schedules a CreateUser re-check after the grace period, with the creation notice', () => {
    expect(plan('createuser-sso-console.json', daily)).toEqual({
      action: 'schedule',
      userName: 'contractor.kim',
      trigger: 'CreateUser',
      due: new Date('2026-10-06T09:16:40Z'),
      notify: true,
    });
  });

  it('schedules a CreateLoginProfile re-check without a notice', () => {
    expect(plan('createloginprofile-terraform.json', daily)).toMatchObject({
      action: 'schedule',
      trigger: 'CreateLoginProfile',
      notify: false,
    });
  });

  it('never schedules MFA removal: it is checked at once', () => {
    expect(plan('deactivatemfa-user-console.json', daily)).toMatchObject({ action: 'check' });
  });

  const recheck = (marker: Record<string, unknown> = {}) =>
    parseEvent({
      ...projectFixture('createuser-sso-console.json'),
      [RECHECK_MARKER_KEY]: {
        trigger: 'CreateUser',
        dueAt: '2026-10-06T09:16:40Z',
        scheduleName: 'omw-x',
        ...marker,
      },
    });

  it('checks a re-check whose due time has come (or passed, after a Scheduler retry)', () => {
    expect(planEvent(recheck(), daily, new Date('2026-10-06T09:16:41Z'))).toEqual({
      action: 'check',
      userName: 'contractor.kim',
      path: '/',
    });
    expect(planEvent(recheck(), daily, new Date('2026-10-07T02:00:00Z')).action).toBe('check');
    // Within the clock-skew margin, a re-check is due.
    expect(planEvent(recheck(), daily, new Date('2026-10-06T09:15:50Z')).action).toBe('check');
  });

  it('puts a re-check that arrives before its due time back on its schedule instead of checking early', () => {
    // Scheduler fires an at() schedule at its time; an early arrival (a manual invoke, a replay) must not
    // cut the grace period short.
    expect(planEvent(recheck(), daily, new Date('2026-10-06T08:00:00Z'))).toEqual({
      action: 'schedule',
      userName: 'contractor.kim',
      trigger: 'CreateUser',
      due: new Date('2026-10-06T09:16:40Z'),
      notify: false,
      early: true,
    });
  });

  it('re-checks a renamed user under its new name and path', () => {
    const renamed = recheck({ userName: 'svc-reporting', path: '/service/' });
    expect(planEvent(renamed, daily, new Date('2026-10-06T09:17:00Z'))).toEqual({
      action: 'check',
      userName: 'svc-reporting',
      path: '/service/',
    });
    expect(planEvent(renamed, daily, new Date('2026-10-06T08:00:00Z'))).toMatchObject({
      action: 'schedule',
      userName: 'svc-reporting',
      renamed: { path: '/service/' },
    });
  });

  it('skips an UpdateUser that changes neither name nor path', () => {
    const event = projectFixture('updateuser-rename.json');
    const detail = event.detail as Record<string, unknown>;
    const unchanged = { ...event, detail: { ...detail, requestParameters: { userName: 'contractor.kim' } } };
    expect(planEvent(parseEvent(unchanged), daily, NOW)).toMatchObject({ action: 'skip' });
  });
});

describe('judgeRoot', () => {
  // iam:GetAccountSummary: AccountMFAEnabled and AccountPasswordPresent describe the root user.
  it.each([
    [
      { mfaEnabled: false, passwordPresent: true },
      { action: 'alert', finding: 'ROOT_NO_MFA', severity: 'CRITICAL' },
    ],
    [
      { mfaEnabled: true, passwordPresent: true },
      { action: 'no-alert', reason: 'the root user still has MFA enabled' },
    ],
    [{ mfaEnabled: true, passwordPresent: false }, { action: 'no-alert' }],
    [
      { mfaEnabled: false, passwordPresent: false },
      {
        action: 'no-alert',
        reason: 'the root user has no password (centralized root access): it cannot sign in',
      },
    ],
  ])('%j -> %j', (facts, expected) => {
    expect(judgeRoot(facts)).toMatchObject(expected);
  });

  it('falls back to an event-based CRITICAL finding that names what happened', () => {
    expect(rootFallback('mfa-removed')).toEqual({ finding: 'ROOT_MFA_REMOVED', severity: 'CRITICAL' });
    expect(rootFallback('password-created')).toEqual({
      finding: 'ROOT_PASSWORD_CREATED',
      severity: 'CRITICAL',
    });
    expect(rootFallback('mfa-enabled')).toEqual({ finding: 'CHECK_FAILED', severity: 'HIGH' });
  });
});

describe('judgeUser', () => {
  const none: ExemptionStatus = { status: 'none' };
  const facts = (mfa: number, console: boolean, exists = true): UserFacts => ({
    exists,
    mfaDeviceCount: mfa,
    hasConsolePassword: console,
  });

  it.each([
    ['console, no MFA', facts(0, true), { action: 'alert', finding: 'NO_MFA_CONSOLE', severity: 'HIGH' }],
    [
      'no console, no MFA',
      facts(0, false),
      { action: 'alert', finding: 'NO_MFA_NO_CONSOLE', severity: 'MEDIUM' },
    ],
    ['MFA present', facts(2, true), { action: 'no-alert' }],
    [
      'user gone',
      facts(0, false, false),
      { action: 'skip', reason: 'the user no longer exists (NoSuchEntity)' },
    ],
  ])('%s', (_name, userFacts, expected) => {
    expect(judgeUser(userFacts, none)).toMatchObject(expected);
  });

  it('skips a user exempted in the configuration, and notes an expired or malformed exemption in the alert', () => {
    const exemption = { source: 'config', reason: 'vendor appliance' } as const;
    expect(judgeUser(facts(0, true), { status: 'exempt', exemption })).toMatchObject({
      action: 'skip',
      exemption,
    });
    expect(
      judgeUser(facts(0, true), { status: 'expired', exemption: { ...exemption, expires: '2026-01-31' } }),
    ).toMatchObject({
      action: 'alert',
      note: {
        kind: 'exemption-expired',
        source: 'config',
        expires: '2026-01-31',
        reason: 'vendor appliance',
      },
    });
    expect(
      judgeUser(facts(0, false), { status: 'invalid-tag', problem: { problem: 'empty-reason' } }),
    ).toMatchObject({ action: 'alert', note: { kind: 'tag-invalid', problem: { problem: 'empty-reason' } } });
  });

  it('never skips silently on a trusted exemption tag: an INFO notice names the tag', () => {
    const exemption = { source: 'tag', reason: 'break-glass', expires: '2027-01-31' } as const;
    expect(judgeUser(facts(0, true), { status: 'exempt', exemption })).toEqual({
      action: 'notice',
      finding: 'TAG_EXEMPTED',
      severity: 'INFO',
      reason: 'exempt by tag: break-glass',
      note: { kind: 'tag-trusted', value: 'break-glass', expires: '2027-01-31' },
    });
    // A user with MFA needs no exemption: nothing to say.
    expect(judgeUser(facts(1, true), { status: 'exempt', exemption }).action).toBe('no-alert');
  });

  it('alerts on a user whose exemption tag is not trusted, naming the tag', () => {
    expect(judgeUser(facts(0, true), { status: 'untrusted-tag', value: 'trust me' })).toEqual({
      action: 'alert',
      finding: 'NO_MFA_CONSOLE',
      severity: 'HIGH',
      note: { kind: 'tag-untrusted', value: 'trust me' },
    });
  });
});
