import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ALERT_SEVERITIES,
  METRIC_NAMES,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  OPEN_FINDING_SEVERITIES,
  SERVICE_DIMENSION,
  type MetricDimension,
  type MetricName,
} from '../../functions/contract/metrics';
import { NAMES } from '../names';
import { ignoreCfnLintRule } from './cfn-lint';

/** Properties of {@link OperationsDashboard}. */
export interface OperationsDashboardProps {
  /** The checker function: its errors, throttles and invocations. */
  readonly checker: lambda.IFunction;
  /** The checker's queues by a short purpose name (the ones the alarms watch): messages sent and depth. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Scheduler group of the re-checks: its target errors, drops and dead-letter sends.
   * @default - no Scheduler widget (no grace period, no re-checks)
   */
  readonly scheduleGroupName?: string;
  /**
   * Name of the dashboard.
   * @default 'org-mfa-watch'
   */
  readonly dashboardName?: string;
}

const DAY = Duration.days(1);
const HOUR = Duration.hours(1);
const FIVE_MINUTES = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/** A metric of the shared contract, with the `service` dimension every org-mfa-watch metric carries. */
function orgMetric(
  metricName: MetricName,
  options: {
    readonly statistic: 'Sum' | 'Maximum';
    readonly period: Duration;
    readonly label: string;
    readonly dimensions?: Partial<Record<MetricDimension, string>>;
  },
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { [SERVICE_DIMENSION]: METRICS_SERVICE, ...options.dimensions },
    statistic: options.statistic,
    period: options.period,
    label: options.label,
  });
}

const PER_DAY = { statistic: 'Sum', period: DAY } as const;
const LEVEL_PER_DAY = { statistic: 'Maximum', period: DAY } as const;
const PER_HOUR = { statistic: 'Sum', period: HOUR } as const;

/** The title row: what the dashboard shows and where each widget is explained. */
function titleRow(): cloudwatch.IWidget[] {
  return [
    new cloudwatch.TextWidget({
      markdown:
        '# org-mfa-watch\nFindings and coverage come from the daily sweep; alerts and failures from the checker. ' +
        'What each widget means and what to do: docs/operations.md, "Metrics and dashboard".',
      width: 24,
      height: 2,
    }),
  ];
}

/** The sweep row: open findings, new vs resolved, and coverage (levels as the daily Maximum). */
function sweepRow(): cloudwatch.IWidget[] {
  const openFindings = new cloudwatch.GraphWidget({
    title: 'Open findings by severity (after each sweep)',
    width: WIDTH,
    height: HEIGHT,
    stacked: true,
    left: OPEN_FINDING_SEVERITIES.map((severity) =>
      orgMetric(METRIC_NAMES.openFindings, {
        ...LEVEL_PER_DAY,
        label: severity,
        dimensions: { Severity: severity },
      }),
    ),
    leftYAxis: { min: 0, showUnits: false },
  });
  const newVsResolved = new cloudwatch.GraphWidget({
    title: 'New vs resolved findings per day',
    width: WIDTH,
    height: HEIGHT,
    left: [
      orgMetric(METRIC_NAMES.newFindings, { ...PER_DAY, label: 'New' }),
      orgMetric(METRIC_NAMES.resolvedFindings, { ...PER_DAY, label: 'Resolved' }),
    ],
    leftYAxis: { min: 0, showUnits: false },
  });
  const coverage = new cloudwatch.GraphWidget({
    title: 'Sweep coverage (accounts)',
    width: WIDTH,
    height: HEIGHT,
    left: [
      orgMetric(METRIC_NAMES.sweepAccountsChecked, { ...LEVEL_PER_DAY, label: 'Checked' }),
      orgMetric(METRIC_NAMES.sweepAccountsNotCovered, { ...LEVEL_PER_DAY, label: 'Not covered' }),
      orgMetric(METRIC_NAMES.sweepAccountsFailed, { ...LEVEL_PER_DAY, label: 'Failed' }),
      orgMetric(METRIC_NAMES.sweepAccountsRolloutPending, { ...LEVEL_PER_DAY, label: 'Rollout pending' }),
    ],
    leftYAxis: { min: 0, showUnits: false },
  });
  return [openFindings, newVsResolved, coverage];
}

