/**
 * The contract of the org-wide sweep (docs/adr/0010-sweep-engine.md): the state machine's input, the
 * account items the planner writes to S3, the batch the Distributed Map hands the worker, the worker's
 * result, and the environment variables the central stack sets on the sweep functions. Imported by
 * both `stacks/**` and `functions/**`; it must stay free of any dependency.
 */
import type { SentCanary } from './canary';
import type { AccountEnforcement, EnforcementSummary } from './enforcement';
import type { FindingKind, FindingSeverity } from './findings';

/** Why a sweep runs. */
export const SWEEP_MODES = ['scheduled', 'on-demand', 'joined'] as const;

/** One of {@link SWEEP_MODES}. */
export type SweepMode = (typeof SWEEP_MODES)[number];

/**
 * Input of the state machine `org-mfa-watch-sweep`.
 * - `scheduled` / `on-demand` without `accountIds`: every ACTIVE account of the organization.
 * - `on-demand` with `accountIds`: just those accounts (`npm run sweep -- --account ID`).
 * - `joined`: accounts that joined the organization recently (an `aws.organizations` event); the
 *   worker waits for the StackSet instance before it reports `ACCOUNT_NOT_COVERED`.
 */
export interface SweepInput {
  readonly mode: SweepMode;
  readonly accountIds?: readonly string[];
}

/** How the member resources reach an account (the planner decides; the report shows it). */
export const COVERAGE_KINDS = [
  /** In a rollout OU and not excluded: the StackSet deploys the member resources. */
  'stackset',
  /** The management account: its own stack (`OrgMfaWatch-ManagementMember`). */
  'management-stack',
  /** Outside every rollout OU: nothing deploys the member resources (a coverage gap). */
  'outside-rollout',
  /** Listed in `rollout.excludeAccountIds` (a deliberate gap), inside a rollout OU or not. */
  'excluded',
] as const;

/** One of {@link COVERAGE_KINDS}. */
export type CoverageKind = (typeof COVERAGE_KINDS)[number];

/**
 * Where the account's StackSet instance stands (docs/adr/0017-rollout-status-and-alert-storms.md):
 * - `current`: the instance exists and is not failing (SUCCEEDED, or CANCELLED while CURRENT);
 * - `pending`: no instance yet (or no StackSet yet), or its operation is PENDING or RUNNING;
 * - `failed`: FAILED, FAILED_IMPORT, INOPERABLE, an OUTDATED instance no operation is working on, a
 *   cancelled operation that left it OUTDATED, or skipped while the account was suspended;
 * - `unknown`: ListStackInstances could not be read (the sweep behaves as before rollout status existed).
 */
export const ROLLOUT_STATUSES = ['current', 'pending', 'failed', 'unknown'] as const;

/** One of {@link ROLLOUT_STATUSES}. */
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

/** The StackSet instance of one account, as the planner read it. */
export interface RolloutState {
  readonly status: RolloutStatus;
  /** The instance's `StatusReason` or a short explanation (`no StackSet instance yet`, `RUNNING`). */
  readonly reason?: string;
}

/** One account of the organization, as the planner writes it to the S3 item list (one JSON array). */
export interface SweepAccountItem {
  readonly accountId: string;
  /** The account's name in Organizations. */
  readonly name: string;
  readonly coverage: CoverageKind;
  /** ISO-8601 time the account joined the organization. */
  readonly joinedAt?: string;
  /** The account's StackSet instance (`stackset` coverage only). Absent: unknown, as before. */
  readonly rollout?: RolloutState;
  /** The account is in (or below) one of `enforcement.organizationalUnitIds` (planner; absent: no). */
  readonly inEnforcementOus?: boolean;
}

/** The Distributed Map's `BatchInput`: the same for every batch of one execution. */
export interface SweepBatchInput {
  /** The execution's name: one id per sweep, in logs and the report. */
  readonly sweepId: string;
  readonly mode: SweepMode;
  /**
   * For `joined`: false while the StackSet instance may still be landing, so an unreachable role is
   * reported as `not-covered` without opening a finding; true on the last attempt.
   */
  readonly final?: boolean;
}

