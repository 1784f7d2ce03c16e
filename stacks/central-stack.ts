import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
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
import { memberForwardPattern } from './event-pattern';
import { NAMES } from './names';

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
    this.findings = findingTable(this, config, key);
    const chat = chatChannels(this, config, key);
    if (chat !== undefined) this.chat = chat;
    this.checker = checkerFunction(this, config, {
      topic: this.alerts.topic,
      key,
      findings: this.findings,
      chat,
    });
    this.rule = checkRule(this, this.bus, this.checker);

    const queues = checkerQueues(this.checker);
    new CentralAlarms(this, 'Alarms', {
      topic: this.alerts.topic,
      checker: this.checker.function,
      queues,
      ...scheduleGroup(this.checker),
    });
    if (config.dashboard.enabled) {
      this.dashboard = new OperationsDashboard(this, 'Dashboard', {
        checker: this.checker.function,
        queues,
        ...scheduleGroup(this.checker),
      });
    }
    this.sweep = sweep(this, config, {
      topic: this.alerts.topic,
      key,
      findings: this.findings,
      bus: this.bus.bus,
      chat,
    });
    addOutputs(this, queues);
  }
}

/** What the checker and the sweep share of the stack: alert topic, key, finding store, chat channels. */
interface SharedResources {
  readonly topic: AlertTopic['topic'];
  readonly key: kms.IKey;
  readonly findings: FindingTable;
  readonly chat: ChatChannels | undefined;
}

/** The finding store's table, under the central key or the retained table's key. */
function findingTable(scope: Construct, config: AppConfig, key: kms.IKey): FindingTable {
  return new FindingTable(scope, 'Findings', {
    key,
    retentionDays: config.findings.resolvedRetentionDays,
    ...(config.findings.retainedTableKeyArn === undefined
      ? {}
      : { retainedTableKeyArn: config.findings.retainedTableKeyArn }),
  });
}

/** The chat topic and channel configurations, when chat is configured. */
function chatChannels(scope: Construct, config: AppConfig, key: kms.IKey): ChatChannels | undefined {
  if (config.chat === undefined) return undefined;
  return new ChatChannels(scope, 'Chat', {
    ...(config.chat.slack === undefined ? {} : { slack: config.chat.slack }),
    ...(config.chat.teams === undefined ? {} : { teams: config.chat.teams }),
    loggingLevel: config.chat.loggingLevel,
    guardrailPolicies: config.chat.guardrailPolicies,
    key,
  });
}

/** The checker function with its role and queues, configured from the application configuration. */
function checkerFunction(scope: Construct, config: AppConfig, shared: SharedResources): CheckerFunction {
  return new CheckerFunction(scope, 'Checker', {
    organizationId: config.organizationId,
    topic: shared.topic,
    key: shared.key,
    locale: config.notifications.locale,
    timeZone: config.notifications.timeZone,
    ...(config.console === undefined ? {} : { consoleAccess: config.console }),
    gracePeriodHours: config.gracePeriodHours,
    notifyOnCreate: config.notifyOnCreate,
    exemptions: config.exemptions,
    trustExemptionTags: config.trustExemptionTags,
    reservedConcurrency: config.checkerReservedConcurrency,
    findings: shared.findings,
    ...(shared.chat === undefined ? {} : { chatTopic: shared.chat.topic }),
    securityHubExport: config.securityHub.enabled,
  });
}

/** The rule on the central bus that invokes the checker, with the checker's rule dead-letter queue. */
function checkRule(scope: Construct, bus: CentralBus, checker: CheckerFunction): events.Rule {
  const rule = new events.Rule(scope, 'CheckRule', {
    eventBus: bus.bus,
    description: 'org-mfa-watch: send forwarded IAM user and MFA changes, and the canary, to the checker',
    // The member rule's pattern: the checker records the canary's arrival (docs/adr/0021-canary.md).
    eventPattern: memberForwardPattern(NAMES.memberCheckRole),
  });
  rule.addTarget(
    new targets.LambdaFunction(checker.function, {
      deadLetterQueue: checker.ruleDeadLetterQueue,
      // Covers failures to hand the event to Lambda (function deleted, permission removed): retry for up
      // to a day. Throttled asynchronous invocations are retried by Lambda's own queue instead.
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    }),
  );
  return rule;
}

