import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  FINDING_ATTRIBUTES as A,
  FINDING_KEY,
  FINDING_KINDS,
  FINDING_SEVERITIES,
  FINDING_SOURCES,
  FINDING_STATES,
  FINDING_TTL_ATTRIBUTE,
  RESOLUTION_REASONS,
  USER_FINDING_KINDS,
  findingId,
  findingSortKey,
  subjectOf,
  type FindingKind,
  type FindingRef,
  type FindingSeverity,
  type FindingSource,
  type ResolutionReason,
} from '../contract/findings';
import {
  CorruptFindingError,
  InvalidFindingInputError,
  StoreContentionError,
  StoreUnavailableError,
} from './finding-errors';
import { SUPPRESSION_ATTRIBUTES, expireSuppression, withSuppression, type Suppression } from './suppression';

/** One finding as stored (ADR 0009). Times are ISO-8601 UTC strings. */
export interface Finding {
  /** Stable id (`f-` + 20 hex), kept across reopenings and renames. */
  readonly findingId: string;
  readonly accountId: string;
  readonly kind: FindingKind;
  /** User name as last seen (original case), `root`, or `account`. */
  readonly subject: string;
  readonly state: 'OPEN' | 'RESOLVED';
  readonly severity: FindingSeverity;
  /** The alert finding, e.g. `NO_MFA_CONSOLE`. */
  readonly detail?: string;
  /** Who opened the current open period. */
  readonly source: FindingSource;
  /** First time the finding was ever opened. */
  readonly firstSeen: string;
  /** Start of the current (or last) open period. */
  readonly openedAt: string;
  readonly lastSeen: string;
  readonly lastNotified?: string;
  /** Latest successful import into Security Hub, when the export is on. */
  readonly lastExported?: string;
  readonly resolvedAt?: string;
  readonly resolution?: ResolutionReason;
  /** TTL, epoch seconds (resolved findings only). */
  readonly expiresAt?: number;
  readonly accountAlias?: string;
  readonly reopenCount: number;
  /** Earlier user names, oldest first. */
  readonly previousNames: readonly string[];
  readonly version: number;
  /** Accepted until a day, by whom and why (suppression.ts); no alerts while it holds. */
  readonly suppression?: Suppression;
}

/** What {@link FindingStore.observeProblem} did. */
export type ObserveTransition =
  /** No item existed: a new finding. Notify. */
  | 'opened'
  /** The finding was RESOLVED and is open again. Notify. */
  | 'reopened'
  /** Already open, now at a higher severity (e.g. a console password appeared). Notify, once. */
  | 'escalated'
  /** Already open at a higher severity; recorded the lower one (e.g. console password removed). Quiet. */
  | 'lowered'
  /** Already open at the same severity; only `lastSeen` moved. Quiet. */
  | 'unchanged'
  /** Would have notified, but the finding is accepted (suppressed) until a day not yet passed. Quiet. */
  | 'suppressed'
  /** The suppression's day has passed and this write removed it: the finding reopens by itself. Notify. */
  | 'unsuppressed';

/** Transitions that call for a notification; only the caller whose write won sees them. */
export const NOTIFYING_TRANSITIONS: readonly ObserveTransition[] = [
  'opened',
  'reopened',
  'escalated',
  'unsuppressed',
];

/** True when this transition must be notified (opened, reopened, escalated). */
export function shouldNotify(transition: ObserveTransition): boolean {
  return NOTIFYING_TRANSITIONS.includes(transition);
}

/** A problem observed now (by an event check or the sweep). */
export type ObserveInput = FindingRef & {
  readonly severity: FindingSeverity;
  /** The alert finding, e.g. `NO_MFA_CONSOLE`. @default none (an earlier detail is removed) */
  readonly detail?: string;
  readonly source: FindingSource;
  readonly now: Date;
  /** Stored for the CLI when known. @default the stored alias is kept */
  readonly accountAlias?: string;
};

