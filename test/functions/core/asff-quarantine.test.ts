import { describe, expect, it } from 'vitest';
import { toAsff, type AsffContext } from '../../../functions/core/asff';
import { ASFF_QUARANTINE_FIELD } from '../../../functions/core/asff-quarantine';
import { ASFF_LIMITS, validateAsff } from '../../../functions/core/asff-rules';
import type { Finding as StoredFinding } from '../../../functions/core/finding-store';
import { findingId } from '../../../functions/contract/findings';

// Issue 23, item 6: every attach and detach is shown in Security Hub. A provider cannot write Note,
// UserDefinedFields or Workflow with BatchImportFindings (AWS Security Hub User Guide, "BatchImportFindings
// for finding providers", https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html):
// the quarantine travels in ProductFields and the description, within the documented limits.

const ACCOUNT = '333333333333';
const CONTEXT: AsffContext = { partition: 'aws', region: 'eu-central-1', locale: 'en' };
const SWEEP = 'sweep:2026-12-07';
const ADMIN = 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com';

const base: StoredFinding = {
  findingId: findingId(ACCOUNT, 'USER_NO_MFA', 'alice'),
  accountId: ACCOUNT,
  kind: 'USER_NO_MFA',
  subject: 'alice',
  state: 'OPEN',
  severity: 'HIGH',
  detail: 'NO_MFA_CONSOLE',
  source: 'sweep',
  firstSeen: '2026-12-01T10:00:00.000Z',
  openedAt: '2026-12-01T10:00:00.000Z',
  lastSeen: '2026-12-07T10:00:00.000Z',
  reopenCount: 0,
  previousNames: [],
  version: 3,
};
const attached = { at: '2026-12-07T10:00:00.000Z', by: SWEEP, reason: 'USER_NO_MFA open 144 h' };
const released = { at: '2026-12-07T12:00:00.000Z', by: ADMIN, reason: 'on leave, enrolling Monday' };

describe('toAsff of a quarantined finding', () => {
  it('carries the state, who, when and why in ProductFields and the description', () => {
    const asff = toAsff(
      { ...base, quarantine: { quarantined: attached, log: [{ action: 'quarantined', ...attached }] } },
      CONTEXT,
    );
    expect(asff.ProductFields).toMatchObject({
      [ASFF_QUARANTINE_FIELD]: 'QUARANTINED',
      'org-mfa-watch/QuarantinedAt': attached.at,
      'org-mfa-watch/QuarantinedBy': SWEEP,
      'org-mfa-watch/QuarantineReason': attached.reason,
      'org-mfa-watch/QuarantineTransitions': '1',
    });
    expect(asff.Description).toContain(`Quarantined: ${attached.at} by ${SWEEP}: ${attached.reason}`);
    expect(asff).not.toHaveProperty('Note');
    expect(asff).not.toHaveProperty('UserDefinedFields');
    expect(asff).not.toHaveProperty('Workflow');
    expect(validateAsff(asff)).toEqual([]);
  });

  it('shows a release by hand (by whom and why) once the policy is detached', () => {
    const asff = toAsff(
      {
        ...base,
        quarantine: {
          released,
          log: [
            { action: 'quarantined', ...attached },
            { action: 'released', ...released },
          ],
        },
      },
      { ...CONTEXT, locale: 'ko' },
    );
    expect(asff.ProductFields?.[ASFF_QUARANTINE_FIELD]).toBe('RELEASED');
    expect(asff.ProductFields?.['org-mfa-watch/ReleasedBy']).toBe(ADMIN);
    expect(asff.ProductFields?.['org-mfa-watch/ReleaseReason']).toBe(released.reason);
    expect(asff.ProductFields?.['org-mfa-watch/QuarantineTransitions']).toBe('2');
    expect(asff.ProductFields).not.toHaveProperty('org-mfa-watch/QuarantinedAt');
    expect(asff.Description).toContain(`격리 해제: ${released.at} (${ADMIN}): ${released.reason}`);
    expect(validateAsff(asff)).toEqual([]);
  });

  it('takes the latest transition as UpdatedAt, so Security Hub applies the re-import', () => {
    // Security Hub ignores an update whose UpdatedAt is not after the stored one (User Guide,
    // "BatchImportFindings for finding providers"): a release after the last observation must be later.
    const log = [
      { action: 'quarantined' as const, ...attached },
      { action: 'released' as const, ...released },
    ];
    expect(toAsff({ ...base, quarantine: { released, log } }, CONTEXT).UpdatedAt).toBe(released.at);
    const seenLater = { ...base, lastSeen: '2026-12-08T10:00:00.000Z', quarantine: { released, log } };
    expect(toAsff(seenLater, CONTEXT).UpdatedAt).toBe('2026-12-08T10:00:00.000Z');
    expect(toAsff(base, CONTEXT).UpdatedAt).toBe(base.lastSeen);
  });

  it('adds nothing for a finding whose user was never quarantined', () => {
    const fields = Object.keys(toAsff(base, CONTEXT).ProductFields ?? {});
    expect(fields.filter((k) => /Quarantin|Release/.test(k))).toEqual([]);
  });

  it('stays within the limits with the longest reason and ARN', () => {
    const long = {
      at: attached.at,
      by: `arn:aws:sts::222222222222:assumed-role/${'r'.repeat(64)}/${'s'.repeat(64)}`,
      reason: 'x'.repeat(500),
    };
    const asff = toAsff(
      {
        ...base,
        previousNames: Array.from({ length: 20 }, (_, i) => `previous-name-${i}-${'n'.repeat(40)}`),
        quarantine: { quarantined: long, released: long, log: [{ action: 'quarantined', ...long }] },
      },
      CONTEXT,
    );
    expect(Array.from(asff.Description ?? '').length).toBeLessThanOrEqual(ASFF_LIMITS.description);
    expect(validateAsff(asff)).toEqual([]);
  });
});
