import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECKER_ENV, WATCHED_EVENT_NAMES } from '../../functions/contract/contract';
import { FINDINGS_ENV } from '../../functions/contract/findings';
import { CHECKER_TIMEOUT_SECONDS } from '../../functions/contract/timing';
import { CentralStack } from '../../stacks/central-stack';
import { NAMES, STACK_IDS } from '../../stacks/names';
import { testConfig } from '../helpers/app';
import { synthWithNag, violations, type NagReport } from '../helpers/nag';
import { logicalIdOf } from '../helpers/policy-simulation';

// Exact, statement-level assertions on the central stack synthesized alone (no other stack can break
// it), with cdk-nag's AwsSolutions pack. Policy simulation of the synthesized policies (checker role,
// check role trust, bus policy) lives in policy-simulation.test.ts.

const SECURITY_ACCOUNT = '222222222222';
const REGION = 'eu-central-1';

const config = testConfig();
let template: Template;
let json: Record<string, unknown>;
let nag: NagReport;

beforeAll(() => {
  ({ json, nag } = synthWithNag(
    (app) =>
      new CentralStack(app, STACK_IDS.central, {
        config,
        env: { account: config.securityAccountId, region: config.homeRegion },
      }),
  ));
  template = Template.fromJSON(json);
}, 120_000);

// The checker's function and log group, told from the sweep's by its role.
const functionId = () =>
  logicalIdOf(json, 'AWS::Lambda::Function', { Role: { 'Fn::GetAtt': [roleId(), 'Arn'] } });
const roleId = () => logicalIdOf(json, 'AWS::IAM::Role', { RoleName: NAMES.checkerRole });
const topicId = () => logicalIdOf(json, 'AWS::SNS::Topic', { TopicName: NAMES.alertTopic });
const busId = () => logicalIdOf(json, 'AWS::Events::EventBus', { Name: NAMES.centralBus });
// The one customer-managed key of the stack (ADR 0019): topic, table, bucket (and chat topic).
const keyId = () =>
  logicalIdOf(json, 'AWS::KMS::Key', {
    Description:
      'org-mfa-watch: encrypts the alert topic, the findings table, the sweep bucket and the chat topic',
  });
const tableId = () => logicalIdOf(json, 'AWS::DynamoDB::GlobalTable', { TableName: NAMES.findingsTable });
const logGroupId = () =>
  (
    template.findResources('AWS::Lambda::Function')[functionId()] as {
      Properties: { LoggingConfig: { LogGroup: { Ref: string } } };
    }
  ).Properties.LoggingConfig.LogGroup.Ref;

/** The queue behind a `...QueueUrl` output (the output is `{ Ref: <queue> }`). */
function queueId(outputName: string): string {
  const outputs = json.Outputs as Record<string, { Value: { Ref?: string } }>;
  const ref = outputs[outputName]?.Value.Ref;
  if (ref === undefined) throw new Error(`no queue output ${outputName}`);
  return ref;
}
const queueArn = (outputName: string) => ({ 'Fn::GetAtt': [queueId(outputName), 'Arn'] });

function schedulerRoleId(): string {
  const roles = template.findResources('AWS::IAM::Role', {
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
      },
    },
  });
  // The re-checks' role, trusted for the group org-mfa-watch (the sweep's group is org-mfa-watch-sweep).
  const ids = Object.keys(roles).filter((id) =>
    JSON.stringify(roles[id]).includes(`schedule-group/${NAMES.scheduleGroup}"`),
  );
  if (ids.length !== 1 || ids[0] === undefined)
    throw new Error(`expected one scheduler role, found ${ids.length}`);
  return ids[0];
}

describe('central bus', () => {
  it('is named org-mfa-watch', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'org-mfa-watch' });
  });

  it('has one policy: events:PutEvents for any principal only with the organization id', () => {
    template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: { Ref: busId() },
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': [busId(), 'Arn'] },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': config.organizationId } },
      },
    });
  });

  it('archives IAM events of the bus for the configured number of days', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId(), 'Arn'] },
      RetentionDays: config.archiveRetentionDays,
      EventPattern: { source: ['aws.iam'] },
    });
  });
});