/** Result of {@link FindingStore.observeProblem}: the transition this call's write made, and the item after it. */
export interface ObserveResult {
  readonly transition: ObserveTransition;
  readonly finding: Finding;
}

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

/** A user renamed by `iam:UpdateUser` (`NewUserName`). */
export interface RenameInput {
  readonly accountId: string;
  readonly oldName: string;
  readonly newName: string;
  readonly now: Date;
}

/** Result of {@link FindingStore.renameUser}. */
export interface RenameResult {
  /** Findings now stored under the new name (same finding id); empty when there was nothing to move. */
  readonly moved: readonly Finding[];
  /** Stale findings that had been stored under the new name and were overwritten (a former user of that name). */
  readonly replaced: readonly Finding[];
}

/** Filters of {@link FindingStore.listFindings}. */
export interface ListOptions {
  /** `OPEN` only, or `ALL` (open and recently resolved). @default 'OPEN' */
  readonly state?: 'OPEN' | 'ALL';
  /** Only this account (a Query instead of a Scan). @default every account */
  readonly accountId?: string;
  /** Only this severity. @default every severity */
  readonly severity?: FindingSeverity;
}

/** Where the store lives. */
export interface FindingStoreOptions {
  /** A DynamoDB client (region, retries); the store wraps it in a document client. */
  readonly client: DynamoDBClient;
  /** Name of the findings table (`FINDINGS_TABLE_NAME` in the function's environment). */
  readonly tableName: string;
}

const ACCOUNT_ID = /^\d{12}$/;
// IAM user names: 1-64 of letters, digits and +=,.@_- (IAM API reference, CreateUser).
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** Read-modify-write attempts before giving up with StoreContentionError. */
const MAX_ATTEMPTS = 5;
const DAY_SECONDS = 86_400;

const itemSchema = z.object({
  [A.findingId]: z.string(),
  [A.accountId]: z.string(),
  [A.kind]: z.enum(FINDING_KINDS),
  [A.subject]: z.string(),
  [A.state]: z.enum(FINDING_STATES),
  [A.severity]: z.enum(FINDING_SEVERITIES),
  [A.detail]: z.optional(z.string()),
  [A.source]: z.enum(FINDING_SOURCES),
  [A.firstSeen]: z.string(),
  [A.openedAt]: z.string(),
  [A.lastSeen]: z.string(),
  [A.lastNotified]: z.optional(z.string()),
  [A.lastExported]: z.optional(z.string()),
  [A.resolvedAt]: z.optional(z.string()),
  [A.resolution]: z.optional(z.enum(RESOLUTION_REASONS)),
  [FINDING_TTL_ATTRIBUTE]: z.optional(z.number()),
  [A.accountAlias]: z.optional(z.string()),
  [A.reopenCount]: z.optional(z.number()),
  [A.previousNames]: z.optional(z.array(z.string())),
  [A.version]: z.optional(z.number()),
  [A.suppressedUntil]: z.optional(z.string()),
  [A.suppressionReason]: z.optional(z.string()),
  [A.suppressedBy]: z.optional(z.string()),
  [A.suppressedAt]: z.optional(z.string()),
});

/** Marker for a conditional write that lost (its condition was false). */
const LOST = Symbol('condition-failed');

/**
 * The finding store (ADR 0009): one item per (account, kind, subject), every state change
 * one conditional write whose winner alone is told to notify. I/O only: no clock (`now` is passed),
 * no environment. Any DynamoDB failure surfaces as {@link StoreUnavailableError}; callers alert anyway.
 */
