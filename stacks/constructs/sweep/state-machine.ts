import { Aws, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { SweepConfig } from '../../config';
import type { CanaryConfig } from '../../config/canary';
import { NAMES } from '../../names';
import { ignoreCfnLintRule, W3005_CDK_ROLE_DEPENDENCY } from '../cfn-lint';
import { bucketLogicalId } from './bucket';
import { sweepDefinition } from './definition';
import { acknowledgeWildcard } from './lambda';
import type { SweepStateTargets } from './state-targets';

/** A sweep that runs longer is stopped (and alarms): 10,000 accounts take well under an hour. */
export const SWEEP_TIMEOUT = Duration.hours(12);

/** {@link SweepStateTargets} with the functions' CloudFormation resources (named in cdk-nag findings). */
export interface SweepStateMachineTargets extends SweepStateTargets {
  readonly planner: lambda.Function;
  readonly worker: lambda.Function;
  readonly reporter: lambda.Function;
  readonly bucket: s3.Bucket;
}

/**
 * The Standard state machine `org-mfa-watch-sweep` ({@link sweepDefinition}), stopped after
 * {@link SWEEP_TIMEOUT}, logging every transition (without data) to a log group kept a year.
 */
export function sweepStateMachine(
  scope: Construct,
  targets: SweepStateMachineTargets,
  config: SweepConfig,
  canary?: CanaryConfig,
): sfn.StateMachine {
  const definition = sweepDefinition(scope, targets, config, canary);
  const logGroup = new logs.LogGroup(scope, 'StateMachineLogGroup', {
    // Vended-logs names keep the log group's resource policy small (CloudWatch Logs User Guide). The
    // stack's own id ends the name: the group is retained after `cdk destroy`, and a fixed name would
    // make the next deployment fail with "already exists".
    logGroupName: Fn.join('', [
      `/aws/vendedlogs/states/${NAMES.sweepStateMachine}-`,
      Fn.select(2, Fn.split('/', Aws.STACK_ID)),
    ]),
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: NAMES.sweepStateMachine,
    comment: 'org-mfa-watch: sweep every account of the organization for IAM users without MFA',
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    stateMachineType: sfn.StateMachineType.STANDARD,
    timeout: SWEEP_TIMEOUT,
    // Every state transition is logged, without the data (user names stay out of the logs).
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  ignoreCfnLintRule(stateMachine, 'W3005', W3005_CDK_ROLE_DEPENDENCY);
  acknowledgeStateMachineFindings(stateMachine, targets);
  return stateMachine;
}

/** The cdk-nag findings of the state machine's generated role, each with why it is acceptable. */
function acknowledgeStateMachineFindings(
  stateMachine: sfn.StateMachine,
  targets: SweepStateMachineTargets,
): void {
  const stack = Stack.of(stateMachine);
  Validations.of(stateMachine).acknowledge({
    id: 'AwsSolutions-SF2',
    reason:
      'Each task is one Lambda invocation whose duration and errors are in the execution history, the Lambda metrics and the JSON logs; X-Ray would add a wildcard permission and cost without new information.',
  });
  const ack = (finding: string, reason: string): void => {
    acknowledgeWildcard(stateMachine, finding, reason);
  };
  ack(
    'Resource::*',
    'CloudWatch Logs vended delivery (logs:CreateLogDelivery, ...) supports no resource-level permissions.',
  );
  for (const fn of [targets.planner, targets.worker, targets.reporter]) {
    ack(
      `Resource::<${stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*`,
      'From LambdaInvoke: versions and aliases of this one function.',
    );
  }
  ack(
    `Resource::arn:<AWS::Partition>:s3:::<${bucketLogicalId(targets.bucket)}>/*`,
    'From the Distributed Map ItemReader and ResultWriter: account lists and map results in the sweep bucket.',
  );
  // From DistributedMap: the map runs are child executions of this state machine, whose ids are made
  // at run time (states:DescribeExecution/StopExecution on them).
  const executions = `arn:<AWS::Partition>:states:${stack.region}:${stack.account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(stateMachine.node.defaultChild as sfn.CfnStateMachine)}"}]}]}`;
  ack(`Resource::${executions}:*`, 'Executions of this state machine only (the map runs of a sweep).');
  ack(
    `Resource::${executions}/*:*`,
    'Child executions of the Distributed Map of this state machine only (ids made at run time).',
  );
}
