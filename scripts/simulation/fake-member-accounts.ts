import { Readable } from 'node:stream';
import { FakeAws, IAM_NS, xml, xmlError, type FakeAwsOptions, type ImportedFinding } from './fake-aws';

/**
 * Member accounts of an organization as the sweep worker sees them through real SDK clients: STS
 * (AssumeRole, AccessDenied per account), IAM (credential report generation and download, users,
 * root summary, tags), EventBridge over its JSON protocol (the forward rule) and SNS. Calls the
 * project's {@link FakeAws} already answers (AssumeRole, user reads, aliases, Publish) are handed to it.
 */

/** A live IAM user. */
export interface FakeMemberUser {
  readonly mfaDevices: number;
  readonly console: boolean;
  /** ISO time. @default 2024-01-01T00:00:00Z */
  readonly createdAt?: string;
  readonly path?: string;
  readonly tags?: readonly { readonly Key: string; readonly Value: string }[];
  /** ISO time of the last password sign-in. */
  readonly passwordLastUsed?: string;
  /** ISO time of the last use of access key 1. */
  readonly keyLastUsed?: string;
}

/** One row of a credential report (what the report says, which may differ from the live user). */
export interface FakeReportRow {
  readonly user: string;
  readonly mfaActive: boolean;
  readonly passwordEnabled: boolean;
  readonly createdAt?: string;
  readonly path?: string;
  readonly passwordLastUsed?: string;
  readonly keyLastUsed?: string;
}

/** The account's credential report, as IAM holds it. */
export type FakeReportState =
  | { readonly state: 'none' }
  | { readonly state: 'expired' }
  | { readonly state: 'ready'; readonly generatedAt: Date; readonly rows?: readonly FakeReportRow[] }
  | {
      readonly state: 'in-progress';
      readonly pollsLeft: number;
      /** With {@link FakeAccount.generationMs}: when the report is ready (on the fake's clock); polls then do not count. */
      readonly readyAt?: Date;
    };

/** One member account. Everything optional: a healthy, empty account. */
export interface FakeAccount {
  /** AssumeRole answers AccessDenied (role missing, or its trust refuses the caller). */
  readonly denied?: boolean;
  readonly users?: Readonly<Record<string, FakeMemberUser>>;
  /** @default { mfa: true, password: false } */
  readonly root?: { readonly mfa: boolean; readonly password: boolean; readonly lastUsed?: string };
  /** The forward rule; `null` when it does not exist. @default enabled, targeting the central bus */
  readonly rule?: { readonly state: string; readonly targets: readonly string[] } | null;
  /**
   * Messages waiting in the forward rule's dead-letter queue (`org-mfa-watch-forward-dlq`, us-east-1);
   * `null` when the queue does not exist (a member template from before it was named). @default 0
   */
  readonly deadLetterMessages?: number | null;
  /** @default { state: 'none' } */
  readonly report?: FakeReportState;
  /**
   * In-progress answers after a generation starts, before the report is ready: ReportInProgress from
   * GetCredentialReport, INPROGRESS from GenerateCredentialReport. @default 1
   */
  readonly generationPolls?: number;
  /**
   * Time IAM takes to generate the report, on the fake's clock (`now`): GetCredentialReport answers
   * ReportInProgress, GenerateCredentialReport INPROGRESS, until then, however often they are polled.
   * Replaces `generationPolls` when set.
   */
  readonly generationMs?: number;
  /** Never answer any request of this account (a hung dependency). */
  readonly hang?: boolean;
}

/** One request the fake answered. */
export interface MemberCall {
  readonly service: string;
  readonly action: string;
  /** The member account (from the role ARN or the session token); `central` for the security account. */
  readonly account: string;
  readonly userName?: string;
  readonly status: number;
  readonly params: Readonly<Record<string, string>>;
}

/** An error answer chosen by a test: HTTP status and the AWS error code. */
export interface FakeFailure {
  readonly status: number;
  readonly code: string;
}

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

type Answer = readonly [status: number, body: string, contentType: string];

const REPORT_HEADER = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
];

/** IAM generates at most one report every four hours (IAM User Guide, "Getting credential reports"). */
const REPORT_REUSE_MS = 4 * 3_600_000;

/**
 * A credential report CSV as IAM writes it: the full header, the `<root_account>` row first, `N/A` /
 * `no_information` / `not_supported` where IAM writes them.
 */
