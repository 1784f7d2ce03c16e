/**
 * The quarantine part of a finding record (ADR 0022; attributes in functions/contract/enforcement.ts):
 * read from a finding item and written back with it, so every reader of a finding (`npm run findings`,
 * the Security Hub mapping) sees whether its user is quarantined and every attach and detach, and a
 * rename's put (finding-rename.ts) keeps them. Pure: no I/O.
 */
import * as z from 'zod/mini';
import { QUARANTINE_ATTRIBUTES as Q } from '../contract/enforcement';

/** One attach (`quarantined`) or detach (`released`): who (`sweep:<id>` or an ARN), when (ISO), why. */
export interface QuarantineTransition {
  readonly action: 'quarantined' | 'released';
  readonly at: string;
  readonly by: string;
  readonly reason: string;
}

/** Who, when and why of one state. */
export type QuarantineMark = Omit<QuarantineTransition, 'action'>;

/** What a finding records of its user's quarantine; absent on a finding whose user never was. */
export interface FindingQuarantine {
  /** Present while the policy is recorded as attached. */
  readonly quarantined?: QuarantineMark;
  /** The latest release. */
  readonly released?: QuarantineMark;
  /** Every attach and detach, oldest first. */
  readonly log: readonly QuarantineTransition[];
}

const transition = z.object({
  action: z.enum(['quarantined', 'released']),
  at: z.string(),
  by: z.string(),
  reason: z.string(),
});

/** The item schema's quarantine attributes (all optional), for finding-record.ts's item schema. */
export const QUARANTINE_ITEM_SHAPE = {
  [Q.quarantinedAt]: z.optional(z.string()),
  [Q.quarantinedBy]: z.optional(z.string()),
  [Q.quarantineReason]: z.optional(z.string()),
  [Q.releasedAt]: z.optional(z.string()),
  [Q.releasedBy]: z.optional(z.string()),
  [Q.releaseReason]: z.optional(z.string()),
  [Q.enforcementLog]: z.optional(z.array(transition)),
};

/** The parsed quarantine attributes of an item (what {@link QUARANTINE_ITEM_SHAPE} yields). */
export type QuarantineAttributes = Partial<{
  quarantinedAt: string;
  quarantinedBy: string;
  quarantineReason: string;
  releasedAt: string;
  releasedBy: string;
  releaseReason: string;
  enforcementLog: QuarantineTransition[];
}>;

function mark(at?: string, by?: string, reason?: string): QuarantineMark | undefined {
  return at === undefined || by === undefined || reason === undefined ? undefined : { at, by, reason };
}

/** The finding's quarantine from its parsed attributes; undefined when its user never was quarantined. */
export function quarantineOf(d: QuarantineAttributes): FindingQuarantine | undefined {
  const quarantined = mark(d.quarantinedAt, d.quarantinedBy, d.quarantineReason);
  const released = mark(d.releasedAt, d.releasedBy, d.releaseReason);
  const log = d.enforcementLog ?? [];
  if (quarantined === undefined && released === undefined && log.length === 0) return undefined;
  return {
    ...(quarantined === undefined ? {} : { quarantined }),
    ...(released === undefined ? {} : { released }),
    log,
  };
}

/** The quarantine as item attributes (empty when there is none). */
export function quarantineItem(quarantine: FindingQuarantine | undefined): Record<string, unknown> {
  if (quarantine === undefined) return {};
  const item: Record<string, unknown> = { [Q.enforcementLog]: quarantine.log.map((t) => ({ ...t })) };
  if (quarantine.quarantined !== undefined) {
    item[Q.quarantinedAt] = quarantine.quarantined.at;
    item[Q.quarantinedBy] = quarantine.quarantined.by;
    item[Q.quarantineReason] = quarantine.quarantined.reason;
  }
  if (quarantine.released !== undefined) {
    item[Q.releasedAt] = quarantine.released.at;
    item[Q.releasedBy] = quarantine.released.by;
    item[Q.releaseReason] = quarantine.released.reason;
  }
  return item;
}
