import { Readable } from 'node:stream';
import { FakeAws, IAM_NS, xml, xmlError, type FakeAwsOptions, type ImportedFinding } from './fake-aws';
import { generateReport, getReport, type FakeIam } from './fake-credential-report';
import { forwardRule, queueAttributes } from './fake-member-forwarding';
import { FakeAttachedPolicies } from './fake-member-policies';
import type { Answer, FakeAccount, FakeFailure, MemberCall } from './fake-member-model';

export { credentialReportCsv, rowsOf } from './fake-credential-report';
export type {
  FakeAccount,
  FakeFailure,
  FakeMemberUser,
  FakeReportRow,
  FakeReportState,
  MemberCall,
} from './fake-member-model';

/**
 * Member accounts of an organization as the sweep worker sees them through real SDK clients: STS
 * (AssumeRole, AccessDenied per account), IAM (credential report generation and download, users,
 * root summary, tags), EventBridge over its JSON protocol (the forward rule) and SNS. Calls the
 * project's {@link FakeAws} already answers (AssumeRole, user reads, aliases, Publish) are handed to it.
 */

/** Options of {@link FakeMemberAccounts}. */
export interface FakeMemberOptions {
  readonly centralBusArn: string;
  /** IAM's clock: report generation times and the four-hour rule. */
  readonly now: () => Date;
  /** Answer this call with an error (throttling, LimitExceeded...); `attempt` counts per account and action. */
  readonly fail?: (call: {
    readonly account: string;
    readonly service: string;
    readonly action: string;
    readonly attempt: number;
    /** The call's `UserName` parameter, for per-user calls (attempts are counted per user too). */
    readonly userName?: string;
    /** The request's parameters (query protocol, or the top level of a JSON body), e.g. `TopicArn`. */
    readonly params: Readonly<Record<string, string>>;
  }) => FakeFailure | undefined;
  /** Security Hub per account and region, as {@link FakeAwsOptions.securityHub}. @default enabled */
  readonly securityHub?: FakeAwsOptions['securityHub'];
}

interface HttpRequestLike {
  readonly hostname: string;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** The fake organization's member accounts. Mutate `accounts` between sweeps to change the world. */
export class FakeMemberAccounts {
  readonly calls: MemberCall[] = [];
  /** Tags set by `iam:TagRole` (the canary), by `<account>:<role name>`: the latest value of each key. */
  readonly roleTags = new Map<string, Record<string, string>>();
  private readonly attempts = new Map<string, number>();
  private readonly inner: FakeAws;
  private readonly iam: FakeIam;
  /** Managed policies attached to the accounts' users (enforcement's attach and detach). */
  readonly policies = new FakeAttachedPolicies();

  constructor(
    readonly accounts: Record<string, FakeAccount>,
    private readonly options: FakeMemberOptions,
  ) {
    this.inner = new FakeAws({
      users: (account, userName) => this.accounts[account]?.users?.[userName],
      now: () => options.now().getTime(),
      ...(options.securityHub === undefined ? {} : { securityHub: options.securityHub }),
    });
    this.iam = { accounts: this.accounts, now: () => options.now() };
  }

  /** The object to pass as `requestHandler` in a client's configuration. */
  get requestHandler(): { handle: (request: HttpRequestLike) => Promise<{ response: unknown }> } {
    return { handle: (request) => this.handle(request) };
  }

  /** Calls of one account (optionally of one action), the finding store's excluded (it is not AWS here). */
  callsOf(account: string, action?: string): MemberCall[] {
    return this.calls.filter((c) => c.account === account && (action === undefined || c.action === action));
  }

  /** Every finding Security Hub's BatchImportFindings accepted, with the account that imported it. */
  get imports(): readonly ImportedFinding[] {
    return this.inner.imports;
  }

  /** The SNS messages published, with their attributes and topic. */
  get published(): { subject: string; body: string; attributes: Record<string, string>; topicArn: string }[] {
    return this.calls
      .filter((c) => c.service === 'sns' && c.action === 'Publish' && c.status === 200)
      .map((c) => {
        const attributes: Record<string, string> = {};
        for (let i = 1; c.params[`MessageAttributes.entry.${i}.Name`] !== undefined; i += 1) {
          attributes[c.params[`MessageAttributes.entry.${i}.Name`] ?? ''] =
            c.params[`MessageAttributes.entry.${i}.Value.StringValue`] ?? '';
        }
        return {
          subject: c.params.Subject ?? '',
          body: c.params.Message ?? '',
          attributes,
          topicArn: c.params.TopicArn ?? '',
        };
      });
  }

