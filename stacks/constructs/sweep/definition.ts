import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { SweepInput } from '../../../functions/contract/sweep';
import type { SweepConfig } from '../../config';
import type { CanaryConfig } from '../../config/canary';
import { fullSweep } from './full-sweep';
import { joinedAccountLoop } from './joined-loop';
import type { SweepStateTargets } from './state-targets';

/**
 * The sweep's states, created on `scope`: Plan → JoinedOrFull → (joined with inline items:
 * {@link joinedAccountLoop}) | ({@link fullSweep}). The account list never travels through the state
 * (256 KiB quota). A step of every sweep goes in one of the two paths (or after Plan, here).
 */
export function sweepDefinition(
  scope: Construct,
  targets: SweepStateTargets,
  config: SweepConfig,
  canary?: CanaryConfig,
): sfn.IChainable {
  const plan = new tasks.LambdaInvoke(scope, 'Plan', {
    comment: 'List the accounts to sweep; write them to S3',
    lambdaFunction: targets.planner,
    payload: sfn.TaskInput.fromObject({
      sweepId: sfn.JsonPath.executionName,
      input: sfn.JsonPath.objectAt('$$.Execution.Input'),
    }),
    resultSelector: { plan: sfn.JsonPath.objectAt('$.Payload') },
    resultPath: '$',
  });
  const full = fullSweep(scope, targets, config, canary);
  const joined = joinedAccountLoop(scope, targets, config.joinedAccount);
  const route = new sfn.Choice(scope, 'JoinedOrFull')
    .when(
      sfn.Condition.and(
        sfn.Condition.stringEquals('$.plan.mode', 'joined' satisfies SweepInput['mode']),
        sfn.Condition.isPresent('$.plan.items'),
      ),
      joined,
    )
    .otherwise(full);
  return plan.next(route);
}
