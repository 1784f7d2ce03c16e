import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { SweepInput } from '../../../functions/contract/sweep';
import type { SweepConfig } from '../../config';
import { NAMES } from '../../names';
import { schedulerRole } from '../scheduler-role';

/**
 * The recurring sweep: EventBridge Scheduler starts an execution of `stateMachine` with
 * `{"mode":"scheduled"}`, from a schedule group that holds only this schedule.
 */
export function sweepSchedule(
  scope: Construct,
  stateMachine: sfn.IStateMachine,
  config: SweepConfig,
): scheduler.CfnSchedule {
  const group = new scheduler.CfnScheduleGroup(scope, 'ScheduleGroup', { name: NAMES.sweepScheduleGroup });
  // The group holds only this schedule, so the role starts only the sweep.
  const role = schedulerRole(
    scope,
    'SchedulerRole',
    NAMES.sweepScheduleGroup,
    'org-mfa-watch: lets EventBridge Scheduler start the daily sweep',
  );
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
