/** The Distributed Map's batch input: its schema and the one parse that names the offending field. */
import * as z from 'zod/mini';
import {
  COVERAGE_KINDS,
  ROLLOUT_STATUSES,
  SWEEP_MODES,
  type SweepAccountItem,
  type SweepBatchInput,
} from '../contract/sweep';

/** The batch is not what the Distributed Map sends: names the field and the expectation. */
export class InvalidBatchError extends Error {
  constructor(
    /** `Items[3].accountId`, or `(batch)` for the whole input. */
    readonly field: string,
    readonly expectation: string,
  ) {
    super(`Invalid sweep batch: ${field}: ${expectation}`);
    this.name = 'InvalidBatchError';
  }
}

const itemSchema = z.object({
  accountId: z
    .string({ error: 'expected a 12-digit account id' })
    .check(z.regex(/^\d{12}$/, { error: 'expected a 12-digit account id' })),
  name: z.string({ error: 'expected the account name (a string)' }),
  coverage: z.enum(COVERAGE_KINDS, { error: `expected one of ${COVERAGE_KINDS.join(', ')}` }),
  joinedAt: z.optional(
    z
      .string({ error: 'expected an ISO 8601 time' })
      .check(z.refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected an ISO 8601 time' })),
  ),
  rollout: z.optional(
    z.object(
      {
        status: z.enum(ROLLOUT_STATUSES, { error: `expected one of ${ROLLOUT_STATUSES.join(', ')}` }),
        reason: z.optional(z.string({ error: 'expected a string' })),
      },
      { error: 'expected an object { status, reason? }' },
    ),
  ),
  inEnforcementOus: z.optional(z.boolean({ error: 'expected true or false' })),
});

const batchSchema = z.object(
  {
    Items: z.array(itemSchema, { error: 'expected an array of account items' }),
    BatchInput: z.optional(
      z.object(
        {
          sweepId: z
            .string({ error: 'expected the execution name (1-80 characters)' })
            .check(
              z.minLength(1, { error: 'expected the execution name (1-80 characters)' }),
              z.maxLength(80, { error: 'expected the execution name (1-80 characters)' }),
            ),
          mode: z.enum(SWEEP_MODES, { error: `expected one of ${SWEEP_MODES.join(', ')}` }),
          final: z.optional(z.boolean({ error: 'expected true or false' })),
        },
        { error: 'expected an object' },
      ),
    ),
  },
  { error: 'expected an object { Items, BatchInput? }' },
);

/** `Items[3].accountId` from a zod path. */
function fieldOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(batch)';
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`,
    '',
  );
}

/**
 * Validate a Distributed Map batch. Pure.
 * @throws InvalidBatchError naming the first offending field
 */
export function parseBatch(raw: unknown): { items: SweepAccountItem[]; batchInput?: SweepBatchInput } {
  const result = batchSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidBatchError(fieldOf(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  const { Items, BatchInput } = result.data;
  const items = Items.map((i) => ({
    accountId: i.accountId,
    name: i.name,
    coverage: i.coverage,
    ...(i.joinedAt === undefined ? {} : { joinedAt: i.joinedAt }),
    ...(i.rollout === undefined
      ? {}
      : {
          rollout: {
            status: i.rollout.status,
            ...(i.rollout.reason === undefined ? {} : { reason: i.rollout.reason }),
          },
        }),
    ...(i.inEnforcementOus === true ? { inEnforcementOus: true } : {}),
  }));
  if (BatchInput === undefined) return { items };
  return {
    items,
    batchInput: {
      sweepId: BatchInput.sweepId,
      mode: BatchInput.mode,
      ...(BatchInput.final === undefined ? {} : { final: BatchInput.final }),
    },
  };
}
