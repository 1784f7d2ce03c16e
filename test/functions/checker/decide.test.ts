import { describe, expect, it } from 'vitest';
import { judgeUser, planEvent, type UserFacts } from '../../../functions/checker/decide';
import type { ExemptionStatus } from '../../../functions/checker/exemptions';
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
    ['deactivatemfa-root-self.json', { action: 'alert', finding: 'ROOT_MFA_REMOVED', severity: 'CRITICAL' }],
    ['deletevirtualmfa-user.json', { action: 'skip' }],
    ['enablemfa-user-self.json', { action: 'skip' }],
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

  it('checks a scheduled re-check at once', () => {
    const event = {
      ...projectFixture('createuser-sso-console.json'),
      [RECHECK_MARKER_KEY]: { trigger: 'CreateUser', dueAt: '2026-10-06T09:16:40Z', scheduleName: 'omw-x' },
    };
    expect(planEvent(parseEvent(event), daily, new Date('2026-10-06T09:16:41Z'))).toMatchObject({
      action: 'check',
    });
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

  it('skips an exempt user and notes an expired or malformed exemption in the alert', () => {
    const exemption = { source: 'tag', reason: 'vendor appliance' } as const;
    expect(judgeUser(facts(0, true), { status: 'exempt', exemption })).toMatchObject({
      action: 'skip',
      exemption,
    });
    expect(
      judgeUser(facts(0, true), { status: 'expired', exemption: { ...exemption, expires: '2026-01-31' } }),
    ).toMatchObject({ action: 'alert', exemptionNote: 'exemption expired on 2026-01-31 (vendor appliance)' });
    expect(judgeUser(facts(0, false), { status: 'invalid-tag', problem: 'bad date' })).toMatchObject({
      exemptionNote: 'exemption tag ignored: bad date',
    });
  });
});
