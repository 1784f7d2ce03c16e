import { Match, type Template } from 'aws-cdk-lib/assertions';
import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { CANARY_ENV, CANARY_WAIT_MINUTES_RANGE } from '../../functions/contract/canary';
import { CHECKER_ENV } from '../../functions/contract/contract';
import { FINDINGS_ENV } from '../../functions/contract/findings';
import {
  INLINE_ITEMS_MAX,
  PLANNER_ORGANIZATIONS_ACTIONS,
  SWEEP_ENV,
  SWEEP_KEYS,
} from '../../functions/contract/sweep';
import {
  JOINED_WITHIN_HOURS,
  NONCURRENT_VERSION_DAYS,
  REPORTS_PREFIX,
  SWEEP_TIMEOUT,
  SWEEP_WORKER_TIMEOUT_SECONDS,
  WORKING_FILES_DAYS,
  WORKING_FILES_PREFIX,
} from '../../stacks/constructs/sweep';
import { CentralStack } from '../../stacks/central-stack';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { synthAppOnce, testConfig } from '../helpers/app';
import { matchesPattern } from '../helpers/event-pattern';
import { synthWithNag, violations, type NagReport } from '../helpers/nag';
import {
  logicalIdOf,
  policiesOfRole,
  resolveIntrinsics,
  simulate,
  type PolicyDocument,
} from '../helpers/policy-simulation';

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties: Json };

const config = testConfig();
const SECURITY = '222222222222';
const REGION = 'eu-central-1';

let central: Template;
let centralJson: Json;
let management: Template;
let managementJson: Json;

beforeAll(() => {
  const app = synthAppOnce(config);
  central = app.central;
  centralJson = app.central.toJSON();
  management = app.management;
  managementJson = app.management.toJSON();
});

const resourcesOf = (json: Json) => json.Resources as Record<string, Resource>;
const roleId = (name: string) => logicalIdOf(centralJson, 'AWS::IAM::Role', { RoleName: name });
const functionOfRole = (roleLogicalId: string): Resource => {
  const fns = Object.values(resourcesOf(centralJson)).filter(
    (r) =>
      r.Type === 'AWS::Lambda::Function' &&
      JSON.stringify(r.Properties.Role) === JSON.stringify({ 'Fn::GetAtt': [roleLogicalId, 'Arn'] }),
  );
  expect(fns).toHaveLength(1);
  return fns[0] as Resource;
};
const reporterRoleId = () => {
  const ids = Object.keys(resourcesOf(centralJson)).filter(
    (id) => id.startsWith('SweepReporterRole') && resourcesOf(centralJson)[id]?.Type === 'AWS::IAM::Role',
  );
  expect(ids).toHaveLength(1);
  return ids[0] ?? '';
};
const bucketId = () => Object.keys(central.findResources('AWS::S3::Bucket'))[0] ?? '';
const topicId = () => logicalIdOf(centralJson, 'AWS::SNS::Topic', { TopicName: NAMES.alertTopic });
const tableId = () =>
  logicalIdOf(centralJson, 'AWS::DynamoDB::GlobalTable', { TableName: NAMES.findingsTable });
const busId = () => logicalIdOf(centralJson, 'AWS::Events::EventBus', { Name: NAMES.centralBus });
const stateMachineId = () =>
  logicalIdOf(centralJson, 'AWS::StepFunctions::StateMachine', { StateMachineName: NAMES.sweepStateMachine });
const envOf = (fn: Resource) => (fn.Properties.Environment as { Variables: Json }).Variables;

/** The state machine definition with every CloudFormation token replaced by a plausible value. */
function definition(): Json {
  const resources: Record<string, string> = {};
  for (const [id, r] of Object.entries(resourcesOf(centralJson))) {
    if (r.Type === 'AWS::Lambda::Function') {
      resources[`${id}.Arn`] = `arn:aws:lambda:${REGION}:${SECURITY}:function:${id}`;
      resources[id] = id;
    }
    if (r.Type === 'AWS::S3::Bucket') resources[id] = 'org-mfa-watch-sweep-bucket';
  }
  const sm = resourcesOf(centralJson)[stateMachineId()];
  const text = resolveIntrinsics(sm?.Properties.DefinitionString, {
    account: SECURITY,
    region: REGION,
    resources,
  });
  expect(String(text)).not.toContain('unresolved');
  return JSON.parse(String(text)) as Json;
}
const states = (): Record<string, Json> => definition().States as Record<string, Json>;

