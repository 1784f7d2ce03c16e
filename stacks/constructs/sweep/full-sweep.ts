import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { SWEEP_KEYS } from '../../../functions/contract/sweep';
import type { SweepConfig } from '../../config';
import { enforceState, enforcementReportInput } from './enforce-state';
import { retryThrottled, type SweepStateTargets } from './state-targets';

/**
 * Full, scheduled and on-demand sweeps: a Distributed Map over the JSON array in S3, one worker
 * invocation per batch, then Report. A step between the map and the report goes in this chain.
 */
export function fullSweep(scope: Construct, targets: SweepStateTargets, config: SweepConfig): sfn.Chain {
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
  const enforce = enforceState(scope, targets);
  return enforce === undefined ? sweepAccounts.next(report) : sweepAccounts.next(enforce).next(report);
}
