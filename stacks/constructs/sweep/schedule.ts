import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { SweepInput } from '../../../functions/contract/sweep';
import type { SweepConfig } from '../../config';
import { NAMES } from '../../names';

/**
 * The recurring sweep: EventBridge Scheduler starts an execution of `stateMachine` with
 * `{"mode":"scheduled"}`, from a schedule group that holds only this schedule.
 */
export function sweepSchedule(
  scope: Construct,
  stateMachine: sfn.IStateMachine,
  config: SweepConfig,
): scheduler.CfnSchedule {
  const stack = Stack.of(scope);
  const group = new scheduler.CfnScheduleGroup(scope, 'ScheduleGroup', { name: NAMES.sweepScheduleGroup });
  const role = new iam.Role(scope, 'SchedulerRole', {
    description: 'org-mfa-watch: lets EventBridge Scheduler start the daily sweep',
    // Scheduler sets aws:SourceArn to the ARN of the schedule GROUP, never of a schedule: a condition on
    // the schedule's ARN would never match (EventBridge Scheduler User Guide, "Cross-service confused
    // deputy prevention"). The group holds only this schedule.
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
      conditions: {
        StringEquals: {
          'aws:SourceAccount': stack.account,
          'aws:SourceArn': stack.formatArn({
            service: 'scheduler',
            resource: 'schedule-group',
            resourceName: NAMES.sweepScheduleGroup,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        },
      },
    }),
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'StartSweep',
      actions: ['states:StartExecution'],
      resources: [stateMachine.stateMachineArn],
    }),
  );
  const input: SweepInput = { mode: 'scheduled' };
  const schedule = new scheduler.CfnSchedule(scope, 'Schedule', {
    groupName: group.name ?? NAMES.sweepScheduleGroup,
    description: 'org-mfa-watch: the recurring org-wide sweep',
    scheduleExpression: config.schedule.expression,
    scheduleExpressionTimezone: config.schedule.timeZone,
    flexibleTimeWindow: { mode: 'OFF' },
    state: 'ENABLED',
    target: {
      arn: stateMachine.stateMachineArn,
      roleArn: role.roleArn,
      input: JSON.stringify(input),
      // A missed start is retried for an hour; the alarms on the group say when it gives up.
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
    },
  });
  schedule.node.addDependency(group);
  return schedule;
}
