/**
 * Time budget of the checker, shared by the function (SDK client settings, its own deadline) and the
 * central stack (the function timeout), so the two cannot drift apart.
 *
 * Without socket timeouts a hung connection waits until Lambda kills the function, and the function dies
 * before it can publish the CHECK_FAILED alert. Every SDK call is therefore bounded (connection and
 * request timeouts, a fixed number of attempts), and the check itself runs under a deadline that leaves
 * enough time for one more publish.
 */

/** Settings of every SDK client the checker creates. */
export const SDK_CALL_LIMITS = {
  /** Time to establish a TCP/TLS connection. */
  connectionTimeoutMs: 3_000,
  /** Time for one request to answer once sent. IAM, STS, SNS and Scheduler answer in well under a second. */
  requestTimeoutMs: 5_000,
  /** Attempts per call, the first included (the SDK retries throttling and transient errors). */
  maxAttempts: 3,
} as const;

/**
 * Configuration of every SDK client of the checker: adaptive retries (client-side rate limiting under
 * throttling), a bounded number of attempts, and socket timeouts (the SDK's Node.js request handler
 * accepts its options as a plain object).
 */
export const SDK_CLIENT_CONFIG = {
  retryMode: 'adaptive',
  maxAttempts: SDK_CALL_LIMITS.maxAttempts,
  requestHandler: {
    connectionTimeout: SDK_CALL_LIMITS.connectionTimeoutMs,
    requestTimeout: SDK_CALL_LIMITS.requestTimeoutMs,
    // Without it, @smithy/node-http-handler only logs a warning when requestTimeout passes and keeps
    // waiting: the timeout would bound nothing.
    throwOnRequestTimeout: true,
  },
} as const;

/**
 * Largest delay the SDK's retry strategy waits before retry `n` (1-based): exponential with full jitter,
 * from a 500 ms base for throttling errors (the larger of the SDK's two bases), capped at 20 s.
 */
function maxBackoffMs(retry: number): number {
  return Math.min(20_000, 500 * 2 ** retry);
}

/** Worst case of one SDK call: every attempt hangs until its timeouts, plus the longest backoffs. */
export function worstCaseCallMs(limits: typeof SDK_CALL_LIMITS = SDK_CALL_LIMITS): number {
  let total = limits.maxAttempts * (limits.connectionTimeoutMs + limits.requestTimeoutMs);
  for (let retry = 1; retry < limits.maxAttempts; retry += 1) total += maxBackoffMs(retry);
  return total;
}

/** Time kept back from the check for the alert that reports its failure (one publish, worst case). */
export const PUBLISH_RESERVE_MS = worstCaseCallMs() + 5_000;

/**
 * The checker's timeout. The check runs under a deadline of (remaining time - PUBLISH_RESERVE_MS); the
 * longest chain of sequential calls of a check (GetSchedule, AssumeRole, IAM reads, DeleteSchedule,
 * CreateSchedule) fits into that deadline without hitting it in the common case of one slow call.
 */
export const CHECKER_TIMEOUT_SECONDS = 120;
