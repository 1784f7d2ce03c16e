/** `Name: message` of an SDK or other error, for logs and alerts. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The SDK error name (`NoSuchEntityException`, `AccessDenied`...), if any. */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
