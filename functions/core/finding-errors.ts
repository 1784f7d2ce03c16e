/**
 * Errors of the finding store. Every one extends {@link FindingStoreError}: a caller that catches it
 * alerts anyway and logs that deduplication was skipped ("a missed dedup is better than a missed
 * alert", issue 11).
 */
export class FindingStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FindingStoreError';
  }
}

/** DynamoDB could not be reached or refused the request (after the SDK's own retries). */
export class StoreUnavailableError extends FindingStoreError {
  constructor(
    /** The store operation that failed, e.g. `observeProblem`. */
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`Finding store unavailable during ${operation}: ${describe(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The item kept changing under a read-modify-write (every conditional write lost to another writer).
 * Only pathological concurrency gets here; nothing was written by this call.
 */
export class StoreContentionError extends FindingStoreError {
  constructor(
    readonly operation: string,
    readonly attempts: number,
  ) {
    super(`Finding store: ${operation} lost ${attempts} conditional writes in a row to concurrent writers`);
    this.name = 'StoreContentionError';
  }
}

/** The caller passed something that cannot be a finding key (bad account id, user name, retention). */
export class InvalidFindingInputError extends FindingStoreError {
  constructor(
    readonly field: string,
    readonly expectation: string,
  ) {
    super(`Invalid finding input: ${field}: expected ${expectation}`);
    this.name = 'InvalidFindingInputError';
  }
}

/** An item in the table does not have the shape of a finding (edited by hand, or a newer schema). */
export class CorruptFindingError extends FindingStoreError {
  constructor(
    /** `pk` and `sk` of the item. */
    readonly key: string,
    readonly problem: string,
  ) {
    super(`Finding item ${key} is unreadable: ${problem}`);
    this.name = 'CorruptFindingError';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
