/**
 * Resolving a finding (ADR 0009): the problem is fixed; one conditional write on `state = OPEN`, whose
 * winner alone sends the resolution notice. The resolved item expires by DynamoDB's TTL.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  FINDING_ATTRIBUTES as A,
  FINDING_TTL_ATTRIBUTE,
  type FindingRef,
  type ResolutionReason,
} from '../contract/findings';
import { InvalidFindingInputError } from './finding-errors';
import { findingKeyOf } from './finding-keys';
import { parseFinding, type Finding } from './finding-record';
import { LOST, conditional, type FindingTable } from './finding-write';
import { SUPPRESSION_ATTRIBUTES } from './suppression';

/** A problem found fixed now. */
export type ResolveInput = FindingRef & {
  readonly reason: ResolutionReason;
  readonly now: Date;
  /** Days the resolved finding is kept before DynamoDB's TTL deletes it (1-3650). */
  readonly retentionDays: number;
};

/** Result of {@link FindingStore.resolve}. Only `resolved` calls for a resolution notice. */
export type ResolveResult =
  | {
      readonly transition: 'resolved';
      readonly finding: Finding;
      /** How long the finding was open (this open period), in milliseconds. */
      readonly openForMs: number;
    }
  | { readonly transition: 'not-open' };

const DAY_SECONDS = 86_400;

/**
 * Record that a problem is fixed: see {@link FindingStore.resolve}.
 * @throws StoreUnavailableError, InvalidFindingInputError
 */
export async function resolveFinding(t: FindingTable, input: ResolveInput): Promise<ResolveResult> {
  const key = findingKeyOf(input);
  if (!Number.isInteger(input.retentionDays) || input.retentionDays < 1 || input.retentionDays > 3650) {
    throw new InvalidFindingInputError('retentionDays', 'a whole number of days from 1 to 3650');
  }
  const expiresAt = Math.floor(input.now.getTime() / 1000) + input.retentionDays * DAY_SECONDS;
  const result = await conditional('resolve', () =>
    t.doc.send(
      new UpdateCommand({
        TableName: t.table,
        Key: key,
        // A resolution ends a suppression: if the problem comes back, that is a new alert.
        UpdateExpression: `SET #state = :resolved, #resolution = :reason, #resolvedAt = :now, #expiresAt = :expiresAt REMOVE ${SUPPRESSION_ATTRIBUTES.map((_, i) => `#s${i}`).join(', ')} ADD #version :one`,
        ConditionExpression: '#state = :open',
        ExpressionAttributeNames: {
          ...Object.fromEntries(SUPPRESSION_ATTRIBUTES.map((name, i) => [`#s${i}`, name])),
          '#state': A.state,
          '#resolution': A.resolution,
          '#resolvedAt': A.resolvedAt,
          '#expiresAt': FINDING_TTL_ATTRIBUTE,
          '#version': A.version,
        },
        ExpressionAttributeValues: {
          ':resolved': 'RESOLVED',
          ':open': 'OPEN',
          ':reason': input.reason,
          ':now': input.now.toISOString(),
          ':expiresAt': expiresAt,
          ':one': 1,
        },
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  if (result === LOST) return { transition: 'not-open' };
  const finding = parseFinding(result.Attributes, key);
  return {
    transition: 'resolved',
    finding,
    openForMs: Math.max(0, input.now.getTime() - Date.parse(finding.openedAt)),
  };
}
