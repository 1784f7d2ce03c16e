import { Readable } from 'node:stream';

/** One request the fake AWS received, as the real SDK serialized it. */
export interface RecordedCall {
  readonly service: string;
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  /** Time the request arrived, relative to the fake's creation (ms). */
  readonly at: number;
  /** Time the answer was sent (ms). */
  readonly end: number;
  readonly status: number;
}

/** How the fake IAM answers for a user. */
export interface FakeUser {
  readonly mfaDevices: number;
  readonly console: boolean;
}

/** Options of the fake AWS. */
export interface FakeAwsOptions {
  /** IAM users by `account/userName`; an absent user answers NoSuchEntity. */
  readonly users?: (account: string, userName: string) => FakeUser | undefined;
  /** Return true to answer this IAM call with a Throttling error (the SDK retries it). */
  readonly throttle?: (call: { service: string; action: string; attempt: number }) => boolean;
  /** Artificial latency per request, in ms (0 = answer at once). */
  readonly latencyMs?: number;
  /** Clock for the expiry of issued credentials (one hour after "now"). */
  readonly now?: () => number;
  /**
   * Security Hub in an account and region: `enabled` (the default) imports; `not-enabled` answers
   * BatchImportFindings with InvalidAccessException (HTTP 401); `not-subscribed` returns every finding
   * in FailedFindings with ErrorCode InvalidAccess (AWS Security Hub User Guide, "BatchImportFindings for
   * finding providers": Security Hub disabled or the provider not enabled).
   */
  readonly securityHub?: (account: string, region: string) => 'enabled' | 'not-enabled' | 'not-subscribed';
  /** Return an error to put this finding into FailedFindings (e.g. a validation failure). */
  readonly rejectFinding?: (
    finding: Readonly<Record<string, unknown>>,
  ) => { readonly ErrorCode: string; readonly ErrorMessage: string } | undefined;
}

/** One finding Security Hub accepted from BatchImportFindings, with the account that called. */
export interface ImportedFinding {
  readonly callerAccount: string;
  readonly region: string;
  readonly finding: Readonly<Record<string, unknown>>;
  /** False when Security Hub ignored it: its UpdatedAt was not after the stored finding's. */
  readonly applied: boolean;
}

interface HttpRequestLike {
  readonly hostname: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
  /** Path of a REST request (Security Hub's `/findings/import`). */
  readonly path?: string;
}

/**
 * A request body as text: the query protocol sends a string, the JSON protocols bytes. The bytes are
 * decoded as bytes: the SDK's JSON body is a Uint8Array that warns when used as a string, and
 * `Buffer.from` would call its `valueOf` (a string method) first.
 */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  return '';
}

/** XML namespace of IAM's query-protocol answers. */
export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

/** A query-protocol success answer of `action`. */
export function xml(action: string, ns: string, result: string): string {
  return `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>fake-${action}</RequestId></ResponseMetadata></${action}Response>`;
}

/** A query-protocol error answer. */
export function xmlError(code: string, message: string, ns = IAM_NS): string {
  return `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake-error</RequestId></ErrorResponse>`;
}

/**
 * A fake AWS endpoint injected into real SDK clients as their `requestHandler`, so that the SDK's
 * serialization, signing, retries and parsing all run, and every request is recorded. It speaks the
 * query protocol of STS, IAM and SNS (what the checker calls on its critical path), and Security Hub's
 * REST-JSON BatchImportFindings.
 */
export class FakeAws {
  readonly calls: RecordedCall[] = [];
  /** Every finding BatchImportFindings accepted, in order. */
  readonly imports: ImportedFinding[] = [];
  /** Security Hub's findings as stored: `<account>/<region>/<Id>`. */
  readonly securityHubFindings = new Map<string, Readonly<Record<string, unknown>>>();
  private readonly started = performance.now();
  private readonly attempts = new Map<string, number>();
  private accountCounter = 0;

  constructor(private readonly options: FakeAwsOptions = {}) {}

  /** The object to pass as `requestHandler` in a client's configuration. */
  get requestHandler(): { handle: (request: HttpRequestLike) => Promise<{ response: unknown }> } {
    return { handle: (request) => this.handle(request) };
  }

