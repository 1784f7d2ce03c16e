/**
 * The worker's wiring of a release by hand (release-request.ts), built once per container by the
 * handler: the enforce role's sessions (only when enforcement is on), the stores and the notifier.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { ReleaseResponse } from '../contract/release';
import type { SDK_CLIENT_CONFIG } from '../contract/timing';
import { AccountSessions } from '../core/credentials';
import { enforcementFromEnv } from '../core/enforcement-env';
import { FindingStore } from '../core/finding-store';
import { QuarantineStore } from '../core/quarantine-store';
import type { SecurityHubExporter } from '../core/security-hub';
import { enforcementNotifier } from './enforcement-wiring';
import type { SweepWorkerSettings } from './env';
import { releaseByHand } from './release-request';

/** What the handler passes. */
export interface ReleaseRouteDeps {
  readonly settings: SweepWorkerSettings;
  /** The process environment (the enforcement variables; a bad one fails at init, named). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clientConfig: typeof SDK_CLIENT_CONFIG;
  readonly dynamodb: DynamoDBClient;
  readonly sns: SNSClient;
  readonly securityHub?: Pick<SecurityHubExporter, 'exportFindings'>;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * The route: `release(request)` answers one release invocation.
 * @throws InvalidEnforcementEnvError at init when an enforcement variable is malformed
 */
export function createReleaseRoute(deps: ReleaseRouteDeps): (request: unknown) => Promise<ReleaseResponse> {
  const { settings, clientConfig, securityHub, logger } = deps;
  const enforcement = enforcementFromEnv(deps.env);
  const roleName = enforcement.mode === 'off' ? undefined : enforcement.roleName;
  const sessions =
    roleName === undefined
      ? undefined
      : new AccountSessions(new STSClient(clientConfig), {
          roleName,
          partition: settings.partition,
          iamClientConfig: clientConfig,
        });
  const now = deps.now ?? (() => new Date());
  const notify = enforcementNotifier({
    settings,
    sns: deps.sns,
    ...(securityHub === undefined ? {} : { securityHub }),
    logger,
    now,
  });
  const tableName = settings.findings.tableName;
  const releaseDeps = {
    findings: new FindingStore({ client: deps.dynamodb, tableName }),
    quarantines: new QuarantineStore({ client: deps.dynamodb, tableName }),
    ...(sessions === undefined
      ? {}
      : {
          enforce: {
            iamFor: (accountId: string, hint: string) => sessions.iamFor(accountId, hint),
            afterHours: enforcement.afterHours,
          },
        }),
    partition: settings.partition,
    format: {
      locale: settings.locale,
      timeZone: settings.timeZone,
      partition: settings.partition,
      ...(settings.consoleAccess === undefined ? {} : { consoleAccess: settings.consoleAccess }),
    },
    notify,
    logger,
    now,
  };
  return (request) => releaseByHand(request, releaseDeps);
}
