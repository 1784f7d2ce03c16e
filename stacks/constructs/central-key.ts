import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** The services that use the central key on a caller's behalf (the `kms:ViaService` of each grant). */
export type KeyService = 'dynamodb' | 's3' | 'sns';

/**
 * The one customer-managed key of the central stack (docs/adr/0019-one-key-for-the-central-stack.md): it
 * encrypts the alert topic, the finding table, the sweep bucket and the chat topic. Rotation on, 30-day
 * deletion window, retained with the table it encrypts.
 *
 * Its key policy is CDK's default (the account may delegate use through IAM) plus one statement for
 * CloudWatch alarms of this account, which publish to the alert topic. Every function's grant on it is an
 * IAM grant limited by `kms:ViaService` to the one service that uses the key for that function
 * ({@link grantKeyVia}), so a grant made for the topic does not reach the table or the bucket.
 */
export class CentralKey extends Construct {
  /** The key. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    // Retained like the table: deleting the key would make a retained table unreadable.
    this.key = new kms.Key(this, 'Key', {
      description:
        'org-mfa-watch: encrypts the alert topic, the findings table, the sweep bucket and the chat topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to an encrypted topic only if the key lets the service use it (Amazon SNS
    // Developer Guide, "Configure AWS KMS permissions for AWS services"); CloudWatch sets aws:SourceArn to
    // the alarm's ARN when it publishes for an alarm action, so only alarms of this account qualify.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: alarmsOfThisAccount(stack),
      }),
    );
  }
}

/** The condition that names CloudWatch alarms of this stack's account (key and topic policies). */
export function alarmsOfThisAccount(stack: Stack): Record<string, Record<string, string>> {
  const alarms = stack.formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: '*',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': alarms },
  };
}

/**
 * Let `grantee` use `key` only through `service` in this stack's region (`kms:ViaService`, AWS KMS
 * Developer Guide, "kms:ViaService"): the key encrypts several resources, and this keeps a grant made for
 * one of them (a topic) from decrypting what another service holds (table items, bucket objects).
 */
export function grantKeyVia(
  key: kms.IKey,
  grantee: iam.IGrantable,
  service: KeyService,
  actions: readonly string[],
): iam.Grant {
  const stack = Stack.of(key);
  return iam.Grant.addToPrincipal({
    grantee,
    actions: [...actions],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${stack.region}.amazonaws.com` } },
  });
}

/**
 * Let `grantee` publish to `topic`, encrypted with `key`: sns:Publish on the topic, and the data keys SNS
 * asks for on the publisher's behalf (Amazon SNS Developer Guide, "Encryption at rest": kms:GenerateDataKey
 * and kms:Decrypt), only through SNS. Replaces `topic.grantPublish`, whose key grant has no condition.
 */
export function grantPublish(topic: sns.ITopic, key: kms.IKey, grantee: iam.IGrantable): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee,
    actions: ['sns:Publish'],
    resourceArns: [topic.topicArn],
  });
  grantKeyVia(key, grantee, 'sns', ['kms:Decrypt', 'kms:GenerateDataKey']);
  return grant;
}
