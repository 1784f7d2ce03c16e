import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { CentralStack } from '../../stacks/central-stack';
import { CHECKER_ENTRY } from '../../stacks/constructs/checker-function';
import { SWEEP_ENTRIES } from '../../stacks/constructs/sweep';
import type { AppConfig } from '../../stacks/config';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { CHECKER_ENV } from '../../functions/contract/contract';
import { SWEEP_ENV } from '../../functions/contract/sweep';

/**
 * The central stack as the demo deploys it: built from the demo's configuration by the real CDK code,
 * then read from its CloudFormation template, so each function gets the environment variables, timeout
 * and name the stack gives it, and the finding store the table definition the stack declares.
 */

/** The functions the demo runs, each with the entry its stack construct gives NodejsFunction. */
export const DEMO_FUNCTIONS = {
  checker: CHECKER_ENTRY,
  planner: SWEEP_ENTRIES.planner,
  worker: SWEEP_ENTRIES.worker,
  reporter: SWEEP_ENTRIES.reporter,
} as const;

/** One of {@link DEMO_FUNCTIONS}. */
export type DemoFunction = keyof typeof DEMO_FUNCTIONS;

/** A function as deployed: its physical name and ARN, timeout, and environment with every token resolved. */
export interface DeployedFunction {
  readonly name: string;
  readonly arn: string;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
}

/** The parameters of CreateTable the table resource declares. */
export interface TableDefinition {
  readonly TableName: string;
  readonly KeySchema: unknown;
  readonly AttributeDefinitions: unknown;
  readonly GlobalSecondaryIndexes?: unknown;
}

/** What the demo needs from the central stack. */
export interface Deployment {
  readonly functions: Readonly<Record<DemoFunction, DeployedFunction>>;
  readonly table: TableDefinition;
  /** Physical names of the alert topic, the chat topic (when configured), the sweep bucket. */
  readonly alertTopicArn: string;
  readonly chatTopicArn?: string;
  readonly sweepBucket: string;
}

type Json = Record<string, unknown>;
interface Resource {
  readonly Type: string;
  readonly Properties?: Json;
}

/** A CloudFormation value the demo cannot resolve (a new intrinsic or resource type in the stack). */
export class UnresolvableTokenError extends Error {
  constructor(what: string) {
    super(
      `the demo cannot resolve ${what} in the central stack's template; teach scripts/demo/deployment.ts`,
    );
    this.name = 'UnresolvableTokenError';
  }
}

/** The property that names each resource type the functions' variables refer to. */
const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Events::EventBus': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Lambda::Function': 'FunctionName',
};

/**
 * Resolve `Ref`, `Fn::GetAtt` and `Fn::Join` the way CloudFormation would for this account and region,
 * giving each resource the physical name its properties declare (or its logical id).
 */
