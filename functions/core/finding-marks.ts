/**
 * Marks on a finding that change no state: when it was last notified, when Security Hub last accepted
 * it. One conditional time-stamp write each (the item must exist); `version` does not move.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { FINDING_ATTRIBUTES as A, FINDING_KEY, type FindingRef } from '../contract/findings';
import { findingKeyOf } from './finding-keys';
import { LOST, conditional, type FindingTable } from './finding-write';

/** Which mark: the operation named in errors, and the attribute it sets. */
export type FindingMark = 'markNotified' | 'markExported';

const MARK_ATTRIBUTES: Readonly<Record<FindingMark, string>> = {
  markNotified: A.lastNotified,
  markExported: A.lastExported,
};

/**
 * Set one time attribute of an existing finding (no state change, no `version` move).
 * @returns false when no such finding exists
 * @throws StoreUnavailableError, InvalidFindingInputError
 */
export async function markFinding(
  t: FindingTable,
  operation: FindingMark,
  input: FindingRef & { readonly now: Date },
): Promise<boolean> {
  const key = findingKeyOf(input);
  const result = await conditional(operation, () =>
    t.doc.send(
      new UpdateCommand({
        TableName: t.table,
        Key: key,
        UpdateExpression: 'SET #at = :now',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#at': MARK_ATTRIBUTES[operation], '#pk': FINDING_KEY.partition },
        ExpressionAttributeValues: { ':now': input.now.toISOString() },
      }),
    ),
  );
  return result !== LOST;
}
