import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClient } from './dynalite';

/**
 * A real DynamoDB client for `endpoint` whose Scan and Query requests carry `Limit: pageSize`, so that
 * DynamoDB (here dynalite) answers in pages with a LastEvaluatedKey after a few items, as it does after
 * 1 MB of data in production (DynamoDB Developer Guide, "Paginating table query results"). The code
 * under test does not know: it must follow LastEvaluatedKey to see every item.
 */
export function pagedClient(
  endpoint: string,
  pageSize: number,
): { client: DynamoDBClient; pages: () => number } {
  const client = localClient(endpoint);
  let pages = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      // The serialized HTTP request (AWS JSON protocol: the operation is in the X-Amz-Target header).
      const request = args.request as { headers?: Record<string, string>; body?: unknown } | undefined;
      const target = request?.headers?.['x-amz-target'] ?? '';
      if (request?.headers && /\.(Scan|Query)$/.test(target)) {
        pages += 1;
        const body = JSON.parse(String(request.body)) as Record<string, unknown>;
        request.body = JSON.stringify({ ...body, Limit: pageSize });
        request.headers['content-length'] = String(Buffer.byteLength(String(request.body)));
      }
      return next(args);
    },
    { step: 'build', name: 'smallPages' },
  );
  return { client, pages: () => pages };
}
