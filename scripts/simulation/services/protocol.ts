import { Readable } from 'node:stream';

/**
 * The wire protocols of the AWS services the simulation answers, reduced to what a simulated service
 * needs: read the operation and parameters of a request the real SDK serialized, and write an answer
 * (success or error) in the shape that SDK parses.
 */

/** One HTTP request as the fake AWS server hands it over (`hostname` is `<signing name>.fake`). */
export interface SimRequest {
  readonly hostname: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  /** Path and query string (`/bucket/key?x-id=GetObject`). */
  readonly path?: string;
  readonly method?: string;
}

/** An answer: status, body text and headers. */
export interface SimAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The response shape the SDK's request handler (and the fake AWS server) expects. */
export interface HandlerResponse {
  readonly response: {
    readonly statusCode: number;
    readonly headers: Record<string, string>;
    readonly body: Readable;
  };
}

/** The wire protocol a request uses. */
export type Protocol = 'query' | 'json' | 'rest';

/** A header's value, whatever its case. */
export function headerOf(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** The request body as text (the query protocol sends a string, the JSON protocols bytes). */
export function bodyText(request: SimRequest): string {
  const { body } = request;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return '';
}

/** The signing name of the service a request is for. */
export function serviceOf(request: SimRequest): string {
  return request.hostname.split('.')[0] ?? 'unknown';
}

/** The protocol of a request: JSON (X-Amz-Target), query (form-encoded `Action=`), else REST. */
export function protocolOf(request: SimRequest): Protocol {
  if (headerOf(request.headers, 'x-amz-target') !== undefined) return 'json';
  if ((headerOf(request.headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    return 'query';
  }
  return 'rest';
}

/** The operation of a query or JSON request (`Action=` or the X-Amz-Target suffix); REST: undefined. */
export function rpcOperationOf(request: SimRequest): string | undefined {
  const target = headerOf(request.headers, 'x-amz-target');
  if (target !== undefined) return target.split('.').pop();
  if (protocolOf(request) === 'query')
    return new URLSearchParams(bodyText(request)).get('Action') ?? undefined;
  return undefined;
}

/** The parsed JSON body of a JSON or REST-JSON request (`{}` when empty). */
export function jsonBody(request: SimRequest): Record<string, unknown> {
  const text = bodyText(request);
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** The path (without the query string) and the query parameters of a REST request. */
export function restPath(request: SimRequest): { readonly path: string; readonly query: URLSearchParams } {
  const url = new URL(request.path ?? '/', 'http://simulation');
  return { path: decodeURIComponent(url.pathname), query: url.searchParams };
}

/** The member account a request acts in (the simulated session token names it), else `central`. */
export function callerAccount(request: SimRequest): string {
  return /token-(\d{12})/.exec(headerOf(request.headers, 'x-amz-security-token') ?? '')?.[1] ?? 'central';
}

const JSON_11 = 'application/x-amz-json-1.1';

/** A JSON-protocol success (`awsJson1_0` / `awsJson1_1`). */
export function jsonAnswer(body: unknown, contentType = JSON_11): SimAnswer {
  return { status: 200, body: JSON.stringify(body), headers: { 'content-type': contentType } };
}

/** A JSON-protocol error: `__type` is the error code. */
export function jsonError(status: number, code: string, message: string, contentType = JSON_11): SimAnswer {
  return {
    status,
    body: JSON.stringify({ __type: code, message }),
    headers: { 'content-type': contentType, 'x-amzn-errortype': code },
  };
}

/** A REST-JSON error (`x-amzn-errortype` names it). */
export function restJsonError(status: number, code: string, message: string): SimAnswer {
  return {
    status,
    body: JSON.stringify({ Message: message }),
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
  };
}

/** A REST-XML error (S3's shape). */
export function restXmlError(status: number, code: string, message: string): SimAnswer {
  return {
    status,
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>simulated</RequestId></Error>`,
    headers: { 'content-type': 'application/xml' },
  };
}

/** A query-protocol error. */
export function queryError(status: number, code: string, message: string): SimAnswer {
  return {
    status,
    body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>simulated</RequestId></ErrorResponse>`,
    headers: { 'content-type': 'text/xml' },
  };
}

/** An answer in the request's own protocol for an operation the simulation does not know. */
export function unknownOperation(request: SimRequest, message: string): SimAnswer {
  const code = 'UnknownOperationException';
  switch (protocolOf(request)) {
    case 'json':
      return jsonError(400, code, message);
    case 'query':
      return queryError(400, code, message);
    case 'rest':
      return serviceOf(request) === 's3'
        ? restXmlError(400, code, message)
        : restJsonError(400, code, message);
  }
}

/** The handler response for an answer. */
export function toResponse(answer: SimAnswer): HandlerResponse {
  return {
    response: {
      statusCode: answer.status,
      headers: { 'x-amzn-requestid': 'simulated', ...answer.headers },
      body: Readable.from([Buffer.from(answer.body)]),
    },
  };
}
