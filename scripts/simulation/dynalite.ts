import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import { FINDING_KEY } from '../../functions/contract/findings';

/** A DynamoDB implementation (dynalite, in memory) running inside the test process. */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A real DynamoDB client pointed at it (dummy credentials, no retries to wait for). */
  readonly client: DynamoDBClient;
  /** Stop the server. */
  close(): Promise<void>;
}

/** Dummy credentials: dynalite checks that requests are signed, not by whom. */
export const DUMMY_CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' } as const;

/** A real DynamoDB client for a local endpoint. */
export function localClient(endpoint: string, overrides: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: DUMMY_CREDENTIALS,
    maxAttempts: 2,
    ...overrides,
  });
}

/** Options of {@link startDynalite}. */
export interface DynaliteOptions {
  /**
   * How long a new table stays CREATING before it turns ACTIVE (dynalite's timer), as in DynamoDB.
   * @default 0 (the next timer tick: still after CreateTable has answered)
   */
  readonly createTableMs?: number;
}

/** Start dynalite on a free port of 127.0.0.1. */
export async function startDynalite(options: DynaliteOptions = {}): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: options.createTableMs ?? 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

let tableCounter = 0;

/**
 * Wait until a table is ACTIVE, polling DescribeTable, as a deployment must: CreateTable answers while
 * the table is CREATING, and item requests fail until it is ACTIVE (DynamoDB API Reference, CreateTable).
 * @throws Error naming the table and its last status when it is not ACTIVE within `timeoutMs`
 */
export async function waitForActiveTable(
  client: DynamoDBClient,
  tableName: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let status: string | undefined;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    status = Table?.TableStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() >= deadline) {
      throw new Error(`table ${tableName} is still ${status ?? 'unknown'} after ${timeoutMs} ms`);
    }
    await sleep(10);
  }
}

/**
 * Create a table with the findings table's key schema (from the shared contract, as the CDK construct
 * does) under a fresh name, so tests sharing one server never see each other's items. Returns once the
 * table is ACTIVE ({@link waitForActiveTable}).
 */
export async function createFindingsTable(client: DynamoDBClient, prefix = 'findings'): Promise<string> {
  tableCounter += 1;
  const tableName = `${prefix}-${process.pid}-${tableCounter}`;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: FINDING_KEY.partition, AttributeType: 'S' },
        { AttributeName: FINDING_KEY.sort, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: FINDING_KEY.partition, KeyType: 'HASH' },
        { AttributeName: FINDING_KEY.sort, KeyType: 'RANGE' },
      ],
    }),
  );
  await waitForActiveTable(client, tableName);
  return tableName;
}

/** A port nothing listens on (bound, then released), for "store down" tests. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}