describe('sweep bucket', () => {
  it("is encrypted with the stack's one rotated key, versioned, private, TLS 1.2+ only and retained", () => {
    // ADR 0019: the central key, shared with the topics and the table.
    const key = Object.entries(resourcesOf(centralJson)).find(
      ([, r]) => r.Type === 'AWS::KMS::Key' && String(r.Properties.Description).includes('the sweep bucket'),
    );
    expect(key?.[1].Properties.EnableKeyRotation).toBe(true);
    central.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [key?.[0], 'Arn'] },
              },
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    });
    central.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  it('expires working files after days, reports after reportRetentionDays, old versions after a month', () => {
    central.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          {
            Id: 'WorkingFiles',
            Prefix: WORKING_FILES_PREFIX,
            ExpirationInDays: WORKING_FILES_DAYS,
            Status: 'Enabled',
          },
          {
            Id: 'Reports',
            Prefix: REPORTS_PREFIX,
            ExpirationInDays: config.sweep.reportRetentionDays,
            Status: 'Enabled',
          },
          {
            Id: 'OldVersionsAndUploads',
            NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            ExpiredObjectDeleteMarker: true,
            Status: 'Enabled',
          },
        ],
      },
    });
  });

  it('keeps every key of the contract under a prefix its lifecycle rule covers', () => {
    for (const key of [SWEEP_KEYS.accounts('s-1'), `${SWEEP_KEYS.mapResultsPrefix}/x`]) {
      expect(key.startsWith(WORKING_FILES_PREFIX)).toBe(true);
    }
    for (const key of [SWEEP_KEYS.reportCsv('s-1'), SWEEP_KEYS.reportJson('s-1')]) {
      expect(key.startsWith(REPORTS_PREFIX)).toBe(true);
    }
  });

  it('follows reportRetentionDays from the configuration', () => {
    const custom = synthAppOnce(testConfig({ sweep: { reportRetentionDays: 30 } }));
    custom.central.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Id: 'Reports', ExpirationInDays: 30 })]),
      },
    });
  });
});