/** What the worker receives from the Distributed Map's `ItemBatcher`. `BatchInput` may be absent. */
export interface SweepBatch {
  readonly Items: readonly SweepAccountItem[];
  readonly BatchInput?: SweepBatchInput;
}

/**
 * How one account's sweep ended. `rollout-pending`: the check role cannot be assumed yet because the
 * account's StackSet instance has not landed (no instance, or its operation is still running): no
 * finding, no alert, listed in the digest.
 */
export const ACCOUNT_OUTCOMES = ['checked', 'not-covered', 'rollout-pending', 'failed'] as const;

/** One of {@link ACCOUNT_OUTCOMES}. */
export type AccountOutcome = (typeof ACCOUNT_OUTCOMES)[number];

/** What happened to a finding in this sweep (the finding store's transition, or none). */
export const SWEEP_FINDING_CHANGES = ['new', 'still-open', 'resolved'] as const;

/** One of {@link SWEEP_FINDING_CHANGES}. */
export type SweepFindingChange = (typeof SWEEP_FINDING_CHANGES)[number];

/** One finding the worker saw (or resolved) in one account. */
export interface SweepFinding {
  readonly accountId: string;
  /** The user's name; absent for root and account-level findings. */
  readonly userName?: string;
  readonly kind: FindingKind;
  readonly severity: FindingSeverity;
  /** The finding store's id (`f-` + 20 hex). */
  readonly findingId: string;
  readonly change: SweepFindingChange;
  /** ISO-8601 time the finding was first seen. */
  readonly firstSeen?: string;
  /** The user has a console password. */
  readonly consolePassword?: boolean;
  /** ISO-8601 time the password (or an access key) was last used, from the credential report. */
  readonly lastUsed?: string;
  /** Why it was resolved (a resolution reason of the finding store), for `resolved`. */
  readonly resolvedBecause?: string;
  /** What exactly is wrong (`NO_MFA_CONSOLE`, `RULE_DISABLED`, ...): the alert's `finding` attribute. */
  readonly detail?: string;
  /**
   * The worker held this new finding's alert back because the sweep's storm guard tripped for its kind
   * (more accounts than `sweep.alertStormThreshold`): the reporter sends one alert listing them all.
   */
  readonly held?: boolean;
  /** The finding is accepted (suppressed) through this day (`YYYY-MM-DD`, UTC): no alert; listed apart. */
  readonly suppressedUntil?: string;
}

/** The worker's result for one account. */
export interface SweepAccountResult {
  readonly accountId: string;
  readonly name?: string;
  readonly alias?: string;
  readonly coverage?: CoverageKind;
  readonly outcome: AccountOutcome;
  /** Why the account is `not-covered` or `failed` (`AccessDenied on sts:AssumeRole`, `throttled`, ...). */
  readonly reason?: string;
  /** Users in the credential report (root excluded). */
  readonly users?: number;
  /** Users left to the event path because they are still inside their grace period. */
  readonly inGracePeriod?: number;
  readonly findings: readonly SweepFinding[];
  /** Enforcement on (ADR 0022): users due for quarantine, quarantines released, refusals. */
  readonly enforcement?: AccountEnforcement;
  /** The canary this sweep sent in the account, or why the tag call failed (docs/adr/0021-canary.md). */
  readonly canary?: SentCanary;
  /** What the sweep read of the forward rule: the facts a REALTIME_PATH_BROKEN alert shows. */
  readonly forwarding?: SweepForwardingFacts;
}

/**
 * The forward rule as the sweep judged it: `ok`, its problem (`RULE_MISSING`, `RULE_DISABLED`,
 * `WRONG_TARGET`, `DELIVERIES_FAILING`), or `unverified` (the check role could not read it); and the
 * messages in its dead-letter queue when deliveries fail.
 */
export interface SweepForwardingFacts {
  readonly rule: string;
  readonly deadLetterMessages?: number;
}

/** The worker's result for one batch: one entry per item, in item order. */
export interface SweepBatchResult {
  readonly sweepId?: string;
  readonly accounts: readonly SweepAccountResult[];
}

