/**
 * The finding record (ADR 0009): what one finding item holds, and the two ways between an item and a
 * {@link Finding}. Pure: no I/O. The store's transitions, listing and any new record kind next to it
 * read and write items through here.
 */
import * as z from 'zod/mini';
import {
  FINDING_ATTRIBUTES as A,
  FINDING_KEY,
  FINDING_KINDS,
  FINDING_SEVERITIES,
  FINDING_SOURCES,
  FINDING_STATES,
  FINDING_TTL_ATTRIBUTE,
  RESOLUTION_REASONS,
  type FindingKind,
  type FindingSeverity,
  type FindingSource,
  type ResolutionReason,
} from '../contract/findings';
import { CorruptFindingError } from './finding-errors';
import {
  QUARANTINE_ITEM_SHAPE,
  quarantineItem,
  quarantineOf,
  type FindingQuarantine,
} from './finding-quarantine';
import type { Suppression } from './suppression';

/** One finding as stored (ADR 0009). Times are ISO-8601 UTC strings. */
export interface Finding {
  /** Stable id (`f-` + 20 hex), kept across reopenings and renames. */
  readonly findingId: string;
  readonly accountId: string;
  readonly kind: FindingKind;
  /** User name as last seen (original case), `root`, or `account`. */
  readonly subject: string;
  readonly state: 'OPEN' | 'RESOLVED';
  readonly severity: FindingSeverity;
  /** The alert finding, e.g. `NO_MFA_CONSOLE`. */
  readonly detail?: string;
  /** Who opened the current open period. */
  readonly source: FindingSource;
  /** First time the finding was ever opened. */
  readonly firstSeen: string;
  /** Start of the current (or last) open period. */
  readonly openedAt: string;
  readonly lastSeen: string;
  readonly lastNotified?: string;
  /** Latest successful import into Security Hub, when the export is on. */
  readonly lastExported?: string;
  readonly resolvedAt?: string;
  readonly resolution?: ResolutionReason;
  /** TTL, epoch seconds (resolved findings only). */
  readonly expiresAt?: number;
  readonly accountAlias?: string;
  readonly reopenCount: number;
  /** Earlier user names, oldest first. */
  readonly previousNames: readonly string[];
  readonly version: number;
  /** Accepted until a day, by whom and why (suppression.ts); no alerts while it holds. */
  readonly suppression?: Suppression;
  /** USER_NO_MFA: the user's quarantine (ADR 0022), once ever quarantined (finding-quarantine.ts). */
  readonly quarantine?: FindingQuarantine;
}

const itemSchema = z.object({
  [A.findingId]: z.string(),
  [A.accountId]: z.string(),
  [A.kind]: z.enum(FINDING_KINDS),
  [A.subject]: z.string(),
  [A.state]: z.enum(FINDING_STATES),
  [A.severity]: z.enum(FINDING_SEVERITIES),
  [A.detail]: z.optional(z.string()),
  [A.source]: z.enum(FINDING_SOURCES),
  [A.firstSeen]: z.string(),
  [A.openedAt]: z.string(),
  [A.lastSeen]: z.string(),
  [A.lastNotified]: z.optional(z.string()),
  [A.lastExported]: z.optional(z.string()),
  [A.resolvedAt]: z.optional(z.string()),
  [A.resolution]: z.optional(z.enum(RESOLUTION_REASONS)),
  [FINDING_TTL_ATTRIBUTE]: z.optional(z.number()),
  [A.accountAlias]: z.optional(z.string()),
  [A.reopenCount]: z.optional(z.number()),
  [A.previousNames]: z.optional(z.array(z.string())),
  [A.version]: z.optional(z.number()),
  [A.suppressedUntil]: z.optional(z.string()),
  [A.suppressionReason]: z.optional(z.string()),
  [A.suppressedBy]: z.optional(z.string()),
  [A.suppressedAt]: z.optional(z.string()),
  ...QUARANTINE_ITEM_SHAPE,
});

