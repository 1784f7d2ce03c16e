import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { SWEEP_KEYS } from '../../../functions/contract/sweep';
import type { SweepConfig } from '../../config';
import type { CanaryConfig } from '../../config/canary';
import { enforceState, enforcementReportInput } from './enforce-state';
import { retryThrottled, type SweepStateTargets } from './state-targets';

/**
 * Full, scheduled and on-demand sweeps: a Distributed Map over the JSON array in S3, one worker
 * invocation per batch, (enforcement on) the Enforce step, (canary on) a wait for the canaries, then Report. A step between the map
 * and the report goes in this chain.
 */
export function fullSweep(
  scope: Construct,
  targets: SweepStateTargets,
  config: SweepConfig,
  canary?: CanaryConfig,
): sfn.Chain {
  const check = retryThrottled(
    new tasks.LambdaInvoke(scope, 'CheckAccounts', {
      comment: 'Sweep one batch of accounts',
      lambdaFunction: targets.worker,
      payloadResponseOnly: true,
    }),
  );
  const sweepAccounts = new sfn.DistributedMap(scope, 'SweepAccounts', {
    comment: 'One worker invocation per batch of accounts, bounded concurrency',
    itemReader: new sfn.S3JsonItemReader({
      bucket: targets.bucket,
      key: sfn.JsonPath.stringAt('$.plan.key'),
    }),
    itemBatcher: new sfn.ItemBatcher({
      maxItemsPerBatch: config.batchSize,
      // ItemBatcher's BatchInput is copied as it is (CDK does not render paths in it): name them `.$`.
      batchInput: { 'sweepId.$': '$.plan.sweepId', 'mode.$': '$.plan.mode' },
    }),
    maxConcurrency: config.maxConcurrency,
    toleratedFailurePercentage: config.toleratedFailurePercentage,
    resultWriterV2: new sfn.ResultWriterV2({ bucket: targets.bucket, prefix: SWEEP_KEYS.mapResultsPrefix }),
    mapExecutionType: sfn.StateMachineType.EXPRESS,
    resultPath: '$.map',
  });
  sweepAccounts.itemProcessor(check);
  const report = new tasks.LambdaInvoke(scope, 'Report', {
    comment: 'Reconcile the finding store, write the report, publish the digest',
    lambdaFunction: targets.reporter,
    payload: sfn.TaskInput.fromObject({
      plan: sfn.JsonPath.objectAt('$.plan'),
      results: sfn.JsonPath.objectAt('$.map.ResultWriterDetails'),
      ...enforcementReportInput(targets),
    }),
    outputPath: '$.Payload',
  });
  // Enforcement (ADR 0022) runs right after the map, on the whole organization's plan; the canary's wait
  // (docs/adr/0021-canary.md) follows it, so quarantines are not delayed by the wait.
  const enforce = enforceState(scope, targets);
  const afterMap = enforce === undefined ? sweepAccounts : sweepAccounts.next(enforce);
  if (canary?.enabled !== true) return afterMap.next(report);
  // CloudTrail delivers to EventBridge on a best-effort basis, usually within minutes: the report compares
  // sent and arrived canaries after this wait. A Wait state costs no Lambda time.
  const waitForCanaries = new sfn.Wait(scope, 'WaitForCanaries', {
    comment: 'Let the canaries travel through CloudTrail, EventBridge and the checker',
    time: sfn.WaitTime.duration(Duration.minutes(canary.waitMinutes)),
  });
  return afterMap.next(waitForCanaries).next(report);
}
