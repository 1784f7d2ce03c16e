import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import type { SecurityHubClient, SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';

/** How the checker reaches into member accounts. */
export interface AccountSessionOptions {
  /** Name of the member check role (`org-mfa-watch-check`). */
  readonly roleName: string;
  /** Partition of the deployment, for the role ARN. */
  readonly partition: string;
  /** Region, retry mode and attempts for the per-account IAM clients. */
  readonly iamClientConfig: Omit<IAMClientConfig, 'credentials'>;
  /**
   * Region (the home region), retry mode and attempts for the per-account Security Hub clients.
   * @default none: {@link AccountSessions.securityHubFor} is unavailable
   */
  readonly securityHubClientConfig?: Omit<SecurityHubClientConfig, 'credentials'>;
  /** Clock, injectable for tests. */
  readonly now?: () => number;
}

/** Temporary credentials of a check role, in the shape every SDK client accepts as `credentials`. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Credentials are refreshed this long before they expire, so no call runs on nearly-expired keys. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
/** Shortest session STS allows: the checker needs seconds, and short sessions limit exposure. */
const SESSION_SECONDS = 900;

/** `org-mfa-watch-<hint>` reduced to what STS accepts: 2-64 of [\w+=,.@-]. */
export function sessionName(hint: string): string {
  return `org-mfa-watch-${hint}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

/**
 * IAM clients for member accounts, on credentials from `sts:AssumeRole` into each account's check role.
 * Credentials are cached per account until shortly before they expire, and concurrent requests for
 * one account share a single AssumeRole call, so a burst of events for one account assumes once.
 * A failed AssumeRole is not cached: the next event tries again.
 */
export class AccountSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly pending = new Map<string, Promise<Session>>();
  private readonly now: () => number;

  constructor(
    private readonly sts: STSClient,
    private readonly options: AccountSessionOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** ARN of the check role in `accountId`. */
  roleArn(accountId: string): string {
    return `arn:${this.options.partition}:iam::${accountId}:role/${this.options.roleName}`;
  }

  /** An IAM client acting as the check role of `accountId`; `hint` makes the session traceable (event id). */
  async iamFor(accountId: string, hint: string): Promise<IAMClient> {
    return (await this.sessionFor(accountId, hint)).iam;
  }

  /**
   * The check role's credentials in `accountId` (the same cached session as {@link iamFor}), for a
   * client of another service, e.g. EventBridge in us-east-1 for the sweep's forward-rule read. The
   * caller builds that client, so this module pulls no other service's SDK into the checker's bundle.
   */
  async credentialsFor(accountId: string, hint: string): Promise<RoleCredentials> {
    return (await this.sessionFor(accountId, hint)).credentials;
  }

  /**
   * A Security Hub client acting as the check role of `accountId`, in the configured region, on the same
   * cached credentials as {@link iamFor}. BatchImportFindings with the default product must be called by
   * the finding's own account. The client's module is loaded on first use only: it is large, and only
   * deployments with the export on need it.
   * @throws Error when the sessions were created without `securityHubClientConfig`
   */
  async securityHubFor(accountId: string, hint: string): Promise<SecurityHubClient> {
    const config = this.options.securityHubClientConfig;
    if (config === undefined) throw new Error('AccountSessions: no securityHubClientConfig given');
    const session = await this.sessionFor(accountId, hint);
    session.securityHub ??= import('./sdk/security-hub').then(
      ({ SecurityHubClient }) => new SecurityHubClient({ ...config, credentials: session.credentials }),
    );
    return session.securityHub;
  }

  private sessionFor(accountId: string, hint: string): Promise<Session> {
    const cached = this.sessions.get(accountId);
    if (cached && this.now() < cached.refreshAt) return Promise.resolve(cached);
    const inFlight = this.pending.get(accountId);
    if (inFlight) return inFlight;
    const request = this.assume(accountId, hint).finally(() => this.pending.delete(accountId));
    this.pending.set(accountId, request);
    return request;
  }

  private async assume(accountId: string, hint: string): Promise<Session> {
    const response = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: this.roleArn(accountId),
        RoleSessionName: sessionName(hint),
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new Error(`AssumeRole into ${accountId} returned no complete credentials`);
    }
    const credentials: RoleCredentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    const iam = new IAMClient({ ...this.options.iamClientConfig, credentials });
    const session: Session = { iam, credentials, refreshAt: c.Expiration.getTime() - REFRESH_MARGIN_MS };
    this.sessions.set(accountId, session);
    return session;
  }
}

/** One account's assumed-role session and the clients made on it. */
interface Session {
  readonly iam: IAMClient;
  readonly credentials: RoleCredentials;
  readonly refreshAt: number;
  /** Created on first use. */
  securityHub?: Promise<SecurityHubClient>;
}
