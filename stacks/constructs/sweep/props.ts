import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { AlertLocale } from '../../../functions/contract/contract';
import type { Exemption } from '../../../functions/contract/exemption';
import type { SweepConfig } from '../../config';
import type { EnforcementConfig } from '../../config/enforcement';
import type { ConsoleAccessProps } from '../checker-function';
import type { FindingTable } from '../finding-table';

/** Properties of {@link Sweep}. */
export interface SweepProps {
  /** The sweep settings of the configuration (schedule, concurrency, batches, retention, retries). */
  readonly config: SweepConfig;
  /** The worker may assume `org-mfa-watch-check` only in accounts of this organization. */
  readonly organizationId: string;
  /** The management account (the planner marks it covered by its own stack). */
  readonly managementAccountId: string;
  /**
   * The account that administers the StackSet (management account or delegated administrator) and how
   * the planner calls ListStackInstances there (`SELF` or `DELEGATED_ADMIN`).
   */
  readonly rollout: { readonly accountId: string; readonly callAs: 'SELF' | 'DELEGATED_ADMIN' };
  /** Rollout OU or root ids (the planner tells accounts the StackSet covers from the others). */
  readonly rolloutOrganizationalUnitIds: readonly string[];
  /** Accounts the StackSet skips on purpose. */
  readonly excludedAccountIds: readonly string[];
  /** The alert topic: digests and new HIGH/CRITICAL findings. */
  readonly topic: sns.ITopic;
  /**
   * The central key ({@link CentralKey}): it encrypts the bucket, the alert topic and the chat topic.
   * Each role's grant on it is limited by `kms:ViaService` to the service that uses it for that role.
   */
  readonly key: kms.IKey;
  /** The finding store. */
  readonly findings: FindingTable;
  /** The central bus: the joined-account rules live on it, and the forward rule must target it. */
  readonly bus: events.IEventBus;
  /** Language of the alert body. */
  readonly locale: AlertLocale;
  /**
   * IAM Identity Center sign-in of the analysts (config `console`): console links open the member account.
   * @default links name the account to sign in to
   */
  readonly consoleAccess?: ConsoleAccessProps;
  /** IANA time zone shown in alerts beside UTC. */
  readonly timeZone: string;
  /** Users younger than this are left to the event path. */
  readonly gracePeriodHours: number;
  /** Configured exemptions, passed to the worker as JSON. */
  readonly exemptions: readonly Exemption[];
  /**
   * Honour the `org-mfa-watch:exempt` user tag.
   * @default false
   */
  readonly trustExemptionTags?: boolean;
  /**
   * Topic of the chat channels: the worker posts each new HIGH/CRITICAL finding there too, after the email.
   * @default - no chat
   */
  readonly chatTopic?: sns.ITopic;
  /**
   * Import the findings the sweep opens, escalates or resolves into Security Hub, in this stack's region
   * (the home region), through the member check role (which carries the permission when the export is on).
   * @default false
   */
  readonly securityHubExport?: boolean;
  /**
   * With the export on: days after which the sweep re-imports an open finding (Security Hub deletes a
   * finding 90 days after its last update).
   * @default 30
   */
  readonly securityHubReimportAfterDays?: number;
  /** Opt-in enforcement (ADR 0022): with `mode` not `off`, the worker quarantines and the Enforce state runs. */
  readonly enforcement?: EnforcementConfig;
}