export class FindingStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: FindingStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client);
    this.table = options.tableName;
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
    const result = await this.observeOnce(input);
    return withSuppression(result, input.now, (until) =>
      expireSuppression(this.doc, this.table, this.keyOf(input), until),
    );
  }

  private async observeOnce(input: ObserveInput): Promise<ObserveResult> {
    const key = this.keyOf(input);
    const subject = subjectOf(input);
    const now = input.now.toISOString();
    const lower = FINDING_SEVERITIES.slice(FINDING_SEVERITIES.indexOf(input.severity) + 1);
    const lowerValues = Object.fromEntries(lower.map((s, i) => [`:lower${i}`, s]));
    const lowerList = Object.keys(lowerValues).join(', ');
    // Attributes every observation writes: the current truth about the problem.
    const observed = observedAttributes(input, subject, now);

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      // 1. Open (no item) or reopen (RESOLVED). reopenCount starts at 0 and counts reopenings.
      const opened = await this.conditional('observeProblem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key,
            UpdateExpression: [
              `SET ${observed.set}, #findingId = if_not_exists(#findingId, :findingId), #accountId = :accountId,`,
              '#kind = :kind, #state = :open, #source = :source, #firstSeen = if_not_exists(#firstSeen, :now),',
              '#openedAt = :now, #reopenCount = if_not_exists(#reopenCount, :minusOne) + :one',
              `REMOVE ${['#resolvedAt', '#resolution', '#expiresAt', ...observed.remove].join(', ')}`,
              'ADD #version :one',
            ].join(' '),
            ConditionExpression: 'attribute_not_exists(#pk) OR #state = :resolved',
            ExpressionAttributeNames: {
              ...observed.names,
              '#pk': FINDING_KEY.partition,
              '#findingId': A.findingId,
              '#accountId': A.accountId,
              '#kind': A.kind,
              '#state': A.state,
              '#source': A.source,
              '#firstSeen': A.firstSeen,
              '#openedAt': A.openedAt,
              '#reopenCount': A.reopenCount,
              '#resolvedAt': A.resolvedAt,
              '#resolution': A.resolution,
              '#expiresAt': FINDING_TTL_ATTRIBUTE,
              '#version': A.version,
            },
            ExpressionAttributeValues: {
              ...observed.values,
              ':findingId': findingId(input.accountId, input.kind, subject),
              ':accountId': input.accountId,
              ':kind': input.kind,
              ':open': 'OPEN',
              ':resolved': 'RESOLVED',
              ':source': input.source,
              ':now': now,
              ':minusOne': -1,
              ':one': 1,
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      if (opened !== LOST) {
        const finding = parseFinding(opened.Attributes, key);
        return { transition: finding.reopenCount === 0 ? 'opened' : 'reopened', finding };
      }

      // 2. Escalate: OPEN at a lower severity than observed now.
      if (lower.length > 0) {
        const escalated = await this.conditional('observeProblem', () =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.table,
              Key: key,
              UpdateExpression: `SET ${observed.set}${removeClause(observed.remove)} ADD #version :one`,
              ConditionExpression: `#state = :open AND #severity IN (${lowerList})`,
              ExpressionAttributeNames: { ...observed.names, '#state': A.state, '#version': A.version },
              ExpressionAttributeValues: { ...observed.values, ...lowerValues, ':open': 'OPEN', ':one': 1 },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        if (escalated !== LOST) {
          return { transition: 'escalated', finding: parseFinding(escalated.Attributes, key) };
        }
      }

      // 3. Touch: OPEN at the same or a higher severity. Records the observed severity (a lowered one
      //    too, so that a later rise notifies again) and never notifies.
      const touched = await this.conditional('observeProblem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key,
            UpdateExpression: `SET ${observed.set}${removeClause(observed.remove)} ADD #version :one`,
            ConditionExpression:
              lower.length > 0 ? `#state = :open AND NOT (#severity IN (${lowerList}))` : '#state = :open',
            ExpressionAttributeNames: { ...observed.names, '#state': A.state, '#version': A.version },
            ExpressionAttributeValues: { ...observed.values, ...lowerValues, ':open': 'OPEN', ':one': 1 },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      if (touched !== LOST) {
        const before = parseFinding(touched.Attributes, key);
        const finding = applyObservation(before, input, subject, now);
        return { transition: before.severity === input.severity ? 'unchanged' : 'lowered', finding };
      }
      // Every condition failed: the item changed between the writes (resolved, escalated). Start over.
    }
    throw new StoreContentionError('observeProblem', MAX_ATTEMPTS);
  }

  /**
   * Record that a problem is fixed. One conditional write (`state = OPEN`): of concurrent callers,
   * exactly one gets `resolved`; the others, and any call for a finding that is not open, get
   * `not-open`. Sets the TTL so DynamoDB deletes the item `retentionDays` after resolution.
   * @throws StoreUnavailableError, InvalidFindingInputError
   */
  async resolve(input: ResolveInput): Promise<ResolveResult> {
    const key = this.keyOf(input);
    if (!Number.isInteger(input.retentionDays) || input.retentionDays < 1 || input.retentionDays > 3650) {
      throw new InvalidFindingInputError('retentionDays', 'a whole number of days from 1 to 3650');
    }
    const expiresAt = Math.floor(input.now.getTime() / 1000) + input.retentionDays * DAY_SECONDS;
    const result = await this.conditional('resolve', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
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

  /**
   * Remember when the finding was last notified. Best effort: a failure must not fail the check (the
   * notification went out); catch {@link StoreUnavailableError} and log it.
   * @returns false when no such finding exists
   */
  async markNotified(input: FindingRef & { readonly now: Date }): Promise<boolean> {
    return this.stamp('markNotified', A.lastNotified, input);
  }

  /**
   * Remember when Security Hub last accepted the finding (the sweep re-imports findings not imported for
   * a while: Security Hub deletes a finding 90 days after its last update). Best effort, like
   * {@link markNotified}; it changes no state, so it does not move `version`.
   * @returns false when no such finding exists
   */
  async markExported(input: FindingRef & { readonly now: Date }): Promise<boolean> {
    return this.stamp('markExported', A.lastExported, input);
  }

  /** Set one time attribute of an existing finding (no state change, no `version` move). */
  private async stamp(
    operation: 'markNotified' | 'markExported',
    attribute: string,
    input: FindingRef & { readonly now: Date },
  ): Promise<boolean> {
    const key = this.keyOf(input);
    const result = await this.conditional(operation, () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET #at = :now',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#at': attribute, '#pk': FINDING_KEY.partition },
          ExpressionAttributeValues: { ':now': input.now.toISOString() },
        }),
      ),
    );
    return result !== LOST;
  }

  /** The finding, or undefined when there is none (strongly consistent read). */
  async getFinding(ref: FindingRef): Promise<Finding | undefined> {
    const key = this.keyOf(ref);
    return this.read('getFinding', key);
  }

  /**
   * Move a user's findings to its new name (`iam:UpdateUser`): a finding belongs to the user, not the
   * name, so it keeps its id, state and times, and the old name goes to `previousNames`. Without
   * transactions (dynalite has none), each finding moves by a conditional put of the new item followed
   * by a conditional delete of the old one, both pinned to the versions read; a lost race re-reads
   * and repeats, and so does a retried call (safe to repeat). A case-only rename keeps the same key.
   * @throws StoreUnavailableError, StoreContentionError, InvalidFindingInputError
   */
  async renameUser(input: RenameInput): Promise<RenameResult> {
    checkAccount(input.accountId);
    checkUserName('oldName', input.oldName);
    checkUserName('newName', input.newName);
    const moved: Finding[] = [];
    const replaced: Finding[] = [];
    for (const kind of USER_FINDING_KINDS) {
      const outcome = await this.moveOne(input, kind);
      if (outcome.moved) moved.push(outcome.moved);
      if (outcome.replaced) replaced.push(outcome.replaced);
    }
    return { moved, replaced };
  }

  /**
   * Findings for the CLI, most severe first, then oldest first. With an account: one Query on its
   * partition. Without: a paginated Scan (the table holds open and recently resolved findings plus a
   * day of idempotency records: small; a state index would cost a write on every transition instead).
   * @throws StoreUnavailableError, CorruptFindingError
   */
  async listFindings(options: ListOptions = {}): Promise<Finding[]> {
    const names: Record<string, string> = { '#findingId': A.findingId };
    const values: Record<string, string> = {};
    const filters = ['attribute_exists(#findingId)']; // skips the idempotency records
    if ((options.state ?? 'OPEN') === 'OPEN') {
      filters.push('#state = :open');
      names['#state'] = A.state;
      values[':open'] = 'OPEN';
    }
    if (options.severity !== undefined) {
      filters.push('#severity = :severity');
      names['#severity'] = A.severity;
      values[':severity'] = options.severity;
    }
    const common = {
      TableName: this.table,
      FilterExpression: filters.join(' AND '),
      ExpressionAttributeNames: names,
    };
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const exclusive = startKey === undefined ? {} : { ExclusiveStartKey: startKey };
      let page: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };
      if (options.accountId !== undefined) {
        checkAccount(options.accountId);
        const query: QueryCommandInput = {
          ...common,
          ...exclusive,
          KeyConditionExpression: '#pk = :accountId',
          ExpressionAttributeNames: { ...names, '#pk': FINDING_KEY.partition },
          ExpressionAttributeValues: { ...values, ':accountId': options.accountId },
        };
        page = await this.unconditional('listFindings', () => this.doc.send(new QueryCommand(query)));
      } else {
        const scan: ScanCommandInput = {
          ...common,
          ...exclusive,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        };
        page = await this.unconditional('listFindings', () => this.doc.send(new ScanCommand(scan)));
      }
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items
      .map((item) => parseFinding(item, keyOfItem(item)))
      .sort(
        (a, b) =>
          FINDING_SEVERITIES.indexOf(a.severity) - FINDING_SEVERITIES.indexOf(b.severity) ||
          a.openedAt.localeCompare(b.openedAt) ||
          a.accountId.localeCompare(b.accountId) ||
          a.subject.localeCompare(b.subject),
      );
  }

  private async moveOne(
    input: RenameInput,
    kind: (typeof USER_FINDING_KINDS)[number],
  ): Promise<{ moved?: Finding; replaced?: Finding }> {
    const from = this.keyOf({ accountId: input.accountId, kind, userName: input.oldName });
    const to = this.keyOf({ accountId: input.accountId, kind, userName: input.newName });
    const sameKey = from[FINDING_KEY.sort] === to[FINDING_KEY.sort];
    let replaced: Finding | undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const old = await this.read('renameUser', from);
      // Nothing under the old name (never a finding, or an earlier call moved it): nothing to do.
      if (old === undefined) return replaced === undefined ? {} : { replaced };
      if (sameKey && old.subject === input.newName) return {};
      const renamed: Finding = {
        ...old,
        subject: input.newName,
        previousNames: [...old.previousNames, old.subject],
        version: old.version + 1,
      };
      if (sameKey) {
        // "alice" -> "Alice": same key; only the displayed name changes.
        const put = await this.conditional('renameUser', () =>
          this.doc.send(
            new PutCommand({
              TableName: this.table,
              Item: { ...from, ...toItem(renamed) },
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': A.version },
              ExpressionAttributeValues: { ':version': old.version },
            }),
          ),
        );
        if (put !== LOST) return { moved: renamed };
        continue;
      }
      const target = await this.read('renameUser', to);
      if (target !== undefined && target.findingId !== old.findingId) replaced ??= target;
      // The new name's slot must be as just read: empty, our own copy from an earlier attempt, or a
      // stale finding of a former user of that name (IAM refuses a rename onto an existing user).
      const put = await this.conditional('renameUser', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...to, ...toItem(renamed) },
            ...(target === undefined
              ? {
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': FINDING_KEY.partition },
                }
              : {
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': A.version },
                  ExpressionAttributeValues: { ':version': target.version },
                }),
          }),
        ),
      );
      if (put === LOST) continue;
      // Delete the old item only if nothing changed it since it was read; else copy it again.
      const deleted = await this.conditional('renameUser', () =>
        this.doc.send(
          new DeleteCommand({
            TableName: this.table,
            Key: from,
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': A.version },
            ExpressionAttributeValues: { ':version': old.version },
          }),
        ),
      );
      if (deleted !== LOST) return { moved: renamed, ...(replaced === undefined ? {} : { replaced }) };
    }
    throw new StoreContentionError('renameUser', MAX_ATTEMPTS);
  }

  private async read(operation: string, key: Record<string, string>): Promise<Finding | undefined> {
    const result = await this.unconditional(operation, () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true })),
    );
    return result.Item === undefined ? undefined : parseFinding(result.Item, key);
  }

  private keyOf(ref: FindingRef): Record<string, string> {
    checkAccount(ref.accountId);
    if ('userName' in ref) checkUserName('userName', ref.userName);
    return {
      [FINDING_KEY.partition]: ref.accountId,
      [FINDING_KEY.sort]: findingSortKey(ref.kind, subjectOf(ref)),
    };
  }

  /** Run a conditional write: a failed condition is an answer (LOST), any other failure is an outage. */
  private async conditional<T>(operation: string, send: () => Promise<T>): Promise<T | typeof LOST> {
    try {
      return await send();
    } catch (error) {
      if (isConditionFailure(error)) return LOST;
      throw new StoreUnavailableError(operation, error);
    }
  }

  private async unconditional<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw new StoreUnavailableError(operation, error);
    }
  }
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

