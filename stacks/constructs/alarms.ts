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
  /** Queues in which any message means an event needs attention, by a short purpose name. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
}

/**
 * Alarms that make a lost or stuck event impossible to miss: any message in a central queue, any
 * checker error, any throttled invocation. All notify the alert topic.
 */
export class CentralAlarms extends Construct {
  /** Every alarm created, queue alarms first. */
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: CentralAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    const add = (alarmId: string, metric: cloudwatch.IMetric, description: string): void => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: `org-mfa-watch: ${description} See docs/operations.md.`,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(notify);
      this.alarms.push(alarm);
    };
    for (const [name, queue] of Object.entries(props.queues)) {
      add(
        `${name}Messages`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        `a message is waiting in the ${name} queue.`,
      );
    }
    add(
      'CheckerErrors',
      props.checker.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      'the checker function failed (a check failed or a publish failed).',
    );
    add(
      'CheckerThrottles',
      props.checker.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      'the checker function was throttled (reserved concurrency reached).',
    );
  }
}
