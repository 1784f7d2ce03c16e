/** The schema of the Enforce step's summary in the reporter's input (ADR 0022). No other reporter import. */
import * as z from 'zod/mini';

const user = z.object({
  accountId: z.string(),
  findingId: z.string(),
  userName: z.string(),
  openedAt: z.string(),
  consoleAccess: z.boolean(),
  openHours: z.number(),
  reason: z.string(),
});

/** The Enforce step's output (`EnforcementSummary`, functions/contract/enforcement.ts), as the reporter's input carries it. */
export const enforcementSummarySchema = z.object({
  mode: z.enum(['dry-run', 'quarantine']),
  quarantined: z.array(user),
  wouldQuarantine: z.array(user),
  released: z.array(
    z.object({ accountId: z.string(), findingId: z.string(), userName: z.string(), reason: z.string() }),
  ),
  halted: z.optional(z.object({ count: z.number(), maxPerSweep: z.number(), why: z.string() })),
  failures: z.array(
    z.object({
      accountId: z.string(),
      findingId: z.string(),
      userName: z.string(),
      action: z.enum(['quarantine', 'release']),
      outcome: z.string(),
      error: z.string(),
    }),
  ),
});
