import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../stacks/config';
import { rawTestConfig } from '../helpers/app';

// Issue 22: the `canary` section (stacks/config/canary.ts), through the app's own parseConfig.

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const withCanary = (canary: unknown) => ({ ...rawTestConfig(), canary });

describe('parseConfig: the canary', () => {
  it('is on, with a 15-minute wait, when the configuration says nothing', () => {
    expect(parseConfig(rawTestConfig()).canary).toEqual({ enabled: true, waitMinutes: 15 });
  });

  it.each([
    [{ enabled: false }, { enabled: false, waitMinutes: 15 }],
    [{ waitMinutes: 1 }, { enabled: true, waitMinutes: 1 }],
    [{ waitMinutes: 60 }, { enabled: true, waitMinutes: 60 }],
    [
      { enabled: true, waitMinutes: 30 },
      { enabled: true, waitMinutes: 30 },
    ],
  ])('takes %j', (canary, expected) => {
    expect(parseConfig(withCanary(canary)).canary).toEqual(expected);
  });

  it.each([
    ['no wait', { waitMinutes: 0 }, 'canary.waitMinutes: expected at least 1 minute'],
    ['a wait over an hour', { waitMinutes: 61 }, 'canary.waitMinutes: expected at most 60 minutes'],
    [
      'a fractional wait',
      { waitMinutes: 7.5 },
      'canary.waitMinutes: expected a whole number of minutes from 1 to 60',
    ],
    [
      'a wait as a string',
      { waitMinutes: '15' },
      'canary.waitMinutes: expected a whole number of minutes from 1 to 60',
    ],
    ['enabled as a string', { enabled: 'yes' }, 'canary.enabled: expected true or false'],
    ['an unknown field', { waitSeconds: 900 }, 'canary: unknown field(s) "waitSeconds"'],
  ])('rejects %s with a message naming the field', (_what, canary, message) => {
    expect(problemsOf(withCanary(canary)).filter((p) => p.startsWith(message))).toHaveLength(1);
  });

  it('rejects a canary section that is not an object', () => {
    expect(problemsOf(withCanary(true))).toEqual([
      expect.stringMatching(/^canary: expected an object such as \{ "enabled": true, "waitMinutes": 15 \}/),
    ]);
  });
});
