import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WATCHED_EVENT_NAMES } from '../../functions/shared/contract';
import { synthApp, testConfig } from '../helpers/app';

let central: Template;

beforeAll(() => {
  central = synthApp(testConfig()).central;
});

const arnOf = (fragment: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(fragment), 'Arn'] });

describe('central bus', () => {
  it('is named org-mfa-watch and accepts PutEvents only from the organization', () => {
    central.hasResourceProperties('AWS::Events::EventBus', { Name: 'org-mfa-watch' });
    central.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      },
    });
  });

  it('archives IAM events for the configured retention', () => {
    central.hasResourceProperties('AWS::Events::Archive', {
      RetentionDays: 90,
      EventPattern: { source: ['aws.iam'] },
    });
  });

  it('routes watched successful events to the checker with retries and a dead-letter queue', () => {
    central.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('CentralBus') },
      EventPattern: {
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['iam.amazonaws.com'],
          eventName: [...WATCHED_EVENT_NAMES],
          errorCode: [{ exists: false }],
        },
      },
      Targets: [
        Match.objectLike({
          Arn: arnOf('CheckerFunction'),
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: arnOf('RuleDlq') },
        }),
      ],
    });
  });
});

describe('checker function', () => {
  it('runs on Node.js 24, ARM64, sized and capped', () => {
    central.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 60,
      ReservedConcurrentExecutions: 5,
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('LogGroup') } },
      Role: arnOf('CheckerRole'),
    });
    central.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('receives every setting it needs through the environment', () => {
    central.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          CHECK_ROLE_NAME: 'org-mfa-watch-check',
          ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('AlertsTopic') },
          ALERT_LOCALE: 'ko',
          ALERT_TIME_ZONE: 'Asia/Seoul',
          QUARANTINE_QUEUE_URL: { Ref: Match.stringLikeRegexp('QuarantineQueue') },
          GRACE_PERIOD_HOURS: '24',
          NOTIFY_ON_CREATE: 'true',
          EXEMPTIONS: JSON.stringify([
            {
              accountId: '333333333333',
              userName: 'legacy-bridge',
              reason: 'vendor appliance',
              expires: '2027-03-31',
            },
          ]),
          SCHEDULE_GROUP_NAME: 'org-mfa-watch',
          SCHEDULER_ROLE_ARN: arnOf('SchedulerRole'),
          RECHECK_DLQ_ARN: arnOf('RecheckDlq'),
        }),
      },
    });
  });

  it('does not retry asynchronously and sends failures to the on-failure queue', () => {
    central.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: arnOf('FailureQueue') } },
    });
  });

  it('has the role org-mfa-watch-checker, which may assume only check roles inside the organization', () => {
    central.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'org-mfa-watch-checker',
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
      ManagedPolicyArns: Match.absent(),
    });
    central.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AssumeMemberCheckRoleInOrganization',
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/org-mfa-watch-check']],
            },
            Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
          },
          Match.objectLike({
            Sid: 'ManageReChecksInOwnGroup',
            Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
          }),
          Match.objectLike({
            Sid: 'PassSchedulerRoleToSchedulerOnly',
            Action: 'iam:PassRole',
            Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          }),
          Match.objectLike({
            Action: 'sns:Publish',
            Resource: { Ref: Match.stringLikeRegexp('AlertsTopic') },
          }),
        ]),
      },
    });
  });

  it('grants the checker role nothing beyond logs, assume, publish, quarantine and its schedules', () => {
    const policies = central.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('CheckerRole') }] },
    });
    const actions = Object.values(policies).flatMap((p) =>
      (
        p as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } }
      ).Properties.PolicyDocument.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
    );
    expect(new Set(actions)).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sts:AssumeRole',
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'iam:PassRole',
        'sns:Publish',
        'kms:Decrypt',
        'kms:GenerateDataKey*',
        'sqs:SendMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
      ]),
    );
  });
});

describe('re-check scheduling', () => {
  it('has its own schedule group and a scheduler role that may only invoke the checker', () => {
    central.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'org-mfa-watch' });
    central.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '222222222222' } }),
          }),
        ],
      },
    });
    central.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('SchedulerRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'InvokeChecker',
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            Resource: arnOf('CheckerFunction'),
          },
        ]),
      },
    });
  });

  it('creates no Scheduler resources when the grace period is 0', () => {
    const atOnce = synthApp(testConfig({ gracePeriodHours: 0 })).central;
    atOnce.resourceCountIs('AWS::Scheduler::ScheduleGroup', 0);
    atOnce.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ GRACE_PERIOD_HOURS: '0', SCHEDULER_ROLE_ARN: Match.absent() }),
      },
    });
  });
});

describe('alert topic', () => {
  it('is encrypted with a rotated customer key that CloudWatch alarms may use', () => {
    central.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'org-mfa-watch-alerts',
      KmsMasterKeyId: arnOf('AlertsKey'),
    });
    central.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchAlarmsOfThisAccount',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } },
          }),
        ]),
      },
    });
  });

  it('refuses non-TLS access and subscribes every configured address', () => {
    central.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    central.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'secops@example.com',
    });
    central.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });
});

describe('queues and alarms', () => {
  it('encrypts every queue and refuses non-TLS access', () => {
    const queues = central.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(4);
    for (const queue of Object.values(queues)) {
      expect(queue).toMatchObject({
        Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 },
      });
    }
  });

  it.each(['RuleDlq', 'FailureQueue', 'QuarantineQueue', 'RecheckDlq'])(
    'alarms on any message in %s',
    (queue) => {
      central.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp(queue), 'QueueName'] } },
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertsTopic') }],
      });
    },
  );

  it.each(['Errors', 'Throttles'])('alarms on checker %s', (metric) => {
    central.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: metric,
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertsTopic') }],
    });
  });

  it('outputs the bus, topic and queue URLs for operators', () => {
    const outputs = Object.keys(central.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'CentralBusArn',
        'AlertTopicArn',
        'CheckerFunctionName',
        'RuleDeadLetterQueueUrl',
        'CheckFailureQueueUrl',
        'QuarantineQueueUrl',
        'RecheckDeadLetterQueueUrl',
      ]),
    );
  });
});
