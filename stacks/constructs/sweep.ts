import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { grantKeyVia } from './central-key';
import { sweepAlarms } from './sweep/alarms';
import { sweepBucket } from './sweep/bucket';
import { startOnJoinedAccounts } from './sweep/joined-rules';
import { sweepPlanner } from './sweep/planner';
import type { SweepProps } from './sweep/props';
import { sweepReporter } from './sweep/reporter';
import { sweepSchedule } from './sweep/schedule';
import { sweepStateMachine } from './sweep/state-machine';
import { sweepWorker } from './sweep/worker';

export {
  NONCURRENT_VERSION_DAYS,
  REPORTS_PREFIX,
  WORKING_FILES_DAYS,
  WORKING_FILES_PREFIX,
} from './sweep/bucket';
export { SWEEP_ENTRIES } from './sweep/lambda';
export { JOINED_WITHIN_HOURS } from './sweep/planner';
export type { SweepProps } from './sweep/props';
export { SWEEP_TIMEOUT } from './sweep/state-machine';
export { SWEEP_WORKER_TIMEOUT_SECONDS } from './sweep/worker';

/**
 * The org-wide sweep (docs/adr/0010-sweep-engine.md): a bucket for account lists, map results and
 * reports; the planner, worker and reporter functions; the Step Functions state machine
 * `org-mfa-watch-sweep` (plan, Distributed Map over the account list or a bounded retry loop for a
 * joining account, report); its daily schedule; the rules on the central bus that start it when an
 * account joins; and alarms on failed, timed-out and aborted executions. Each part is built in its
 * own module under ./sweep/ (docs/architecture.md, "Where to find what").
 */
export class Sweep extends Construct {
  /** Bucket of account lists, map results and reports. */
  readonly bucket: s3.Bucket;
  /** Customer-managed key of the bucket: the central key. */
  readonly key: kms.IKey;
  /** The planner: lists the organization's ACTIVE accounts, writes them to the bucket. */
  readonly planner: NodejsFunction;
  /** The worker: sweeps a batch of accounts. */
  readonly worker: NodejsFunction;
  /** The reporter: reconciles, writes the report, publishes the digest. */
  readonly reporter: NodejsFunction;
  /** The state machine `org-mfa-watch-sweep`. */
  readonly stateMachine: sfn.StateMachine;
  /** The daily schedule. */
  readonly schedule: scheduler.CfnSchedule;
  /** Rules on the central bus that start a sweep of a joining account. */
  readonly joinedRules: readonly events.Rule[];
  /** Dead-letter queue of the joined-account rule targets. */
  readonly triggerDeadLetterQueue: sqs.Queue;
  /** Alarms of the sweep. */
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: SweepProps) {
    super(scope, id);
    // The Distributed Map renders `resultWriterV2` only under this feature flag (set here, before any
    // child exists, so the app needs no cdk.json entry and tests synthesize the same definition).
    this.node.setContext(cxapi.STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true);
    const { config } = props;
    this.key = props.key;
    this.bucket = sweepBucket(this, this.key, config.reportRetentionDays);
    this.planner = sweepPlanner(this, props, this.bucket);
    this.worker = sweepWorker(this, props, this.bucket);
    this.reporter = sweepReporter(this, props, this.bucket);

    const { planner, worker, reporter, bucket } = this;
    const enforce = (props.enforcement?.mode ?? 'off') !== 'off';
    this.stateMachine = sweepStateMachine(
      this,
      { planner, worker, reporter, bucket, enforce },
      config,
      props.canary,
    );
    // The Distributed Map reads the account list and writes its results under the bucket's key, through S3.
    grantKeyVia(this.key, this.stateMachine, 's3', ['kms:Decrypt', 'kms:GenerateDataKey']);

    this.schedule = sweepSchedule(this, this.stateMachine, config);
    const triggers = startOnJoinedAccounts(this, this.stateMachine, props.bus, props.managementAccountId);
    this.joinedRules = triggers.rules;
    this.triggerDeadLetterQueue = triggers.deadLetterQueue;
    // sweep.enabled false pauses both triggers; they stay deployed (disabled), ready to resume.
    if (!config.enabled) {
      this.schedule.state = 'DISABLED';
      for (const rule of this.joinedRules) (rule.node.defaultChild as events.CfnRule).state = 'DISABLED';
    }

    this.alarms = sweepAlarms(this, this, props.topic);
  }
}
