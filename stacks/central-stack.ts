import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type { Construct } from 'constructs';
import { rolloutAccountId, type AppConfig } from './config';
import { CentralAlarms } from './constructs/alarms';
import { AlertTopic } from './constructs/alert-topic';
import { CentralBus } from './constructs/central-bus';
import { CentralKey } from './constructs/central-key';
import { ChatChannels } from './constructs/chat-channels';
import { CheckerFunction } from './constructs/checker-function';
import { OperationsDashboard } from './constructs/dashboard';
import { FindingTable } from './constructs/finding-table';
import { Sweep } from './constructs/sweep';
import { watchedEventPattern } from './event-pattern';

/** Properties of {@link CentralStack}. */
export interface CentralStackProps extends StackProps {
  /** The validated application configuration. */
  readonly config: AppConfig;
}

/** The security account's side: central bus and archive, checker, alert topic, queues and alarms. */
export class CentralStack extends Stack {
  /** The central bus `org-mfa-watch` and its archive. */
  readonly bus: CentralBus;
  /**
   * The one customer-managed key of the stack: alert topic, finding table, sweep bucket, chat topic
   * (docs/adr/0019-one-key-for-the-central-stack.md).
   */
  readonly key: CentralKey;
  /** The alert topic `org-mfa-watch-alerts`. */
  readonly alerts: AlertTopic;
  /** The checker function, its role and its queues. */
  readonly checker: CheckerFunction;
  /** The rule on the central bus that invokes the checker. */
  readonly rule: events.Rule;
  /** The finding store's table `org-mfa-watch-findings` and its key (the central key, or a retained one). */
  readonly findings: FindingTable;
  /** The dashboard `org-mfa-watch`, when `dashboard.enabled`. */
  readonly dashboard?: OperationsDashboard;
  /** The chat topic and channel configurations (Slack, Microsoft Teams), when chat is configured. */
  readonly chat?: ChatChannels;
  /** The org-wide sweep: its bucket, functions, state machine, schedule and joined-account rules. */
  readonly sweep: Sweep;

  constructor(scope: Construct, id: string, props: CentralStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.bus = new CentralBus(this, 'CentralBus', {
      organizationId: config.organizationId,
      archiveRetentionDays: config.archiveRetentionDays,
    });
    this.key = new CentralKey(this, 'CentralKey');
    const key = this.key.key;
    this.alerts = new AlertTopic(this, 'Alerts', { emails: config.notifications.emails, key });
    this.findings = new FindingTable(this, 'Findings', {
      key,
      retentionDays: config.findings.resolvedRetentionDays,
      ...(config.findings.retainedTableKeyArn === undefined
        ? {}
        : { retainedTableKeyArn: config.findings.retainedTableKeyArn }),
    });
    if (config.chat !== undefined) {
      this.chat = new ChatChannels(this, 'Chat', {
        ...(config.chat.slack === undefined ? {} : { slack: config.chat.slack }),
        ...(config.chat.teams === undefined ? {} : { teams: config.chat.teams }),
        loggingLevel: config.chat.loggingLevel,
        guardrailPolicies: config.chat.guardrailPolicies,
        key,
      });
    }
    this.checker = new CheckerFunction(this, 'Checker', {
      organizationId: config.organizationId,
      topic: this.alerts.topic,
      key,
      locale: config.notifications.locale,
      timeZone: config.notifications.timeZone,
      ...(config.console === undefined ? {} : { consoleAccess: config.console }),
      gracePeriodHours: config.gracePeriodHours,
      notifyOnCreate: config.notifyOnCreate,
      exemptions: config.exemptions,
      trustExemptionTags: config.trustExemptionTags,
      reservedConcurrency: config.checkerReservedConcurrency,
      findings: this.findings,
      ...(this.chat === undefined ? {} : { chatTopic: this.chat.topic }),
      securityHubExport: config.securityHub.enabled,
    });

    this.rule = new events.Rule(this, 'CheckRule', {
      eventBus: this.bus.bus,
      description: 'org-mfa-watch: send forwarded IAM user and MFA changes to the checker',
      eventPattern: watchedEventPattern(),
    });
    this.rule.addTarget(
      new targets.LambdaFunction(this.checker.function, {
        deadLetterQueue: this.checker.ruleDeadLetterQueue,
        // Covers failures to hand the event to Lambda (function deleted, permission removed): retry for up
        // to a day. Throttled asynchronous invocations are retried by Lambda's own queue instead.
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );

    const queues = {
      RuleDeadLetter: this.checker.ruleDeadLetterQueue,
      CheckFailure: this.checker.failureQueue,
      Quarantine: this.checker.quarantineQueue,
      ...(this.checker.recheckDeadLetterQueue
        ? { RecheckDeadLetter: this.checker.recheckDeadLetterQueue }
        : {}),
    };
    new CentralAlarms(this, 'Alarms', {
      topic: this.alerts.topic,
      checker: this.checker.function,
      queues,
      ...(this.checker.scheduleGroupName === undefined
        ? {}
        : { scheduleGroupName: this.checker.scheduleGroupName }),
    });

    if (config.dashboard.enabled) {
      this.dashboard = new OperationsDashboard(this, 'Dashboard', {
        checker: this.checker.function,
        queues,
        ...(this.checker.scheduleGroupName === undefined
          ? {}
          : { scheduleGroupName: this.checker.scheduleGroupName }),
      });
    }
    this.sweep = new Sweep(this, 'Sweep', {
      config: config.sweep,
      organizationId: config.organizationId,
      managementAccountId: config.managementAccountId,
      rollout: {
        accountId: rolloutAccountId(config),
        callAs: config.rollout.deployFrom === 'management' ? 'SELF' : 'DELEGATED_ADMIN',
      },
      rolloutOrganizationalUnitIds: config.rollout.organizationalUnitIds,
      excludedAccountIds: config.rollout.excludeAccountIds,
      topic: this.alerts.topic,
      key,
      findings: this.findings,
      bus: this.bus.bus,
      ...(config.console === undefined ? {} : { consoleAccess: config.console }),
      locale: config.notifications.locale,
      timeZone: config.notifications.timeZone,
      gracePeriodHours: config.gracePeriodHours,
      exemptions: config.exemptions,
      trustExemptionTags: config.trustExemptionTags,
      ...(this.chat === undefined ? {} : { chatTopic: this.chat.topic }),
      securityHubExport: config.securityHub.enabled,
      securityHubReimportAfterDays: config.securityHub.reimportAfterDays,
      enforcement: config.enforcement,
    });

    new CfnOutput(this, 'CentralBusArn', { value: this.bus.bus.eventBusArn });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topic.topicArn });
    new CfnOutput(this, 'CheckerFunctionName', { value: this.checker.function.functionName });
    new CfnOutput(this, 'FindingsTableName', { value: this.findings.table.tableName });
    // What a redeploy after `cdk destroy` needs to reuse the retained table (findings.retainedTableKeyArn):
    // the central key, or the retained key the table kept.
    new CfnOutput(this, 'FindingsKeyArn', { value: this.findings.key.keyArn });
    if (this.chat !== undefined) new CfnOutput(this, 'ChatTopicArn', { value: this.chat.topic.topicArn });
    new CfnOutput(this, 'SweepStateMachineArn', { value: this.sweep.stateMachine.stateMachineArn });
    new CfnOutput(this, 'SweepBucketName', { value: this.sweep.bucket.bucketName });
    for (const [name, queue] of Object.entries(queues)) {
      new CfnOutput(this, `${name}QueueUrl`, { value: queue.queueUrl });
    }
  }
}