export function credentialReportCsv(
  accountId: string,
  rows: readonly FakeReportRow[],
  root: { readonly mfa: boolean; readonly lastUsed?: string } = { mfa: true },
): string {
  // access_key_2_* and cert_*: no second key, no signing certificates.
  const unusedCredentials = ['false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A'];
  const noKey = ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
  const rootRow = [
    '<root_account>',
    `arn:aws:iam::${accountId}:root`,
    '2020-01-01T00:00:00+00:00',
    'not_supported',
    root.lastUsed ?? 'no_information',
    'not_supported',
    'not_supported',
    String(root.mfa),
    ...noKey,
    ...unusedCredentials,
  ];
  const userRows = rows.map((r) => [
    r.user,
    `arn:aws:iam::${accountId}:user${r.path ?? '/'}${r.user}`,
    r.createdAt ?? '2024-01-01T00:00:00+00:00',
    String(r.passwordEnabled),
    r.passwordEnabled ? (r.passwordLastUsed ?? 'no_information') : 'N/A',
    r.passwordEnabled ? '2024-01-01T00:00:00+00:00' : 'N/A',
    'N/A',
    String(r.mfaActive),
    ...(r.keyLastUsed === undefined
      ? noKey
      : ['true', '2024-01-01T00:00:00+00:00', r.keyLastUsed, 'us-east-1', 's3']),
    ...unusedCredentials,
  ]);
  return [REPORT_HEADER, rootRow, ...userRows].map((row) => row.join(',')).join('\n');
}

