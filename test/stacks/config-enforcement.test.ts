import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../stacks/config';
import { rawTestConfig } from '../helpers/app';

// Issue 23, item 1: the `enforcement` section. Off unless configured; every bad value names its field.

const withEnforcement = (enforcement: unknown) => ({ ...rawTestConfig(), enforcement });

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('enforcement configuration', () => {
  it('is off, nowhere, console users only, after 72 hours, at most 20 per sweep when absent', () => {
    expect(parseConfig(rawTestConfig()).enforcement).toEqual({
      mode: 'off',
      afterHours: 72,
      organizationalUnitIds: [],
      includeProgrammaticUsers: false,
      maxPerSweep: 20,
    });
  });

  it('accepts every field', () => {
    const config = parseConfig(
      withEnforcement({
        mode: 'quarantine',
        afterHours: 24,
        organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'],
        includeProgrammaticUsers: true,
        maxPerSweep: 1,
      }),
    );
    expect(config.enforcement).toEqual({
      mode: 'quarantine',
      afterHours: 24,
      organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'],
      includeProgrammaticUsers: true,
      maxPerSweep: 1,
    });
  });

  it.each([
    [{ mode: 'on' }, 'enforcement.mode: expected "off", "dry-run" or "quarantine"'],
    [{ afterHours: 12 }, 'enforcement.afterHours: expected at least 24 hours'],
    [{ afterHours: 2161 }, 'enforcement.afterHours: expected at most 2160 hours'],
    [{ afterHours: 72.5 }, 'enforcement.afterHours: expected a whole number of hours'],
    [{ afterHours: '72' }, 'enforcement.afterHours: expected a whole number of hours'],
    [{ maxPerSweep: 0 }, 'enforcement.maxPerSweep: expected at least 1 users'],
    [{ maxPerSweep: 1001 }, 'enforcement.maxPerSweep: expected at most 1000 users'],
    [
      { organizationalUnitIds: ['r-ab12'] },
      'enforcement.organizationalUnitIds[0]: expected an OU id such as "ou-ab12-34cd56ef" (a root id is not accepted here)',
    ],
    [
      { organizationalUnitIds: 'ou-ab12-34cd56ef' },
      'enforcement.organizationalUnitIds: expected a list of OU ids',
    ],
    [{ includeProgrammaticUsers: 'no' }, 'enforcement.includeProgrammaticUsers: expected true or false'],
    [{ mode: 'dry-run', after: 72 }, 'enforcement: unknown field(s) "after"'],
    [
      { organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-34cd56ef'] },
      'enforcement.organizationalUnitIds[1]: "ou-ab12-34cd56ef" repeats enforcement.organizationalUnitIds[0]; list each OU once',
    ],
  ])('refuses %j: %s', (enforcement, message) => {
    expect(problemsOf(withEnforcement(enforcement))).toEqual([message]);
  });

  it('refuses a section that is not an object, naming the expected form', () => {
    expect(problemsOf(withEnforcement('quarantine'))).toEqual([
      'enforcement: expected an object such as { "mode": "dry-run", "organizationalUnitIds": ["ou-ab12-34cd56ef"] }',
    ]);
  });
});
