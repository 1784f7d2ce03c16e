/**
 * The contract between the stacks and the checker function: event names the member rule forwards,
 * the CloudTrail envelope constants, and the environment variables the central stack sets.
 * Imported by both `stacks/**` and `functions/**`; it must stay free of any dependency.
 */

/** EventBridge `source` of IAM's CloudTrail events. `aws.*` sources cannot be sent with PutEvents. */
export const IAM_EVENT_SOURCE = 'aws.iam';

/** EventBridge `detail-type` of a management event recorded by CloudTrail. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** CloudTrail `eventSource` of IAM API calls. */
export const IAM_CLOUDTRAIL_EVENT_SOURCE = 'iam.amazonaws.com';

/**
 * IAM API calls the member rule forwards and the checker understands.
 * - `CreateUser`, `CreateLoginProfile`: a user (or its console access) appeared.
 * - `DeactivateMFADevice`, `DeleteVirtualMFADevice`: MFA may have been removed.
 * - `EnableMFADevice`: MFA was added (resolves a pending finding).
 * - `UpdateUser`: a rename or a new path; a pending re-check (and, later, a finding) follows the user,
 *   not the old name, so renaming a user cannot make it escape its check.
 */
export const WATCHED_EVENT_NAMES = [
  'CreateUser',
  'CreateLoginProfile',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
  'EnableMFADevice',
  'UpdateUser',
] as const;

/** One of {@link WATCHED_EVENT_NAMES}. */
export type WatchedEventName = (typeof WATCHED_EVENT_NAMES)[number];

/** Locales the alert body is written in. The SNS subject is always ASCII English. */
export const ALERT_LOCALES = ['en', 'ko'] as const;

/** One of {@link ALERT_LOCALES}. */
export type AlertLocale = (typeof ALERT_LOCALES)[number];

/**
 * Environment variables the central stack sets on the checker and the sweep worker when analysts sign in
 * through IAM Identity Center (config `console`): console links then open the member account through an
 * access-portal shortcut link. Both or neither.
 */
export const CONSOLE_ENV = {
  /** The AWS access portal URL, e.g. `https://d-1234567890.awsapps.com/start`. */
  accessPortalUrl: 'CONSOLE_ACCESS_PORTAL_URL',
  /** The permission set the shortcut links sign in with, e.g. `SecurityAudit`. */
  permissionSet: 'CONSOLE_PERMISSION_SET',
} as const;

/** Environment variables the central stack sets on the checker function. */
export const CHECKER_ENV = {
  /** Name (not ARN) of the read-only role in every member account, e.g. `org-mfa-watch-check`. */
  checkRoleName: 'CHECK_ROLE_NAME',
  /** ARN of the SNS topic alerts are published to. */
  alertTopicArn: 'ALERT_TOPIC_ARN',
  /** `en` or `ko`: language of the alert body. */
  alertLocale: 'ALERT_LOCALE',
  /** IANA time zone the alert shows the event time in, besides UTC. */
  alertTimeZone: 'ALERT_TIME_ZONE',
  /**
   * URL of the SQS queue that keeps events the checker rejects as invalid (with the reason), so they
   * are neither retried nor lost.
   */
  quarantineQueueUrl: 'QUARANTINE_QUEUE_URL',
  /** Whole hours between a user's creation (or console password) and its MFA check; 0 = at once. */
  gracePeriodHours: 'GRACE_PERIOD_HOURS',
  /** `true` or `false`: send an INFO notice when a user is created. */
  notifyOnCreate: 'NOTIFY_ON_CREATE',
  /** JSON array of configured exemptions (functions/contract/exemption.ts). */
  exemptions: 'EXEMPTIONS',
  /**
   * `true` or `false`: honour the `org-mfa-watch:exempt` user tag. Off by default: the creator of a user
   * can usually tag it too. When on, every tag-based skip still sends an INFO notice.
   */
  trustExemptionTags: 'TRUST_EXEMPTION_TAGS',
  /** EventBridge Scheduler group that holds the re-check schedules. */
  scheduleGroupName: 'SCHEDULE_GROUP_NAME',
  /** Role EventBridge Scheduler assumes to invoke the checker. */
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  /** SQS queue (ARN) for re-checks Scheduler could not deliver. */
  recheckDlqArn: 'RECHECK_DLQ_ARN',
  /**
   * ARN of the chat topic (custom notifications for Amazon Q Developer in chat applications); unset when
   * no chat channel is configured. Optional: the email alert never depends on it.
   */
  chatTopicArn: 'CHAT_TOPIC_ARN',
  /**
   * `true` or `false` (absent = false): import findings into AWS Security Hub from inside each member
   * account (through the check role), after the alert.
   */
  securityHubExport: 'SECURITY_HUB_EXPORT',
  /** Region the findings are imported to: the home region. Required when the export is on. */
  securityHubRegion: 'SECURITY_HUB_REGION',
} as const;
