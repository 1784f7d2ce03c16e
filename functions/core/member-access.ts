import type { Logger } from '@aws-lambda-powertools/logger';
import { STSClient } from '@aws-sdk/client-sts';
import { AccountSessions } from './credentials';
import type { OutputSettings, SharedSettings } from './env';
import { createSecurityHubExporter, type ExportFailure, type SecurityHubExporter } from './security-hub';
import type { SDK_CLIENT_CONFIG } from '../contract/timing';

/** How a function reaches member accounts: its sessions, and the Security Hub exporter when enabled. */
export interface MemberAccess {
  /** One assumed-role session per member account, for the IAM reads and the Security Hub import. */
  readonly sessions: AccountSessions;
  /** Present when `SECURITY_HUB_EXPORT` is on: imports into the home region through those sessions. */
  readonly securityHub?: SecurityHubExporter;
}

/**
 * The member-account wiring the checker and the sweep worker share (module scope of each handler):
 * sessions on the check role, with a Security Hub client in the home region only when the export is on.
 */
export function memberAccess(
  settings: Pick<SharedSettings, 'checkRoleName' | 'partition' | 'locale'> & OutputSettings,
  options: {
    readonly clientConfig: typeof SDK_CLIENT_CONFIG;
    readonly logger: Pick<Logger, 'info' | 'warn'>;
    /** Count a failed import (the checker); absent when the caller counts from the result (the sweep). */
    readonly onExportFailure?: (failure: ExportFailure) => void;
  },
): MemberAccess {
  const { clientConfig } = options;
  const region = settings.securityHub?.region;
  const sessions = new AccountSessions(new STSClient(clientConfig), {
    roleName: settings.checkRoleName,
    partition: settings.partition,
    iamClientConfig: clientConfig,
    ...(region === undefined ? {} : { securityHubClientConfig: { ...clientConfig, region } }),
  });
  if (region === undefined) return { sessions };
  const securityHub = createSecurityHubExporter({
    sessions,
    settings: { partition: settings.partition, region, locale: settings.locale },
    logger: options.logger,
    ...(options.onExportFailure === undefined ? {} : { onExportFailure: options.onExportFailure }),
  });
  return { sessions, securityHub };
}
