import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDING_KEY } from '../../../functions/contract/findings';
import { createFindingsTable, startDynalite, type LocalDynamo } from '../../../scripts/simulation/dynalite';

// CreateTable returns while the table is still CREATING; DynamoDB (and dynalite) refuse item requests
// until it is ACTIVE. "CreateTable is an asynchronous operation. Upon receiving a CreateTable request,
// DynamoDB immediately returns a response with a TableStatus of CREATING. After the table is created,
// DynamoDB sets the TableStatus to ACTIVE. You can perform read and write operations only on an ACTIVE
// table." (Amazon DynamoDB API Reference, CreateTable,
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html)
// A test helper that does not wait races the timer that turns the table ACTIVE: CI once failed with
// ResourceNotFoundException in finding-store.test.ts. A slow table creation makes the race certain.

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startDynalite({ createTableMs: 300 });
});
afterAll(async () => {
  await dynamo.close();
});

describe('createFindingsTable', () => {
  it('returns only when the table is ACTIVE, so the first write succeeds', async () => {
    const tableName = await createFindingsTable(dynamo.client);
    const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    await expect(
      dynamo.client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { [FINDING_KEY.partition]: { S: 'p' }, [FINDING_KEY.sort]: { S: 's' } },
        }),
      ),
    ).resolves.toBeDefined();
  });
});
