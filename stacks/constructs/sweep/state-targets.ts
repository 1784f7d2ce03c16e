import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';

/** What the states of the sweep invoke and read. */
export interface SweepStateTargets {
  /** Lists the accounts to sweep into the bucket. */
  readonly planner: lambda.IFunction;
  /** Sweeps a batch of accounts. */
  readonly worker: lambda.IFunction;
  /** Reconciles, writes the report, publishes the digest. */
  readonly reporter: lambda.IFunction;
  /** Holds the account list the Distributed Map reads and the results it writes. */
  readonly bucket: s3.IBucket;
  /** Enforcement is on (`enforcement.mode` not `off`): the Enforce state runs after the map. */
  readonly enforce?: boolean;
}

/**
 * A worker task retried on Lambda's concurrency limit: wait and try again (service exceptions are
 * retried by default).
 */
export function retryThrottled(task: tasks.LambdaInvoke): sfn.TaskStateBase {
  return task.addRetry({
    errors: ['Lambda.TooManyRequestsException'],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 5,
    jitterStrategy: sfn.JitterType.FULL,
  });
}
