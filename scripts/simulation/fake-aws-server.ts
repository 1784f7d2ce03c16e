import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { FakeAws } from './fake-aws';

/** Options of {@link startFakeAwsServer}. */
export interface FakeAwsServerOptions {
  /** Return true to never answer this request (a hung socket): the client's timeouts must end it. */
  readonly hang?: (call: { service: string; body: string; attempt: number }) => boolean;
}

/** A running fake AWS endpoint on the loopback interface. */
export interface FakeAwsServer {
  /** `http://127.0.0.1:<port>`: give it to the SDK as AWS_ENDPOINT_URL. */
  readonly url: string;
  /** Requests that were never answered. */
  readonly hung: string[];
  close(): Promise<void>;
}

/** The service a SigV4-signed request is for, from its credential scope (`.../<region>/<service>/aws4_request`). */
function serviceOf(request: IncomingMessage): string {
  const auth = request.headers.authorization ?? '';
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1] ?? 'unknown';
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serve a {@link FakeAws} over real HTTP on 127.0.0.1, so that code which builds its own SDK clients
 * (the real handler, at module scope) can be pointed at it with AWS_ENDPOINT_URL: every layer of the
 * SDK runs, including its HTTP handler with its socket timeouts.
 */
export async function startFakeAwsServer(
  aws: Pick<FakeAws, 'requestHandler'>,
  options: FakeAwsServerOptions = {},
): Promise<FakeAwsServer> {
  const hung: string[] = [];
  const attempts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await bodyOf(request);
      const service = serviceOf(request);
      const key = `${service}:${body}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      if (options.hang?.({ service, body, attempt })) {
        hung.push(key);
        return; // never answer
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      const { response: answer } = (await aws.requestHandler.handle({
        hostname: `${service}.fake`,
        headers,
        body,
        ...(request.url === undefined ? {} : { path: request.url }),
        ...(request.method === undefined ? {} : { method: request.method }),
      })) as { response: { statusCode: number; headers: Record<string, string>; body: Readable } };
      response.writeHead(answer.statusCode, answer.headers);
      answer.body.pipe(response);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hung,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
