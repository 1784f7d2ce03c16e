import { RegionInfo } from 'aws-cdk-lib/region-info';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, parseConfig } from '../../stacks/config';
import { KNOWN_REGIONS, knownRegionPartition } from '../../stacks/regions';
import { rawTestConfig } from '../helpers/app';
import { PROJECT_ROOT } from '../helpers/events';

// Issue 19, item 9: known regions per partition, rules across fields reported together with the field
// errors, the documented example output produced by the code, and a warning for a security account that
// is the management account.

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('homeRegion: a known region of the aws partition', () => {
  // AWS General Reference, "AWS Regions": a region name is one AWS has opened, not any name of that
  // shape. ap-northeast-22 synthesized before, and would have failed the deployment.
  it.each(['ap-northeast-22', 'eu-central-9', 'us-east-3'])(
    'rejects %s, which only looks like a region',
    (region) => {
      expect(problemsOf({ ...rawTestConfig(), homeRegion: region })).toEqual([
        expect.stringMatching(
          new RegExp(`^homeRegion: "${region}" is not a known AWS region; expected one of the 35`),
        ),
      ]);
    },
  );

  it.each(KNOWN_REGIONS.aws)('accepts %s', (region) => {
    expect(problemsOf({ ...rawTestConfig(), homeRegion: region })).toEqual([]);
  });

  it('keeps the list of each partition equal to the region facts of aws-cdk-lib (its source, kept current by AWS)', () => {
    const facts: Record<string, string[]> = {};
    for (const region of RegionInfo.regions) {
      const partition: string = region.partition ?? 'unknown';
      facts[partition] = [...(facts[partition] ?? []), region.name];
    }
    const ours = Object.fromEntries(
      Object.entries(KNOWN_REGIONS).map(([partition, regions]) => [partition, [...regions].sort()]),
    );
    expect(ours).toEqual(Object.fromEntries(Object.entries(facts).map(([p, r]) => [p, r.sort()])));
  });

  it('knows which partition a region is in, and none for a made-up one', () => {
    expect(knownRegionPartition('eusc-de-east-1')).toBe('aws-eusc');
    expect(knownRegionPartition('ap-northeast-22')).toBeUndefined();
  });
});

describe('every problem at once: field errors and rules across fields together', () => {
  it('reports a repeated email together with a missing field', () => {
    const raw = {
      ...rawTestConfig(),
      securityAccountId: undefined,
      notifications: { emails: ['a@example.com', 'A@example.com'], locale: 'en', timeZone: 'UTC' },
    };
    expect(problemsOf(raw)).toEqual([
      'securityAccountId: required; expected a 12-digit AWS account id string',
      expect.stringMatching(
        /^notifications\.emails\[1\]: "A@example\.com" repeats notifications\.emails\[0\]/,
      ),
    ]);
  });

  it('reports the management account in the exclusions together with an unknown field', () => {
    const raw = {
      ...rawTestConfig(),
      gracePeriodHour: 1,
      rollout: {
        deployFrom: 'management',
        organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-34cd56ef'],
        excludeAccountIds: ['111111111111'],
      },
    };
    expect(problemsOf(raw)).toEqual([
      '(root): unknown field(s) "gracePeriodHour"',
      'rollout.excludeAccountIds[0]: the management account is never a StackSet target; remove it',
      expect.stringMatching(/^rollout\.organizationalUnitIds\[1\]: "ou-ab12-34cd56ef" repeats/),
    ]);
  });

  it('does not report a field twice (its own error is enough)', () => {
    const raw = {
      ...rawTestConfig(),
      notifications: { emails: ['not-an-email', 'not-an-email'], locale: 'en', timeZone: 'UTC' },
    };
    const problems = problemsOf(raw);
    expect(problems.filter((p) => p.startsWith('notifications.emails[1]:'))).toHaveLength(1);
  });

  it('produces the example output of docs/configuration.md from the example file there', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs', 'configuration.md'), 'utf8');
    const example =
      /A bad value fails synth[\s\S]*?```json\n([\s\S]*?)```[\s\S]*?```\n(Invalid[\s\S]*?)```/.exec(doc);
    expect(example).not.toBeNull();
    const [, input = '', output = ''] = example ?? [];
    let message = '';
    try {
      parseConfig(JSON.parse(input));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      message = error.message;
    }
    expect(`${message}\n`).toBe(output);
  });
});

describe('configWarnings: a security account that is the management account', () => {
  // AWS Organizations User Guide, "Best practices for the management account"
  // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_best-practices_mgmt-acct.html):
  // SCPs do not restrict the management account; keep resources out of it.
  it('warns, with the reason, and does not fail synth', () => {
    const config = parseConfig({ ...rawTestConfig(), securityAccountId: '111111111111' });
    expect(configWarnings(config, new Date('2026-12-01T00:00:00Z'))).toEqual([
      expect.stringMatching(
        /^securityAccountId is the management account \(111111111111\): it works, but service control policies never restrict the management account/,
      ),
    ]);
  });

  it('says nothing for a dedicated security account', () => {
    expect(configWarnings(parseConfig(rawTestConfig()), new Date('2026-12-01T00:00:00Z'))).toEqual([]);
  });
});