/** Input of the planner task: the execution's name and input (`$$.Execution.Name`, `$$.Execution.Input`). */
export interface SweepPlanInput {
  readonly sweepId: string;
  readonly input: SweepInput;
}

/** Output of the planner task: where the account list is, and what kind of sweep this is. */
export interface SweepPlan {
  readonly sweepId: string;
  readonly mode: SweepMode;
  /**
   * Every ACTIVE account of the organization was listed (no `accountIds`, not `joined`): only then may
   * the reporter resolve findings of accounts that left the organization (`account-removed`).
   */
  readonly fullSweep: boolean;
  /** Bucket and key of the JSON array of {@link SweepAccountItem} the Distributed Map reads. */
  readonly bucket: string;
  readonly key: string;
  readonly count: number;
  /**
   * The items themselves when there are few (at most {@link INLINE_ITEMS_MAX}): the `joined` path
   * invokes the worker directly with them instead of running a Distributed Map.
   */
  readonly items?: readonly SweepAccountItem[];
  /**
   * Why the StackSet instances could not be read (AccessDenied, throttling): every account's rollout
   * status is `unknown` and the sweep behaves as it did before rollout status existed. Shown in the digest.
   */
  readonly rolloutProblem?: string;
  /**
   * Accounts asked for by id (or just joined) that are not ACTIVE (SUSPENDED, PENDING_CLOSURE, CLOSED...):
   * not swept, and shown in the digest so that a request for them is not silently dropped.
   */
  readonly skipped?: readonly SweepSkippedAccount[];
}

/** An account the planner did not sweep because it is not ACTIVE. */
export interface SweepSkippedAccount {
  readonly accountId: string;
  /** Its Organizations `State` (or the retired `Status` where `State` is absent). */
  readonly state: string;
}

/** At most this many items travel inline in the state (far under the 256 KiB state payload quota). */
export const INLINE_ITEMS_MAX = 50;

/** Input of the reporter task. */
export interface SweepReportInput {
  readonly plan: SweepPlan;
  /** Where the Distributed Map's ResultWriter put its manifest (`ResultWriterDetails`). */
  readonly results?: { readonly Bucket: string; readonly Key: string };
  /** Worker results passed inline (the `joined` path). */
  readonly batches?: readonly SweepBatchResult[];
  /** The Enforce step's summary (enforcement on; functions/contract/enforcement.ts). */
  readonly enforcement?: EnforcementSummary;
}

/** Output of the reporter task (also the execution's output). */
export interface SweepReportSummary {
  readonly sweepId: string;
  readonly accounts: number;
  readonly checked: number;
  readonly notCovered: number;
  readonly failed: number;
  readonly newFindings: number;
  readonly resolvedFindings: number;
  readonly openFindings: number;
  /** Accounts outside the rollout, excluded, or not covered (deduplicated). */
  readonly coverageGaps?: number;
  /** Findings of accounts that left the organization, resolved as `account-removed` (full sweeps only). */
  readonly accountRemovedFindings?: number;
  /** False when a receipt showed the digest already published (a retried reporter). */
  readonly digestPublished?: boolean;
  readonly reportCsvKey: string;
  readonly reportJsonKey: string;
}

