/**
 * What an operator's tool says when AWS could not be asked or refused to answer: one line naming the
 * cause (no credentials, no network, no region, credentials rejected, an AWS error) and what to do,
 * never a stack trace. Pure.
 */

/** Codes Node.js gives a request that never got an answer (DNS, refused, reset, no route, timeout). */
export const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** The kinds of failure a tool tells apart. */
export type AwsFailureKind =
  'no-credentials' | 'no-network' | 'no-region' | 'credentials-rejected' | 'aws-error';

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? text).trim();
}

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? codeOf(cause) : undefined;
}

/** The kind of an AWS failure, or undefined when the error is not one (a bug keeps its stack trace). Pure. */
export function awsFailureKind(error: unknown): AwsFailureKind | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = codeOf(error);
  if (
    error.name === 'CredentialsProviderError' ||
    error.name === 'TokenProviderError' ||
    /could not load credentials|token is expired|sso session .* expired/i.test(error.message)
  ) {
    return 'no-credentials';
  }
  if (
    (code !== undefined && NETWORK_CODES.has(code)) ||
    error.name === 'TimeoutError' ||
    /getaddrinfo|socket hang up|connect ECONNREFUSED/.test(error.message)
  ) {
    return 'no-network';
  }
  if (/region is missing/i.test(error.message)) return 'no-region';
  if (
    /^(UnrecognizedClient|InvalidSignature|SignatureDoesNotMatch|ExpiredToken|InvalidClientTokenId)/.test(
      error.name,
    )
  ) {
    return 'credentials-rejected';
  }
  // A service's answer: the SDK's ServiceException carries the HTTP metadata.
  if ('$metadata' in error && '$fault' in error) return 'aws-error';
  return undefined;
}

/**
 * One line for an AWS failure, or undefined when the error is not one. Pure.
 * @example awsFailureLine(credentialsProviderError) // "no AWS credentials found (...): sign in ..."
 */
export function awsFailureLine(error: unknown): string | undefined {
  const kind = awsFailureKind(error);
  if (kind === undefined || !(error instanceof Error)) return undefined;
  const detail = `${error.name}: ${firstLine(error.message)}`;
  switch (kind) {
    case 'no-credentials':
      return `no AWS credentials found (${detail}): sign in (AWS_PROFILE, aws sso login) and retry`;
    case 'no-network':
      return `cannot reach AWS (${codeOf(error) ?? error.name}: ${firstLine(error.message)}): check the network, proxy or VPN and retry`;
    case 'no-region':
      return 'no AWS region: set homeRegion in the configuration or AWS_REGION';
    case 'credentials-rejected':
      return `AWS rejected the credentials (${detail}): refresh them (aws sso login) and retry`;
    case 'aws-error':
      return `AWS answered ${detail}`;
  }
}
