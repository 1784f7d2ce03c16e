/** The reporter is deployed with a missing or malformed environment variable (fails at init). */
export class ReporterConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`org-mfa-watch sweep reporter is misconfigured: ${problems.join('; ')}`);
    this.name = 'ReporterConfigurationError';
  }
}

/** The state machine handed the reporter an input it cannot report from. */
export class InvalidReportInputError extends Error {
  constructor(
    /** Dotted path of the offending field, e.g. `plan.sweepId`. */
    readonly field: string,
    /** What the field must be. */
    readonly expectation: string,
  ) {
    super(`Invalid report input: ${field}: expected ${expectation}`);
    this.name = 'InvalidReportInputError';
  }
}

/** An S3 object the report is built from is missing or unreadable (shared with the Enforce step). */
export { ResultsUnreadableError } from '../core/map-results';
