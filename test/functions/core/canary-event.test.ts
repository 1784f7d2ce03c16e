import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recogniseCanary } from '../../../functions/core/canary-event';
import { PROJECT_ROOT, loadCorpus, loadProjectFixtures, toEnvelope } from '../../helpers/events';

// Issue 22: the checker tells the canary (the check role tagging itself with the canary key) from any
// other event, with a reason. Fixtures: test/fixtures/canary/README.md.

type Json = Record<string, unknown>;
const CHECK_ROLE = 'org-mfa-watch-check';
const fixture = (file: string): Json =>
  toEnvelope(JSON.parse(readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'canary', file), 'utf8')));
const canary = fixture('tagrole-canary.json');
const detailOf = (event: Json): Json => event.detail as Json;

/** The canary with `detail` fields replaced (a shallow merge). */
function withDetail(changes: Json, envelope: Json = canary): Json {
  return { ...envelope, detail: { ...detailOf(envelope), ...changes } };
}
const identity = detailOf(canary).userIdentity as Json;
const withTags = (tags: unknown): Json => withDetail({ requestParameters: { roleName: CHECK_ROLE, tags } });

describe('recogniseCanary', () => {
  it('recognises the canary: account, sweep id, event time and id', () => {
    expect(recogniseCanary(canary, CHECK_ROLE)).toEqual({
      canary: true,
      event: {
        accountId: '333333333333',
        sweepId: 'sweep-2026-12-07T02-00-00Z',
        eventTime: '2026-12-07T02:10:42Z',
        eventId: '0d3f6c57-2b1e-4a8e-9f3d-5c7b8a9e1f20',
      },
    });
  });

  it('recognises it in another partition too', () => {
    const arn = (s: unknown) => String(s).replace('arn:aws:', 'arn:aws-us-gov:');
    const event = withDetail({
      userIdentity: {
        ...identity,
        arn: arn(identity.arn),
        sessionContext: {
          sessionIssuer: {
            ...((identity.sessionContext as Json).sessionIssuer as Json),
            arn: arn(((identity.sessionContext as Json).sessionIssuer as Json).arn),
          },
        },
      },
    });
    expect(recogniseCanary(event, CHECK_ROLE).canary).toBe(true);
  });

  const otherIssuer = (arn: string) => ({
    ...identity,
    sessionContext: { sessionIssuer: { type: 'Role', arn, accountId: '333333333333' } },
  });

  it.each([
    [
      'TagRole on another role',
      fixture('tagrole-other-role.json'),
      /tags the role Admin, not the check role/,
    ],
    [
      'a failed TagRole',
      fixture('tagrole-canary-failed-accessdenied.json'),
      /the call failed \(AccessDenied\)/,
    ],
    ['UntagRole of the canary key', fixture('untagrole-canary.json'), /not TagRole \(eventName UntagRole\)/],
    [
      'another tag key',
      withTags([{ key: 'Owner', value: 'x' }]),
      /sets the tag Owner, not org-mfa-watch:canary/,
    ],
    [
      'the canary key in another case',
      withTags([{ key: 'ORG-MFA-WATCH:CANARY', value: 'sweep-1' }]),
      /sets the tag ORG-MFA-WATCH:CANARY/,
    ],
    [
      'an extra tag',
      withTags([
        { key: 'org-mfa-watch:canary', value: 'sweep-1' },
        { key: 'Owner', value: 'x' },
      ]),
      /sets 2 tags \(org-mfa-watch:canary, Owner\)/,
    ],
    ['no tags', withTags([]), /tags is missing/],
    [
      'a value that is no sweep id',
      withTags([{ key: 'org-mfa-watch:canary', value: 'a b/c' }]),
      /is not a sweep id/,
    ],
    ['an empty value', withTags([{ key: 'org-mfa-watch:canary', value: '' }]), /is not a sweep id/],
    [
      'an envelope from another account than the record',
      { ...canary, account: '444444444444' },
      /recipientAccountId 333333333333 is not the envelope's account 444444444444/,
    ],
    [
      'a record of another account in this envelope',
      withDetail({ recipientAccountId: '444444444444' }),
      /recipientAccountId 444444444444/,
    ],
    [
      'a member administrator tagging the check role',
      withDetail({ userIdentity: otherIssuer('arn:aws:iam::333333333333:role/Admin') }),
      /not called by the check role org-mfa-watch-check \(session issuer arn:aws:iam::333333333333:role\/Admin\)/,
    ],
    [
      'the check role of another account',
      withDetail({ userIdentity: otherIssuer('arn:aws:iam::444444444444:role/org-mfa-watch-check') }),
      /called by the check role of account 444444444444, not of 333333333333/,
    ],
    [
      'a look-alike role under a path',
      withDetail({ userIdentity: otherIssuer('arn:aws:iam::333333333333:role/x/org-mfa-watch-check') }),
      /not called by the check role/,
    ],
    [
      'a session ARN of another role',
      withDetail({ userIdentity: { ...identity, arn: 'arn:aws:sts::333333333333:assumed-role/Admin/s' } }),
      /is not a session of org-mfa-watch-check/,
    ],
    [
      'an IAM user',
      withDetail({ userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::333333333333:user/mallory' } }),
      /not called by a role session/,
    ],
    ['no time', withDetail({ eventTime: 'yesterday' }), /eventTime is not a time/],
    [
      'an event of another source',
      { ...canary, source: 'aws.sts' },
      /not an IAM call recorded by CloudTrail/,
    ],
    ['an envelope without an account', { ...canary, account: undefined }, /no 12-digit account/],
    ['not an event', 'TagRole', /not an EventBridge event/],
  ])('ignores %s, with the reason', (_what, event, reason) => {
    const verdict = recogniseCanary(event, CHECK_ROLE);
    expect(verdict.canary).toBe(false);
    expect(verdict.canary ? '' : verdict.reason).toMatch(reason);
  });

  it('takes the check role name it is given', () => {
    expect(recogniseCanary(canary, 'another-check-role')).toMatchObject({ canary: false });
  });

  it('finds no canary among the real CloudTrail events of the corpus and the project fixtures', () => {
    for (const { file, envelope } of [...loadCorpus(), ...loadProjectFixtures()]) {
      expect(recogniseCanary(envelope, CHECK_ROLE).canary, file).toBe(false);
    }
  });
});
