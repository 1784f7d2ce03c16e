/**
 * The finding store's front door (ADR 0009): {@link FindingStore}, and every name its callers import.
 * The work lives next to it, one question a module: the record (finding-record.ts), its keys
 * (finding-keys.ts), the conditional-write helpers (finding-write.ts), observing a problem
 * (finding-observe.ts), resolving (finding-resolve.ts), the notified / exported marks
 * (finding-marks.ts), renames (finding-rename.ts) and listing (finding-list.ts).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FindingRef } from '../contract/findings';
import { findingKeyOf } from './finding-keys';
import { listFindings, type ListOptions } from './finding-list';
import { markFinding } from './finding-marks';
import { observeProblem, type ObserveInput, type ObserveResult } from './finding-observe';
import type { Finding } from './finding-record';
import { renameUser, type RenameInput, type RenameResult } from './finding-rename';
import { resolveFinding, type ResolveInput, type ResolveResult } from './finding-resolve';
import { readFinding, type FindingTable } from './finding-write';

export { parseFinding, type Finding } from './finding-record';
export {
  NOTIFYING_TRANSITIONS,
  shouldNotify,
  type ObserveInput,
  type ObserveResult,
  type ObserveTransition,
} from './finding-observe';
export type { ResolveInput, ResolveResult } from './finding-resolve';
export type { RenameInput, RenameResult } from './finding-rename';
export type { ListOptions } from './finding-list';

/** Where the store lives. */
export interface FindingStoreOptions {
  /** A DynamoDB client (region, retries); the store wraps it in a document client. */
  readonly client: DynamoDBClient;
  /** Name of the findings table (`FINDINGS_TABLE_NAME` in the function's environment). */
  readonly tableName: string;
}

/**
 * The finding store (ADR 0009): one item per (account, kind, subject), every state change
 * one conditional write whose winner alone is told to notify. I/O only: no clock (`now` is passed),
 * no environment. Any DynamoDB failure surfaces as {@link StoreUnavailableError}; callers alert anyway.
 */
export class FindingStore {
  private readonly t: FindingTable;

  constructor(options: FindingStoreOptions) {
    this.t = { doc: DynamoDBDocumentClient.from(options.client), table: options.tableName };
  }

  /**
   * Record that a problem exists now. One conditional write decides the transition:
   * `opened` (no item), `reopened` (item RESOLVED), `escalated` (OPEN at a lower severity), and the
   * quiet `lowered` / `unchanged`. Of concurrent callers observing the same new problem, exactly one
   * gets `opened`. Up to three writes when the finding is already open (open, escalate, touch). A
   * suppressed finding is quiet (`suppressed`) until its day passes; then one more conditional write
   * removes the suppression, and only its winner gets `unsuppressed` (suppression.ts).
   * @throws StoreUnavailableError, StoreContentionError, InvalidFindingInputError
   */
  async observeProblem(input: ObserveInput): Promise<ObserveResult> {
    return observeProblem(this.t, input);
  }

  /**
   * Record that a problem is fixed. One conditional write (`state = OPEN`): of concurrent callers,
   * exactly one gets `resolved`; the others, and any call for a finding that is not open, get
   * `not-open`. Sets the TTL so DynamoDB deletes the item `retentionDays` after resolution.
   * @throws StoreUnavailableError, InvalidFindingInputError
   */
  async resolve(input: ResolveInput): Promise<ResolveResult> {
    return resolveFinding(this.t, input);
  }

  /**
   * Remember when the finding was last notified. Best effort: a failure must not fail the check (the
   * notification went out); catch {@link StoreUnavailableError} and log it.
   * @returns false when no such finding exists
   */
  async markNotified(input: FindingRef & { readonly now: Date }): Promise<boolean> {
    return markFinding(this.t, 'markNotified', input);
  }

  /**
   * Remember when Security Hub last accepted the finding (the sweep re-imports findings not imported for
   * a while: Security Hub deletes a finding 90 days after its last update). Best effort, like
   * {@link markNotified}; it changes no state, so it does not move `version`.
   * @returns false when no such finding exists
   */
  async markExported(input: FindingRef & { readonly now: Date }): Promise<boolean> {
    return markFinding(this.t, 'markExported', input);
  }

  /** The finding, or undefined when there is none (strongly consistent read). */
  async getFinding(ref: FindingRef): Promise<Finding | undefined> {
    return readFinding(this.t, 'getFinding', findingKeyOf(ref));
  }

  /**
   * Move a user's findings to its new name (`iam:UpdateUser`): a finding belongs to the user, not the
   * name, so it keeps its id, state and times, and the old name goes to `previousNames`. A lost race
   * re-reads and repeats, and so does a retried call (safe to repeat); see finding-rename.ts.
   * @throws StoreUnavailableError, StoreContentionError, InvalidFindingInputError
   */
  async renameUser(input: RenameInput): Promise<RenameResult> {
    return renameUser(this.t, input);
  }

  /**
   * Findings for the CLI, most severe first, then oldest first. With an account: one Query on its
   * partition. Without: a paginated Scan (see finding-list.ts).
   * @throws StoreUnavailableError, CorruptFindingError
   */
  async listFindings(options: ListOptions = {}): Promise<Finding[]> {
    return listFindings(this.t, options);
  }
}