function checkAccount(accountId: string): void {
  if (!ACCOUNT_ID.test(accountId)) {
    throw new InvalidFindingInputError('accountId', 'a 12-digit AWS account id');
  }
}

function checkUserName(field: string, userName: string): void {
  if (!USER_NAME.test(userName)) {
    throw new InvalidFindingInputError(field, 'an IAM user name (1-64 of letters, digits and +=,.@_-)');
  }
}

/** The SET clause (and REMOVE of a detail no longer observed) shared by every observation. */
function observedAttributes(
  input: ObserveInput,
  subject: string,
  now: string,
): { set: string; remove: string[]; names: Record<string, string>; values: Record<string, unknown> } {
  const set = ['#subject = :subject', '#severity = :severity', '#lastSeen = :now'];
  const names: Record<string, string> = {
    '#subject': A.subject,
    '#severity': A.severity,
    '#lastSeen': A.lastSeen,
    '#detail': A.detail,
  };
  const values: Record<string, unknown> = { ':subject': subject, ':severity': input.severity, ':now': now };
  if (input.detail !== undefined) {
    set.push('#detail = :detail');
    values[':detail'] = input.detail;
  }
  if (input.accountAlias !== undefined) {
    set.push('#accountAlias = :accountAlias');
    names['#accountAlias'] = A.accountAlias;
    values[':accountAlias'] = input.accountAlias;
  }
  return { set: set.join(', '), remove: input.detail === undefined ? ['#detail'] : [], names, values };
}

