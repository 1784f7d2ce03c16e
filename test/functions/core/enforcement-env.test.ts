import { describe, expect, it } from 'vitest';
import {
  InvalidEnforcementEnvError,
  enforcementFromEnv,
  inEnforcementOus,
} from '../../../functions/core/enforcement-env';
import { releasedByHandAt, sweepActor } from '../../../functions/core/quarantine-store';

// Issue 23: the settings the sweep worker will read from its environment (phase 2 sets them from the
// validated configuration), and the scope and release-by-hand facts the plan takes.

const ON = {
  ENFORCEMENT_MODE: 'quarantine',
  ENFORCEMENT_AFTER_HOURS: '72',
  ENFORCEMENT_OU_IDS: '["ou-ab12-34cd56ef"]',
  ENFORCEMENT_INCLUDE_PROGRAMMATIC_USERS: 'false',
  ENFORCEMENT_MAX_PER_SWEEP: '20',
  ENFORCE_ROLE_NAME: 'org-mfa-watch-enforce',
};

describe('enforcementFromEnv', () => {
  it('reads every setting', () => {
    expect(enforcementFromEnv(ON)).toEqual({
      mode: 'quarantine',
      afterHours: 72,
      organizationalUnitIds: ['ou-ab12-34cd56ef'],
      includeProgrammaticUsers: false,
      maxPerSweep: 20,
      roleName: 'org-mfa-watch-enforce',
    });
  });

  it('is off when the mode is absent, reading nothing else', () => {
    expect(enforcementFromEnv({ ENFORCEMENT_AFTER_HOURS: 'junk' }).mode).toBe('off');
  });

  it.each([
    [
      { ENFORCEMENT_MODE: 'on' },
      'environment variable ENFORCEMENT_MODE: expected "off", "dry-run" or "quarantine", got "on"',
    ],
    [
      { ENFORCEMENT_AFTER_HOURS: '7.5' },
      'environment variable ENFORCEMENT_AFTER_HOURS: expected a whole number of at least 1, got "7.5"',
    ],
    [
      { ENFORCEMENT_MAX_PER_SWEEP: '0' },
      'environment variable ENFORCEMENT_MAX_PER_SWEEP: expected a whole number of at least 1, got "0"',
    ],
    [
      { ENFORCEMENT_OU_IDS: '["r-ab12"]' },
      'environment variable ENFORCEMENT_OU_IDS: expected a JSON list of OU ids',
    ],
    [
      { ENFORCEMENT_OU_IDS: 'ou-ab12-34cd56ef' },
      'environment variable ENFORCEMENT_OU_IDS: expected a JSON list of OU ids',
    ],
    [
      { ENFORCEMENT_INCLUDE_PROGRAMMATIC_USERS: 'yes' },
      'environment variable ENFORCEMENT_INCLUDE_PROGRAMMATIC_USERS: expected "true" or "false"',
    ],
    [
      { ENFORCE_ROLE_NAME: '' },
      'environment variable ENFORCE_ROLE_NAME: expected the enforce role name when enforcement is on',
    ],
  ])('refuses %j', (override, message) => {
    const env = { ...ON, ...override };
    expect(() => enforcementFromEnv(env)).toThrow(InvalidEnforcementEnvError);
    expect(() => enforcementFromEnv(env)).toThrow(message);
  });
});

describe('inEnforcementOus', () => {
  it.each([
    [['ou-ab12-11111111', 'r-ab12'], ['ou-ab12-11111111'], true],
    [['ou-ab12-22222222', 'ou-ab12-11111111', 'r-ab12'], ['ou-ab12-11111111'], true],
    [['ou-ab12-22222222', 'r-ab12'], ['ou-ab12-11111111'], false],
    [['ou-ab12-11111111', 'r-ab12'], [], false],
  ])('account under %j, enforcement OUs %j: %s', (ancestors, ous, expected) => {
    expect(inEnforcementOus(ancestors, ous)).toBe(expected);
  });
});

describe('releasedByHandAt', () => {
  const AT = '2026-12-07T10:00:00.000Z';
  it.each([
    [{}, undefined],
    [{ released: { at: AT, by: sweepActor('s-1'), reason: 'mfa' } }, undefined],
    [{ released: { at: AT, by: 'arn:aws:sts::222222222222:assumed-role/Admin/jane', reason: 'travel' } }, AT],
  ])('%j: %s', (state, expected) => {
    expect(releasedByHandAt(state)).toBe(expected);
  });
});
