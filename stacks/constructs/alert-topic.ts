import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { NAMES } from '../names';

/** Properties of {@link AlertTopic}. */
export interface AlertTopicProps {
  /** Addresses subscribed to the topic (each confirms once by email). */
  readonly emails: readonly string[];
}

/**
 * The topic `org-mfa-watch-alerts` the central inbox subscribes to: encrypted with a customer-managed
 * KMS key (rotated yearly) whose policy also lets CloudWatch alarms of this account publish, TLS-only.
 */
export class AlertTopic extends Construct {
  /** The topic `org-mfa-watch-alerts`. */
  readonly topic: sns.Topic;
  /** Customer-managed key of the topic (rotation on). */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // CloudWatch sets aws:SourceArn to the alarm's ARN when it publishes for an alarm action.
    const alarmsOfThisAccount = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: '*',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': alarmsOfThisAccount },
    };
    this.key = new kms.Key(this, 'Key', {
      description: 'org-mfa-watch: encrypts the alert topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
    });
    // CloudWatch alarms publish to an encrypted topic only if the key lets the service use it.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOwnAlarms,
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: NAMES.alertTopic,
      displayName: 'org-mfa-watch',
      masterKey: this.key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default policy, so the service principal of CloudWatch alarms must be
    // allowed explicitly, or every alarm action fails to publish (Amazon SNS Developer Guide, "Access
    // policy" / CloudWatch alarm actions to an encrypted topic). Only alarms of this account.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    for (const email of props.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }
}
