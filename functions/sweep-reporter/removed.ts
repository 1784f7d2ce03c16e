import type { FindingStore } from '../core/finding-store';
import { USER_FINDING_KINDS, type FindingRef, type FindingKind } from '../contract/findings';
import type { SweepFinding } from '../contract/sweep';

/** Store writes in flight at once: a handful of findings per departed account, far under table limits. */
const RESOLVE_CONCURRENCY = 5;

function isUserKind(kind: FindingKind): kind is (typeof USER_FINDING_KINDS)[number] {
  return (USER_FINDING_KINDS as readonly FindingKind[]).includes(kind);
}

/**
 * Resolve, as `account-removed`, every open finding of an account that is not among the organization's
 * ACTIVE accounts (it left, or is suspended or closing). Only a full sweep knows the whole list, so only
 * a full sweep may call this. Each resolution is one conditional write: a finding resolved meanwhile by
 * someone else is `not-open` and not listed. No notice per finding: the digest lists them.
 * @returns the findings this call resolved
 * @throws StoreUnavailableError, CorruptFindingError
 */
export async function resolveRemovedAccounts(
  store: FindingStore,
  activeAccountIds: ReadonlySet<string>,
  now: Date,
  retentionDays: number,
): Promise<SweepFinding[]> {
  const open = await store.listFindings({ state: 'OPEN' });
  const orphans = open.filter((finding) => !activeAccountIds.has(finding.accountId));
  const resolved: SweepFinding[] = [];
  let next = 0;
  const lanes = Array.from({ length: Math.min(RESOLVE_CONCURRENCY, orphans.length) }, async () => {
    while (next < orphans.length) {
      const finding = orphans[next];
      next += 1;
      if (finding === undefined) continue;
      const ref: FindingRef = isUserKind(finding.kind)
        ? { accountId: finding.accountId, kind: finding.kind, userName: finding.subject }
        : { accountId: finding.accountId, kind: finding.kind };
      const result = await store.resolve({ ...ref, reason: 'account-removed', now, retentionDays });
      if (result.transition !== 'resolved') continue;
      resolved.push({
        accountId: finding.accountId,
        ...(isUserKind(finding.kind) ? { userName: finding.subject } : {}),
        kind: finding.kind,
        severity: finding.severity,
        findingId: finding.findingId,
        change: 'resolved',
        firstSeen: finding.firstSeen,
        resolvedBecause: 'account-removed',
      });
    }
  });
  await Promise.all(lanes);
  return resolved.sort(
    (a, b) => a.accountId.localeCompare(b.accountId) || a.findingId.localeCompare(b.findingId),
  );
}
