import { Arn, ArnFormat, Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { CHECKER_ENV, CONSOLE_ENV, type AlertLocale } from '../../functions/contract/contract';
import { CHECKER_TIMEOUT_SECONDS } from '../../functions/contract/timing';
import type { Exemption } from '../../functions/contract/exemption';
import { FINDINGS_ENV } from '../../functions/contract/findings';
import { grantPublish } from './central-key';
import type { FindingTable } from './finding-table';
import { NAMES, memberCheckRoleArn } from '../names';
import { FUNCTION_BUNDLING } from './bundling';
import { schedulerRole as schedulerRoleOf } from './scheduler-role';
import { ignoreCfnLintRule, W3005_CDK_ROLE_DEPENDENCY } from './cfn-lint';

/** The access portal and permission set console links sign in with (config `console`). */
export interface ConsoleAccessProps {
  readonly accessPortalUrl: string;
  readonly permissionSet: string;
}

/** The function variables for console links (both or none; names from the shared contract). */
export function consoleEnvironment(access: ConsoleAccessProps | undefined): Record<string, string> {
  return access === undefined
    ? {}
    : {
        [CONSOLE_ENV.accessPortalUrl]: access.accessPortalUrl,
        [CONSOLE_ENV.permissionSet]: access.permissionSet,
      };
}

/** Properties of {@link CheckerFunction}. */
export interface CheckerFunctionProps {
  /** The checker may assume `org-mfa-watch-check` only in accounts of this organization. */
  readonly organizationId: string;
  /** Topic the checker publishes alerts to. */
  readonly topic: sns.ITopic;
  /**
   * The central key ({@link CentralKey}) that encrypts the alert and chat topics: the checker may use it
   * only through SNS to publish (the table's key, the same one unless a retained table is reused, is
   * granted through DynamoDB by the finding store).
   */
  readonly key: kms.IKey;
  /** Language of the alert body. */
  readonly locale: AlertLocale;
  /**
   * IAM Identity Center sign-in of the analysts (config `console`): console links open the member account.
   * @default links name the account to sign in to
   */
  readonly consoleAccess?: ConsoleAccessProps;
  /** IANA time zone shown in alerts beside UTC. */
  readonly timeZone: string;
  /** Hours between creation and the MFA check; 0 checks at once (no Scheduler resources). */
  readonly gracePeriodHours: number;
  /** Send an INFO notice on each new user. */
  readonly notifyOnCreate: boolean;
  /** Configured exemptions, passed to the function as JSON. */
  readonly exemptions: readonly Exemption[];
  /**
   * Honour the `org-mfa-watch:exempt` user tag (every tag-based skip still sends an INFO notice).
   * @default false
   */
  readonly trustExemptionTags?: boolean;
  /**
   * Concurrent executions reserved for the checker: caps the rate of STS/IAM calls in a burst (IAM's
   * per-account request quota is shared with everything else in that account). 0 reserves nothing:
   * Lambda rejects a reservation that leaves the account's unreserved concurrency under its minimum,
   * which is every reservation in a new account with a low concurrency quota.
   * @default 5
   */
  readonly reservedConcurrency?: number;
  /** The finding store: the checker records transitions there and keeps its idempotency records. */
  readonly findings: FindingTable;
  /**
   * Topic of the chat channels: the checker posts each alert there too, as a custom notification.
   * @default - no chat
   */
  readonly chatTopic?: sns.ITopic;
  /**
   * Import findings into Security Hub in each member account, in this stack's region (the home region),
   * through the member check role (which carries the permission when the export is on).
   * @default false
   */
  readonly securityHubExport?: boolean;
}

/** ARN of every schedule in a group of this account and region (pseudo parameters, for stable rendering). */
function schedulesOfGroup(groupName: string): string {
  return Arn.format({
    partition: Aws.PARTITION,
    service: 'scheduler',
    region: Aws.REGION,
    account: Aws.ACCOUNT_ID,
    resource: 'schedule',
    resourceName: `${groupName}/*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
const SCHEDULES_RENDERED = 'arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule';

/** The checker's entry point, bundled by the local esbuild. */
export const CHECKER_ENTRY = path.join(__dirname, '..', '..', 'functions', 'checker', 'handler.ts');

function queue(scope: Construct, id: string, isDeadLetterQueue: string): sqs.Queue {
  // SQS-managed encryption: EventBridge and Scheduler cannot write to queues under the AWS-managed
  // alias/aws/sqs key; 14 days (the maximum) leaves time to inspect and redrive.
  const q = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(q).acknowledge({ id: 'AwsSolutions-SQS3', reason: isDeadLetterQueue });
  return q;
}

/** The checker's role: writes its log group, assumes the check role only in the organization's accounts. */
function checkerRole(scope: Construct, logGroup: logs.LogGroup, organizationId: string): iam.Role {
  const role = new iam.Role(scope, 'Role', {
    roleName: NAMES.checkerRole,
    description: 'org-mfa-watch checker: assume org-mfa-watch-check in member accounts, publish alerts',
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  logGroup.grantWrite(role);
  // Only the check role, only in accounts of the organization (aws:ResourceOrgID is the org of the
  // role being assumed): a check role name in a foreign account cannot be reached.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeMemberCheckRoleInOrganization',
      actions: ['sts:AssumeRole'],
      resources: [memberCheckRoleArn(Stack.of(scope), '*')],
      conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
    }),
  );
  return role;
}

/** The checker's environment (names from the shared contract), before the re-check variables. */
function checkerEnvironment(
  props: CheckerFunctionProps,
  quarantineQueue: sqs.IQueue,
  region: string,
): Record<string, string> {
  const environment: Record<string, string> = {
    [CHECKER_ENV.checkRoleName]: NAMES.memberCheckRole,
    [CHECKER_ENV.alertTopicArn]: props.topic.topicArn,
    [CHECKER_ENV.alertLocale]: props.locale,
    [CHECKER_ENV.alertTimeZone]: props.timeZone,
    [CHECKER_ENV.quarantineQueueUrl]: quarantineQueue.queueUrl,
    [CHECKER_ENV.gracePeriodHours]: String(props.gracePeriodHours),
    [CHECKER_ENV.notifyOnCreate]: String(props.notifyOnCreate),
    [CHECKER_ENV.exemptions]: JSON.stringify(props.exemptions),
    [CHECKER_ENV.trustExemptionTags]: String(props.trustExemptionTags ?? false),
    [FINDINGS_ENV.tableName]: props.findings.table.tableName,
    [FINDINGS_ENV.resolvedRetentionDays]: String(props.findings.retentionDays),
    ...consoleEnvironment(props.consoleAccess),
    POWERTOOLS_SERVICE_NAME: 'org-mfa-watch',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    NODE_OPTIONS: '--enable-source-maps',
  };

  if (props.chatTopic !== undefined) environment[CHECKER_ENV.chatTopicArn] = props.chatTopic.topicArn;
  if (props.securityHubExport === true) {
    environment[CHECKER_ENV.securityHubExport] = 'true';
    environment[CHECKER_ENV.securityHubRegion] = region;
  }
  return environment;
}

/** What {@link addRechecks} made: the re-check dead-letter queue and the role Scheduler invokes with. */
interface Rechecks {
  readonly deadLetterQueue: sqs.Queue;
  readonly schedulerRole: iam.Role;
}

/**
 * The re-check resources of a grace period: the Scheduler group, its dead-letter queue and role; the
 * checker's permissions to manage its schedules and pass that role; their variables in `environment`.
 */
function addRechecks(scope: Construct, checkerRole: iam.Role, environment: Record<string, string>): Rechecks {
  const group = new scheduler.CfnScheduleGroup(scope, 'ScheduleGroup', { name: NAMES.scheduleGroup });
  const recheckDlq = queue(scope, 'RecheckDlq', 'Dead-letter queue of the re-check schedules.');
  const schedulerRole = schedulerRoleOf(
    scope,
    'SchedulerRole',
    NAMES.scheduleGroup,
    'org-mfa-watch: lets EventBridge Scheduler invoke the checker for MFA re-checks',
  );
  recheckDlq.grantSendMessages(schedulerRole);
  // The checker creates its re-checks and deletes superseded ones, only in its own group.
  checkerRole.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ManageReChecksInOwnGroup',
      // GetSchedule: a rename reads a pending re-check to move it to the new name.
      actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
      resources: [schedulesOfGroup(group.name ?? NAMES.scheduleGroup)],
    }),
  );
  checkerRole.addToPolicy(
    new iam.PolicyStatement({
      sid: 'PassSchedulerRoleToSchedulerOnly',
      actions: ['iam:PassRole'],
      resources: [schedulerRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }),
  );
  environment[CHECKER_ENV.scheduleGroupName] = NAMES.scheduleGroup;
  environment[CHECKER_ENV.schedulerRoleArn] = schedulerRole.roleArn;
  environment[CHECKER_ENV.recheckDlqArn] = recheckDlq.queueArn;
  return { deadLetterQueue: recheckDlq, schedulerRole };
}

/** The checker function itself: asynchronous, no retries, failures to `failureQueue`. */
function checkerLambda(
  scope: Construct,
  props: CheckerFunctionProps,
  parts: {
    readonly role: iam.IRole;
    readonly logGroup: logs.ILogGroup;
    readonly environment: Record<string, string>;
    readonly failureQueue: sqs.IQueue;
  },
): NodejsFunction {
  const reserved = props.reservedConcurrency ?? 5;
  const fn = new NodejsFunction(scope, 'Function', {
    entry: CHECKER_ENTRY,
    handler: 'handler',
    description: 'org-mfa-watch: checks new IAM users for MFA across the organization',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    // 512 MB buys CPU for the cold start (five SDK clients); an invocation needs far less memory.
    memorySize: 512,
    // The check runs under a deadline that keeps one worst-case publish back (functions/contract/timing.ts).
    timeout: Duration.seconds(CHECKER_TIMEOUT_SECONDS),
    // Caps concurrent STS/IAM traffic during a burst. Excess asynchronous invocations are throttled and
    // retried by Lambda's own queue for up to maxEventAge, then sent to the on-failure queue: not lost.
    // 0 means no reservation: Lambda would read a reservation of 0 as "never run".
    ...(reserved === 0 ? {} : { reservedConcurrentExecutions: reserved }),
    role: parts.role,
    logGroup: parts.logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: parts.environment,
    retryAttempts: 0,
    maxEventAge: Duration.hours(6),
    onFailure: new destinations.SqsDestination(parts.failureQueue),
    bundling: FUNCTION_BUNDLING,
  });
  ignoreCfnLintRule(fn, 'W3005', W3005_CDK_ROLE_DEPENDENCY);
  return fn;
}

/** cdk-nag acknowledgements of the checker role's wildcard resources, each with its reason. */
function acknowledgeCheckerRole(role: iam.Role, gracePeriodHours: number): void {
  const acknowledge = (finding: string, reason: string): void => {
    Validations.of(role).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
  };
  acknowledge(
    'Resource::arn:<AWS::Partition>:iam::*:role/org-mfa-watch-check',
    'Any account may host the check role; aws:ResourceOrgID limits sts:AssumeRole to accounts of the organization.',
  );
  if (gracePeriodHours > 0) {
    acknowledge(
      `Resource::${SCHEDULES_RENDERED}/${NAMES.scheduleGroup}/*`,
      "Schedule names are per user and made at run time; the ARN is fenced to the checker's own schedule group.",
    );
  }
}

/**
 * The checker function with its role, log group, failure queues and (with a grace period) the
 * EventBridge Scheduler group and role for one-time re-checks.
 */
export class CheckerFunction extends Construct {
  /** The checker function. */
  readonly function: NodejsFunction;
  /** Its execution role `org-mfa-watch-checker`. */
  readonly role: iam.Role;
  /** Its own log group (JSON logs, one year). */
  readonly logGroup: logs.LogGroup;
  /** Where EventBridge puts events it could not deliver to the function (central rule DLQ). */
  readonly ruleDeadLetterQueue: sqs.Queue;
  /** Asynchronous on-failure destination: events whose check failed. */
  readonly failureQueue: sqs.Queue;
  /** Invalid events, kept with the reason they were rejected. */
  readonly quarantineQueue: sqs.Queue;
  /** Re-checks Scheduler could not deliver (only with a grace period). */
  readonly recheckDeadLetterQueue?: sqs.Queue;
  /** Name of the Scheduler group of the re-checks (only with a grace period), for its metrics. */
  readonly scheduleGroupName?: string;

  constructor(scope: Construct, id: string, props: CheckerFunctionProps) {
    super(scope, id);

    this.ruleDeadLetterQueue = queue(this, 'RuleDlq', 'Dead-letter queue of the central rule target.');
    this.failureQueue = queue(
      this,
      'FailureQueue',
      'On-failure destination of the checker: a dead-letter queue.',
    );
    this.quarantineQueue = queue(
      this,
      'QuarantineQueue',
      'Terminal queue for invalid events, kept for inspection.',
    );

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = checkerRole(this, this.logGroup, props.organizationId);
    const environment = checkerEnvironment(props, this.quarantineQueue, Stack.of(this).region);

    let schedulerRole: iam.Role | undefined;
    if (props.gracePeriodHours > 0) {
      const rechecks = addRechecks(this, this.role, environment);
      this.scheduleGroupName = NAMES.scheduleGroup;
      this.recheckDeadLetterQueue = rechecks.deadLetterQueue;
      schedulerRole = rechecks.schedulerRole;
    }

    this.function = checkerLambda(this, props, {
      role: this.role,
      logGroup: this.logGroup,
      environment,
      failureQueue: this.failureQueue,
    });

    grantPublish(props.topic, props.key, this.role);
    if (props.chatTopic !== undefined) grantPublish(props.chatTopic, props.key, this.role);
    props.findings.grantStoreAccess(this.role);
    this.quarantineQueue.grantSendMessages(this.role);
    // The unqualified function ARN only (grantInvoke would add "<arn>:*", every version and alias).
    schedulerRole?.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeChecker',
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn],
      }),
    );
    acknowledgeCheckerRole(this.role, props.gracePeriodHours);
  }
}