/** The checker's queues the alarms, the dashboard and the outputs name, by name. */
function checkerQueues(checker: CheckerFunction): Record<string, sqs.IQueue> {
  return {
    RuleDeadLetter: checker.ruleDeadLetterQueue,
    CheckFailure: checker.failureQueue,
    Quarantine: checker.quarantineQueue,
    ...(checker.recheckDeadLetterQueue ? { RecheckDeadLetter: checker.recheckDeadLetterQueue } : {}),
  };
}

/** The checker's schedule group, as an optional property (absent when it has none). */
function scheduleGroup(checker: CheckerFunction): { scheduleGroupName?: string } {
  return checker.scheduleGroupName === undefined ? {} : { scheduleGroupName: checker.scheduleGroupName };
}

/** The org-wide sweep, configured from the application configuration. */
function sweep(
  scope: Construct,
  config: AppConfig,
  shared: SharedResources & { readonly bus: events.IEventBus },
): Sweep {
  return new Sweep(scope, 'Sweep', {
    config: config.sweep,
    organizationId: config.organizationId,
    managementAccountId: config.managementAccountId,
    rollout: {
      accountId: rolloutAccountId(config),
      callAs: config.rollout.deployFrom === 'management' ? 'SELF' : 'DELEGATED_ADMIN',
    },
    rolloutOrganizationalUnitIds: config.rollout.organizationalUnitIds,
    excludedAccountIds: config.rollout.excludeAccountIds,
    topic: shared.topic,
    key: shared.key,
    findings: shared.findings,
    bus: shared.bus,
    ...(config.console === undefined ? {} : { consoleAccess: config.console }),
    locale: config.notifications.locale,
    timeZone: config.notifications.timeZone,
    gracePeriodHours: config.gracePeriodHours,
    exemptions: config.exemptions,
    trustExemptionTags: config.trustExemptionTags,
    ...(shared.chat === undefined ? {} : { chatTopic: shared.chat.topic }),
    securityHubExport: config.securityHub.enabled,
    securityHubReimportAfterDays: config.securityHub.reimportAfterDays,
    enforcement: config.enforcement,
    canary: config.canary,
  });
}

/** The stack outputs: what operators and a redeploy look up. */
function addOutputs(stack: CentralStack, queues: Record<string, sqs.IQueue>): void {
  new CfnOutput(stack, 'CentralBusArn', { value: stack.bus.bus.eventBusArn });
  new CfnOutput(stack, 'AlertTopicArn', { value: stack.alerts.topic.topicArn });
  new CfnOutput(stack, 'CheckerFunctionName', { value: stack.checker.function.functionName });
  new CfnOutput(stack, 'FindingsTableName', { value: stack.findings.table.tableName });
  // What a redeploy after `cdk destroy` needs to reuse the retained table (findings.retainedTableKeyArn):
  // the central key, or the retained key the table kept.
  new CfnOutput(stack, 'FindingsKeyArn', { value: stack.findings.key.keyArn });
  if (stack.chat !== undefined) new CfnOutput(stack, 'ChatTopicArn', { value: stack.chat.topic.topicArn });
  new CfnOutput(stack, 'SweepStateMachineArn', { value: stack.sweep.stateMachine.stateMachineArn });
  new CfnOutput(stack, 'SweepBucketName', { value: stack.sweep.bucket.bucketName });
  for (const [name, queue] of Object.entries(queues)) {
    new CfnOutput(stack, `${name}QueueUrl`, { value: queue.queueUrl });
  }
}
