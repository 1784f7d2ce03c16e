import { z } from 'zod';

const ACCOUNT_ID = /^\d{12}$/;

/** A whole number of `what` from `min` to `max`, `fallback` when absent; errors name the unit. */
export const wholeNumber = (what: string, min: number, max: number, fallback: number) =>
  z
    .number({ error: `expected a whole number of ${what}` })
    .int({ error: `expected a whole number of ${what}` })
    .min(min, { error: `expected at least ${min} ${what}` })
    .max(max, { error: `expected at most ${max} ${what}` })
    .default(fallback);

/** A 12-digit AWS account id, as a string (leading zeros kept). */
export const accountId = z.string({ error: 'expected a 12-digit AWS account id string' }).regex(ACCOUNT_ID, {
  error: 'expected a 12-digit AWS account id, e.g. "111122223333" (as a string, leading zeros kept)',
});
