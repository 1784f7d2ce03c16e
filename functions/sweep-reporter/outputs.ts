import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

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
