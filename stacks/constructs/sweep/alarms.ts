import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { NAMES } from '../../names';
import { occurrenceAlarm, scheduleGroupMetric } from '../alarms';

/** What the sweep's alarms watch. */
export interface SweepAlarmSources {
  readonly stateMachine: sfn.StateMachine;
  /** Dead-letter queue of the joined-account rule targets. */
  readonly triggerDeadLetterQueue: sqs.IQueue;
}

/**
 * Alarms to `topic`, each on one occurrence in 5 minutes: a failed, timed-out or stopped sweep; a
 * scheduled start EventBridge Scheduler dropped; a joined-account event that could not start a sweep.
 */
export function sweepAlarms(
  scope: Construct,
  sources: SweepAlarmSources,
  topic: sns.ITopic,
): cloudwatch.Alarm[] {
  const notify = new actions.SnsAction(topic);
  const period = Duration.minutes(5);
  const alarm = (id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm =>
    occurrenceAlarm(scope, id, metric, description, notify);
  const stat = { period, statistic: 'Sum' };
  const scheduler = (metricName: string): cloudwatch.Metric =>
    scheduleGroupMetric(NAMES.sweepScheduleGroup, metricName, period);
  const { stateMachine } = sources;
  return [
    alarm('SweepFailed', stateMachine.metricFailed(stat), 'a sweep execution failed.'),
    alarm('SweepTimedOut', stateMachine.metricTimedOut(stat), 'a sweep execution timed out.'),
    alarm('SweepAborted', stateMachine.metricAborted(stat), 'a sweep execution was stopped.'),
    alarm(
      'SweepScheduleDropped',
      scheduler('InvocationDroppedCount'),
      'EventBridge Scheduler could not start the scheduled sweep after its retries.',
    ),
    alarm(
      'SweepTriggerDeadLetter',
      sources.triggerDeadLetterQueue.metricNumberOfMessagesSent(stat),
      'a joined-account event could not start a sweep (it is in the sweep trigger dead-letter queue).',
    ),
  ];
}
