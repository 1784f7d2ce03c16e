import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { startDynalite, type DynaliteOptions, type LocalDynamo } from '../../scripts/simulation/dynalite';

// One in-process dynalite per test file: a real DynamoDB implementation, so conditional writes,
// expressions and return values are DynamoDB's, not a mock's.

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what}: dynalite runs only inside the tests (after beforeAll)`);
  return value;
}

/**
 * Start dynalite before the file's tests (beforeAll) and stop it after them (afterAll). Call at the top
 * of a file or a describe; read `client` / `endpoint` only inside hooks and tests.
 */
export function useDynalite(options: DynaliteOptions = {}): LocalDynamo {
  let dynamo: LocalDynamo | undefined;
  beforeAll(async () => {
    dynamo = await startDynalite(options);
  });
  afterAll(async () => {
    await dynamo?.close();
  });
  return {
    get endpoint() {
      return started(dynamo, 'useDynalite').endpoint;
    },
    get client(): DynamoDBClient {
      return started(dynamo, 'useDynalite').client;
    },
    close: () => started(dynamo, 'useDynalite').close(),
  };
}
