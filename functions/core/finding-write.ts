/**
 * How the finding store talks to its table: every state change is one conditional write whose failed
 * condition is an answer ({@link LOST}), not an error; any other DynamoDB failure is an outage
 * ({@link StoreUnavailableError}). Shared by the store's transitions, listing and renames, and by new
 * record kinds stored next to the findings.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreUnavailableError } from './finding-errors';
import type { FindingKey } from './finding-keys';
import { parseFinding, type Finding } from './finding-record';

/** The findings table as the store's modules see it: a document client and the table name. */
export interface FindingTable {
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
}

/** Read-modify-write attempts before giving up with StoreContentionError. */
export const MAX_ATTEMPTS = 5;

/** Marker for a conditional write that lost (its condition was false). */
export const LOST = Symbol('condition-failed');

/** True for DynamoDB's answer to a write whose condition was false. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/**
 * Run a conditional write: a failed condition is an answer (LOST), any other failure is an outage.
 * @throws StoreUnavailableError
 */
export async function conditional<T>(operation: string, send: () => Promise<T>): Promise<T | typeof LOST> {
  try {
    return await send();
  } catch (error) {
    if (isConditionFailure(error)) return LOST;
    throw new StoreUnavailableError(operation, error);
  }
}

/**
 * Run a read or an unconditional write: any failure is an outage.
 * @throws StoreUnavailableError
 */
export async function unconditional<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new StoreUnavailableError(operation, error);
  }
}

/**
 * The finding under `key`, or undefined when there is none (strongly consistent read).
 * @throws StoreUnavailableError, CorruptFindingError
 */
export async function readFinding(
  t: FindingTable,
  operation: string,
  key: FindingKey,
): Promise<Finding | undefined> {
  const result = await unconditional(operation, () =>
    t.doc.send(new GetCommand({ TableName: t.table, Key: key, ConsistentRead: true })),
  );
  return result.Item === undefined ? undefined : parseFinding(result.Item, key);
}
