import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClient } from '../../scripts/simulation/dynalite';

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
        // Decoded as bytes: String() on the SDK's Uint8Array body calls a string method (an SDK WARN).
        const text =
          request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : String(request.body);
        const body = JSON.parse(text) as Record<string, unknown>;
        request.body = JSON.stringify({ ...body, Limit: pageSize });
        request.headers['content-length'] = String(Buffer.byteLength(String(request.body)));
      }
      return next(args);
    },
    { step: 'build', name: 'smallPages' },
  );
  return { client, pages: () => pages };
}

/**
 * An HTTP proxy in front of a local DynamoDB that adds `Limit: pageSize` to every Scan and Query, for code
 * that builds its own client (a CLI in a child process): it must follow LastEvaluatedKey to see it all.
 * dynalite checks that a request is signed, not the signature, so the rewritten body is accepted.
 */
export async function startPagingProxy(
  target: string,
  pageSize: number,
): Promise<{ endpoint: string; pages: () => number; close: () => Promise<void> }> {
  let pages = 0;
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks).toString('utf8');
      if (/\.(Scan|Query)$/.test(String(req.headers['x-amz-target'] ?? ''))) {
        pages += 1;
        body = JSON.stringify({ ...(JSON.parse(body) as Record<string, unknown>), Limit: pageSize });
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, 'content-length': String(Buffer.byteLength(body)) },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    pages: () => pages,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
