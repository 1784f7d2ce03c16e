/**
 * A deadline taken from Lambda's remaining time, shared by the checker (which keeps time back for its
 * failure alert) and the sweep worker (which keeps time back to return the batch's result): a hung
 * dependency ends one piece of work with an error instead of timing out the whole invocation.
 */

/** The part of the Lambda context a deadline needs. */
export interface RemainingTime {
  /** Lambda's remaining time; absent (a local run), no deadline applies. */
  readonly getRemainingTimeInMillis?: () => number;
}

/** The work did not finish before its deadline. */
export class DeadlineExceededError extends Error {
  constructor(budgetMs: number) {
    super(`no answer within ${Math.max(0, Math.round(budgetMs / 1000))} s (function deadline)`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Run `work` under the invocation's deadline, keeping `reserveMs` of the remaining time back. The
 * work is not cancelled when the deadline passes (JavaScript cannot); its result is ignored.
 * @throws DeadlineExceededError when the deadline passes first
 */
export async function beforeDeadline<T>(
  context: RemainingTime,
  reserveMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const remaining = context.getRemainingTimeInMillis?.();
  if (remaining === undefined) return work();
  const budget = remaining - reserveMs;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        reject(new DeadlineExceededError(budget));
      },
      Math.max(0, budget),
    );
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
