import { describeError } from '../core/errors';

/**
 * An event the checker cannot accept: it names the field, what was expected, and what arrived.
 * Such an event is quarantined (never retried: it would fail the same way every time).
 */
export class InvalidEventError extends Error {
  constructor(
    /** Dotted path of the offending field, e.g. `detail.recipientAccountId`. */
    readonly field: string,
    /** What the field must be. */
    readonly expectation: string,
    /** A short, safe summary of what arrived (never the whole event). */
    readonly received?: string,
  ) {
    super(
      `Invalid event: ${field}: expected ${expectation}${received === undefined ? '' : ` (received ${received})`}`,
    );
    this.name = 'InvalidEventError';
  }
}

/** The MFA check could not be completed (role not assumable, IAM failing after the SDK's retries). */
export class CheckFailedError extends Error {
  constructor(
    readonly accountId: string,
    readonly userName: string,
    readonly step: string,
    override readonly cause: unknown,
  ) {
    super(`MFA check of ${userName} in ${accountId} failed at ${step}: ${describeError(cause)}`);
    this.name = 'CheckFailedError';
  }
}

/** The function is deployed with a missing or malformed environment variable. */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`org-mfa-watch checker is misconfigured: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}
