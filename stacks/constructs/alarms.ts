import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Properties of {@link CentralAlarms}. */
export interface CentralAlarmsProps {
  /** Where alarms notify (the alert topic: the team already reads it). */
  readonly topic: sns.ITopic;
  /** The checker function: alarms on its Errors and Throttles. */
  readonly checker: lambda.IFunction;
  /** Queues in which any new message means an event needs attention, by a short purpose name. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Scheduler group of the re-checks: alarms on its target errors, dropped invocations and DLQ sends.
   * @default - no Scheduler alarms (no grace period, no re-checks)
   */
  readonly scheduleGroupName?: string;
}

/** Five-minute periods: a failure notifies within minutes, and a quiet period returns the alarm to OK. */
const PERIOD = Duration.minutes(5);

/**
 * An alarm to `notify` on one occurrence or more of `metric` in a period (a count of new failures, never a
 * standing level: see {@link CentralAlarms}); missing data is not a failure.
 */
export function occurrenceAlarm(
  scope: Construct,
  id: string,
  metric: cloudwatch.IMetric,
  description: string,
  notify: cloudwatch.IAlarmAction,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: `org-mfa-watch: ${description} See docs/operations.md.`,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(notify);
  return alarm;
}

/** An EventBridge Scheduler metric of one schedule group, summed per `period`. */
export function scheduleGroupMetric(
  groupName: string,
  metricName: string,
  period: Duration,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Scheduler',
    metricName,
    dimensionsMap: { ScheduleGroup: groupName },
    period,
    statistic: 'Sum',
  });
}

/**
 * Alarms that make a lost or stuck event impossible to miss. Every alarm counts NEW failures per period
 * (messages sent to a queue, errors, dropped invocations), never a standing level such as queue depth:
 * an alarm on depth stays in ALARM while one old message waits, and CloudWatch notifies only on a state
 * change, so the next failure would notify nobody. Counted per period, the alarm returns to OK after a
 * quiet period on its own and notifies again on the next failure. All notify the alert topic.
 */
export class CentralAlarms extends Construct {
  /** Every alarm created, queue alarms first. */
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: CentralAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    const add = (alarmId: string, metric: cloudwatch.IMetric, description: string): void => {
      this.alarms.push(occurrenceAlarm(this, alarmId, metric, description, notify));
    };
    for (const [name, queue] of Object.entries(props.queues)) {
      // EventBridge, Lambda and Scheduler write to these queues with SendMessage, which this metric counts.
      add(
        `${name}Sent`,
        queue.metricNumberOfMessagesSent({ period: PERIOD, statistic: 'Sum' }),
        `a new message arrived in the ${name} queue.`,
      );
    }
    add(
      'CheckerErrors',
      props.checker.metricErrors({ period: PERIOD, statistic: 'Sum' }),
      'the checker function failed (a check failed or a publish failed).',
    );
    add(
      'CheckerThrottles',
      props.checker.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
      'the checker function was throttled (reserved concurrency reached).',
    );
    if (props.scheduleGroupName !== undefined) {
      const groupName = props.scheduleGroupName;
      const scheduler = (metricName: string): cloudwatch.Metric =>
        scheduleGroupMetric(groupName, metricName, PERIOD);
      add(
        'RecheckTargetErrors',
        scheduler('TargetErrorCount'),
        'EventBridge Scheduler could not invoke the checker for a re-check (it retries).',
      );
      add(
        'RecheckDropped',
        scheduler('InvocationDroppedCount'),
        'EventBridge Scheduler dropped a re-check after its retries and could not keep it.',
      );
      add(
        'RecheckSentToDeadLetter',
        scheduler('InvocationsSentToDeadLetterCount'),
        'a re-check went to the re-check dead-letter queue.',
      );
      add(
        'RecheckDeadLetterFailed',
        scheduler('InvocationsFailedToBeSentToDeadLetterCount'),
        'a re-check could not be written to its dead-letter queue (it is lost: replay from the bus archive).',
      );
    }
  }
}
