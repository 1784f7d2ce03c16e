/** The world of the fake member accounts: accounts, users, credential reports, recorded calls. */

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
  /** The quarantine policy exists (enforcement deployed; fake-member-policies.ts). @default true */
  readonly quarantinePolicy?: boolean;
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

/** A fake's answer to one request: HTTP status, body, content type. */
export type Answer = readonly [status: number, body: string, contentType: string];