/** The rule that invokes the checker. */
function checkRuleId(): string {
  const rules = template.findResources('AWS::Events::Rule');
  const ids = Object.keys(rules).filter((id) => JSON.stringify(rules[id]).includes(`"${functionId()}"`));
  if (ids.length !== 1 || ids[0] === undefined)
    throw new Error(`expected one checker rule, found ${ids.length}`);
  return ids[0];
}

describe('central rule', () => {
  it('matches successful watched IAM calls and the canary on the central bus only', () => {
    // One rule for IAM events; the sweep's rules match aws.organizations events (sweep.test.ts).
    const iamRules = Object.values(template.findResources('AWS::Events::Rule')).filter((r) =>
      JSON.stringify(r).includes('"aws.iam"'),
    );
    expect(iamRules).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId() },
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        // The member rule's pattern: the watched calls, or the canary on the check role (issue 22).
        detail: {
          eventSource: ['iam.amazonaws.com'],
          errorCode: [{ exists: false }],
          $or: [
            { eventName: [...WATCHED_EVENT_NAMES] },
            { eventName: ['TagRole'], requestParameters: { roleName: [NAMES.memberCheckRole] } },
          ],
        },
      },
    });
  });

  it('targets the checker with a retry policy and the rule dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId(), 'Arn'] },
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
          DeadLetterConfig: { Arn: queueArn('RuleDeadLetterQueueUrl') },
        }),
      ],
    });
  });

  it('lets only this rule write to its dead-letter queue, over TLS', () => {
    const ruleId = checkRuleId();
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId('RuleDeadLetterQueueUrl') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
          }),
        ],
      },
    });
  });
});

describe('queues', () => {
  it.each([
    'RuleDeadLetterQueueUrl',
    'CheckFailureQueueUrl',
    'QuarantineQueueUrl',
    'RecheckDeadLetterQueueUrl',
  ])('%s: SQS-managed encryption (EventBridge cannot use alias/aws/sqs), 14 days, TLS only', (output) => {
    const id = queueId(output);
    const queue = template.findResources('AWS::SQS::Queue')[id] as { Properties: Record<string, unknown> };
    expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
    expect(queue.Properties.KmsMasterKeyId).toBeUndefined();
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('checker function', () => {
  it('runs the bundled handler on Node.js 24, arm64, with its sizing and its own JSON log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: CHECKER_TIMEOUT_SECONDS,
      ReservedConcurrentExecutions: 5,
      Role: { 'Fn::GetAtt': [roleId(), 'Arn'] },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroupId() } },
    });
  });

  it('keeps its logs for a year', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('gets exactly the settings the handler reads from its environment', () => {
    const fn = template.findResources('AWS::Lambda::Function')[functionId()] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    expect(fn.Properties.Environment.Variables).toEqual({
      [CHECKER_ENV.checkRoleName]: NAMES.memberCheckRole,
      [CHECKER_ENV.alertTopicArn]: { Ref: topicId() },
      [CHECKER_ENV.alertLocale]: config.notifications.locale,
      [CHECKER_ENV.alertTimeZone]: config.notifications.timeZone,
      [CHECKER_ENV.quarantineQueueUrl]: { Ref: queueId('QuarantineQueueUrl') },
      [CHECKER_ENV.gracePeriodHours]: String(config.gracePeriodHours),
      [CHECKER_ENV.notifyOnCreate]: 'true',
      [CHECKER_ENV.exemptions]: JSON.stringify(config.exemptions),
      [CHECKER_ENV.trustExemptionTags]: 'false',
      [FINDINGS_ENV.tableName]: { Ref: tableId() },
      [FINDINGS_ENV.resolvedRetentionDays]: String(config.findings.resolvedRetentionDays),
      [CHECKER_ENV.scheduleGroupName]: NAMES.scheduleGroup,
      [CHECKER_ENV.schedulerRoleArn]: { 'Fn::GetAtt': [schedulerRoleId(), 'Arn'] },
      [CHECKER_ENV.recheckDlqArn]: queueArn('RecheckDeadLetterQueueUrl'),
      POWERTOOLS_SERVICE_NAME: 'org-mfa-watch',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
    // The test configuration is not the default one, so the values above really come from it.
    expect([config.notifications.locale, config.notifications.timeZone]).toEqual(['ko', 'Asia/Seoul']);
  });

  it('is not retried by Lambda and sends failed events to the on-failure queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId() },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 21_600,
      DestinationConfig: { OnFailure: { Destination: queueArn('CheckFailureQueueUrl') } },
    });
  });
});

