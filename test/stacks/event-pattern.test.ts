import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { describe, expect, it } from 'vitest';
import { WATCHED_EVENT_NAMES } from '../../functions/contract/contract';
import { memberForwardPattern } from '../../stacks/event-pattern';
import { NAMES } from '../../stacks/names';
import { synthAppOnce, testConfig } from '../helpers/app';
import { UnsupportedPatternError, matchesPattern } from '../helpers/event-pattern';
import {
  PROJECT_ROOT,
  corpusAvailable,
  loadCorpus,
  loadProjectFixtures,
  toEnvelope,
  type FixtureEvent,
} from '../helpers/events';

describe('the test event-pattern matcher', () => {
  it.each([
    [{ a: ['x'] }, { a: 'x' }, true],
    [{ a: ['x', 'y'] }, { a: 'y' }, true],
    [{ a: ['x'] }, { a: 'z' }, false],
    [{ a: ['x'] }, {}, false],
    [{ a: ['x'] }, { a: ['z', 'x'] }, true],
    [{ a: { b: ['x'] } }, { a: { b: 'x' } }, true],
    [{ a: { b: ['x'] } }, { a: 'x' }, false],
    [{ a: [{ exists: false }] }, {}, true],
    [{ a: [{ exists: false }] }, { a: 'boom' }, false],
    [{ a: [{ exists: true }] }, { a: 'boom' }, true],
    [{ a: [{ prefix: 'Create' }] }, { a: 'CreateUser' }, true],
    [{ a: [{ prefix: 'Create' }] }, { a: 'DeleteUser' }, false],
    [{ a: [{ 'anything-but': ['x'] }] }, { a: 'y' }, true],
    [{ a: [{ 'anything-but': ['x'] }] }, { a: 'x' }, false],
    // EventBridge semantics that are easy to get wrong:
    [{ a: [{ exists: true }] }, {}, false],
    [{ a: [{ 'anything-but': ['x'] }] }, {}, false],
    [{ a: [{ 'anything-but': { prefix: 'Create' } }] }, { a: 'CreateUser' }, false],
    [{ a: [{ 'anything-but': { prefix: 'Create' } }] }, { a: 'DeleteUser' }, true],
    [{ a: [1] }, { a: '1' }, false],
    [{ a: [null] }, { a: null }, true],
    [{ a: ['x'], b: ['y'] }, { a: 'x', b: 'z' }, false],
    [{ a: [{ exists: false }] }, { a: { nested: 'object' } }, false],
    // Flattened paths: a leaf under a missing object is absent.
    [{ a: { b: [{ exists: false }] } }, {}, true],
    [{ a: { b: [{ exists: false }] } }, { a: 'x' }, true],
    [{ a: { b: [{ exists: true }] } }, {}, false],
    // $or: any alternative (Amazon EventBridge User Guide, "Event patterns", "Or matching").
    [{ $or: [{ a: ['x'] }, { b: ['y'] }] }, { b: 'y' }, true],
    [{ $or: [{ a: ['x'] }, { b: ['y'] }] }, { a: 'y', b: 'x' }, false],
    [{ c: ['z'], $or: [{ a: ['x'] }, { b: ['y'] }] }, { a: 'x', c: 'q' }, false],
  ])('%j on %j -> %s', (pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it.each([[{ a: [{ suffix: 'x' }] }], [{ a: [] }], [{ a: 'x' }], [{}], [{ $or: [{ a: ['x'] }] }]])(
    'refuses a pattern it does not implement: %j',
    (pattern) => {
      expect(() => matchesPattern(pattern, { a: 'x' })).toThrow(UnsupportedPatternError);
    },
  );
});

describe('the member and central rule patterns', () => {
  const app = synthAppOnce(testConfig());
  const rulePattern = (template: Record<string, unknown>): unknown => {
    const rule = Object.values(
      template.Resources as Record<string, { Type: string; Properties: { EventPattern: unknown } }>,
    ).find((r) => r.Type === 'AWS::Events::Rule');
    return rule?.Properties.EventPattern;
  };
  const patterns = {
    member: rulePattern(app.memberTemplateJson),
    central: rulePattern(app.central.toJSON()),
  };

  const events: FixtureEvent[] = [...loadProjectFixtures(), ...(corpusAvailable() ? loadCorpus() : [])];
  // The corpus stands for what IAM really sends: a failed call and unwatched names must not match.
  const shouldMatch = (e: FixtureEvent): boolean => {
    const detail = e.envelope.detail as Record<string, unknown>;
    return (
      !('errorCode' in detail) &&
      [
        'CreateUser',
        'CreateLoginProfile',
        'DeactivateMFADevice',
        'DeleteVirtualMFADevice',
        'EnableMFADevice',
        // A rename must be seen, or renaming a user within its grace period escapes the check.
        'UpdateUser',
      ].includes(String(detail.eventName))
    );
  };

  it.each(Object.entries(patterns))(
    'the %s rule matches every successful watched event and rejects the rest',
    (_name, pattern) => {
      // Project fixtures alone hold several successful watched events and a failed one.
      expect(events.filter(shouldMatch).length).toBeGreaterThanOrEqual(8);
      expect(events.filter((e) => !shouldMatch(e)).length).toBeGreaterThanOrEqual(1);
      for (const event of events) {
        expect(matchesPattern(pattern, event.envelope), event.file).toBe(shouldMatch(event));
      }
    },
  );

  it('rejects the failed CreateUser and the CreateAccessKey events of the corpus', () => {
    const rejected = events.filter((e) => !matchesPattern(patterns.member, e.envelope)).map((e) => e.file);
    expect(rejected).toContain('createuser-failed-accessdenied.json');
    if (corpusAvailable()) {
      expect(rejected).toEqual(
        expect.arrayContaining([
          '09-createuser-error-entityalreadyexists-panther.json',
          '23-createaccesskey-iamuser-sdk-invictus.json',
          '25-createaccesskey-root-invokedby-signin-panther.json',
        ]),
      );
    }
  });

  it('member and central rules use the same pattern: the watched calls plus the canary', () => {
    // The checker recognises the canary (functions/core/canary-event.ts) and records its arrival, so the
    // central rule passes on exactly what the member rule forwards (issue 22).
    expect(patterns.member).toEqual(patterns.central);
    expect(patterns.member).toEqual(toCloudFormation(memberForwardPattern(NAMES.memberCheckRole)));
  });
});

// Issue 22: the canary's TagRole, in CloudTrail's shape (test/fixtures/canary/README.md says where each
// field comes from), wrapped in the EventBridge envelope.
describe('the member rule forwards the canary and nothing like it', () => {
  const app = synthAppOnce(testConfig());
  const member = Object.values(
    app.memberTemplateJson.Resources as Record<
      string,
      { Type: string; Properties: { EventPattern: unknown } }
    >,
  ).find((r) => r.Type === 'AWS::Events::Rule')?.Properties.EventPattern;
  const canary = (file: string): Record<string, unknown> =>
    toEnvelope(JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'canary', file), 'utf8')));

  it('matches a successful TagRole on the check role', () => {
    expect(matchesPattern(member, canary('tagrole-canary.json'))).toBe(true);
  });

  it.each([
    ['TagRole on another role', 'tagrole-other-role.json'],
    ['a failed TagRole on the check role (errorCode)', 'tagrole-canary-failed-accessdenied.json'],
    ['UntagRole on the check role', 'untagrole-canary.json'],
  ])('does not match %s', (_what, file) => {
    expect(matchesPattern(member, canary(file))).toBe(false);
  });

  it('does not match a TagRole of the check role from another event source', () => {
    const event = canary('tagrole-canary.json');
    const detail = event.detail as Record<string, unknown>;
    expect(
      matchesPattern(member, { ...event, detail: { ...detail, eventSource: 'sts.amazonaws.com' } }),
    ).toBe(false);
  });

  it('still matches every watched event name on any subject, and no other IAM call on the check role', () => {
    const base = canary('tagrole-canary.json');
    const detail = base.detail as Record<string, unknown>;
    for (const eventName of WATCHED_EVENT_NAMES) {
      expect(
        matchesPattern(member, {
          ...base,
          detail: { ...detail, eventName, requestParameters: { userName: 'bob' } },
        }),
        eventName,
      ).toBe(true);
    }
    for (const eventName of ['UntagRole', 'DeleteRole', 'UpdateAssumeRolePolicy', 'PutRolePolicy']) {
      expect(matchesPattern(member, { ...base, detail: { ...detail, eventName } }), eventName).toBe(false);
    }
  });
});

/** An EventPattern as CloudFormation renders it (`detailType` is `detail-type`). */
function toCloudFormation(pattern: EventPattern): Record<string, unknown> {
  const { detailType, ...rest } = pattern;
  return { ...rest, 'detail-type': detailType };
}