  private async handle(request: HttpRequestLike): Promise<{ response: unknown }> {
    const service = request.hostname.split('.')[0] ?? 'unknown';
    // The JSON protocols (EventBridge, SQS) may hand the body over as bytes.
    const body =
      typeof request.body === 'string'
        ? request.body
        : request.body instanceof Uint8Array
          ? new TextDecoder().decode(request.body) // Buffer.from would call the body's string valueOf (an SDK WARN)
          : '';
    const target = headerOf(request.headers, 'x-amz-target');
    const json = target !== undefined;
    const params: Record<string, string> = json
      ? Object.fromEntries(
          Object.entries(JSON.parse(body || '{}') as Record<string, unknown>).map(([k, v]) => [k, String(v)]),
        )
      : Object.fromEntries(new URLSearchParams(body));
    const action = json ? (target.split('.')[1] ?? 'unknown') : (params.Action ?? 'unknown');
    const account =
      service === 'sts'
        ? (/iam::(\d{12}):role/.exec(params.RoleArn ?? '')?.[1] ?? 'central')
        : (/token-(\d{12})/.exec(headerOf(request.headers, 'x-amz-security-token') ?? '')?.[1] ?? 'central');
    if (this.accounts[account]?.hang) return new Promise(() => undefined);

    const key = `${account}:${service}:${action}:${params.UserName ?? ''}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    const failure = this.options.fail?.({
      account,
      service,
      action,
      attempt,
      params,
      ...(params.UserName === undefined ? {} : { userName: params.UserName }),
    });
    let answer: Answer | undefined;
    if (failure !== undefined) {
      answer = json
        ? [
            failure.status,
            JSON.stringify({ __type: failure.code, message: failure.code }),
            'application/x-amz-json-1.1',
          ]
        : [failure.status, xmlError(failure.code, failure.code), 'text/xml'];
    } else {
      answer = this.answer(service, action, account, params);
    }
    if (answer === undefined) {
      // Everything else the project's fake answers (AssumeRole, user reads, aliases, Publish).
      const { response } = (await this.inner.requestHandler.handle(request)) as {
        response: { statusCode: number };
      };
      this.record(service, action, account, params, response.statusCode);
      return { response };
    }
    const [status, text, contentType] = answer;
    this.record(service, action, account, params, status);
    return {
      response: {
        statusCode: status,
        headers: { 'content-type': contentType, 'x-amzn-requestid': 'fake' },
        body: Readable.from([Buffer.from(text)]),
      },
    };
  }

  private record(
    service: string,
    action: string,
    account: string,
    params: Record<string, string>,
    status: number,
  ): void {
    this.calls.push({
      service,
      action,
      account,
      status,
      params,
      ...(params.UserName === undefined ? {} : { userName: params.UserName }),
    });
  }

  private answer(
    service: string,
    action: string,
    accountId: string,
    params: Record<string, string>,
  ): Answer | undefined {
    const account = this.accounts[accountId] ?? {};
    switch (`${service}:${action}`) {
      case 'sts:AssumeRole':
        return account.denied
          ? [
              403,
              xmlError(
                'AccessDenied',
                `User: arn:aws:sts::222222222222:assumed-role/org-mfa-watch-sweep/s is not authorized to perform: sts:AssumeRole on resource: ${params.RoleArn ?? ''}`,
                'https://sts.amazonaws.com/doc/2011-06-15/',
              ),
              'text/xml',
            ]
          : undefined;
      case 'iam:GenerateCredentialReport':
        return generateReport(this.iam, accountId, account);
      case 'iam:GetCredentialReport':
        return getReport(this.iam, accountId, account);
      case 'iam:GetAccountSummary': {
        const root = account.root ?? { mfa: true, password: false };
        const entries = [
          ['AccountMFAEnabled', root.mfa ? 1 : 0],
          ['AccountPasswordPresent', root.password ? 1 : 0],
          ['Users', Object.keys(account.users ?? {}).length],
        ]
          .map(([k, v]) => `<entry><key>${String(k)}</key><value>${String(v)}</value></entry>`)
          .join('');
        return [200, xml(action, IAM_NS, `<SummaryMap>${entries}</SummaryMap>`), 'text/xml'];
      }
      case 'iam:ListUserTags': {
        const tags = account.users?.[params.UserName ?? '']?.tags;
        if (tags === undefined) return undefined;
        const members = tags
          .map((t) => `<member><Key>${t.Key}</Key><Value>${t.Value}</Value></member>`)
          .join('');
        return [
          200,
          xml(action, IAM_NS, `<Tags>${members}</Tags><IsTruncated>false</IsTruncated>`),
          'text/xml',
        ];
      }
      case 'iam:TagRole':
        return this.tagRole(accountId, action, params);
      case 'events:DescribeRule':
      case 'events:ListTargetsByRule':
        return forwardRule(this.options.centralBusArn, accountId, account, action, params);
      case 'sqs:GetQueueAttributes':
        return queueAttributes(accountId, account, params);
      default:
        return service === 'iam' ? this.policies.answer(action, accountId, account, params) : undefined;
    }
  }

  /**
   * `iam:TagRole` (the canary, docs/adr/0021-canary.md): merges the request's `Tags.member.N` into the
   * role's tags, as IAM does (an existing key is overwritten). IAM answers ValidationError without a
   * role name or a tag (IAM API Reference, TagRole: RoleName and Tags are required).
   */
  private tagRole(accountId: string, action: string, params: Record<string, string>): Answer {
    const tags: Record<string, string> = {};
    for (let i = 1; params[`Tags.member.${i}.Key`] !== undefined; i += 1) {
      tags[params[`Tags.member.${i}.Key`] ?? ''] = params[`Tags.member.${i}.Value`] ?? '';
    }
    const roleName = params.RoleName;
    if (roleName === undefined || roleName === '' || Object.keys(tags).length === 0) {
      return [400, xmlError('ValidationError', 'TagRole needs RoleName and at least one tag'), 'text/xml'];
    }
    const key = `${accountId}:${roleName}`;
    this.roleTags.set(key, { ...this.roleTags.get(key), ...tags });
    return [200, xml(action, IAM_NS, ''), 'text/xml'];
  }
}