function removeClause(names: readonly string[]): string {
  return names.length === 0 ? '' : ` REMOVE ${names.join(', ')}`;
}

/** The item after a touch, from the item before it (the touch returns the old image). */
function applyObservation(before: Finding, input: ObserveInput, subject: string, now: string): Finding {
  const { detail: _detail, ...rest } = before;
  return {
    ...rest,
    subject,
    severity: input.severity,
    lastSeen: now,
    version: before.version + 1,
    ...(input.detail === undefined ? {} : { detail: input.detail }),
    ...(input.accountAlias === undefined ? {} : { accountAlias: input.accountAlias }),
  };
}

function keyOfItem(item: Record<string, unknown>): Record<string, string> {
  return {
    [FINDING_KEY.partition]: String(item[FINDING_KEY.partition]),
    [FINDING_KEY.sort]: String(item[FINDING_KEY.sort]),
  };
}

/**
 * A finding from its item (the key names it in errors).
 * @throws CorruptFindingError
 */
export function parseFinding(
  item: Record<string, unknown> | undefined,
  key: Record<string, string>,
): Finding {
  const where = `${key[FINDING_KEY.partition] ?? '?'}/${key[FINDING_KEY.sort] ?? '?'}`;
  if (item === undefined) throw new CorruptFindingError(where, 'DynamoDB returned no attributes');
  const parsed = itemSchema.safeParse(item);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
    throw new CorruptFindingError(where, problems.join('; '));
  }
  const d = parsed.data;
  return {
    findingId: d.findingId,
    accountId: d.accountId,
    kind: d.kind,
    subject: d.subject,
    state: d.state,
    severity: d.severity,
    source: d.source,
    firstSeen: d.firstSeen,
    openedAt: d.openedAt,
    lastSeen: d.lastSeen,
    reopenCount: d.reopenCount ?? 0,
    previousNames: d.previousNames ?? [],
    version: d.version ?? 0,
    ...(d.detail === undefined ? {} : { detail: d.detail }),
    ...(d.lastNotified === undefined ? {} : { lastNotified: d.lastNotified }),
    ...(d.lastExported === undefined ? {} : { lastExported: d.lastExported }),
    ...(d.resolvedAt === undefined ? {} : { resolvedAt: d.resolvedAt }),
    ...(d.resolution === undefined ? {} : { resolution: d.resolution }),
    ...(d.expiresAt === undefined ? {} : { expiresAt: d.expiresAt }),
    ...(d.accountAlias === undefined ? {} : { accountAlias: d.accountAlias }),
    ...(d.suppressedUntil === undefined
      ? {}
      : {
          suppression: {
            until: d.suppressedUntil,
            reason: d.suppressionReason ?? '',
            by: d.suppressedBy ?? '',
            at: d.suppressedAt ?? '',
          },
        }),
  };
}