/** The report rows of live users (what a report generated now says). */
export function rowsOf(users: Readonly<Record<string, FakeMemberUser>>): FakeReportRow[] {
  return Object.entries(users).map(([user, u]) => ({
    user,
    mfaActive: u.mfaDevices > 0,
    passwordEnabled: u.console,
    ...(u.createdAt === undefined ? {} : { createdAt: u.createdAt }),
    ...(u.path === undefined ? {} : { path: u.path }),
    ...(u.passwordLastUsed === undefined ? {} : { passwordLastUsed: u.passwordLastUsed }),
    ...(u.keyLastUsed === undefined ? {} : { keyLastUsed: u.keyLastUsed }),
  }));
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

/** The fake organization's member accounts. Mutate `accounts` between sweeps to change the world. */
export class FakeMemberAccounts {
  readonly calls: MemberCall[] = [];
  private readonly attempts = new Map<string, number>();
  private readonly inner: FakeAws;

  constructor(
    readonly accounts: Record<string, FakeAccount>,
    private readonly options: FakeMemberOptions,
  ) {
    this.inner = new FakeAws({
      users: (account, userName) => this.accounts[account]?.users?.[userName],
      now: () => options.now().getTime(),
      ...(options.securityHub === undefined ? {} : { securityHub: options.securityHub }),
    });
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
        return this.generate(accountId, account);
      case 'iam:GetCredentialReport':
        return this.getReport(accountId, account);
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
      case 'events:DescribeRule':
      case 'events:ListTargetsByRule':
        return this.rule(accountId, account, action, params);
      case 'sqs:GetQueueAttributes':
        return this.queueAttributes(accountId, account, params);
      default:
        return undefined;
    }
  }

  private generate(accountId: string, account: FakeAccount): Answer {
    const report = account.report ?? { state: 'none' };
    const now = this.options.now().getTime();
    if (report.state === 'ready' && now - report.generatedAt.getTime() < REPORT_REUSE_MS) {
      return [200, xml('GenerateCredentialReport', IAM_NS, '<State>COMPLETE</State>'), 'text/xml'];
    }
    if (report.state === 'in-progress') {
      // Polled with GenerateCredentialReport: INPROGRESS until the report is ready (the same clock and
      // poll count as GetCredentialReport's ReportInProgress), then COMPLETE with the report made.
      const ready = report.readyAt !== undefined ? now >= report.readyAt.getTime() : report.pollsLeft <= 0;
      if (!ready) {
        if (report.readyAt === undefined) {
          this.accounts[accountId] = {
            ...account,
            report: { state: 'in-progress', pollsLeft: report.pollsLeft - 1 },
          };
        }
        return [200, xml('GenerateCredentialReport', IAM_NS, '<State>INPROGRESS</State>'), 'text/xml'];
      }
      this.accounts[accountId] = {
        ...account,
        report: { state: 'ready', generatedAt: this.options.now(), rows: rowsOf(account.users ?? {}) },
      };
      return [200, xml('GenerateCredentialReport', IAM_NS, '<State>COMPLETE</State>'), 'text/xml'];
    }
    this.accounts[accountId] = {
      ...account,
      report: {
        state: 'in-progress',
        pollsLeft: account.generationPolls ?? 1,
        ...(account.generationMs === undefined ? {} : { readyAt: new Date(now + account.generationMs) }),
      },
    };
    return [
      200,
      xml(
        'GenerateCredentialReport',
        IAM_NS,
        '<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>',
      ),
      'text/xml',
    ];
  }

  private getReport(accountId: string, account: FakeAccount): Answer {
    const report = account.report ?? { state: 'none' };
    // Error codes and HTTP statuses of GetCredentialReport (IAM API reference).
    switch (report.state) {
      case 'none':
        return [410, xmlError('ReportNotPresent', 'Credential report not present.'), 'text/xml'];
      case 'expired':
        return [410, xmlError('ReportExpired', 'Credential report has expired.'), 'text/xml'];
      case 'in-progress':
        if (report.readyAt !== undefined) {
          if (this.options.now().getTime() < report.readyAt.getTime()) {
            return [404, xmlError('ReportInProgress', 'Credential report is being generated.'), 'text/xml'];
          }
        } else if (report.pollsLeft > 0) {
          this.accounts[accountId] = {
            ...account,
            report: { state: 'in-progress', pollsLeft: report.pollsLeft - 1 },
          };
          return [404, xmlError('ReportInProgress', 'Credential report is being generated.'), 'text/xml'];
        }
        // Ready now: a snapshot of the live users.
        this.accounts[accountId] = {
          ...account,
          report: { state: 'ready', generatedAt: this.options.now(), rows: rowsOf(account.users ?? {}) },
        };
        return this.getReport(accountId, this.accounts[accountId]);
      case 'ready': {
        const root = account.root ?? { mfa: true, password: false };
        const csv = credentialReportCsv(accountId, report.rows ?? rowsOf(account.users ?? {}), root);
        return [
          200,
          xml(
            'GetCredentialReport',
            IAM_NS,
            `<Content>${Buffer.from(csv).toString('base64')}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>${report.generatedAt.toISOString()}</GeneratedTime>`,
          ),
          'text/xml',
        ];
      }
    }
  }

  /** SQS over its JSON protocol (AWS JSON 1.0): only the forward dead-letter queue exists. */
  private queueAttributes(accountId: string, account: FakeAccount, params: Record<string, string>): Answer {
    const json = 'application/x-amz-json-1.0';
    const url = `https://sqs.us-east-1.amazonaws.com/${accountId}/org-mfa-watch-forward-dlq`;
    const messages = account.deadLetterMessages === undefined ? 0 : account.deadLetterMessages;
    if (messages === null || params.QueueUrl !== url) {
      return [
        400,
        JSON.stringify({
          __type: 'com.amazonaws.sqs#QueueDoesNotExist',
          message: 'The specified queue does not exist.',
        }),
        json,
      ];
    }
    return [200, JSON.stringify({ Attributes: { ApproximateNumberOfMessages: String(messages) } }), json];
  }

  private rule(
    accountId: string,
    account: FakeAccount,
    action: string,
    params: Record<string, string>,
  ): Answer {
    const json = 'application/x-amz-json-1.1';
    const rule =
      account.rule === undefined ? { state: 'ENABLED', targets: [this.options.centralBusArn] } : account.rule;
    const name = params.Name ?? params.Rule ?? '';
    if (rule === null) {
      return [
        400,
        JSON.stringify({
          __type: 'ResourceNotFoundException',
          message: `Rule ${name} does not exist on EventBus default.`,
        }),
        json,
      ];
    }
    if (action === 'DescribeRule') {
      return [
        200,
        JSON.stringify({
          Name: name,
          Arn: `arn:aws:events:us-east-1:${accountId}:rule/${name}`,
          State: rule.state,
          EventBusName: 'default',
        }),
        json,
      ];
    }
    return [
      200,
      JSON.stringify({ Targets: rule.targets.map((arn, i) => ({ Id: `t${i}`, Arn: arn })) }),
      json,
    ];
  }
}
