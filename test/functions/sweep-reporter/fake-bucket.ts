import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

/** A bucket in memory behind aws-sdk-client-mock: GetObject answers NoSuchKey for missing keys. */
export interface FakeBucket {
  readonly mock: AwsClientStub<S3Client>;
  readonly objects: Map<string, { body: string; contentType?: string }>;
}

/** Mock S3Client (every instance) with one bucket's objects. */
export function fakeBucket(bucket: string, initial: Record<string, string> = {}): FakeBucket {
  const objects = new Map(Object.entries(initial).map(([key, body]) => [key, { body }]));
  const mock = mockClient(S3Client);
  mock.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string }) => {
    const object = input.Bucket === bucket ? objects.get(input.Key) : undefined;
    if (object === undefined) {
      throw new NoSuchKey({
        message: 'The specified key does not exist.',
        $metadata: { httpStatusCode: 404 },
      });
    }
    // The SDK's streaming body exposes transformToString; that is all the reporter reads.
    return { Body: { transformToString: () => Promise.resolve(object.body) } };
  });
  mock
    .on(PutObjectCommand)
    .callsFake((input: { Bucket: string; Key: string; Body: string; ContentType?: string }) => {
      if (input.Bucket !== bucket) throw new Error(`fake S3: no bucket ${input.Bucket}`);
      objects.set(input.Key, {
        body: input.Body,
        ...(input.ContentType === undefined ? {} : { contentType: input.ContentType }),
      });
      return { ETag: '"fake"' };
    });
  return { mock, objects };
}
