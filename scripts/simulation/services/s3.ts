import { createHash } from 'node:crypto';
import { bodyText, restPath, restXmlError, toResponse, type SimAnswer, type SimRequest } from './protocol';
import type { SimulatedService } from './service';

/** One stored object. */
export interface S3Object {
  readonly body: string;
  readonly contentType?: string;
}

/** Buckets by name, each a map of keys to objects (mutable: the simulation writes into it). */
export type Buckets = Map<string, Map<string, S3Object>>;

/** Bucket and key of a path-style request (`/bucket/key`): the SDK uses path style for an IP endpoint. */
function locate(request: SimRequest): { bucket: string; key: string } {
  const { path } = restPath(request);
  const [, bucket = '', ...key] = path.split('/');
  return { bucket, key: key.join('/') };
}

function etag(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/**
 * Amazon S3 (REST-XML, path style) over in-memory buckets: the sweep planner's item list, the
 * Distributed Map's results, the reporter's CSV/JSON report and digest receipt.
 */
export function s3Service(buckets: Buckets): SimulatedService {
  function withBucket(request: SimRequest, then: (objects: Map<string, S3Object>, key: string) => SimAnswer) {
    const { bucket, key } = locate(request);
    const objects = buckets.get(bucket);
    if (objects === undefined)
      return restXmlError(404, 'NoSuchBucket', 'The specified bucket does not exist');
    return then(objects, key);
  }
  const answers: Record<string, (request: SimRequest) => SimAnswer> = {
    PutObject: (request) =>
      withBucket(request, (objects, key) => {
        const body = bodyText(request);
        const contentType = request.headers['content-type'];
        objects.set(key, { body, ...(contentType === undefined ? {} : { contentType }) });
        return { status: 200, body: '', headers: { etag: etag(body) } };
      }),
    GetObject: (request) =>
      withBucket(request, (objects, key) => {
        const object = objects.get(key);
        if (object === undefined) return restXmlError(404, 'NoSuchKey', 'The specified key does not exist.');
        return {
          status: 200,
          body: object.body,
          headers: {
            'content-type': object.contentType ?? 'application/octet-stream',
            'content-length': String(Buffer.byteLength(object.body)),
            etag: etag(object.body),
          },
        };
      }),
  };
  return {
    name: 's3',
    file: 'scripts/simulation/services/s3.ts',
    operations: Object.keys(answers),
    operationOf: (request) => {
      const { key } = locate(request);
      if (key === '') return undefined;
      if (request.method === 'PUT') return 'PutObject';
      if (request.method === 'GET') return 'GetObject';
      return undefined;
    },
    answer: (operation, request) => {
      const answer = answers[operation];
      if (answer === undefined) throw new Error(`s3: no answer for ${operation}`);
      return Promise.resolve(toResponse(answer(request)));
    },
  };
}
