import * as z from 'zod/mini';
import { SWEEP_MODES, type SweepPlanInput } from '../contract/sweep';
import { InvalidSweepInputError } from './errors';

/**
 * A Step Functions execution name (the sweep id): 1-80 characters without white space, brackets,
 * wildcards, `"#%\^|~`$&,;:/` or control characters (Step Functions API reference, StartExecution
 * `name`). It becomes part of S3 keys, so the rule also keeps `/` and `.`-only names out of them.
 */
const SWEEP_ID = /^(?!\.+$)[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;
const ACCOUNT_ID = /^\d{12}$/;
/** `npm run sweep -- --account ...` and join events name a few accounts; a longer list is a mistake. */
export const MAX_REQUESTED_ACCOUNTS = 1000;

const schema = z.object({
  sweepId: z
    .string({ error: 'a string' })
    .check(z.regex(SWEEP_ID, { error: 'a Step Functions execution name' })),
  input: z.object(
    {
      mode: z.enum(SWEEP_MODES, { error: `one of ${SWEEP_MODES.join(', ')}` }),
      accountIds: z.optional(
        z
          .array(z.string().check(z.regex(ACCOUNT_ID, { error: 'a 12-digit account id string' })), {
            error: 'an array of 12-digit account ids',
          })
          .check(
            z.minLength(1, { error: 'at least one account id (omit accountIds to sweep every account)' }),
            z.maxLength(MAX_REQUESTED_ACCOUNTS, {
              error: `at most ${MAX_REQUESTED_ACCOUNTS} account ids (omit accountIds to sweep every account)`,
            }),
          ),
      ),
    },
    { error: 'an object { mode, accountIds? }' },
  ),
});

/**
 * Read the planner task's input (`{ sweepId: $$.Execution.Name, input: $$.Execution.Input }`), with
 * repeated account ids removed. Pure.
 * @throws InvalidSweepInputError naming the first offending field
 */
export function parsePlanInput(raw: unknown): SweepPlanInput {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field =
      issue === undefined || issue.path.length === 0 ? '(input)' : issue.path.map(String).join('.');
    throw new InvalidSweepInputError(field, issue?.message ?? 'an object { sweepId, input }');
  }
  const { sweepId, input } = result.data;
  return {
    sweepId,
    input: {
      mode: input.mode,
      ...(input.accountIds === undefined ? {} : { accountIds: [...new Set(input.accountIds)] }),
    },
  };
}
