import * as z from 'zod/mini';
import { FINDING_KINDS, FINDING_SEVERITIES, RESOLUTION_REASONS } from '../contract/findings';
import {
  ACCOUNT_OUTCOMES,
  COVERAGE_KINDS,
  ROLLOUT_STATUSES,
  SWEEP_FINDING_CHANGES,
  SWEEP_MODES,
  type SweepAccountItem,
  type SweepBatchResult,
  type SweepPlan,
} from '../contract/sweep';

import { enforcementSummarySchema } from './enforcement-schema';

/**
 * Schemas of what the reporter reads: the plan, the item list, and the worker's batch results (from
 * the state or from the Distributed Map's ResultWriter files). Unknown fields are dropped, so a newer
 * worker adding a field does not break the report.
 */

const accountId = z
  .string({ error: 'a 12-digit account id' })
  .check(z.regex(/^\d{12}$/, { error: 'a 12-digit account id' }));

/** One {@link SweepAccountItem}. */
export const accountItemSchema = z.object({
  accountId,
  name: z.string(),
  coverage: z.enum(COVERAGE_KINDS),
  joinedAt: z.optional(z.string()),
  rollout: z.optional(z.object({ status: z.enum(ROLLOUT_STATUSES), reason: z.optional(z.string()) })),
  inEnforcementOus: z.optional(z.boolean()),
});

/** The JSON array the planner writes to S3. */
export const accountItemsSchema = z.array(accountItemSchema);

/** A {@link SweepPlan}. */
export const planSchema = z.object({
  sweepId: z.string().check(z.minLength(1), z.maxLength(80)),
  mode: z.enum(SWEEP_MODES),
  fullSweep: z.boolean(),
  bucket: z.string(),
  key: z.string(),
  count: z.number().check(z.int(), z.nonnegative()),
  items: z.optional(accountItemsSchema),
  skipped: z.optional(z.array(z.object({ accountId, state: z.string() }))),
  rolloutProblem: z.optional(z.string()),
});

const findingSchema = z.object({
  accountId,
  userName: z.optional(z.string()),
  kind: z.enum(FINDING_KINDS),
  severity: z.enum(FINDING_SEVERITIES),
  findingId: z.string(),
  change: z.enum(SWEEP_FINDING_CHANGES),
  firstSeen: z.optional(z.string()),
  consolePassword: z.optional(z.boolean()),
  lastUsed: z.optional(z.string()),
  resolvedBecause: z.optional(z.enum(RESOLUTION_REASONS)),
  detail: z.optional(z.string()),
  held: z.optional(z.boolean()),
  suppressedUntil: z.optional(z.string()),
});

const accountResultSchema = z.object({
  accountId,
  name: z.optional(z.string()),
  alias: z.optional(z.string()),
  coverage: z.optional(z.enum(COVERAGE_KINDS)),
  outcome: z.enum(ACCOUNT_OUTCOMES),
  reason: z.optional(z.string()),
  users: z.optional(z.number()),
  inGracePeriod: z.optional(z.number()),
  findings: z.array(findingSchema),
  canary: z.optional(
    z.union([
      z.object({ accountId, sweepId: z.string(), sentAt: z.string() }),
      z.object({ accountId, sweepId: z.string(), failure: z.string() }),
    ]),
  ),
  forwarding: z.optional(z.object({ rule: z.string(), deadLetterMessages: z.optional(z.number()) })),
});

/** A {@link SweepBatchResult}: the worker's output for one batch. */
export const batchResultSchema = z.object({
  sweepId: z.optional(z.string()),
  accounts: z.array(accountResultSchema),
});

/** The reporter task's input. */
export const reportInputSchema = z.object({
  plan: planSchema,
  results: z.optional(z.object({ Bucket: z.string(), Key: z.string() })),
  batches: z.optional(z.array(batchResultSchema)),
  /** The Enforce step's summary (enforcement on, full sweeps). */
  enforcement: z.optional(enforcementSummarySchema),
});

// The schemas produce exactly the contract's shapes: a compile-time check, no runtime code.
type Produces<Contract, Parsed extends Contract> = [Contract, Parsed];
export type _SchemaChecks = [
  Produces<SweepAccountItem, z.infer<typeof accountItemSchema>>,
  Produces<SweepPlan, z.infer<typeof planSchema>>,
  Produces<SweepBatchResult, z.infer<typeof batchResultSchema>>,
];
