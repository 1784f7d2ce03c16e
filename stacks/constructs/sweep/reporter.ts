import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CHECKER_ENV } from '../../../functions/contract/contract';
import { SWEEP_ENV } from '../../../functions/contract/sweep';
import { grantKeyVia, grantPublish } from '../central-key';
import { bucketLogicalId, bucketObjectsFinding, REPORTS_PREFIX, WORKING_FILES_PREFIX } from './bucket';
import { acknowledgeWildcard, COMMON_ENV, lambdaRole, SWEEP_ENTRIES, sweepFunction } from './lambda';
import type { SweepProps } from './props';

/**
 * The reporter `Reporter` and its role: reads the account list and the map results, reconciles the
 * finding store, writes the report under the reports prefix and publishes the digest once.
 */
export function sweepReporter(scope: Construct, props: SweepProps, bucket: s3.Bucket): NodejsFunction {
  const role = lambdaRole(scope, 'ReporterRole', undefined, 'sweep reporter: digest and report');
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadAccountListsAndMapResults',
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${WORKING_FILES_PREFIX}*`)],
    }),
  );
  // The digest receipt (reports/<sweep>/digest.json) is read before publishing, so that a retried
  // reporter publishes once. A missing object answers NoSuchKey only to a caller allowed s3:ListBucket
  // on the bucket, otherwise 403 (Amazon S3 API Reference, GetObject, "Permissions"); ListBucket has no
  // prefix condition because that check is made without one.
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadDigestReceipts',
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${REPORTS_PREFIX}*/digest.json`)],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'TellMissingReceiptFromDenied',
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'WriteReports',
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${REPORTS_PREFIX}*`)],
    }),
  );
  grantKeyVia(props.key, role, 's3', ['kms:Decrypt', 'kms:GenerateDataKey']);
  props.findings.grantStoreAccess(role);
  // A full sweep resolves the open findings of accounts that left the organization: only a Scan finds
  // them (the table is keyed by account). Once a day, over a small table.
  props.findings.table.grant(role, 'dynamodb:Scan');
  grantPublish(props.topic, props.key, role);
  const reporter = sweepFunction(scope, 'Reporter', {
    entry: SWEEP_ENTRIES.reporter,
    role,
    description: 'org-mfa-watch sweep: reconciles findings, writes the report, publishes the digest',
    timeout: Duration.minutes(15),
    memorySize: 1024,
    environment: {
      [SWEEP_ENV.sweepBucketName]: bucket.bucketName,
      [CHECKER_ENV.alertTopicArn]: props.topic.topicArn,
      [CHECKER_ENV.alertLocale]: props.locale,
      [CHECKER_ENV.alertTimeZone]: props.timeZone,
      ...props.findings.functionEnvironment(),
      ...COMMON_ENV,
    },
  });
  acknowledgeReporterWildcards(role, bucket);
  return reporter;
}

function acknowledgeReporterWildcards(role: iam.Role, bucket: s3.Bucket): void {
  acknowledgeWildcard(
    role,
    bucketObjectsFinding(bucket, WORKING_FILES_PREFIX),
    'Map results are written per map run under a prefix Step Functions names; read-only, fenced to the working-files prefix.',
  );
  acknowledgeWildcard(
    role,
    bucketObjectsFinding(bucket, REPORTS_PREFIX),
    'Report keys are per execution (reports/<execution>/report.csv|json); write-only, fenced to the reports prefix.',
  );
  acknowledgeWildcard(
    role,
    `Resource::<${bucketLogicalId(bucket)}.Arn>/${REPORTS_PREFIX}*/digest.json`,
    'Digest receipts are per execution (reports/<execution>/digest.json); read-only, only that file name.',
  );
}
