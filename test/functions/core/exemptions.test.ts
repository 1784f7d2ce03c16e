import { describe, expect, it } from 'vitest';
import { evaluateExemptions, type ExemptionSubject } from '../../../functions/core/exemptions';
import type { Exemption } from '../../../functions/contract/exemption';

const ACCOUNT = '111122223333';
/** Tags honoured: the tag rules themselves are under test. */
const TRUSTED = { trustTags: true } as const;
/** The default deployment: tags are not trusted. */
const UNTRUSTED = { trustTags: false } as const;
const now = new Date('2026-06-15T12:00:00Z');

function subject(overrides: Partial<ExemptionSubject> = {}): ExemptionSubject {
  return { accountId: ACCOUNT, userName: 'ci-bot', path: '/', tags: [], ...overrides };
}

const byName: Exemption = { accountId: ACCOUNT, userName: 'ci-bot', reason: 'CI access keys only' };
const byPath: Exemption = {
  accountId: ACCOUNT,
  pathPrefix: '/service/',
  reason: 'service users (ticket SEC-12)',
};

describe('evaluateExemptions', () => {
  it('finds nothing when no exemption matches', () => {
    expect(evaluateExemptions(subject(), [], now, TRUSTED)).toEqual({ status: 'none' });
  });

  it('exempts a user named in the config for its account only', () => {
    expect(evaluateExemptions(subject(), [byName], now, TRUSTED)).toEqual({
      status: 'exempt',
      exemption: { source: 'config', reason: 'CI access keys only', matchedBy: 'userName ci-bot' },
    });
    expect(evaluateExemptions(subject({ accountId: '999988887777' }), [byName], now, TRUSTED).status).toBe(
      'none',
    );
    expect(evaluateExemptions(subject({ userName: 'alice' }), [byName], now, TRUSTED).status).toBe('none');
  });

  it('exempts users under a configured path prefix, and not users whose path is unknown', () => {
    expect(evaluateExemptions(subject({ path: '/service/etl/' }), [byPath], now, TRUSTED)).toMatchObject({
      status: 'exempt',
      exemption: { matchedBy: 'pathPrefix /service/' },
    });
    expect(evaluateExemptions(subject({ path: '/services/' }), [byPath], now, TRUSTED).status).toBe('none');
    expect(evaluateExemptions(subject({ path: undefined }), [byPath], now, TRUSTED).status).toBe('none');
  });

  it('applies an exemption through the last day of its expiry date (UTC) and reports it expired after', () => {
    const expiring: Exemption = { ...byName, expires: '2026-06-15' };
    expect(evaluateExemptions(subject(), [expiring], new Date('2026-06-15T23:59:59Z'), TRUSTED).status).toBe(
      'exempt',
    );
    expect(evaluateExemptions(subject(), [expiring], new Date('2026-06-16T00:00:00Z'), TRUSTED)).toEqual({
      status: 'expired',
      exemption: {
        source: 'config',
        reason: 'CI access keys only',
        matchedBy: 'userName ci-bot',
        expires: '2026-06-15',
      },
    });
  });

  it('prefers any unexpired exemption over an expired one', () => {
    const expired: Exemption = { ...byName, expires: '2026-01-01' };
    const result = evaluateExemptions(subject({ path: '/service/' }), [expired, byPath], now, TRUSTED);
    expect(result).toMatchObject({ status: 'exempt', exemption: { matchedBy: 'pathPrefix /service/' } });
  });

  it('exempts a user tagged org-mfa-watch:exempt with its reason and optional expiry', () => {
    const tags = [
      { Key: 'org-mfa-watch:exempt', Value: 'break-glass user, hardware key in safe' },
      { Key: 'org-mfa-watch:exempt-until', Value: '2026-12-31' },
    ];
    expect(evaluateExemptions(subject({ tags }), [], now, TRUSTED)).toEqual({
      status: 'exempt',
      exemption: { source: 'tag', reason: 'break-glass user, hardware key in safe', expires: '2026-12-31' },
    });
    expect(evaluateExemptions(subject({ tags }), [], new Date('2027-01-01T00:00:00Z'), TRUSTED).status).toBe(
      'expired',
    );
  });

  it.each([
    [[{ Key: 'org-mfa-watch:exempt', Value: '  ' }], { problem: 'empty-reason' }],
    [
      [
        { Key: 'org-mfa-watch:exempt', Value: 'legacy' },
        { Key: 'org-mfa-watch:exempt-until', Value: 'next year' },
      ],
      { problem: 'bad-date', value: 'next year' },
    ],
    [[{ Key: 'org-mfa-watch:exempt-until', Value: '2030-01-01' }], { problem: 'until-without-reason' }],
  ] as const)('never exempts on a malformed exemption tag (%j)', (tags, problem) => {
    const result = evaluateExemptions(subject({ tags }), [], now, TRUSTED);
    expect(result).toEqual({ status: 'invalid-tag', problem });
  });

  describe('when tags are not trusted (the default)', () => {
    // The creator of a user may usually tag it too (iam:CreateUser accepts Tags): a trusted tag would let
    // whoever creates a backdoor user exempt it.
    const tags = [{ Key: 'org-mfa-watch:exempt', Value: 'approved, trust me' }];

    it('never exempts on the tag, and reports the tag so the alert can name it', () => {
      expect(evaluateExemptions(subject({ tags }), [], now, UNTRUSTED)).toEqual({
        status: 'untrusted-tag',
        value: 'approved, trust me',
      });
    });

    it('still honours a configuration exemption, written by the security team', () => {
      expect(evaluateExemptions(subject({ tags }), [byName], now, UNTRUSTED)).toMatchObject({
        status: 'exempt',
        exemption: { source: 'config' },
      });
    });
  });
});
