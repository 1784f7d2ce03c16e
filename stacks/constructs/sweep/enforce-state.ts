import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { retryThrottled, type SweepStateTargets } from './state-targets';

/**
 * The sweep's `Enforce` state (enforcement on, ADR 0022), between the Distributed Map and the report:
 * the worker, invoked once with `{ enforce: { sweepId, results } }`, reads every account's decisions from
 * the map's ResultWriter files, applies the org-wide cap, attaches the quarantine policy and returns the
 * summary the reporter puts in the digest and the report (at `$.enforcement`). Undefined when off.
 */
export function enforceState(scope: Construct, targets: SweepStateTargets): sfn.TaskStateBase | undefined {
  if (targets.enforce !== true) return undefined;
  return retryThrottled(
    new tasks.LambdaInvoke(scope, 'Enforce', {
      comment: 'Quarantine the users due across the organization (after the cap); report the rest',
      lambdaFunction: targets.worker,
      payload: sfn.TaskInput.fromObject({
        enforce: {
          sweepId: sfn.JsonPath.stringAt('$.plan.sweepId'),
          results: sfn.JsonPath.objectAt('$.map.ResultWriterDetails'),
        },
      }),
      payloadResponseOnly: true,
      resultPath: '$.enforcement',
    }),
  );
}

/** The reporter's extra input when the Enforce state runs. */
export function enforcementReportInput(targets: SweepStateTargets): Record<string, unknown> {
  return targets.enforce === true ? { enforcement: sfn.JsonPath.objectAt('$.enforcement') } : {};
}