describe('checker role', () => {
  it('is named org-mfa-watch-checker, trusted by Lambda only, with no managed policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'org-mfa-watch-checker',
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
        ],
      },
      ManagedPolicyArns: Match.absent(),
    });
  });

  it('has exactly the statements the checker needs, and nothing else', () => {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: roleId() }] },
    });
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument
          .Statement,
    );
    const sqsSend = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
    const expected = [
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupId(), 'Arn'] },
      },
      {
        Sid: 'AssumeMemberCheckRoleInOrganization',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/org-mfa-watch-check']],
        },
        Condition: { StringEquals: { 'aws:ResourceOrgID': config.organizationId } },
      },
      {
        Sid: 'ManageReChecksInOwnGroup',
        Effect: 'Allow',
        Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':scheduler:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':schedule/org-mfa-watch/*',
            ],
          ],
        },
      },
      {
        Sid: 'PassSchedulerRoleToSchedulerOnly',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [schedulerRoleId(), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: topicId() } },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [keyId(), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': `sns.${REGION}.amazonaws.com` } },
      },
      { Effect: 'Allow', Action: sqsSend, Resource: queueArn('QuarantineQueueUrl') },
      { Effect: 'Allow', Action: sqsSend, Resource: queueArn('CheckFailureQueueUrl') },
      // The finding store: item reads, conditional writes and a Query of one account; no Scan, no admin.
      {
        Effect: 'Allow',
        Action: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
        ],
        Resource: { 'Fn::GetAtt': [tableId(), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: [
          'kms:Decrypt',
          'kms:DescribeKey',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
        ],
        Resource: { 'Fn::GetAtt': [keyId(), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${REGION}.amazonaws.com` } },
      },
    ];
    expect(statements).toHaveLength(expected.length);
    expect(statements).toEqual(expect.arrayContaining(expected));
  });
});

describe('re-check scheduling (grace period > 0)', () => {
  it('trusts Scheduler only for its own schedule group in this account, by the group ARN', () => {
    // EventBridge Scheduler User Guide, "Cross-service confused deputy prevention": Scheduler sets
    // aws:SourceArn to the schedule GROUP's ARN (arn:...:schedule-group/<name>); a condition on schedule
    // ARNs never matches, and Scheduler cannot assume the role. Policy simulation proves it in
    // policy-simulation.test.ts; this pins the exact statement.
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: NAMES.scheduleGroup });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': SECURITY_ACCOUNT,
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      `:scheduler:${REGION}:${SECURITY_ACCOUNT}:schedule-group/org-mfa-watch`,
                    ],
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  it('lets the scheduler role invoke only the checker and write only the re-check dead-letter queue', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: schedulerRoleId() }],
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
            Resource: queueArn('RecheckDeadLetterQueueUrl'),
          },
          {
            Sid: 'InvokeChecker',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: { 'Fn::GetAtt': [functionId(), 'Arn'] },
          },
        ],
      },
    });
  });
});

describe('the central key (ADR 0019)', () => {
  it('is the only customer-managed key: it encrypts the topic, the table and the bucket, rotated, retained', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const keyArn = { 'Fn::GetAtt': [keyId(), 'Arn'] };
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
    // A global table names the key per replica.
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: [Match.objectLike({ SSESpecification: { KMSMasterKeyId: keyArn } })],
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
          }),
        ],
      },
    });
  });

  it('is granted to no role without kms:ViaService', () => {
    const unscoped = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
      (
        p as { Properties: { PolicyDocument: { Statement: { Resource: unknown; Condition?: unknown }[] } } }
      ).Properties.PolicyDocument.Statement.filter(
        (st) =>
          JSON.stringify(st.Resource).includes(keyId()) &&
          !JSON.stringify(st.Condition ?? {}).includes('kms:ViaService'),
      ),
    );
    expect(unscoped).toEqual([]);
  });
});

describe('alert topic', () => {
  it('is named org-mfa-watch-alerts and encrypted with a rotated customer-managed key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'org-mfa-watch-alerts',
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] },
    });
  });

  const ownAlarms = {
    StringEquals: { 'aws:SourceAccount': SECURITY_ACCOUNT },
    ArnLike: {
      'aws:SourceArn': {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:${REGION}:${SECURITY_ACCOUNT}:alarm:*`],
        ],
      },
    },
  };

  it('lets CloudWatch alarms of this account, and no other, use the key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: ownAlarms,
          },
        ]),
      },
    });
  });

  it('lets CloudWatch alarms of this account publish: the topic policy replaces the SNS default policy', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId() },
            Condition: ownAlarms,
          },
        ]),
      },
    });
  });

  it('denies publishing without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:Publish',
            Resource: { Ref: topicId() },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('subscribes exactly the configured email addresses', () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map(
      (s) => (s as { Properties: Record<string, unknown> }).Properties,
    );
    expect(subscriptions).toHaveLength(config.notifications.emails.length);
    for (const email of config.notifications.emails) {
      expect(subscriptions).toContainEqual({
        Protocol: 'email',
        Endpoint: email,
        TopicArn: { Ref: topicId() },
      });
    }
  });
});

describe('alarms', () => {
  it.each([
    'RuleDeadLetterQueueUrl',
    'CheckFailureQueueUrl',
    'QuarantineQueueUrl',
    'RecheckDeadLetterQueueUrl',
  ])('notifies the topic on every new message sent to the queue of %s', (output) => {
    // CloudWatch notifies only on a state change (CloudWatch User Guide, "Using Amazon CloudWatch
    // alarms"): an alarm on queue depth stays in ALARM while an old message waits and hides the next
    // failure. Messages sent per period return to 0, so the alarm resets and fires again.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'NumberOfMessagesSent',
      Statistic: 'Sum',
      Period: 300,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(output), 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId() }],
    });
  });

  it.each(['Errors', 'Throttles'])('notifies the topic on any checker %s', (metric) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Statistic: 'Sum',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId() } }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId() }],
    });
  });

  it.each([
    'TargetErrorCount',
    'InvocationDroppedCount',
    'InvocationsSentToDeadLetterCount',
    'InvocationsFailedToBeSentToDeadLetterCount',
  ])('notifies the topic on Scheduler %s of the re-check group', (metric) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Scheduler',
      MetricName: metric,
      Statistic: 'Sum',
      Dimensions: [{ Name: 'ScheduleGroup', Value: NAMES.scheduleGroup }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId() }],
    });
  });

  it('has no alarm on a standing level (queue depth, message age)', () => {
    const metrics = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: { MetricName: string } }).Properties.MetricName,
    );
    // 10 for the checker and its queues, 5 for the sweep (sweep.test.ts).
    expect(metrics).toHaveLength(15);
    expect(metrics.filter((m) => m.startsWith('Approximate'))).toEqual([]);
  });
});

describe('outputs', () => {
  it('exports the bus ARN, topic ARN, function name and the queue URLs', () => {
    const ruleTarget = (
      template.findResources('AWS::Events::Rule')[checkRuleId()] as {
        Properties: { Targets: { DeadLetterConfig: { Arn: { 'Fn::GetAtt': [string, string] } } }[] };
      }
    ).Properties.Targets[0];
    const invokeConfig = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'))[0] as {
      Properties: { DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [string, string] } } } };
    };
    const quarantineUrl = (
      template.findResources('AWS::Lambda::Function')[functionId()] as {
        Properties: { Environment: { Variables: Record<string, { Ref: string }> } };
      }
    ).Properties.Environment.Variables[CHECKER_ENV.quarantineQueueUrl];
    expect(json.Outputs).toEqual({
      CentralBusArn: { Value: { 'Fn::GetAtt': [busId(), 'Arn'] } },
      AlertTopicArn: { Value: { Ref: topicId() } },
      CheckerFunctionName: { Value: { Ref: functionId() } },
      FindingsTableName: {
        Value: { Ref: logicalIdOf(json, 'AWS::DynamoDB::GlobalTable', { TableName: NAMES.findingsTable }) },
      },
      // A redeploy after `cdk destroy` reuses the retained table through this key (findings.retainedTableKeyArn).
      FindingsKeyArn: { Value: { 'Fn::GetAtt': [keyId(), 'Arn'] } },
      RuleDeadLetterQueueUrl: { Value: { Ref: ruleTarget?.DeadLetterConfig.Arn['Fn::GetAtt'][0] } },
      CheckFailureQueueUrl: {
        Value: { Ref: invokeConfig.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] },
      },
      QuarantineQueueUrl: { Value: quarantineUrl },
      RecheckDeadLetterQueueUrl: { Value: { Ref: expect.stringMatching(/RecheckDlq/) as unknown } },
      SweepStateMachineArn: {
        Value: {
          Ref: logicalIdOf(json, 'AWS::StepFunctions::StateMachine', {
            StateMachineName: NAMES.sweepStateMachine,
          }),
        },
      },
      SweepBucketName: { Value: { Ref: Object.keys(template.findResources('AWS::S3::Bucket'))[0] } },
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding on the central stack', () => {
    expect(nag.pluginReports.map((r) => r.pluginName)).toContain('AwsSolutions');
    expect(violations(nag)).toEqual([]);
  });

  it('does report a finding on a non-compliant resource (the check is live)', () => {
    const control = synthWithNag((app) => {
      const stack = new Stack(app, 'NagControl');
      new sqs.Queue(stack, 'PlainQueue');
      return stack;
    });
    expect(violations(control.nag)).toContainEqual(
      expect.stringMatching(/AwsSolutions-SQS4 at NagControl\/PlainQueue/),
    );
  });
});

describe('grace period 0 (check at once)', () => {
  it('creates no Scheduler group, role or permission, and tells the checker so', () => {
    const atOnce = testConfig({ gracePeriodHours: 0 });
    const { json: zeroJson } = synthWithNag(
      (app) =>
        new CentralStack(app, STACK_IDS.central, {
          config: atOnce,
          env: { account: atOnce.securityAccountId, region: atOnce.homeRegion },
        }),
    );
    const zero = Template.fromJSON(zeroJson);
    // Only the sweep's schedule group remains; nothing of the re-checks' group or permissions.
    zero.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    zero.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: NAMES.sweepScheduleGroup });
    expect(JSON.stringify(zeroJson)).not.toContain(`schedule-group/${NAMES.scheduleGroup}"`);
    expect(JSON.stringify(zeroJson)).not.toMatch(/scheduler:(CreateSchedule|DeleteSchedule|GetSchedule)/);
    zero.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [CHECKER_ENV.gracePeriodHours]: '0',
          [CHECKER_ENV.schedulerRoleArn]: Match.absent(),
        }),
      },
    });
  });
});

describe('configuration switches of the checker', () => {
  it('reserves no concurrency when checkerReservedConcurrency is 0, and passes tag trust on', () => {
    // Lambda reads ReservedConcurrentExecutions 0 as "never run" (Lambda Developer Guide, "Configuring
    // reserved concurrency"); in an account whose quota cannot spare any reservation the property must
    // be absent, or the function would be throttled forever.
    const custom = testConfig({
      checkerReservedConcurrency: 0,
      trustExemptionTags: true,
      gracePeriodHours: 0,
    });
    const { json: customJson } = synthWithNag(
      (app) =>
        new CentralStack(app, STACK_IDS.central, {
          config: custom,
          env: { account: custom.securityAccountId, region: custom.homeRegion },
        }),
    );
    const fn = Object.values(Template.fromJSON(customJson).findResources('AWS::Lambda::Function')).find(
      (r) => (r as { Properties: { Handler?: string } }).Properties.Handler === 'index.handler',
    ) as { Properties: Record<string, unknown> & { Environment: { Variables: Record<string, unknown> } } };
    expect(fn.Properties).not.toHaveProperty('ReservedConcurrentExecutions');
    expect(fn.Properties.Environment.Variables[CHECKER_ENV.trustExemptionTags]).toBe('true');
  });
});
