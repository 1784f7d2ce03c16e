import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { DigestMessage } from './digest';

/** Write one report object; encryption is the bucket's default (the stack sets it). */
export async function putReportObject(
  s3: S3Client,
  bucket: string,
  key: string,
  body: string,
  contentType: string,
): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}

/**
 * True when the digest receipt exists: a retried reporter (Step Functions retries a failed task) must
 * not publish the digest twice. A missing object answers NoSuchKey only to a caller allowed
 * `s3:ListBucket` on the bucket; without it S3 answers 403 AccessDenied (Amazon S3 API reference,
 * GetObject, "Permissions"), which is rethrown, never read as "not published".
 */
export async function digestReceiptExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchKey')) return false;
    throw error;
  }
}

/** Publish the digest; returns the SNS message id. */
export async function publishDigest(
  sns: SNSClient,
  topicArn: string,
  message: DigestMessage,
): Promise<string | undefined> {
  const response = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: message.subject,
      Message: message.body,
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: message.attributes.severity },
        finding: { DataType: 'String', StringValue: message.attributes.finding },
      },
    }),
  );
  return response.MessageId;
}