/** Environment variables the central stack sets on the sweep worker (besides the checker's ones it shares). */
export const SWEEP_ENV = {
  /** Hours a credential report stays fresh enough to read instead of generating a new one (1-24). */
  credentialReportMaxAgeHours: 'CREDENTIAL_REPORT_MAX_AGE_HOURS',
  /** ARN of the central bus the member forward rule must target. */
  centralBusArn: 'CENTRAL_BUS_ARN',
  /** Name of the member forward rule (`org-mfa-watch-forward`), read in us-east-1. */
  forwardRuleName: 'FORWARD_RULE_NAME',
  /** Region of the forward rule (always us-east-1). */
  forwardRuleRegion: 'FORWARD_RULE_REGION',
  /** Name of the member forward rule's dead-letter queue (same account and region as the rule). */
  forwardDeadLetterQueueName: 'FORWARD_DLQ_NAME',
  /** Days after which the sweep re-imports an open finding into Security Hub (only with the export on). */
  securityHubReimportAfterDays: 'SECURITY_HUB_REIMPORT_AFTER_DAYS',
  /** Bucket of the account list and the reports (planner and reporter). */
  sweepBucketName: 'SWEEP_BUCKET_NAME',
  /** JSON array of the rollout OU/root ids (planner). */
  rolloutOrganizationalUnitIds: 'ROLLOUT_OU_IDS',
  /** JSON array of the excluded account ids (planner). */
  excludedAccountIds: 'EXCLUDED_ACCOUNT_IDS',
  /** The management account id (planner). */
  managementAccountId: 'MANAGEMENT_ACCOUNT_ID',
  /** Hours after joining during which an account counts as "just joined" (planner, `joined` mode). */
  joinedWithinHours: 'JOINED_WITHIN_HOURS',
  /** ARN of the read-only role in the rollout account that lists the StackSet's instances (planner). */
  rolloutReaderRoleArn: 'ROLLOUT_READER_ROLE_ARN',
  /** `SELF` (management account) or `DELEGATED_ADMIN` (planner's ListStackInstances `CallAs`). */
  stackSetCallAs: 'STACK_SET_CALL_AS',
  /** Name of the StackSet of the member template (planner). */
  stackSetName: 'STACK_SET_NAME',
  /** Region the StackSet is administered in and deploys to (always us-east-1). */
  stackSetRegion: 'STACK_SET_REGION',
  /**
   * Accounts above which one sweep's new findings of one kind are alerted as one aggregated message
   * (worker and reporter; `sweep.alertStormThreshold`).
   */
  alertStormThreshold: 'ALERT_STORM_THRESHOLD',
} as const;

/**
 * The read-only AWS Organizations actions the planner calls (functions/sweep-planner/organization.ts),
 * exactly those, granted to its role in the security account and allowed by the management account's
 * Organizations delegation policy (the only actions a delegation policy accepts are Describe and List
 * ones). Each API operation is its own IAM action (Service Authorization Reference, "Actions, resources,
 * and condition keys for AWS Organizations"): ListChildren does not authorize
 * ListOrganizationalUnitsForParent. Nothing else reaches Organizations.
 */
export const PLANNER_ORGANIZATIONS_ACTIONS = [
  'organizations:DescribeAccount',
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListParents',
] as const;

/**
 * The only actions of the rollout reader role (`org-mfa-watch-rollout-reader`, in the account that
 * administers the StackSet): list the StackSet's instances, and, as a delegated administrator, the
 * registration check StackSets makes (AWS CloudFormation User Guide, "Register a delegated administrator
 * member account": delegated administrators need `organizations:ListDelegatedAdministrators`).
 */
export const ROLLOUT_READER_ACTIONS = ['cloudformation:ListStackInstances'] as const;

/** The reader role's extra action when the StackSet is administered by a delegated administrator. */
export const ROLLOUT_READER_DELEGATED_ADMIN_ACTIONS = ['organizations:ListDelegatedAdministrators'] as const;

/** S3 keys in the sweep bucket, per execution. */
export const SWEEP_KEYS = {
  /**
   * Prefix the Distributed Map's ResultWriter writes under (a fixed prefix: Step Functions adds a folder
   * per map run, and the Map's output `ResultWriterDetails` names the manifest).
   */
  mapResultsPrefix: 'sweeps/map-results',
  /** The account list the Distributed Map reads. */
  accounts: (sweepId: string) => `sweeps/${sweepId}/accounts.json`,
  /** The report (CSV and JSON). */
  reportCsv: (sweepId: string) => `reports/${sweepId}/report.csv`,
  reportJson: (sweepId: string) => `reports/${sweepId}/report.json`,
  /** Written once the digest is published, so that a retried reporter does not publish it twice. */
  digestReceipt: (sweepId: string) => `reports/${sweepId}/digest.json`,
} as const;
