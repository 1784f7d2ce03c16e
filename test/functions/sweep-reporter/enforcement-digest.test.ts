import { describe, expect, it } from 'vitest';
import type { EnforcementSummary } from '../../../functions/contract/enforcement';
import { formatDigest, type DigestSettings } from '../../../functions/sweep-reporter/digest';
import { parseReportInput } from '../../../functions/sweep-reporter/report';
import { sampleReport } from './sample';

// Issue 23 (ADR 0022): the Enforce step's summary in the digest and the JSON report.

const settings: DigestSettings = {
  locale: 'en',
  timeZone: 'UTC',
  partition: 'aws',
  region: 'eu-central-1',
  bucket: 'org-mfa-watch-sweep-222222222222',
  reportCsvKey: 'reports/x/report.csv',
  reportJsonKey: 'reports/x/report.json',
};
const user = (userName: string) => ({
  accountId: '111111111111',
  findingId: `f-${userName.padEnd(20, '0')}`,
  userName,
  openedAt: '2026-12-01T00:00:00.000Z',
  consoleAccess: true,
  openHours: 80,
  reason: 'no MFA for 80 h since the alert (enforcement after 72 h)',
});
const SUMMARY: EnforcementSummary = {
  mode: 'quarantine',
  quarantined: [user('alice')],
  wouldQuarantine: [],
  released: [
    {
      accountId: '111111111111',
      findingId: user('bob').findingId,
      userName: 'bob',
      reason: 'quarantine released: the user enabled MFA',
    },
  ],
  failures: [
    {
      accountId: '111111111111',
      findingId: user('carol').findingId,
      userName: 'carol',
      action: 'quarantine',
      outcome: 'denied',
      error: 'AccessDenied: not authorized',
    },
  ],
};
const digestOf = (enforcement?: EnforcementSummary) =>
  formatDigest({ ...sampleReport(), ...(enforcement === undefined ? {} : { enforcement }) }, settings).body;

describe('enforcement in the digest', () => {
  it('lists quarantined, released and refused users, and how to release', () => {
    const body = digestOf(SUMMARY);
    expect(body).toContain('Enforcement (quarantine):');
    expect(body).toMatch(/Quarantined \(1\):\n {2}- "alice" \(111111111111\): no MFA for 80 h/);
    expect(body).toMatch(
      /Released \(1\):\n {2}- "bob" \(111111111111\): quarantine released: the user enabled MFA/,
    );
    expect(body).toContain('"carol" (111111111111): quarantine denied: AccessDenied: not authorized');
    expect(body).toContain('npm run findings -- release');
  });

  it('dry-run lists who would be quarantined; a halt says so, with how many and why', () => {
    const dry = digestOf({ ...SUMMARY, mode: 'dry-run', quarantined: [], wouldQuarantine: [user('dave')] });
    expect(dry).toContain('Would quarantine (dry-run: nothing changed) (1):');
    const halted = digestOf({
      ...SUMMARY,
      quarantined: [],
      halted: { count: 30, maxPerSweep: 20, why: '30 users in 4 account(s) are due' },
    });
    expect(halted).toContain('HALTED: 30 users due, more than 20: 30 users in 4 account(s) are due');
  });

  it('has no enforcement section when enforcement is off', () => {
    expect(digestOf()).not.toContain('Enforcement (');
  });

  it('the reporter input carries the summary (and rejects a malformed one, naming the field)', () => {
    const plan = {
      sweepId: 's',
      mode: 'scheduled',
      fullSweep: true,
      bucket: 'b',
      key: 'k',
      count: 0,
    };
    const results = { Bucket: 'b', Key: 'sweeps/map-results/r/manifest.json' };
    expect(parseReportInput({ plan, results, enforcement: SUMMARY }).enforcement).toEqual(SUMMARY);
    expect(() => parseReportInput({ plan, results, enforcement: { ...SUMMARY, mode: 'off' } })).toThrow(
      /enforcement\.mode/,
    );
  });
});
