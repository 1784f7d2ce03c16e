/** The planner is deployed with a missing or malformed environment variable (fails at init). */
export class PlannerConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`org-mfa-watch sweep planner is misconfigured: ${problems.join('; ')}`);
    this.name = 'PlannerConfigurationError';
  }
}

/** The state machine handed the planner an input it cannot plan from. Never retried: it fails the same way. */
export class InvalidSweepInputError extends Error {
  constructor(
    /** Dotted path of the offending field, e.g. `input.accountIds.0`. */
    readonly field: string,
    /** What the field must be. */
    readonly expectation: string,
  ) {
    super(`Invalid sweep input: ${field}: expected ${expectation}`);
    this.name = 'InvalidSweepInputError';
  }
}

/** An account id asked for (`npm run sweep -- --account ID`, a join event) is not in the organization. */
export class UnknownAccountError extends Error {
  constructor(readonly accountIds: readonly string[]) {
    super(
      `Account ${accountIds.join(', ')} ${accountIds.length === 1 ? 'is' : 'are'} not in the organization (organizations:DescribeAccount answered AccountNotFoundException)`,
    );
    this.name = 'UnknownAccountError';
  }
}
