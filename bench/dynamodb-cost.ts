/**
 * DynamoDB cost of the finding store per 10,000 IAM events, at on-demand prices. A model (request
 * units per event from the store's code), not a measurement: a test keeps the units honest.
 */

/** On-demand prices used, with their source and date. */
export const DYNAMODB_PRICES = {
  region: 'us-east-1',
  /** USD per million write request units (standard table class). */
  perMillionWrites: 0.625,
  /** USD per million read request units. */
  perMillionReads: 0.125,
  source:
    'AWS DynamoDB on-demand pricing, us-east-1, standard table class, as cut by 50% effective 2024-11-01 (AWS announcement of 2024-11-14); read 2026-11-30 from secondary sources, the AWS page itself was not reachable from this offline machine',
} as const;

/** Request units one event costs on one path. Items stay under 1 KB: one unit per write. */
export interface EventPath {
  readonly name: string;
  /** Share of events that take this path (the shares add up to 1). */
  readonly share: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** Where the units come from. */
  readonly why: string;
}

/**
 * The paths of the worst realistic mix: every event checked and dedup-recorded (two idempotency
 * writes), a third of them opening a finding and notifying, a third finding it already open (three
 * conditional writes: open, escalate, touch; a failed conditional write is billed like a write), a
 * third resolving one, and 5% duplicate deliveries.
 */
export const WORST_CASE_PATHS: readonly EventPath[] = [
  {
    name: 'opens a finding',
    share: 0.3,
    writeUnits: 2 + 1 + 1,
    readUnits: 0,
    why: 'idempotency in-progress put + completion update, the opening update, markNotified',
  },
  {
    name: 'finding already open',
    share: 0.3,
    writeUnits: 2 + 3,
    readUnits: 0,
    why: 'idempotency put + update, open (fails), escalate (fails), touch',
  },
  {
    name: 'resolves a finding',
    share: 0.35,
    writeUnits: 2 + 1 + 1,
    readUnits: 0,
    why: 'idempotency put + update, the resolving update, markNotified',
  },
  {
    name: 'duplicate delivery',
    share: 0.05,
    writeUnits: 1,
    readUnits: 0,
    why: 'the idempotency put fails its condition and returns the stored record (ALL_OLD on failure)',
  },
];

/** The estimate for a number of events. */
export interface CostEstimate {
  readonly events: number;
  readonly writeUnits: number;
  readonly readUnits: number;
  readonly usd: number;
}

/** Request units and dollars for `events` events over the given paths. Pure. */
export function estimateDynamoCost(
  events: number,
  paths: readonly EventPath[] = WORST_CASE_PATHS,
): CostEstimate {
  const writeUnits = Math.round(events * paths.reduce((sum, p) => sum + p.share * p.writeUnits, 0));
  const readUnits = Math.round(events * paths.reduce((sum, p) => sum + p.share * p.readUnits, 0));
  const usd =
    (writeUnits / 1_000_000) * DYNAMODB_PRICES.perMillionWrites +
    (readUnits / 1_000_000) * DYNAMODB_PRICES.perMillionReads;
  return { events, writeUnits, readUnits, usd };
}
