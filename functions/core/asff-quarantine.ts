/**
 * A finding's quarantine (ADR 0022) in its ASFF form: product fields and description lines. A provider's
 * BatchImportFindings cannot set Note, UserDefinedFields, VerificationState or Workflow (they belong to
 * the customer: AWS Security Hub User Guide, "BatchImportFindings for finding providers",
 * https://docs.aws.amazon.com/securityhub/latest/userguide/finding-update-batchimportfindings.html), so
 * the state travels in `ProductFields` (searchable as a product field filter) and the description.
 * Pure: no clock, no I/O.
 */
import { ASFF_LIMITS } from './asff-rules';
import type { FindingQuarantine } from './finding-quarantine';

/** `ProductFields` key of the quarantine state: `QUARANTINED` or `RELEASED`. */
export const ASFF_QUARANTINE_FIELD = 'org-mfa-watch/Quarantine';

function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * The product fields of a quarantine: the state, and when, by whom and why it was attached (while
 * quarantined) or last released; the number of transitions. Empty without a quarantine.
 */
export function quarantineProductFields(quarantine: FindingQuarantine | undefined): Record<string, string> {
  if (quarantine === undefined) return {};
  const value = (text: string) => clip(text, ASFF_LIMITS.productFieldValue);
  const fields: Record<string, string> = {
    [ASFF_QUARANTINE_FIELD]: quarantine.quarantined === undefined ? 'RELEASED' : 'QUARANTINED',
    'org-mfa-watch/QuarantineTransitions': String(quarantine.log.length),
  };
  if (quarantine.quarantined !== undefined) {
    fields['org-mfa-watch/QuarantinedAt'] = quarantine.quarantined.at;
    fields['org-mfa-watch/QuarantinedBy'] = value(quarantine.quarantined.by);
    fields['org-mfa-watch/QuarantineReason'] = value(quarantine.quarantined.reason);
  }
  if (quarantine.released !== undefined) {
    fields['org-mfa-watch/ReleasedAt'] = quarantine.released.at;
    fields['org-mfa-watch/ReleasedBy'] = value(quarantine.released.by);
    fields['org-mfa-watch/ReleaseReason'] = value(quarantine.released.reason);
  }
  return fields;
}

/** The description lines of a quarantine (English or Korean); none without a quarantine. */
export function quarantineFacts(quarantine: FindingQuarantine | undefined, ko: boolean): string[] {
  if (quarantine === undefined) return [];
  const q = quarantine.quarantined;
  const r = quarantine.released;
  if (ko) {
    return [
      ...(q === undefined ? [] : [`격리됨: ${q.at} (${q.by}): ${q.reason}`]),
      ...(r === undefined ? [] : [`격리 해제: ${r.at} (${r.by}): ${r.reason}`]),
    ];
  }
  return [
    ...(q === undefined ? [] : [`Quarantined: ${q.at} by ${q.by}: ${q.reason}`]),
    ...(r === undefined ? [] : [`Released: ${r.at} by ${r.by}: ${r.reason}`]),
  ];
}

/** The later of two ISO times (`b` may be absent). */
export function laterOf(a: string, b: string | undefined): string {
  return b !== undefined && Date.parse(b) > Date.parse(a) ? b : a;
}