/** The checker row: alerts, failures (checks completed for scale), and the function's own health. */
function checkerRow(checker: lambda.IFunction): cloudwatch.IWidget[] {
  const alerts = new cloudwatch.GraphWidget({
    title: 'Alerts by severity (per hour)',
    width: WIDTH,
    height: HEIGHT,
    stacked: true,
    left: ALERT_SEVERITIES.map((severity) =>
      orgMetric(METRIC_NAMES.alerts, { ...PER_HOUR, label: severity, dimensions: { Severity: severity } }),
    ),
    leftYAxis: { min: 0, showUnits: false },
  });
  const failures = new cloudwatch.GraphWidget({
    title: 'Check failures (per hour), checks completed (right)',
    width: WIDTH,
    height: HEIGHT,
    left: [
      orgMetric(METRIC_NAMES.checkFailures, { ...PER_HOUR, label: 'Check failures' }),
      orgMetric(METRIC_NAMES.quarantinedEvents, { ...PER_HOUR, label: 'Quarantined events' }),
      orgMetric(METRIC_NAMES.securityHubExportFailures, {
        ...PER_HOUR,
        label: 'Security Hub export failures',
      }),
    ],
    // For scale: how many events were checked in the same hours.
    right: [orgMetric(METRIC_NAMES.checksCompleted, { ...PER_HOUR, label: 'Checks completed' })],
    leftYAxis: { min: 0, showUnits: false },
    rightYAxis: { min: 0, showUnits: false },
  });
  const lambdaHealth = new cloudwatch.GraphWidget({
    title: 'Checker function: errors and throttles',
    width: WIDTH,
    height: HEIGHT,
    left: [
      checker.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES, label: 'Errors' }),
      checker.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES, label: 'Throttles' }),
    ],
    right: [checker.metricInvocations({ statistic: 'Sum', period: FIVE_MINUTES, label: 'Invocations' })],
    leftYAxis: { min: 0, showUnits: false },
    rightYAxis: { min: 0, showUnits: false },
  });
  return [alerts, failures, lambdaHealth];
}

/** The queues row: messages sent (each one an event to look at) and messages waiting, per queue. */
function queuesRow(queues: Readonly<Record<string, sqs.IQueue>>): cloudwatch.IWidget[] {
  const queueEntries = Object.entries(queues);
  const queuesSent = new cloudwatch.GraphWidget({
    title: 'Queues: messages sent (each one is an event to look at)',
    width: 12,
    height: HEIGHT,
    left: queueEntries.map(([name, queue]) =>
      queue.metricNumberOfMessagesSent({ statistic: 'Sum', period: FIVE_MINUTES, label: name }),
    ),
    leftYAxis: { min: 0, showUnits: false },
  });
  const queuesDepth = new cloudwatch.GraphWidget({
    title: 'Queues: messages waiting',
    width: 12,
    height: HEIGHT,
    left: queueEntries.map(([name, queue]) =>
      queue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: FIVE_MINUTES,
        label: name,
      }),
    ),
    leftYAxis: { min: 0, showUnits: false },
  });
  return [queuesSent, queuesDepth];
}

/** The re-check row: the metrics the re-check alarms watch (alarms.ts), for one schedule group. */
function recheckRow(group: string): cloudwatch.IWidget[] {
  const scheduler = (metricName: string, label: string): cloudwatch.Metric =>
    new cloudwatch.Metric({
      namespace: 'AWS/Scheduler',
      metricName,
      dimensionsMap: { ScheduleGroup: group },
      statistic: 'Sum',
      period: FIVE_MINUTES,
      label,
    });
  return [
    new cloudwatch.GraphWidget({
      title: 'Re-check schedules: errors',
      width: 24,
      height: HEIGHT,
      left: [
        scheduler('TargetErrorCount', 'Target errors (retried)'),
        scheduler('InvocationDroppedCount', 'Dropped'),
        scheduler('InvocationsSentToDeadLetterCount', 'Sent to the dead-letter queue'),
        scheduler('InvocationsFailedToBeSentToDeadLetterCount', 'Lost (dead-letter queue failed)'),
      ],
      leftYAxis: { min: 0, showUnits: false },
    }),
  ];
}

/**
 * The CloudWatch dashboard `org-mfa-watch` (optional: `dashboard.enabled`): findings and coverage from
 * the sweep, alerts and failures from the checker (EMF metrics of the shared contract), and the AWS
 * metrics of the checker's function, queues and re-check schedules. Each widget is explained in
 * docs/operations.md, "Metrics and dashboard".
 *
 * Levels written once per sweep (open findings, coverage) are graphed as the daily Maximum: a day with
 * an extra on-demand or joined-account sweep still shows the full picture, never a sum of sweeps.
 */
export class OperationsDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const rows: cloudwatch.IWidget[][] = [
      titleRow(),
      sweepRow(),
      checkerRow(props.checker),
      queuesRow(props.queues),
    ];
    if (props.scheduleGroupName !== undefined) rows.push(recheckRow(props.scheduleGroupName));

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? NAMES.dashboard,
      defaultInterval: Duration.days(14),
      widgets: rows,
    });
    // The CloudFormation reference lists Tags on AWS::CloudWatch::Dashboard; cfn-lint's bundled
    // us-east-1 schema is older and rejects them (E3002). A stale schema, not a template error.
    ignoreCfnLintRule(
      this.dashboard,
      'E3002',
      "cfn-lint's bundled AWS::CloudWatch::Dashboard schema predates Tags, which the CloudFormation resource reference lists (stale schema).",
    );
  }
}