export function tokenResolver(
  resources: Readonly<Record<string, Resource>>,
  account: string,
  region: string,
) {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': STACK_IDS.central,
  };
  function physicalName(id: string, resource: Resource): string {
    const property = NAME_PROPERTY[resource.Type];
    if (property === undefined) throw new UnresolvableTokenError(`a reference to ${id} (${resource.Type})`);
    const declared = resource.Properties?.[property];
    if (declared !== undefined) return resolve(declared);
    // CloudFormation generates `<stack>-<logical id>-<suffix>`; the demo leaves the suffix out.
    const generated = `${STACK_IDS.central}-${id}`;
    return resource.Type === 'AWS::S3::Bucket' ? generated.toLowerCase() : generated;
  }
  function ref(id: string): string {
    const value = pseudo[id];
    if (value !== undefined) return value;
    const resource = resources[id];
    if (resource === undefined) throw new UnresolvableTokenError(`Ref ${id}`);
    const name = physicalName(id, resource);
    switch (resource.Type) {
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${account}:${name}`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
      default:
        return name;
    }
  }
  function arn(id: string): string {
    const resource = resources[id];
    if (resource === undefined) throw new UnresolvableTokenError(`Fn::GetAtt ${id}.Arn`);
    const name = physicalName(id, resource);
    const arns: Record<string, string> = {
      'AWS::SQS::Queue': `arn:aws:sqs:${region}:${account}:${name}`,
      'AWS::S3::Bucket': `arn:aws:s3:::${name}`,
      'AWS::Events::EventBus': `arn:aws:events:${region}:${account}:event-bus/${name}`,
      'AWS::IAM::Role': `arn:aws:iam::${account}:role/${name}`,
      'AWS::Lambda::Function': `arn:aws:lambda:${region}:${account}:function:${name}`,
      'AWS::DynamoDB::Table': `arn:aws:dynamodb:${region}:${account}:table/${name}`,
      'AWS::DynamoDB::GlobalTable': `arn:aws:dynamodb:${region}:${account}:table/${name}`,
    };
    const value = arns[resource.Type];
    if (value === undefined) throw new UnresolvableTokenError(`Fn::GetAtt ${id}.Arn (${resource.Type})`);
    return value;
  }
  function resolve(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const token = value as Json;
    if (typeof token.Ref === 'string') return ref(token.Ref);
    const getAtt = token['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn') return arn(String(getAtt[0]));
    const join = token['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) {
      return (join[1] as unknown[]).map(resolve).join(String(join[0]));
    }
    throw new UnresolvableTokenError(JSON.stringify(value));
  }
  return { resolve, ref, arn };
}

/** The CloudFormation template of a stack, without synthesizing the app. */
function templateOf(stack: Stack): { Resources: Record<string, Resource> } {
  // `app.synth()` would stage every function's asset, fingerprinting the whole project (seconds): the
  // template alone is what the demo reads. `_toCloudFormation` is how Stack renders it (aws-cdk-lib, pinned).
  return (
    stack as unknown as { _toCloudFormation(): { Resources: Record<string, Resource> } }
  )._toCloudFormation();
}

/** The central stack of `config`, read as the demo needs it. Asset bundling is skipped (the demo bundles). */
export function readDeployment(config: AppConfig): Deployment {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new CentralStack(app, STACK_IDS.central, {
    config,
    env: { account: config.securityAccountId, region: config.homeRegion },
  });
  const { Resources: resources } = templateOf(stack);
  const tokens = tokenResolver(resources, config.securityAccountId, config.homeRegion);
  const logicalId = (construct: IConstruct) =>
    stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
  const fn = (construct: IConstruct): DeployedFunction => {
    const id = logicalId(construct);
    const properties = resources[id]?.Properties ?? {};
    const variables = ((properties.Environment as Json | undefined)?.Variables ?? {}) as Json;
    return {
      name: tokens.ref(id),
      arn: tokens.arn(id),
      timeoutSeconds: Number(properties.Timeout ?? 3),
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, tokens.resolve(v)])),
    };
  };
  const tableId = logicalId(stack.findings.table);
  const table = resources[tableId]?.Properties ?? {};
  const chatTopic = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::SNS::Topic' && r.Properties?.TopicName === NAMES.chatTopic,
  );
  return {
    functions: {
      checker: fn(stack.checker.function),
      planner: fn(stack.sweep.planner),
      worker: fn(stack.sweep.worker),
      reporter: fn(stack.sweep.reporter),
    },
    table: {
      TableName: tokens.ref(tableId),
      KeySchema: table.KeySchema,
      AttributeDefinitions: table.AttributeDefinitions,
      ...(table.GlobalSecondaryIndexes === undefined
        ? {}
        : { GlobalSecondaryIndexes: table.GlobalSecondaryIndexes }),
    },
    alertTopicArn: fn(stack.checker.function).environment[CHECKER_ENV.alertTopicArn] ?? '',
    ...(chatTopic === undefined ? {} : { chatTopicArn: tokens.ref(chatTopic[0]) }),
    sweepBucket: fn(stack.sweep.planner).environment[SWEEP_ENV.sweepBucketName] ?? '',
  };
}
