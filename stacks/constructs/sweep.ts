import { ArnFormat, Aws, Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import * as path from 'node:path';
import { CHECKER_ENV, type AlertLocale } from '../../functions/contract/contract';
import { consoleEnvironment, type ConsoleAccessProps } from './checker-function';
import type { Exemption } from '../../functions/contract/exemption';
import {
  PLANNER_ORGANIZATIONS_ACTIONS,
  SWEEP_ENV,
  SWEEP_KEYS,
  type SweepInput,
} from '../../functions/contract/sweep';
import type { SweepConfig } from '../config';
import { accountJoinedPattern, accountCreatedPattern } from '../org-events';
import { MEMBER_REGION, NAMES, memberCheckRoleArn, rolloutReaderRoleArn } from '../names';
import { grantKeyVia, grantPublish } from './central-key';
import type { FindingTable } from './finding-table';
import { FUNCTION_BUNDLING } from './bundling';
import { ignoreCfnLintRule, W3005_CDK_ROLE_DEPENDENCY } from './cfn-lint';

/** Entry points of the sweep's functions, bundled by the local esbuild like the checker. */
export const SWEEP_ENTRIES = {
  planner: path.join(__dirname, '..', '..', 'functions', 'sweep-planner', 'handler.ts'),
  worker: path.join(__dirname, '..', '..', 'functions', 'sweep-worker', 'handler.ts'),
  reporter: path.join(__dirname, '..', '..', 'functions', 'sweep-reporter', 'handler.ts'),
} as const;

/** Key prefix of the sweep's working files (account lists, map results): they expire after a few days. */
export const WORKING_FILES_PREFIX = 'sweeps/';
/** Key prefix of the reports: they are kept `reportRetentionDays`. */
export const REPORTS_PREFIX = 'reports/';
/** Days the working files are kept: long enough to inspect a failed sweep, short enough to hold no history. */
export const WORKING_FILES_DAYS = 7;
/** Days a replaced or deleted object version is kept (the bucket is versioned against accidental overwrite). */
export const NONCURRENT_VERSION_DAYS = 30;
/**
 * Seconds a worker invocation may run. A batch runs in an Express child workflow of the Distributed Map,
 * which ends after 5 minutes (Step Functions Developer Guide, "Standard vs Express workflows"); 240 s
 * leaves one minute for the task's retries on Lambda service errors.
 */
export const SWEEP_WORKER_TIMEOUT_SECONDS = 240;
/**
 * Hours after joining during which an account counts as "just joined" for a `joined` sweep that carries
 * no account id (an invited account): a day covers late CloudTrail delivery and a retried trigger.
 */
export const JOINED_WITHIN_HOURS = 24;
/** A sweep that runs longer is stopped (and alarms): 10,000 accounts take well under an hour. */
export const SWEEP_TIMEOUT = Duration.hours(12);

/** Properties of {@link Sweep}. */
export interface SweepProps {
  /** The sweep settings of the configuration (schedule, concurrency, batches, retention, retries). */
  readonly config: SweepConfig;
  /** The worker may assume `org-mfa-watch-check` only in accounts of this organization. */
  readonly organizationId: string;
  /** The management account (the planner marks it covered by its own stack). */
  readonly managementAccountId: string;
  /**
   * The account that administers the StackSet (management account or delegated administrator) and how
   * the planner calls ListStackInstances there (`SELF` or `DELEGATED_ADMIN`).
   */
  readonly rollout: { readonly accountId: string; readonly callAs: 'SELF' | 'DELEGATED_ADMIN' };
  /** Rollout OU or root ids (the planner tells accounts the StackSet covers from the others). */
  readonly rolloutOrganizationalUnitIds: readonly string[];
  /** Accounts the StackSet skips on purpose. */
  readonly excludedAccountIds: readonly string[];
  /** The alert topic: digests and new HIGH/CRITICAL findings. */
  readonly topic: sns.ITopic;
  /**
   * The central key ({@link CentralKey}): it encrypts the bucket, the alert topic and the chat topic.
   * Each role's grant on it is limited by `kms:ViaService` to the service that uses it for that role.
   */
  readonly key: kms.IKey;
  /** The finding store. */
  readonly findings: FindingTable;
  /** The central bus: the joined-account rules live on it, and the forward rule must target it. */
  readonly bus: events.IEventBus;
  /** Language of the alert body. */
  readonly locale: AlertLocale;
  /**
   * IAM Identity Center sign-in of the analysts (config `console`): console links open the member account.
   * @default links name the account to sign in to
   */
  readonly consoleAccess?: ConsoleAccessProps;
  /** IANA time zone shown in alerts beside UTC. */
  readonly timeZone: string;
  /** Users younger than this are left to the event path. */
  readonly gracePeriodHours: number;
  /** Configured exemptions, passed to the worker as JSON. */
  readonly exemptions: readonly Exemption[];
  /**
   * Honour the `org-mfa-watch:exempt` user tag.
   * @default false
   */
  readonly trustExemptionTags?: boolean;
  /**
   * Topic of the chat channels: the worker posts each new HIGH/CRITICAL finding there too, after the email.
   * @default - no chat
   */
  readonly chatTopic?: sns.ITopic;
  /**
   * Import the findings the sweep opens, escalates or resolves into Security Hub, in this stack's region
   * (the home region), through the member check role (which carries the permission when the export is on).
   * @default false
   */
  readonly securityHubExport?: boolean;
  /**
   * With the export on: days after which the sweep re-imports an open finding (Security Hub deletes a
   * finding 90 days after its last update).
   * @default 30
   */
  readonly securityHubReimportAfterDays?: number;
}

const COMMON_ENV = {
  POWERTOOLS_SERVICE_NAME: 'org-mfa-watch',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
} as const;

/**
 * The org-wide sweep (docs/adr/0010-sweep-engine.md): a bucket for account lists, map results and
 * reports; the planner, worker and reporter functions; the Step Functions state machine
 * `org-mfa-watch-sweep` (plan, Distributed Map over the account list or a bounded retry loop for a
 * joining account, report); its daily schedule; the rules on the central bus that start it when an
 * account joins; and alarms on failed, timed-out and aborted executions.
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
    const stack = Stack.of(this);
    const { config } = props;

    // A customer-managed key, the finding store's: the reports list users without MFA, and the key
    // policy (not only IAM) decides who can read them. Bucket keys keep KMS requests (and cost) low.
    this.key = props.key;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'WorkingFiles', prefix: WORKING_FILES_PREFIX, expiration: Duration.days(WORKING_FILES_DAYS) },
        {
          id: 'Reports',
          prefix: REPORTS_PREFIX,
          expiration: Duration.days(config.reportRetentionDays),
        },
        {
          id: 'OldVersionsAndUploads',
          noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the sweep roles and the state machine use this bucket; object access is audited with CloudTrail data events where the organization trail records them. An access-log bucket would itself need an unlogged bucket.',
    });

    const objects = (prefix: string): string => this.bucket.arnForObjects(`${prefix}*`);
    const bucketObjectsRendered = (prefix: string): string =>
      `Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${prefix}*`;

    // ---- planner ------------------------------------------------------------------------------------
    const plannerRole = this.lambdaRole(
      'PlannerRole',
      NAMES.sweepPlannerRole,
      'sweep planner: list accounts',
    );
    // Organizations' read actions take "*" (ListAccounts has no resource type); the management account's
    // delegation policy is what makes them answer, and only for this role.
    plannerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOrganizationThroughDelegationPolicy',
        actions: [...PLANNER_ORGANIZATIONS_ACTIONS],
        resources: ['*'],
      }),
    );
    plannerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteAccountLists',
        actions: ['s3:PutObject'],
        resources: [objects(WORKING_FILES_PREFIX)],
      }),
    );
    // Upload only: no kms:Decrypt (the planner never reads an object back).
    grantKeyVia(this.key, plannerRole, 's3', ['kms:GenerateDataKey']);
    // The StackSet's instances, through the read-only role the rollout stack deploys (docs/adr/0017).
    const readerRoleArn = rolloutReaderRoleArn(stack, props.rollout.accountId);
    plannerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeRolloutReader',
        actions: ['sts:AssumeRole'],
        resources: [readerRoleArn],
      }),
    );
    this.planner = this.sweepFunction('Planner', {
      entry: SWEEP_ENTRIES.planner,
      role: plannerRole,
      description: 'org-mfa-watch sweep: lists the ACTIVE accounts of the organization into S3',
      // Listing 10,000 accounts pages through Organizations (a few requests per second).
      timeout: Duration.minutes(15),
      memorySize: 512,
      environment: {
        [SWEEP_ENV.sweepBucketName]: this.bucket.bucketName,
        [SWEEP_ENV.rolloutOrganizationalUnitIds]: JSON.stringify(props.rolloutOrganizationalUnitIds),
        [SWEEP_ENV.excludedAccountIds]: JSON.stringify(props.excludedAccountIds),
        [SWEEP_ENV.managementAccountId]: props.managementAccountId,
        [SWEEP_ENV.joinedWithinHours]: String(JOINED_WITHIN_HOURS),
        [SWEEP_ENV.rolloutReaderRoleArn]: readerRoleArn,
        [SWEEP_ENV.stackSetName]: NAMES.stackSet,
        [SWEEP_ENV.stackSetCallAs]: props.rollout.callAs,
        [SWEEP_ENV.stackSetRegion]: MEMBER_REGION,
        ...COMMON_ENV,
      },
    });

    // ---- worker -------------------------------------------------------------------------------------
    const workerRole = this.lambdaRole(
      'WorkerRole',
      NAMES.sweepWorkerRole,
      'sweep worker: assume org-mfa-watch-check in member accounts',
    );
    // Only the check role, only in accounts of the organization (like the checker).
    workerRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeMemberCheckRoleInOrganization',
        actions: ['sts:AssumeRole'],
        resources: [memberCheckRoleArn(stack, '*')],
        conditions: { StringEquals: { 'aws:ResourceOrgID': props.organizationId } },
      }),
    );
    props.findings.grantStoreAccess(workerRole);
    grantPublish(props.topic, this.key, workerRole);
    if (props.chatTopic !== undefined) grantPublish(props.chatTopic, this.key, workerRole);
    this.worker = this.sweepFunction('Worker', {
      entry: SWEEP_ENTRIES.worker,
      role: workerRole,
      description: 'org-mfa-watch sweep: checks IAM users and root of a batch of accounts',
      timeout: Duration.seconds(SWEEP_WORKER_TIMEOUT_SECONDS),
      memorySize: 1024,
      environment: {
        [CHECKER_ENV.checkRoleName]: NAMES.memberCheckRole,
        [CHECKER_ENV.alertTopicArn]: props.topic.topicArn,
        [CHECKER_ENV.alertLocale]: props.locale,
        [CHECKER_ENV.alertTimeZone]: props.timeZone,
        [CHECKER_ENV.gracePeriodHours]: String(props.gracePeriodHours),
        [CHECKER_ENV.exemptions]: JSON.stringify(props.exemptions),
        [CHECKER_ENV.trustExemptionTags]: String(props.trustExemptionTags ?? false),
        ...props.findings.functionEnvironment(),
        ...consoleEnvironment(props.consoleAccess),
        [SWEEP_ENV.credentialReportMaxAgeHours]: String(config.credentialReportMaxAgeHours),
        [SWEEP_ENV.centralBusArn]: props.bus.eventBusArn,
        [SWEEP_ENV.forwardRuleName]: NAMES.memberForwardRule,
        [SWEEP_ENV.forwardRuleRegion]: MEMBER_REGION,
        [SWEEP_ENV.forwardDeadLetterQueueName]: NAMES.memberForwardDeadLetterQueue,
        [SWEEP_ENV.alertStormThreshold]: String(config.alertStormThreshold),
        ...(props.chatTopic === undefined ? {} : { [CHECKER_ENV.chatTopicArn]: props.chatTopic.topicArn }),
        // The import is made with the member check role's credentials: nothing to grant the worker itself.
        ...(props.securityHubExport === true
          ? {
              [CHECKER_ENV.securityHubExport]: 'true',
              [CHECKER_ENV.securityHubRegion]: stack.region,
              [SWEEP_ENV.securityHubReimportAfterDays]: String(props.securityHubReimportAfterDays ?? 30),
            }
          : {}),
        ...COMMON_ENV,
      },
    });

    // ---- reporter -----------------------------------------------------------------------------------
    const reporterRole = this.lambdaRole('ReporterRole', undefined, 'sweep reporter: digest and report');
    reporterRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadAccountListsAndMapResults',
        actions: ['s3:GetObject'],
        resources: [objects(WORKING_FILES_PREFIX)],
      }),
    );
    // The digest receipt (reports/<sweep>/digest.json) is read before publishing, so that a retried
    // reporter publishes once. A missing object answers NoSuchKey only to a caller allowed s3:ListBucket
    // on the bucket, otherwise 403 (Amazon S3 API Reference, GetObject, "Permissions"); ListBucket has no
    // prefix condition because that check is made without one.
    reporterRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadDigestReceipts',
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects(`${REPORTS_PREFIX}*/digest.json`)],
      }),
    );
    reporterRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'TellMissingReceiptFromDenied',
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    reporterRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteReports',
        actions: ['s3:PutObject'],
        resources: [objects(REPORTS_PREFIX)],
      }),
    );
    grantKeyVia(this.key, reporterRole, 's3', ['kms:Decrypt', 'kms:GenerateDataKey']);
    props.findings.grantStoreAccess(reporterRole);
    // A full sweep resolves the open findings of accounts that left the organization: only a Scan finds
    // them (the table is keyed by account). Once a day, over a small table.
    props.findings.table.grant(reporterRole, 'dynamodb:Scan');
    grantPublish(props.topic, this.key, reporterRole);
    this.reporter = this.sweepFunction('Reporter', {
      entry: SWEEP_ENTRIES.reporter,
      role: reporterRole,
      description: 'org-mfa-watch sweep: reconciles findings, writes the report, publishes the digest',
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: {
        [SWEEP_ENV.sweepBucketName]: this.bucket.bucketName,
        [CHECKER_ENV.alertTopicArn]: props.topic.topicArn,
        [CHECKER_ENV.alertLocale]: props.locale,
        [CHECKER_ENV.alertTimeZone]: props.timeZone,
        ...props.findings.functionEnvironment(),
        ...COMMON_ENV,
      },
    });

    // ---- state machine ------------------------------------------------------------------------------
    this.stateMachine = this.buildStateMachine(config);
    // The Distributed Map reads the account list and writes its results under the bucket's key, through S3.
    grantKeyVia(this.key, this.stateMachine, 's3', ['kms:Decrypt', 'kms:GenerateDataKey']);

    // ---- triggers -----------------------------------------------------------------------------------
    this.schedule = this.scheduleSweep(config);
    this.triggerDeadLetterQueue = new sqs.Queue(this, 'TriggerDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.triggerDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the joined-account rule targets.',
    });
    this.joinedRules = this.startOnJoinedAccounts(props.bus, props.managementAccountId);
    // sweep.enabled false pauses both triggers; they stay deployed (disabled), ready to resume.
    if (!config.enabled) {
      this.schedule.state = 'DISABLED';
      for (const rule of this.joinedRules) (rule.node.defaultChild as events.CfnRule).state = 'DISABLED';
    }

    // ---- alarms -------------------------------------------------------------------------------------
    this.alarms = this.addAlarms(props.topic);

    // ---- acknowledgements ---------------------------------------------------------------------------
    const acknowledge = (grantee: Construct, finding: string, reason: string): void => {
      Validations.of(grantee).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
    };
    acknowledge(
      plannerRole,
      'Resource::*',
      'Organizations List/Describe actions: ListAccounts has no resource type; all are read-only and answer only through the delegation policy.',
    );
    acknowledge(
      plannerRole,
      bucketObjectsRendered(WORKING_FILES_PREFIX),
      'Account list keys are per execution (sweeps/<execution>/accounts.json); fenced to the working-files prefix.',
    );
    acknowledge(
      workerRole,
      'Resource::arn:<AWS::Partition>:iam::*:role/org-mfa-watch-check',
      'Any account may host the check role; aws:ResourceOrgID limits sts:AssumeRole to accounts of the organization.',
    );
    acknowledge(
      reporterRole,
      bucketObjectsRendered(WORKING_FILES_PREFIX),
      'Map results are written per map run under a prefix Step Functions names; read-only, fenced to the working-files prefix.',
    );
    acknowledge(
      reporterRole,
      bucketObjectsRendered(REPORTS_PREFIX),
      'Report keys are per execution (reports/<execution>/report.csv|json); write-only, fenced to the reports prefix.',
    );
    acknowledge(
      reporterRole,
      `Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${REPORTS_PREFIX}*/digest.json`,
      'Digest receipts are per execution (reports/<execution>/digest.json); read-only, only that file name.',
    );
  }

  /** An execution role trusted by Lambda only (no managed policy: logs are granted per log group). */
  private lambdaRole(id: string, roleName: string | undefined, what: string): iam.Role {
    return new iam.Role(this, id, {
      ...(roleName === undefined ? {} : { roleName }),
      description: `org-mfa-watch ${what}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
  }

  /** A function bundled like the checker, with its own JSON log group kept a year. */
  private sweepFunction(
    id: string,
    options: {
      entry: string;
      role: iam.Role;
      description: string;
      timeout: Duration;
      memorySize: number;
      environment: Record<string, string>;
    },
  ): NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${id}LogGroup`, {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(options.role);
    const fn = new NodejsFunction(this, id, {
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
      bundling: FUNCTION_BUNDLING,
    });
    ignoreCfnLintRule(fn, 'W3005', W3005_CDK_ROLE_DEPENDENCY);
    return fn;
  }

  /**
   * Plan → (joined with inline items: wait, check, retry while not covered) | (Distributed Map over the
   * account list in S3) → Report. The account list never travels through the state (256 KiB quota).
   */
  private buildStateMachine(config: SweepConfig): sfn.StateMachine {
    const retryThrottled = (task: tasks.LambdaInvoke): sfn.TaskStateBase =>
      task.addRetry({
        // Lambda's concurrency limit: wait and try again (service exceptions are retried by default).
        errors: ['Lambda.TooManyRequestsException'],
        interval: Duration.seconds(2),
        backoffRate: 2,
        maxAttempts: 5,
        jitterStrategy: sfn.JitterType.FULL,
      });

    const plan = new tasks.LambdaInvoke(this, 'Plan', {
      comment: 'List the accounts to sweep; write them to S3',
      lambdaFunction: this.planner,
      payload: sfn.TaskInput.fromObject({
        sweepId: sfn.JsonPath.executionName,
        input: sfn.JsonPath.objectAt('$$.Execution.Input'),
      }),
      resultSelector: { plan: sfn.JsonPath.objectAt('$.Payload') },
      resultPath: '$',
    });

    // Full, scheduled and on-demand sweeps: a Distributed Map over the JSON array in S3.
    const check = retryThrottled(
      new tasks.LambdaInvoke(this, 'CheckAccounts', {
        comment: 'Sweep one batch of accounts',
        lambdaFunction: this.worker,
        payloadResponseOnly: true,
      }),
    );
    const sweepAccounts = new sfn.DistributedMap(this, 'SweepAccounts', {
      comment: 'One worker invocation per batch of accounts, bounded concurrency',
      itemReader: new sfn.S3JsonItemReader({
        bucket: this.bucket,
        key: sfn.JsonPath.stringAt('$.plan.key'),
      }),
      itemBatcher: new sfn.ItemBatcher({
        maxItemsPerBatch: config.batchSize,
        // ItemBatcher's BatchInput is copied as it is (CDK does not render paths in it): name them `.$`.
        batchInput: { 'sweepId.$': '$.plan.sweepId', 'mode.$': '$.plan.mode' },
      }),
      maxConcurrency: config.maxConcurrency,
      toleratedFailurePercentage: config.toleratedFailurePercentage,
      resultWriterV2: new sfn.ResultWriterV2({ bucket: this.bucket, prefix: SWEEP_KEYS.mapResultsPrefix }),
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      resultPath: '$.map',
    });
    sweepAccounts.itemProcessor(check);
    const report = new tasks.LambdaInvoke(this, 'Report', {
      comment: 'Reconcile the finding store, write the report, publish the digest',
      lambdaFunction: this.reporter,
      payload: sfn.TaskInput.fromObject({
        plan: sfn.JsonPath.objectAt('$.plan'),
        results: sfn.JsonPath.objectAt('$.map.ResultWriterDetails'),
      }),
      outputPath: '$.Payload',
    });

    // A joining account: wait for its StackSet instance, retry while it is not covered, then report.
    const attempts = config.joinedAccount.attempts;
    const firstAttempt = new sfn.Pass(this, 'FirstAttempt', {
      parameters: { plan: sfn.JsonPath.objectAt('$.plan'), attempt: 1 },
    });
    const waitForStackSet = new sfn.Wait(this, 'WaitForStackSetInstance', {
      time: sfn.WaitTime.duration(Duration.minutes(config.joinedAccount.waitMinutes)),
    });
    const lastAttempt = new sfn.Pass(this, 'LastAttempt', {
      result: sfn.Result.fromBoolean(true),
      resultPath: '$.final',
    });
    const earlierAttempt = new sfn.Pass(this, 'EarlierAttempt', {
      result: sfn.Result.fromBoolean(false),
      resultPath: '$.final',
    });
    const checkJoined = retryThrottled(
      new tasks.LambdaInvoke(this, 'CheckJoinedAccounts', {
        comment: 'Sweep the joining accounts, passed inline',
        lambdaFunction: this.worker,
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
    const notCovered = new sfn.Pass(this, 'FindNotCovered', {
      parameters: {
        accounts: sfn.JsonPath.objectAt("$.result.batch.accounts[?(@.outcome == 'not-covered')]"),
      },
      resultPath: '$.notCovered',
    });
    const nextAttempt = new sfn.Pass(this, 'NextAttempt', {
      parameters: {
        plan: sfn.JsonPath.objectAt('$.plan'),
        attempt: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.attempt'), 1),
      },
    });
    const reportJoined = new tasks.LambdaInvoke(this, 'ReportJoined', {
      comment: 'Reconcile, write the report and publish the digest of the joining accounts',
      lambdaFunction: this.reporter,
      payload: sfn.TaskInput.fromObject({
        plan: sfn.JsonPath.objectAt('$.plan'),
        batches: sfn.JsonPath.array(sfn.JsonPath.stringAt('$.result.batch')),
      }),
      outputPath: '$.Payload',
    });
    const joined = firstAttempt
      .next(waitForStackSet)
      .next(
        new sfn.Choice(this, 'IsLastAttempt')
          .when(sfn.Condition.numberGreaterThanEquals('$.attempt', attempts), lastAttempt)
          .otherwise(earlierAttempt)
          .afterwards(),
      )
      .next(checkJoined)
      .next(notCovered)
      .next(
        new sfn.Choice(this, 'RetryWhileNotCovered')
          .when(
            sfn.Condition.and(
              sfn.Condition.booleanEquals('$.final', false),
              sfn.Condition.isPresent('$.notCovered.accounts[0]'),
            ),
            nextAttempt.next(waitForStackSet),
          )
          .otherwise(reportJoined),
      );

    const route = new sfn.Choice(this, 'JoinedOrFull')
      .when(
        sfn.Condition.and(
          sfn.Condition.stringEquals('$.plan.mode', 'joined' satisfies SweepInput['mode']),
          sfn.Condition.isPresent('$.plan.items'),
        ),
        joined,
      )
      .otherwise(sweepAccounts.next(report));

    const logGroup = new logs.LogGroup(this, 'StateMachineLogGroup', {
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
    const stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: NAMES.sweepStateMachine,
      comment: 'org-mfa-watch: sweep every account of the organization for IAM users without MFA',
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(route)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: SWEEP_TIMEOUT,
      // Every state transition is logged, without the data (user names stay out of the logs).
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    ignoreCfnLintRule(stateMachine, 'W3005', W3005_CDK_ROLE_DEPENDENCY);
    Validations.of(stateMachine).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'Each task is one Lambda invocation whose duration and errors are in the execution history, the Lambda metrics and the JSON logs; X-Ray would add a wildcard permission and cost without new information.',
    });
    const ackSm = (finding: string, reason: string): void => {
      Validations.of(stateMachine).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
    };
    ackSm(
      'Resource::*',
      'CloudWatch Logs vended delivery (logs:CreateLogDelivery, ...) supports no resource-level permissions.',
    );
    for (const fn of [this.planner, this.worker, this.reporter]) {
      ackSm(
        `Resource::<${Stack.of(this).getLogicalId(fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*`,
        'From LambdaInvoke: versions and aliases of this one function.',
      );
    }
    const stack = Stack.of(this);
    ackSm(
      `Resource::arn:<AWS::Partition>:s3:::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}>/*`,
      'From the Distributed Map ItemReader and ResultWriter: account lists and map results in the sweep bucket.',
    );
    // From DistributedMap: the map runs are child executions of this state machine, whose ids are made
    // at run time (states:DescribeExecution/StopExecution on them).
    const executions = `arn:<AWS::Partition>:states:${stack.region}:${stack.account}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${stack.getLogicalId(stateMachine.node.defaultChild as sfn.CfnStateMachine)}"}]}]}`;
    ackSm(`Resource::${executions}:*`, 'Executions of this state machine only (the map runs of a sweep).');
    ackSm(
      `Resource::${executions}/*:*`,
      'Child executions of the Distributed Map of this state machine only (ids made at run time).',
    );
    return stateMachine;
  }

  /** The recurring sweep: EventBridge Scheduler starts an execution with `{"mode":"scheduled"}`. */
  private scheduleSweep(config: SweepConfig): scheduler.CfnSchedule {
    const stack = Stack.of(this);
    const group = new scheduler.CfnScheduleGroup(this, 'ScheduleGroup', { name: NAMES.sweepScheduleGroup });
    const role = new iam.Role(this, 'SchedulerRole', {
      description: 'org-mfa-watch: lets EventBridge Scheduler start the daily sweep',
      // Scheduler sets aws:SourceArn to the ARN of the schedule GROUP, never of a schedule: a condition on
      // the schedule's ARN would never match (EventBridge Scheduler User Guide, "Cross-service confused
      // deputy prevention"). The group holds only this schedule.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'scheduler',
              resource: 'schedule-group',
              resourceName: NAMES.sweepScheduleGroup,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          },
        },
      }),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StartSweep',
        actions: ['states:StartExecution'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    const input: SweepInput = { mode: 'scheduled' };
    const schedule = new scheduler.CfnSchedule(this, 'Schedule', {
      groupName: group.name ?? NAMES.sweepScheduleGroup,
      description: 'org-mfa-watch: the recurring org-wide sweep',
      scheduleExpression: config.schedule.expression,
      scheduleExpressionTimezone: config.schedule.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.stateMachine.stateMachineArn,
        roleArn: role.roleArn,
        input: JSON.stringify(input),
        // A missed start is retried for an hour; the alarms on the group say when it gives up.
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 10 },
      },
    });
    schedule.node.addDependency(group);
    return schedule;
  }

  /**
   * Rules on the central bus, for the `aws.organizations` events the management account forwards: a
   * created account (its id is in the event) and an invited account that accepted (the planner finds
   * accounts that joined in the last {@link JOINED_WITHIN_HOURS} hours).
   */
  private startOnJoinedAccounts(bus: events.IEventBus, managementAccountId: string): events.Rule[] {
    const stack = Stack.of(this);
    const ruleArn = (name: string): string =>
      stack.formatArn({
        service: 'events',
        resource: 'rule',
        resourceName: `${NAMES.centralBus}/${name}`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const names = [NAMES.sweepJoinedCreatedRule, NAMES.sweepJoinedInvitedRule];
    // One role for both rules; only EventBridge acting for one of them may use it (confused deputy).
    const role = new iam.Role(this, 'JoinedRuleRole', {
      description: 'org-mfa-watch: lets the joined-account rules start a sweep',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': names.map(ruleArn) },
        },
      }),
    });
    const target = (input: events.RuleTargetInput): targets.SfnStateMachine =>
      new targets.SfnStateMachine(this.stateMachine, {
        input,
        role,
        deadLetterQueue: this.triggerDeadLetterQueue,
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      });
    const created = new events.Rule(this, 'AccountCreatedRule', {
      ruleName: NAMES.sweepJoinedCreatedRule,
      eventBus: bus,
      description:
        'org-mfa-watch: sweep an account created in the organization once its StackSet instance lands',
      eventPattern: accountCreatedPattern(managementAccountId),
    });
    created.addTarget(
      target(
        events.RuleTargetInput.fromObject({
          mode: 'joined',
          accountIds: [
            events.EventField.fromPath('$.detail.serviceEventDetails.createAccountStatus.accountId'),
          ],
        }),
      ),
    );
    const joinedInput: SweepInput = { mode: 'joined' };
    const invited = new events.Rule(this, 'AccountJoinedRule', {
      ruleName: NAMES.sweepJoinedInvitedRule,
      eventBus: bus,
      description:
        'org-mfa-watch: sweep accounts that joined the organization once their StackSet instance lands',
      eventPattern: accountJoinedPattern(managementAccountId),
    });
    invited.addTarget(target(events.RuleTargetInput.fromObject(joinedInput)));
    return [created, invited];
  }

  private addAlarms(topic: sns.ITopic): cloudwatch.Alarm[] {
    const notify = new actions.SnsAction(topic);
    const period = Duration.minutes(5);
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm => {
      const a = new cloudwatch.Alarm(this, id, {
        alarmDescription: `org-mfa-watch: ${description} See docs/operations.md.`,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(notify);
      return a;
    };
    const stat = { period, statistic: 'Sum' };
    const scheduler = (metricName: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: 'AWS/Scheduler',
        metricName,
        dimensionsMap: { ScheduleGroup: NAMES.sweepScheduleGroup },
        ...stat,
      });
    return [
      alarm('SweepFailed', this.stateMachine.metricFailed(stat), 'a sweep execution failed.'),
      alarm('SweepTimedOut', this.stateMachine.metricTimedOut(stat), 'a sweep execution timed out.'),
      alarm('SweepAborted', this.stateMachine.metricAborted(stat), 'a sweep execution was stopped.'),
      alarm(
        'SweepScheduleDropped',
        scheduler('InvocationDroppedCount'),
        'EventBridge Scheduler could not start the scheduled sweep after its retries.',
      ),
      alarm(
        'SweepTriggerDeadLetter',
        this.triggerDeadLetterQueue.metricNumberOfMessagesSent(stat),
        'a joined-account event could not start a sweep (it is in the sweep trigger dead-letter queue).',
      ),
    ];
  }
}
