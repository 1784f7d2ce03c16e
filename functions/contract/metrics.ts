/**
 * The contract of org-mfa-watch's CloudWatch metrics: namespace, metric names, dimension names and the
 * only values each dimension may take. The functions write the metrics (functions/core/metrics.ts, in
 * CloudWatch embedded metric format) and the dashboard (stacks/constructs/dashboard.ts) reads them, so
 * both import the names from here. It must stay free of any dependency.
 *
 * Cardinality is bounded by design: every dimension value comes from one of the fixed lists below,
 * never an account id, a user name or an error message (each distinct value is a separate, billed
 * custom metric; those belong in the logs).
 */
import { FINDING_SEVERITIES, FINDING_SOURCES, RESOLUTION_REASONS } from './findings';

/** CloudWatch namespace of every org-mfa-watch metric. */
export const METRICS_NAMESPACE = 'OrgMfaWatch';

/**
 * Value of the `service` dimension Powertools adds to every metric. Fixed here (not taken from the
 * function's POWERTOOLS_SERVICE_NAME), so the checker and the sweep functions write the same metrics
 * and the dashboard can name them.
 */
export const METRICS_SERVICE = 'org-mfa-watch';

/** Metric names (all with unit Count). */
export const METRIC_NAMES = {
  /** Checker: an event was processed to an outcome (checked, skipped, scheduled...), not quarantined or failed. */
  checksCompleted: 'ChecksCompleted',
  /** Checker: an alert or notice was published to the alert topic; by Severity and by Finding. */
  alerts: 'Alerts',
  /** Checker: the check could not be completed (the event failed and went to the on-failure queue). */
  checkFailures: 'CheckFailures',
  /** Checker: an invalid event was put in the quarantine queue. */
  quarantinedEvents: 'QuarantinedEvents',
  /** Checker and sweep: a finding was opened or reopened in the finding store; by Source. */
  newFindings: 'NewFindings',
  /** Checker and sweep: a finding was resolved in the finding store; by Source and by Reason. */
  resolvedFindings: 'ResolvedFindings',
  /** Sweep (once per sweep): accounts whose check role was assumed and whose users were read. */
  sweepAccountsChecked: 'SweepAccountsChecked',
  /** Sweep (once per sweep): accounts whose check role could not be assumed. */
  sweepAccountsNotCovered: 'SweepAccountsNotCovered',
  /** Sweep (once per sweep): accounts whose sweep failed for another reason (throttling, errors). */
  sweepAccountsFailed: 'SweepAccountsFailed',
  /** Sweep (once per sweep): accounts whose StackSet instance has not landed yet (`rollout-pending`). */
  sweepAccountsRolloutPending: 'SweepAccountsRolloutPending',
  /** Sweep (once per sweep, a level): findings open in the store after the sweep; by Severity. */
  openFindings: 'OpenFindings',
  /** Security Hub export: findings that could not be imported (not enabled, FailedFindings, errors). */
  securityHubExportFailures: 'SecurityHubExportFailures',
} as const;

/** One of the metric names. */
export type MetricName = (typeof METRIC_NAMES)[keyof typeof METRIC_NAMES];

/** Dimension Powertools adds to every metric, with value {@link METRICS_SERVICE}. */
export const SERVICE_DIMENSION = 'service';

/** Severities of alerts and notices (`INFO` is for notices), highest first. */
export const ALERT_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'INFO'] as const;

/** One of {@link ALERT_SEVERITIES}. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** What an alert reports (its `finding` message attribute). */
export const ALERT_FINDINGS = [
  'NO_MFA_CONSOLE',
  'NO_MFA_NO_CONSOLE',
  'ROOT_NO_MFA',
  'ROOT_MFA_REMOVED',
  'ROOT_PASSWORD_CREATED',
  'CHECK_FAILED',
  'USER_CREATED',
  'TAG_EXEMPTED',
] as const;

/** One of {@link ALERT_FINDINGS}. */
export type AlertFinding = (typeof ALERT_FINDINGS)[number];

/**
 * Every dimension a metric may carry besides `service`, with the only values it may take. A dimension
 * set is `service` plus one of these.
 */
export const METRIC_DIMENSIONS = {
  /** Alerts (alert severities); OpenFindings (finding severities, a subset). */
  Severity: ALERT_SEVERITIES,
  /** Alerts. */
  Finding: ALERT_FINDINGS,
  /** NewFindings and ResolvedFindings: who observed the change, `event` (checker) or `sweep`. */
  Source: FINDING_SOURCES,
  /** ResolvedFindings: the finding store's resolution reason. */
  Reason: RESOLUTION_REASONS,
} as const;

/** A dimension name other than `service`. */
export type MetricDimension = keyof typeof METRIC_DIMENSIONS;

/** Which dimension sets each metric is written with (besides `service` alone, which every metric has). */
export const METRIC_BREAKDOWNS: Readonly<Record<MetricName, readonly MetricDimension[]>> = {
  ChecksCompleted: [],
  Alerts: ['Severity', 'Finding'],
  CheckFailures: [],
  QuarantinedEvents: [],
  NewFindings: ['Source'],
  ResolvedFindings: ['Source', 'Reason'],
  SweepAccountsChecked: [],
  SweepAccountsNotCovered: [],
  SweepAccountsFailed: [],
  SweepAccountsRolloutPending: [],
  OpenFindings: ['Severity'],
  SecurityHubExportFailures: [],
};

/** Severities OpenFindings is written for (every one, zeros included, after each sweep). */
export const OPEN_FINDING_SEVERITIES = FINDING_SEVERITIES;