/** A finding as item attributes (without the key). */
function toItem(finding: Finding): Record<string, unknown> {
  const item: Record<string, unknown> = {
    [A.findingId]: finding.findingId,
    [A.accountId]: finding.accountId,
    [A.kind]: finding.kind,
    [A.subject]: finding.subject,
    [A.state]: finding.state,
    [A.severity]: finding.severity,
    [A.source]: finding.source,
    [A.firstSeen]: finding.firstSeen,
    [A.openedAt]: finding.openedAt,
    [A.lastSeen]: finding.lastSeen,
    [A.reopenCount]: finding.reopenCount,
    [A.previousNames]: [...finding.previousNames],
    [A.version]: finding.version,
  };
  if (finding.detail !== undefined) item[A.detail] = finding.detail;
  if (finding.lastNotified !== undefined) item[A.lastNotified] = finding.lastNotified;
  if (finding.lastExported !== undefined) item[A.lastExported] = finding.lastExported;
  if (finding.resolvedAt !== undefined) item[A.resolvedAt] = finding.resolvedAt;
  if (finding.resolution !== undefined) item[A.resolution] = finding.resolution;
  if (finding.expiresAt !== undefined) item[FINDING_TTL_ATTRIBUTE] = finding.expiresAt;
  if (finding.accountAlias !== undefined) item[A.accountAlias] = finding.accountAlias;
  if (finding.suppression !== undefined) {
    item[A.suppressedUntil] = finding.suppression.until;
    item[A.suppressionReason] = finding.suppression.reason;
    item[A.suppressedBy] = finding.suppression.by;
    item[A.suppressedAt] = finding.suppression.at;
  }
  return item;
}