describe('sweep functions', () => {
  it.each([
    ['planner', NAMES.sweepPlannerRole, 900, 512],
    ['worker', NAMES.sweepWorkerRole, SWEEP_WORKER_TIMEOUT_SECONDS, 1024],
  ])(
    'the %s runs on Node.js 24 arm64 under its named role, with its own JSON log group',
    (_n, role, timeout, memory) => {
      const fn = functionOfRole(roleId(role));
      expect(fn.Properties).toMatchObject({
        Handler: 'index.handler',
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Timeout: timeout,
        MemorySize: memory,
        LoggingConfig: { LogFormat: 'JSON' },
      });
      const logGroup = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resourcesOf(centralJson)[logGroup]?.Properties.RetentionInDays).toBe(365);
    },
  );

  it('the worker fits, with its retries, in the 5 minutes of an Express child workflow', () => {
    expect(SWEEP_WORKER_TIMEOUT_SECONDS).toBeLessThan(300);
  });

  it('the planner gets the bucket, the rollout, the exclusions and the management account', () => {
    expect(envOf(functionOfRole(roleId(NAMES.sweepPlannerRole)))).toEqual({
      [SWEEP_ENV.sweepBucketName]: { Ref: bucketId() },
      [SWEEP_ENV.rolloutOrganizationalUnitIds]: JSON.stringify(config.rollout.organizationalUnitIds),
      [SWEEP_ENV.excludedAccountIds]: JSON.stringify(config.rollout.excludeAccountIds),
      [SWEEP_ENV.managementAccountId]: config.managementAccountId,
      [SWEEP_ENV.joinedWithinHours]: String(JOINED_WITHIN_HOURS),
      // deployFrom management: the reader role is in the management account, called as SELF.
      [SWEEP_ENV.rolloutReaderRoleArn]: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            `:iam::${config.managementAccountId}:role/${NAMES.rolloutReaderRole}`,
          ],
        ],
      },
      [SWEEP_ENV.stackSetName]: NAMES.stackSet,
      [SWEEP_ENV.stackSetCallAs]: 'SELF',
      [SWEEP_ENV.stackSetRegion]: 'us-east-1',
      POWERTOOLS_SERVICE_NAME: 'org-mfa-watch',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('the worker gets the checker settings it shares, the finding store and the forward rule to verify', () => {
    expect(envOf(functionOfRole(roleId(NAMES.sweepWorkerRole)))).toEqual({
      [CHECKER_ENV.checkRoleName]: NAMES.memberCheckRole,
      [CHECKER_ENV.alertTopicArn]: { Ref: topicId() },
      [CHECKER_ENV.alertLocale]: 'ko',
      [CHECKER_ENV.alertTimeZone]: 'Asia/Seoul',
      [CHECKER_ENV.gracePeriodHours]: '24',
      [CHECKER_ENV.exemptions]: JSON.stringify(config.exemptions),
      [CHECKER_ENV.trustExemptionTags]: 'false',
      [FINDINGS_ENV.tableName]: { Ref: tableId() },
      [FINDINGS_ENV.resolvedRetentionDays]: '90',
      [SWEEP_ENV.credentialReportMaxAgeHours]: '4',
      [SWEEP_ENV.centralBusArn]: { 'Fn::GetAtt': [busId(), 'Arn'] },
      [SWEEP_ENV.forwardRuleName]: NAMES.memberForwardRule,
      [SWEEP_ENV.forwardRuleRegion]: 'us-east-1',
      [SWEEP_ENV.forwardDeadLetterQueueName]: NAMES.memberForwardDeadLetterQueue,
      [SWEEP_ENV.alertStormThreshold]: '10',
      [CANARY_ENV.enabled]: 'true',
      POWERTOOLS_SERVICE_NAME: 'org-mfa-watch',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('the worker gets no chat topic and no Security Hub switch when both are off (the default)', () => {
    expect(config.chat).toBeUndefined();
    expect(config.securityHub.enabled).toBe(false);
    const env = envOf(functionOfRole(roleId(NAMES.sweepWorkerRole)));
    expect(env).not.toHaveProperty(CHECKER_ENV.chatTopicArn);
    expect(env).not.toHaveProperty(CHECKER_ENV.securityHubExport);
    expect(env).not.toHaveProperty(CHECKER_ENV.securityHubRegion);
  });

  it('the reporter gets the bucket, the topic and the finding store', () => {
    expect(envOf(functionOfRole(reporterRoleId()))).toEqual({
      [SWEEP_ENV.sweepBucketName]: { Ref: bucketId() },
      [CHECKER_ENV.alertTopicArn]: { Ref: topicId() },
      [CHECKER_ENV.alertLocale]: 'ko',
      [CHECKER_ENV.alertTimeZone]: 'Asia/Seoul',
      [FINDINGS_ENV.tableName]: { Ref: tableId() },
      [FINDINGS_ENV.resolvedRetentionDays]: '90',
      POWERTOOLS_SERVICE_NAME: 'org-mfa-watch',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('the planner may call exactly the read-only Organizations actions of the contract', () => {
    central.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId(NAMES.sweepPlannerRole) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadOrganizationThroughDelegationPolicy',
            Effect: 'Allow',
            Action: [...PLANNER_ORGANIZATIONS_ACTIONS],
            Resource: '*',
          },
        ]),
      },
    });
    for (const action of PLANNER_ORGANIZATIONS_ACTIONS) {
      expect(action).toMatch(/^organizations:(Describe|List)/);
    }
  });
});

describe('sweep state machine', () => {
  it('is a Standard state machine named org-mfa-watch-sweep, logging every transition without data', () => {
    const sm = resourcesOf(centralJson)[stateMachineId()];
    expect(sm?.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  it('is valid Amazon States Language once its tokens are resolved (asl-validator)', () => {
    const result = aslValidator(definition(), { checkArn: true, checkPaths: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('the validator is live: it rejects a transition to a missing state', () => {
    const broken = definition();
    (broken.States as Record<string, Json>).Plan = {
      ...(broken.States as Record<string, Json>).Plan,
      Next: 'Nowhere',
    };
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('plans with the execution name and input, and keeps only the plan in the state', () => {
    const plan = states().Plan;
    expect(plan).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { 'sweepId.$': '$$.Execution.Name', 'input.$': '$$.Execution.Input' } },
      ResultSelector: { 'plan.$': '$.Payload' },
      ResultPath: '$',
      Next: 'JoinedOrFull',
    });
  });

  it('takes the joined path only for a joined plan with its items inline, else the Distributed Map', () => {
    expect(states().JoinedOrFull).toEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.plan.mode', StringEquals: 'joined' },
            { Variable: '$.plan.items', IsPresent: true },
          ],
          Next: 'FirstAttempt',
        },
      ],
      Default: 'SweepAccounts',
    });
    expect(INLINE_ITEMS_MAX).toBeLessThanOrEqual(50);
  });

  it('maps over the account list in S3, batched, bounded, tolerant, writing results to the bucket', () => {
    const map = states().SweepAccounts;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { Bucket: 'org-mfa-watch-sweep-bucket', 'Key.$': '$.plan.key' },
      },
      ItemBatcher: {
        MaxItemsPerBatch: config.sweep.batchSize,
        BatchInput: { 'sweepId.$': '$.plan.sweepId', 'mode.$': '$.plan.mode' },
      },
      MaxConcurrency: config.sweep.maxConcurrency,
      ToleratedFailurePercentage: config.sweep.toleratedFailurePercentage,
      ResultWriter: {
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: 'org-mfa-watch-sweep-bucket', Prefix: SWEEP_KEYS.mapResultsPrefix },
      },
      ResultPath: '$.map',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } },
      Next: 'WaitForCanaries',
    });
    // The list itself never enters the state: no ItemsPath, no Items.
    expect(map).not.toHaveProperty('ItemsPath');
    expect(map).not.toHaveProperty('Items');
  });

  it('invokes the worker per batch (the batch is the whole input) and retries Lambda service errors and throttling', () => {
    const processor = (states().SweepAccounts?.ItemProcessor as { States: Record<string, Json> }).States;
    const check = processor.CheckAccounts;
    const workerId = Object.keys(resourcesOf(centralJson)).find(
      (id) => id.startsWith('SweepWorker') && resourcesOf(centralJson)[id]?.Type === 'AWS::Lambda::Function',
    );
    expect(check).toMatchObject({
      Type: 'Task',
      Resource: `arn:aws:lambda:${REGION}:${SECURITY}:function:${workerId ?? ''}`,
      End: true,
    });
    expect(check).not.toHaveProperty('Parameters');
    const retried = (check?.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
    expect(retried).toEqual(
      expect.arrayContaining([
        'Lambda.ServiceException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ]),
    );
  });

  it('waits canary.waitMinutes for the canaries after the map, then reports (docs/adr/0021-canary.md)', () => {
    expect(states().WaitForCanaries).toEqual({
      Type: 'Wait',
      Comment: expect.any(String) as string,
      Seconds: config.canary.waitMinutes * 60,
      Next: 'Report',
    });
    // The longest wait leaves the sweep's 12-hour execution timeout almost untouched.
    expect(CANARY_WAIT_MINUTES_RANGE.max * 60).toBeLessThan(SWEEP_TIMEOUT.toSeconds() / 10);
  });

  it('without the canary: no wait, and the worker sends none', () => {
    const off = JSON.stringify(synthAppOnce(testConfig({ canary: { enabled: false } })).central.toJSON());
    expect(off).toContain('SweepAccounts');
    expect(off).not.toContain('WaitForCanaries');
    expect(off).toContain(`"${CANARY_ENV.enabled}":"false"`);
  });

  it('reports with the plan and the ResultWriter manifest, and ends with the report summary', () => {
    expect(states().Report).toMatchObject({
      Parameters: { Payload: { 'plan.$': '$.plan', 'results.$': '$.map.ResultWriterDetails' } },
      OutputPath: '$.Payload',
      End: true,
    });
  });

  it('joined: waits waitMinutes, then invokes the worker with the inline items and final on the last attempt', () => {
    const s = states();
    expect(s.FirstAttempt).toEqual({
      Type: 'Pass',
      Parameters: { 'plan.$': '$.plan', attempt: 1 },
      Next: 'WaitForStackSetInstance',
    });
    expect(s.WaitForStackSetInstance).toEqual({
      Type: 'Wait',
      Seconds: config.sweep.joinedAccount.waitMinutes * 60,
      Next: 'IsLastAttempt',
    });
    expect(s.IsLastAttempt).toEqual({
      Type: 'Choice',
      Choices: [
        {
          Variable: '$.attempt',
          NumericGreaterThanEquals: config.sweep.joinedAccount.attempts,
          Next: 'LastAttempt',
        },
      ],
      Default: 'EarlierAttempt',
    });
    expect(s.LastAttempt).toMatchObject({ Result: true, ResultPath: '$.final', Next: 'CheckJoinedAccounts' });
    expect(s.EarlierAttempt).toMatchObject({
      Result: false,
      ResultPath: '$.final',
      Next: 'CheckJoinedAccounts',
    });
    expect(s.CheckJoinedAccounts).toMatchObject({
      Parameters: {
        Payload: {
          'Items.$': '$.plan.items',
          BatchInput: { 'sweepId.$': '$.plan.sweepId', mode: 'joined', 'final.$': '$.final' },
        },
      },
      ResultSelector: { 'batch.$': '$.Payload' },
      ResultPath: '$.result',
      Next: 'FindNotCovered',
    });
  });

  it('joined: retries while an account is not covered and attempts remain, counting with States.MathAdd', () => {
    const s = states();
    expect(s.FindNotCovered).toMatchObject({
      Parameters: { 'accounts.$': "$.result.batch.accounts[?(@.outcome == 'not-covered')]" },
      ResultPath: '$.notCovered',
      Next: 'RetryWhileNotCovered',
    });
    expect(s.RetryWhileNotCovered).toEqual({
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.final', BooleanEquals: false },
            { Variable: '$.notCovered.accounts[0]', IsPresent: true },
          ],
          Next: 'NextAttempt',
        },
      ],
      Default: 'ReportJoined',
    });
    expect(s.NextAttempt).toEqual({
      Type: 'Pass',
      Parameters: { 'plan.$': '$.plan', 'attempt.$': 'States.MathAdd($.attempt, 1)' },
      Next: 'WaitForStackSetInstance',
    });
    expect(s.ReportJoined).toMatchObject({
      Parameters: { Payload: { 'plan.$': '$.plan', 'batches.$': 'States.Array($.result.batch)' } },
      OutputPath: '$.Payload',
      End: true,
    });
  });

  it('follows the joined-account settings of the configuration', () => {
    const custom = synthAppOnce(
      testConfig({
        sweep: { joinedAccount: { waitMinutes: 5, attempts: 2 }, batchSize: 3, maxConcurrency: 7 },
      }),
    );
    const text = JSON.stringify(custom.central.findResources('AWS::StepFunctions::StateMachine'));
    expect(text).toContain('\\"Seconds\\":300');
    expect(text).toContain('\\"NumericGreaterThanEquals\\":2');
    expect(text).toContain('\\"MaxItemsPerBatch\\":3');
    expect(text).toContain('\\"MaxConcurrency\\":7');
  });

  it('alarms on failed, timed-out and aborted executions to the alert topic', () => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      central.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId() } }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topicId() }],
      });
    }
  });
});

