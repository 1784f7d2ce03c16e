/** `Name: message` of an SDK or other error, for logs and alerts. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The SDK error name (`NoSuchEntityException`, `AccessDenied`...), if any. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * Error codes AWS uses for throttling (the query, JSON and STS protocols, IAM's `LimitExceeded` for
 * credential-report generation), as the SDK names them. The SDK already retried them; what is left is
 * for the caller to retry later or report.
 */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'LimitExceeded',
  'LimitExceededException',
  'ReportGenerationLimitExceeded',
  'ReportGenerationLimitExceededException',
]);

/** True when the error is AWS throttling (after the SDK's own retries). */
export function isThrottling(error: unknown): boolean {
  return THROTTLING.has(errorName(error) ?? '');
}

/**
 * True when AWS refused the call for lack of permission. STS answers `AccessDenied` both when the
 * role's trust policy refuses the caller and when the role does not exist (STS API reference,
 * AssumeRole), so the two cannot be told apart, and need not be: either way the account is not covered.
 */
export function isAccessDenied(error: unknown): boolean {
  const name = errorName(error) ?? '';
  return name === 'AccessDenied' || name === 'AccessDeniedException';
}
