import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { SweepInput } from '../../../functions/contract/sweep';
import type { SweepConfig } from '../../config';
import { retryThrottled, type SweepStateTargets } from './state-targets';

/**
 * A joining account (its items passed inline by the planner): wait for its StackSet instance, sweep
 * it, retry while it is not covered, at most `attempts` times (the last attempt reports it
 * ACCOUNT_NOT_COVERED), then ReportJoined.
 */
export function joinedAccountLoop(
  scope: Construct,
  targets: SweepStateTargets,
  joinedAccount: SweepConfig['joinedAccount'],
): sfn.Chain {
  const firstAttempt = new sfn.Pass(scope, 'FirstAttempt', {
    parameters: { plan: sfn.JsonPath.objectAt('$.plan'), attempt: 1 },
  });
  const waitForStackSet = new sfn.Wait(scope, 'WaitForStackSetInstance', {
    time: sfn.WaitTime.duration(Duration.minutes(joinedAccount.waitMinutes)),
  });
  const lastAttempt = new sfn.Pass(scope, 'LastAttempt', {
    result: sfn.Result.fromBoolean(true),
    resultPath: '$.final',
  });
  const earlierAttempt = new sfn.Pass(scope, 'EarlierAttempt', {
    result: sfn.Result.fromBoolean(false),
    resultPath: '$.final',
  });
  const checkJoined = retryThrottled(
    new tasks.LambdaInvoke(scope, 'CheckJoinedAccounts', {
      comment: 'Sweep the joining accounts, passed inline',
      lambdaFunction: targets.worker,
      payload: sfn.TaskInput.fromObject({
        Items: sfn.JsonPath.objectAt('$.plan.items'),
        BatchInput: {
          sweepId: sfn.JsonPath.stringAt('$.plan.sweepId'),
          mode: 'joined' satisfies SweepInput['mode'],
          final: sfn.JsonPath.objectAt('$.final'),
        },
      }),
      resultSelector: { batch: sfn.JsonPath.objectAt('$.Payload') },
      resultPath: '$.result',
    }),
  );
  const notCovered = new sfn.Pass(scope, 'FindNotCovered', {
    parameters: {
      accounts: sfn.JsonPath.objectAt("$.result.batch.accounts[?(@.outcome == 'not-covered')]"),
    },
    resultPath: '$.notCovered',
  });
  const nextAttempt = new sfn.Pass(scope, 'NextAttempt', {
    parameters: {
      plan: sfn.JsonPath.objectAt('$.plan'),
      attempt: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.attempt'), 1),
    },
  });
  const reportJoined = new tasks.LambdaInvoke(scope, 'ReportJoined', {
    comment: 'Reconcile, write the report and publish the digest of the joining accounts',
    lambdaFunction: targets.reporter,
    payload: sfn.TaskInput.fromObject({
      plan: sfn.JsonPath.objectAt('$.plan'),
      batches: sfn.JsonPath.array(sfn.JsonPath.stringAt('$.result.batch')),
    }),
    outputPath: '$.Payload',
  });
  return firstAttempt
    .next(waitForStackSet)
    .next(
      new sfn.Choice(scope, 'IsLastAttempt')
        .when(sfn.Condition.numberGreaterThanEquals('$.attempt', joinedAccount.attempts), lastAttempt)
        .otherwise(earlierAttempt)
        .afterwards(),
    )
    .next(checkJoined)
    .next(notCovered)
    .next(
      new sfn.Choice(scope, 'RetryWhileNotCovered')
        .when(
          sfn.Condition.and(
            sfn.Condition.booleanEquals('$.final', false),
            sfn.Condition.isPresent('$.notCovered.accounts[0]'),
          ),
          nextAttempt.next(waitForStackSet),
        )
        .otherwise(reportJoined),
    );
}