  /**
   * Sequential round trips among `calls`: the longest chain of calls where each starts only after
   * the previous one answered (calls in flight together count once).
   */
  static sequentialDepth(calls: readonly RecordedCall[]): number {
    const sorted = [...calls].sort((a, b) => a.at - b.at);
    const depth: number[] = [];
    sorted.forEach((call, i) => {
      const before = sorted.slice(0, i).filter((prev) => prev.end <= call.at);
      depth.push(1 + Math.max(0, ...before.map((prev) => depth[sorted.indexOf(prev)] ?? 0)));
    });
    return Math.max(0, ...depth);
  }

  /** Calls of one service (and optionally one action). */
  count(service: string, action?: string): number {
    return this.calls.filter((c) => c.service === service && (action === undefined || c.action === action))
      .length;
  }

  private async handle(request: HttpRequestLike): Promise<{ response: unknown }> {
    const service = request.hostname.split('.')[0] ?? 'unknown';
    const at = performance.now() - this.started;
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    if (service === 'securityhub') {
      const action = request.path === '/findings/import' ? 'BatchImportFindings' : 'unknown';
      const [status, body, errorType] = this.securityHubAnswer(action, request);
      this.calls.push({ service, action, params: {}, at, end: performance.now() - this.started, status });
      return {
        response: {
          statusCode: status,
          headers: {
            'content-type': 'application/json',
            'x-amzn-requestid': 'fake',
            ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
          },
          body: Readable.from([Buffer.from(body)]),
        },
      };
    }
    const params = Object.fromEntries(
      new URLSearchParams(typeof request.body === 'string' ? request.body : ''),
    );
    const action = params.Action ?? 'unknown';
    const [status, body] = this.answer(service, action, params, request);
    this.calls.push({ service, action, params, at, end: performance.now() - this.started, status });
    return {
      response: {
        statusCode: status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'fake' },
        body: Readable.from([Buffer.from(body)]),
      },
    };
  }

  /**
   * BatchImportFindings as Security Hub answers it: the caller (from its session token) imports into its
   * own default product, where Security Hub is enabled; a finding with a known Id is updated only when
   * its UpdatedAt is later than the stored one (User Guide, "BatchImportFindings for finding providers").
   * A finding of another account is refused as the check role's policy refuses it (securityhub:TargetAccount).
   */
  private securityHubAnswer(action: string, request: HttpRequestLike): [number, string, string?] {
    if (action !== 'BatchImportFindings') {
      return [
        404,
        JSON.stringify({ message: 'fake AWS answers BatchImportFindings only' }),
        'ResourceNotFoundException',
      ];
    }
    const caller = /token-(\d{12})/.exec(request.headers['x-amz-security-token'] ?? '')?.[1] ?? '';
    const region =
      /Credential=[^/]+\/\d{8}\/([^/]+)\/securityhub\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const state = this.options.securityHub?.(caller, region) ?? 'enabled';
    if (state === 'not-enabled') {
      return [
        401,
        JSON.stringify({
          Code: 'InvalidAccessException',
          Message: `Account ${caller} is not subscribed to AWS Security Hub`,
        }),
        'InvalidAccessException',
      ];
    }
    const { Findings: findings = [] } = JSON.parse(bodyText(request.body) || '{}') as {
      Findings?: Record<string, unknown>[];
    };
    const foreign = findings.find(
      (f) =>
        f.AwsAccountId !== caller ||
        f.ProductArn !== `arn:aws:securityhub:${region}:${caller}:product/${caller}/default`,
    );
    if (caller === '' || foreign !== undefined) {
      return [
        403,
        JSON.stringify({ Message: `User is not authorized to perform: securityhub:BatchImportFindings` }),
        'AccessDeniedException',
      ];
    }
    const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
    for (const finding of findings) {
      const id = String(finding.Id);
      const rejected =
        state === 'not-subscribed'
          ? {
              ErrorCode: 'InvalidAccess',
              ErrorMessage: 'Security Hub is not enabled for this account and Region',
            }
          : this.options.rejectFinding?.(finding);
      if (rejected) {
        failed.push({ Id: id, ...rejected });
        continue;
      }
      const key = `${caller}/${region}/${id}`;
      const existing = this.securityHubFindings.get(key);
      const applied =
        existing === undefined ||
        Date.parse(String(finding.UpdatedAt)) > Date.parse(String(existing.UpdatedAt));
      if (applied) this.securityHubFindings.set(key, finding);
      this.imports.push({ callerAccount: caller, region, finding, applied });
    }
    return [
      200,
      JSON.stringify({
        FailedCount: failed.length,
        SuccessCount: findings.length - failed.length,
        FailedFindings: failed,
      }),
    ];
  }

  private answer(
    service: string,
    action: string,
    params: Record<string, string>,
    request: HttpRequestLike,
  ): [number, string] {
    const key = `${service}:${action}:${params.UserName ?? ''}:${request.headers['x-amz-security-token'] ?? ''}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    if (service === 'iam' && this.options.throttle?.({ service, action, attempt })) {
      return [400, xmlError('Throttling', 'Rate exceeded')];
    }
    switch (`${service}:${action}`) {
      case 'sts:AssumeRole':
        return this.assumeRole(params);
      case 'iam:ListMFADevices':
      case 'iam:GetLoginProfile':
      case 'iam:ListUserTags':
        return this.userRead(action, params, request);
      case 'iam:ListAccountAliases':
        return [
          200,
          xml(
            action,
            IAM_NS,
            '<AccountAliases><member>fake-alias</member></AccountAliases><IsTruncated>false</IsTruncated>',
          ),
        ];
      case 'sns:Publish':
        return [
          200,
          xml(
            action,
            'http://sns.amazonaws.com/doc/2010-03-31/',
            `<MessageId>msg-${this.calls.length}</MessageId>`,
          ),
        ];
      default:
        return [400, xmlError('InvalidAction', `fake AWS does not answer ${service}:${action}`)];
    }
  }

  /** STS AssumeRole: credentials whose session token names the role's account (an hour from now). */
  private assumeRole(params: Record<string, string>): [number, string] {
    const account = /iam::(\d{12}):role/.exec(params.RoleArn ?? '')?.[1] ?? '000000000000';
    this.accountCounter += 1;
    const expiration = new Date((this.options.now ?? Date.now)() + 3600_000).toISOString();
    return [
      200,
      xml(
        'AssumeRole',
        'https://sts.amazonaws.com/doc/2011-06-15/',
        `<Credentials><AccessKeyId>ASIAFAKE${account}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token-${account}</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAFAKE:${params.RoleSessionName ?? ''}</AssumedRoleId><Arn>arn:aws:sts::${account}:assumed-role/check/s</Arn></AssumedRoleUser>`,
      ),
    ];
  }

  /**
   * ListMFADevices, GetLoginProfile or ListUserTags of a user of `options.users`, in the account the
   * session token names; NoSuchEntity for a user it does not know.
   */
  private userRead(
    action: string,
    params: Record<string, string>,
    request: HttpRequestLike,
  ): [number, string] {
    const account = /token-(\d{12})/.exec(request.headers['x-amz-security-token'] ?? '')?.[1] ?? '';
    const user = this.options.users?.(account, params.UserName ?? '');
    if (!user)
      return [404, xmlError('NoSuchEntity', `The user with name ${params.UserName ?? ''} cannot be found.`)];
    if (action === 'ListMFADevices') {
      const devices = Array.from(
        { length: user.mfaDevices },
        (_, i) =>
          `<member><UserName>${params.UserName ?? ''}</UserName><SerialNumber>arn:aws:iam::${account}:mfa/d${i}</SerialNumber><EnableDate>2026-01-01T00:00:00Z</EnableDate></member>`,
      ).join('');
      return [
        200,
        xml(action, IAM_NS, `<MFADevices>${devices}</MFADevices><IsTruncated>false</IsTruncated>`),
      ];
    }
    if (action === 'GetLoginProfile') {
      return user.console
        ? [
            200,
            xml(
              action,
              IAM_NS,
              `<LoginProfile><UserName>${params.UserName ?? ''}</UserName><CreateDate>2026-01-01T00:00:00Z</CreateDate><PasswordResetRequired>false</PasswordResetRequired></LoginProfile>`,
            ),
          ]
        : [404, xmlError('NoSuchEntity', `Login Profile for User ${params.UserName ?? ''} cannot be found.`)];
    }
    return [200, xml(action, IAM_NS, '<Tags/><IsTruncated>false</IsTruncated>')];
  }
}
