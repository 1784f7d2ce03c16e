import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { NAMES } from '../names';
import { alarmsOfThisAccount } from './central-key';

/** Properties of {@link AlertTopic}. */
export interface AlertTopicProps {
  /** Addresses subscribed to the topic (each confirms once by email). */
  readonly emails: readonly string[];
  /** The central key ({@link CentralKey}): its policy lets CloudWatch alarms of this account use it. */
  readonly key: kms.IKey;
}

/**
 * The topic `org-mfa-watch-alerts` the central inbox subscribes to: encrypted with the central stack's
 * customer-managed KMS key (rotated yearly; its policy lets CloudWatch alarms of this account use it),
 * TLS-only.
 */
export class AlertTopic extends Construct {
  /** The topic `org-mfa-watch-alerts`. */
  readonly topic: sns.Topic;
  /** Customer-managed key of the topic: the central key. */
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const fromOwnAlarms = alarmsOfThisAccount(Stack.of(this));
    this.key = props.key;
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