/**
 * A finding from its item (the key names it in errors).
 * @throws CorruptFindingError
 */
export function parseFinding(
  item: Record<string, unknown> | undefined,
  key: Record<string, string>,
): Finding {
  const where = `${key[FINDING_KEY.partition] ?? '?'}/${key[FINDING_KEY.sort] ?? '?'}`;
  if (item === undefined) throw new CorruptFindingError(where, 'DynamoDB returned no attributes');
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
    throw new CorruptFindingError(where, problems.join('; '));
  }
  const d = parsed.data;
  return {
    findingId: d.findingId,
    accountId: d.accountId,
    kind: d.kind,
    subject: d.subject,
    state: d.state,
    severity: d.severity,
    source: d.source,
    firstSeen: d.firstSeen,
    openedAt: d.openedAt,
    lastSeen: d.lastSeen,
    reopenCount: d.reopenCount ?? 0,
    previousNames: d.previousNames ?? [],
    version: d.version ?? 0,
    ...(d.detail === undefined ? {} : { detail: d.detail }),
    ...(d.lastNotified === undefined ? {} : { lastNotified: d.lastNotified }),
    ...(d.lastExported === undefined ? {} : { lastExported: d.lastExported }),
    ...(d.resolvedAt === undefined ? {} : { resolvedAt: d.resolvedAt }),
    ...(d.resolution === undefined ? {} : { resolution: d.resolution }),
    ...(d.expiresAt === undefined ? {} : { expiresAt: d.expiresAt }),
    ...(d.accountAlias === undefined ? {} : { accountAlias: d.accountAlias }),
    ...(d.suppressedUntil === undefined
      ? {}
      : {
          suppression: {
            until: d.suppressedUntil,
            reason: d.suppressionReason ?? '',
            by: d.suppressedBy ?? '',
            at: d.suppressedAt ?? '',
          },
        }),
    ...withQuarantine(quarantineOf(d)),
  };
}

const withQuarantine = (quarantine: FindingQuarantine | undefined) =>
  quarantine === undefined ? {} : { quarantine };

/** A finding as item attributes (without the key). */
export function toItem(finding: Finding): Record<string, unknown> {
  const item: Record<string, unknown> = {
    [A.findingId]: finding.findingId,
    [A.accountId]: finding.accountId,
    [A.kind]: finding.kind,
    [A.subject]: finding.subject,
    [A.state]: finding.state,
    [A.severity]: finding.severity,
    [A.source]: finding.source,
    [A.firstSeen]: finding.firstSeen,
    [A.openedAt]: finding.openedAt,
    [A.lastSeen]: finding.lastSeen,
    [A.reopenCount]: finding.reopenCount,
    [A.previousNames]: [...finding.previousNames],
    [A.version]: finding.version,
  };
  if (finding.detail !== undefined) item[A.detail] = finding.detail;
  if (finding.lastNotified !== undefined) item[A.lastNotified] = finding.lastNotified;
  if (finding.lastExported !== undefined) item[A.lastExported] = finding.lastExported;
  if (finding.resolvedAt !== undefined) item[A.resolvedAt] = finding.resolvedAt;
  if (finding.resolution !== undefined) item[A.resolution] = finding.resolution;
  if (finding.expiresAt !== undefined) item[FINDING_TTL_ATTRIBUTE] = finding.expiresAt;
  if (finding.accountAlias !== undefined) item[A.accountAlias] = finding.accountAlias;
  if (finding.suppression !== undefined) {
    item[A.suppressedUntil] = finding.suppression.until;
    item[A.suppressionReason] = finding.suppression.reason;
    item[A.suppressedBy] = finding.suppression.by;
    item[A.suppressedAt] = finding.suppression.at;
  }
  Object.assign(item, quarantineItem(finding.quarantine));
  return item;
}
