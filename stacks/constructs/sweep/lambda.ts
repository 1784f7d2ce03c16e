import { RemovalPolicy, Validations, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as path from 'node:path';
import { FUNCTION_BUNDLING } from '../bundling';
import { ignoreCfnLintRule, W3005_CDK_ROLE_DEPENDENCY } from '../cfn-lint';

const FUNCTIONS_DIR = path.join(__dirname, '..', '..', '..', 'functions');

/** Entry points of the sweep's functions, bundled by the local esbuild like the checker. */
export const SWEEP_ENTRIES = {
  planner: path.join(FUNCTIONS_DIR, 'sweep-planner', 'handler.ts'),
  worker: path.join(FUNCTIONS_DIR, 'sweep-worker', 'handler.ts'),
  reporter: path.join(FUNCTIONS_DIR, 'sweep-reporter', 'handler.ts'),
} as const;

/** Environment every sweep function gets: its service name in the logs, the log level, source maps. */
export const COMMON_ENV = {
  POWERTOOLS_SERVICE_NAME: 'org-mfa-watch',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
} as const;

/** An execution role trusted by Lambda only (no managed policy: logs are granted per log group). */
export function lambdaRole(
  scope: Construct,
  id: string,
  roleName: string | undefined,
  what: string,
): iam.Role {
  return new iam.Role(scope, id, {
    ...(roleName === undefined ? {} : { roleName }),
    description: `org-mfa-watch ${what}`,
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
}

/** What differs between the sweep's functions. */
export interface SweepFunctionOptions {
  readonly entry: string;
  readonly role: iam.Role;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly environment: Record<string, string>;
  /** A physical name, for a function an operator's tool invokes by name. @default generated */
  readonly functionName?: string;
}

/** A function bundled like the checker, with its own JSON log group kept a year. */
export function sweepFunction(scope: Construct, id: string, options: SweepFunctionOptions): NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  logGroup.grantWrite(options.role);
  const fn = new NodejsFunction(scope, id, {
    entry: options.entry,
    handler: 'handler',
    description: options.description,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: options.memorySize,
    timeout: options.timeout,
    role: options.role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: options.environment,
    ...(options.functionName === undefined ? {} : { functionName: options.functionName }),
    bundling: FUNCTION_BUNDLING,
  });
  ignoreCfnLintRule(fn, 'W3005', W3005_CDK_ROLE_DEPENDENCY);
  return fn;
}

/** Acknowledge one AwsSolutions-IAM5 finding (a wildcard resource or action) on `grantee`, with why. */
export function acknowledgeWildcard(grantee: Construct, finding: string, reason: string): void {
  Validations.of(grantee).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
}