describe('sweep triggers', () => {
  it('schedules the sweep with the configured cron in the configured time zone, input {"mode":"scheduled"}', () => {
    central.hasResourceProperties('AWS::Scheduler::Schedule', {
      GroupName: NAMES.sweepScheduleGroup,
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Seoul',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({ Arn: { Ref: stateMachineId() }, Input: '{"mode":"scheduled"}' }),
    });
  });

  it('lets the schedule role start only the sweep', () => {
    const role = Object.entries(resourcesOf(centralJson)).find(
      ([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith('SweepSchedulerRole'),
    )?.[0];
    central.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: [
          {
            Sid: 'StartSweep',
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: { Ref: stateMachineId() },
          },
        ],
      },
    });
  });

  it('starts a joined sweep with the new account id when an account is created', () => {
    central.hasResourceProperties('AWS::Events::Rule', {
      Name: NAMES.sweepJoinedCreatedRule,
      EventBusName: { Ref: busId() },
      Targets: [
        Match.objectLike({
          Arn: { Ref: stateMachineId() },
          InputTransformer: {
            InputPathsMap: {
              'detail-serviceEventDetails-createAccountStatus-accountId':
                '$.detail.serviceEventDetails.createAccountStatus.accountId',
            },
            InputTemplate:
              '{"mode":"joined","accountIds":[<detail-serviceEventDetails-createAccountStatus-accountId>]}',
          },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
  });

  it('starts a joined sweep when an account joins by invitation', () => {
    central.hasResourceProperties('AWS::Events::Rule', {
      Name: NAMES.sweepJoinedInvitedRule,
      EventBusName: { Ref: busId() },
      Targets: [Match.objectLike({ Arn: { Ref: stateMachineId() }, Input: '{"mode":"joined"}' })],
    });
  });
});

describe('account-joined event patterns', () => {
  // AWS Organizations User Guide, "Logging AWS Organizations API calls with AWS CloudTrail": the
  // management account records CreateAccountResult (a service event) when CreateAccount finishes.
  const envelope = (eventName: string, serviceEventDetails: Json): Json => ({
    version: '0',
    id: 'e-1',
    'detail-type': 'AWS Service Event via CloudTrail',
    source: 'aws.organizations',
    account: '111111111111',
    region: 'us-east-1',
    time: '2026-11-30T10:00:00Z',
    resources: [],
    detail: {
      eventVersion: '1.08',
      eventSource: 'organizations.amazonaws.com',
      eventName,
      eventType: 'AwsServiceEvent',
      awsRegion: 'us-east-1',
      serviceEventDetails,
    },
  });
  const created = (state: string) =>
    envelope('CreateAccountResult', {
      createAccountStatus: { id: 'car-1', state, accountName: 'new', accountId: '444444444444' },
    });
  const joined = envelope('AccountJoinedOrganization', { joinedMethod: 'Invited' });
  // The patterns as synthesized (EventBridge reads these, not the CDK objects).
  const patternOf = (json: Json, name: string): unknown =>
    Object.values(resourcesOf(json)).find((r) => r.Type === 'AWS::Events::Rule' && r.Properties.Name === name)
      ?.Properties.EventPattern;
  const accountCreatedPattern = () => patternOf(centralJson, NAMES.sweepJoinedCreatedRule);
  const accountJoinedPattern = () => patternOf(centralJson, NAMES.sweepJoinedInvitedRule);
  const organizationJoinEventsPattern = () => patternOf(managementJson, NAMES.orgEventsForwardRule);

  it('the created rule matches a successful CreateAccountResult only', () => {
    expect(matchesPattern(accountCreatedPattern(), created('SUCCEEDED'))).toBe(true);
    expect(matchesPattern(accountCreatedPattern(), created('FAILED'))).toBe(false);
    expect(matchesPattern(accountCreatedPattern(), joined)).toBe(false);
  });

  it('the joined rule matches AccountJoinedOrganization only', () => {
    expect(matchesPattern(accountJoinedPattern(), joined)).toBe(true);
    expect(matchesPattern(accountJoinedPattern(), created('SUCCEEDED'))).toBe(false);
  });

  // A created account fires both CreateAccountResult and AccountJoinedOrganization with joinedMethod
  // CREATED; an invited one only AccountJoinedOrganization with joinedMethod INVITED (AWS Organizations
  // API Reference, "AcceptHandshake": "an AccountJoinedOrganization event is logged with
  // joinedMethod:INVITED and joinedTime fields", https://docs.aws.amazon.com/organizations/latest/APIReference/API_AcceptHandshake.html;
  // the values are the AccountJoinedMethod enum, INVITED | CREATED, "Account" data type). Created
  // accounts are swept once, by CreateAccountResult (it carries the account id and the outcome). No
  // public sample shows the detail-type of AccountJoinedOrganization: both CloudTrail detail-types match.
  const joinedAs = (
    joinedMethod: string | undefined,
    detailType = 'AWS Service Event via CloudTrail',
  ): Json => {
    const event = envelope(
      'AccountJoinedOrganization',
      joinedMethod === undefined
        ? { joinedTime: '2026-11-30T10:00:00Z' }
        : { joinedMethod, joinedTime: '2026-11-30T10:00:00Z' },
    );
    return { ...event, 'detail-type': detailType };
  };
  const fromMember = (event: Json): Json => ({ ...event, account: '333333333333' });

  it('sweeps a created account once: the joined rule drops AccountJoinedOrganization with joinedMethod CREATED', () => {
    const created = ['CREATED', 'Created'].map((method) => joinedAs(method));
    for (const event of created) expect(matchesPattern(accountJoinedPattern(), event)).toBe(false);
    expect(matchesPattern(accountJoinedPattern(), joinedAs('INVITED'))).toBe(true);
  });

  it('matches AccountJoinedOrganization under both CloudTrail detail-types', () => {
    expect(matchesPattern(accountJoinedPattern(), joinedAs('INVITED', 'AWS API Call via CloudTrail'))).toBe(
      true,
    );
    expect(matchesPattern(accountJoinedPattern(), joinedAs('CREATED', 'AWS API Call via CloudTrail'))).toBe(
      false,
    );
    expect(
      matchesPattern(accountJoinedPattern(), joinedAs('INVITED', 'AWS Console Sign In via CloudTrail')),
    ).toBe(false);
    expect(
      matchesPattern(organizationJoinEventsPattern(), joinedAs('INVITED', 'AWS API Call via CloudTrail')),
    ).toBe(true);
  });

  it('sweeps a joining account whose event carries no joinedMethod (never silently drops an invited account)', () => {
    expect(matchesPattern(accountJoinedPattern(), joinedAs(undefined))).toBe(true);
  });

  it('both central rules accept only events whose account is the management account', () => {
    expect(matchesPattern(accountCreatedPattern(), fromMember(created('SUCCEEDED')))).toBe(false);
    expect(matchesPattern(accountJoinedPattern(), fromMember(joinedAs('INVITED')))).toBe(false);
    expect(matchesPattern(accountCreatedPattern(), created('SUCCEEDED'))).toBe(true);
  });

  it('the management account forwards both, and no API call of another service', () => {
    expect(matchesPattern(organizationJoinEventsPattern(), joined)).toBe(true);
    expect(matchesPattern(organizationJoinEventsPattern(), created('SUCCEEDED'))).toBe(true);
    expect(
      matchesPattern(organizationJoinEventsPattern(), {
        ...joined,
        source: 'aws.iam',
        'detail-type': 'AWS API Call via CloudTrail',
      }),
    ).toBe(false);
  });
});

describe('management stack: organization resources', () => {
  it('adds an Organizations delegation policy for the planner role only, read-only', () => {
    const policies = Object.values(resourcesOf(managementJson)).filter(
      (r) => r.Type === 'AWS::Organizations::ResourcePolicy',
    );
    expect(policies).toHaveLength(1);
    const content = resolveIntrinsics(policies[0]?.Properties.Content, {
      account: '111111111111',
      region: 'us-east-1',
    });
    expect(content).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SweepPlannerReadsAccounts',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${SECURITY}:root` },
          Action: [...PLANNER_ORGANIZATIONS_ACTIONS],
          Resource: '*',
          Condition: {
            ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${SECURITY}:role/${NAMES.sweepPlannerRole}` },
          },
        },
      ],
    });
  });

  it('forwards account-joined events from the default bus to the central bus with its own role and a DLQ', () => {
    management.hasResourceProperties('AWS::Events::Rule', {
      Name: NAMES.orgEventsForwardRule,
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.organizations'],
        'detail-type': ['AWS Service Event via CloudTrail', 'AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['organizations.amazonaws.com'],
          eventName: ['CreateAccountResult', 'AccountJoinedOrganization'],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, `:events:${REGION}:${SECURITY}:event-bus/org-mfa-watch`],
            ],
          },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrgEventsForwardRole'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrgEventsDlq'), 'Arn'] } },
        }),
      ],
    });
  });

  it('creates no service control policy unless tamperProtection is enabled', () => {
    management.resourceCountIs('AWS::Organizations::Policy', 0);
  });

  it('outputs the org-events rule and its dead-letter queue', () => {
    expect(Object.keys(management.findOutputs('*'))).toEqual(
      expect.arrayContaining(['OrgEventsRuleArn', 'OrgEventsDeadLetterQueueUrl']),
    );
  });
});

describe('sweep worker with chat and the Security Hub export on', () => {
  const onConfig = testConfig({
    chat: { slack: [{ workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' }] },
    securityHub: { enabled: true },
  });
  const CHAT_TOPIC = `arn:aws:sns:${REGION}:${SECURITY}:${NAMES.chatTopic}`;
  const WORKER_ROLE = `arn:aws:iam::${SECURITY}:role/${NAMES.sweepWorkerRole}`;
  let json: Json;
  let nag: NagReport;

  beforeAll(() => {
    ({ json, nag } = synthWithNag(
      (app) =>
        new CentralStack(app, STACK_IDS.central, {
          config: onConfig,
          env: { account: onConfig.securityAccountId, region: onConfig.homeRegion },
        }),
    ));
  }, 180_000);

  const workerRoleId = () => logicalIdOf(json, 'AWS::IAM::Role', { RoleName: NAMES.sweepWorkerRole });
  const chatTopicId = () => logicalIdOf(json, 'AWS::SNS::Topic', { TopicName: NAMES.chatTopic });
  const workerPolicies = (): PolicyDocument[] =>
    policiesOfRole(json, workerRoleId(), {
      account: SECURITY,
      region: REGION,
      resources: { [chatTopicId()]: CHAT_TOPIC },
    });

  it('has zero unacknowledged cdk-nag findings', () => {
    expect(violations(nag)).toEqual([]);
  });

  it('passes the chat topic and the export switch with the home region to the worker', () => {
    expect(onConfig.homeRegion).toBe(REGION);
    const fns = Object.values(json.Resources as Record<string, Resource>).filter(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(r.Properties.Role) === JSON.stringify({ 'Fn::GetAtt': [workerRoleId(), 'Arn'] }),
    );
    expect(fns).toHaveLength(1);
    expect(envOf(fns[0]!)).toMatchObject({
      [CHECKER_ENV.chatTopicArn]: { Ref: chatTopicId() },
      [CHECKER_ENV.securityHubExport]: 'true',
      [CHECKER_ENV.securityHubRegion]: REGION,
    });
  });

  it('lets the worker publish to the chat topic (policy simulation)', async () => {
    expect(
      await simulate({
        principal: WORKER_ROLE,
        action: 'sns:Publish',
        resource: CHAT_TOPIC,
        resourceAccount: SECURITY,
        identityPolicies: workerPolicies(),
      }),
    ).toBe('Allowed');
  });

  it('grants the worker itself no Security Hub action: it imports as the member check role', async () => {
    const question = {
      principal: WORKER_ROLE,
      action: 'securityhub:BatchImportFindings',
      resource: `arn:aws:securityhub:${REGION}:${SECURITY}:product/${SECURITY}/default`,
      resourceAccount: SECURITY,
      identityPolicies: workerPolicies(),
    };
    expect(await simulate(question)).toBe('ImplicitlyDenied');
    // The question can fail: the same question with one broad grant on the role is allowed.
    const grantAll: PolicyDocument = { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    expect(await simulate({ ...question, identityPolicies: [...question.identityPolicies, grantAll] })).toBe(
      'Allowed',
    );
  });
});
