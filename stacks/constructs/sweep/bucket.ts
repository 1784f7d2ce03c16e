import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** Key prefix of the sweep's working files (account lists, map results): they expire after a few days. */
export const WORKING_FILES_PREFIX = 'sweeps/';
/** Key prefix of the reports: they are kept `reportRetentionDays`. */
export const REPORTS_PREFIX = 'reports/';
/** Days the working files are kept: long enough to inspect a failed sweep, short enough to hold no history. */
export const WORKING_FILES_DAYS = 7;
/** Days a replaced or deleted object version is kept (the bucket is versioned against accidental overwrite). */
export const NONCURRENT_VERSION_DAYS = 30;

/**
 * The sweep bucket `Bucket` of `scope`: account lists, map results and reports, encrypted with `key`.
 * Working files expire after {@link WORKING_FILES_DAYS} days, reports after `reportRetentionDays`.
 */
export function sweepBucket(scope: Construct, key: kms.IKey, reportRetentionDays: number): s3.Bucket {
  // A customer-managed key, the finding store's: the reports list users without MFA, and the key
  // policy (not only IAM) decides who can read them. Bucket keys keep KMS requests (and cost) low.
  const bucket = new s3.Bucket(scope, 'Bucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [
      { id: 'WorkingFiles', prefix: WORKING_FILES_PREFIX, expiration: Duration.days(WORKING_FILES_DAYS) },
      {
        id: 'Reports',
        prefix: REPORTS_PREFIX,
        expiration: Duration.days(reportRetentionDays),
      },
      {
        id: 'OldVersionsAndUploads',
        noncurrentVersionExpiration: Duration.days(NONCURRENT_VERSION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
        expiredObjectDeleteMarker: true,
      },
    ],
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'Only the sweep roles and the state machine use this bucket; object access is audited with CloudTrail data events where the organization trail records them. An access-log bucket would itself need an unlogged bucket.',
  });
  return bucket;
}

/** The bucket's logical id, as cdk-nag renders it in the resources of its findings. */
export function bucketLogicalId(bucket: s3.Bucket): string {
  return Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
}

/** The objects under `prefix` as cdk-nag names them in an AwsSolutions-IAM5 finding. */
export function bucketObjectsFinding(bucket: s3.Bucket, prefix: string): string {
  return `Resource::<${bucketLogicalId(bucket)}.Arn>/${prefix}*`;
}
