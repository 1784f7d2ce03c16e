import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { SweepInput } from '../../../functions/contract/sweep';
import { NAMES } from '../../names';
import { accountCreatedPattern, accountJoinedPattern } from '../../org-events';

/** The rules that start a sweep of a joining account, and where an event goes that could not start one. */
export interface JoinedAccountTriggers {
  /** The created-account rule, then the invited-account rule. */
  readonly rules: readonly events.Rule[];
  /** Dead-letter queue of the rules' targets. */
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * Rules on the central bus, for the `aws.organizations` events the management account forwards: a
 * created account (its id is in the event) and an invited account that accepted (the planner finds
 * accounts that joined in the last `JOINED_WITHIN_HOURS` hours, ./planner.ts). Each starts `stateMachine`.
 */
export function startOnJoinedAccounts(
  scope: Construct,
  stateMachine: sfn.IStateMachine,
  bus: events.IEventBus,
  managementAccountId: string,
): JoinedAccountTriggers {
  const deadLetterQueue = new sqs.Queue(scope, 'TriggerDlq', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(deadLetterQueue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the joined-account rule targets.',
  });
  const role = joinedRuleRole(scope);
  const target = (input: events.RuleTargetInput): targets.SfnStateMachine =>
    new targets.SfnStateMachine(stateMachine, {
      input,
      role,
      deadLetterQueue,
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    });
  const created = new events.Rule(scope, 'AccountCreatedRule', {
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
  const invited = new events.Rule(scope, 'AccountJoinedRule', {
    ruleName: NAMES.sweepJoinedInvitedRule,
    eventBus: bus,
    description:
      'org-mfa-watch: sweep accounts that joined the organization once their StackSet instance lands',
    eventPattern: accountJoinedPattern(managementAccountId),
  });
  invited.addTarget(target(events.RuleTargetInput.fromObject(joinedInput)));
  return { rules: [created, invited], deadLetterQueue };
}

/** One role for both rules; only EventBridge acting for one of them may use it (confused deputy). */
function joinedRuleRole(scope: Construct): iam.Role {
  const stack = Stack.of(scope);
  const ruleArn = (name: string): string =>
    stack.formatArn({
      service: 'events',
      resource: 'rule',
      resourceName: `${NAMES.centralBus}/${name}`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  const names = [NAMES.sweepJoinedCreatedRule, NAMES.sweepJoinedInvitedRule];
  return new iam.Role(scope, 'JoinedRuleRole', {
    description: 'org-mfa-watch: lets the joined-account rules start a sweep',
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': names.map(ruleArn) },
      },
    }),
  });
}
