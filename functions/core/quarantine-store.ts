/**
 * Quarantine transitions on the finding store (docs/adr/0022-enforcement-quarantine.md): that the sweep
 * attached the quarantine policy to a user, or that it (or a person) detached it, each with who, when
 * and why, written onto the user's USER_NO_MFA finding item. Every transition is one conditional write:
 * of concurrent writers exactly one records it (and only that one notifies). I/O only: the DynamoDB
 * client is passed in, times are passed in.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { QUARANTINE_ATTRIBUTES as Q, SWEEP_ACTOR_PREFIX } from '../contract/enforcement';
import {
  FINDING_ATTRIBUTES as A,
  FINDING_KEY,
  FINDING_STATES,
  RESOLUTION_REASONS,
  findingSortKey,
  type ResolutionReason,
} from '../contract/findings';
import { CorruptFindingError, InvalidFindingInputError, StoreUnavailableError } from './finding-errors';
import { QUARANTINE_ITEM_SHAPE } from './finding-quarantine';
import { isConditionFailure } from './finding-write';

/** One attach or detach: who (the sweep, `sweep:<id>`, or a person's ARN), when, why. */
export interface EnforcementTransition {
  readonly action: 'quarantined' | 'released';
  /** ISO time. */
  readonly at: string;
  readonly by: string;
  readonly reason: string;
}

/** The user whose finding records the transition. */
export interface QuarantineSubject {
  readonly accountId: string;
  readonly userName: string;
}

/** Who, when and why, as passed to a transition. */
export interface TransitionInput {
  readonly by: string;
  readonly reason: string;
  readonly now: Date;
}

/** What the store knows of a user's quarantine. */
export interface QuarantineState {
  readonly findingId: string;
  readonly accountId: string;
  /** The user name as last seen. */
  readonly userName: string;
  readonly state: 'OPEN' | 'RESOLVED';
  /** Why the finding was resolved (RESOLVED only; the finding store's resolution reason). */
  readonly resolution?: ResolutionReason;
  /** Present while the policy is recorded as attached. */
  readonly quarantined?: Omit<EnforcementTransition, 'action'>;
  /** The latest release. */
  readonly released?: Omit<EnforcementTransition, 'action'>;
  /** Every transition, oldest first. */
  readonly log: readonly EnforcementTransition[];
}

/** Outcome of {@link QuarantineStore.markQuarantined}. */
export type QuarantineWrite = 'recorded' | 'already-quarantined' | 'no-open-finding';
/** Outcome of {@link QuarantineStore.markReleased}. */
export type ReleaseWrite = 'recorded' | 'not-quarantined';

const ACCOUNT_ID = /^\d{12}$/;
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
/** Longest reason kept (a notice quotes it). */
export const MAX_TRANSITION_REASON_LENGTH = 500;

const itemSchema = z.object({
  [FINDING_KEY.partition]: z.string(),
  [FINDING_KEY.sort]: z.string(),
  [A.findingId]: z.string(),
  [A.accountId]: z.string(),
  [A.subject]: z.string(),
  [A.state]: z.enum(FINDING_STATES),
  [A.resolution]: z.optional(z.enum(RESOLUTION_REASONS)),
  ...QUARANTINE_ITEM_SHAPE,
});

function checkInput(subject: QuarantineSubject, input?: TransitionInput): void {
  if (!ACCOUNT_ID.test(subject.accountId))
    throw new InvalidFindingInputError('accountId', 'a 12-digit account id');
  if (!USER_NAME.test(subject.userName)) {
    throw new InvalidFindingInputError('userName', 'an IAM user name (1-64 of letters, digits and +=,.@_-)');
  }
  if (input === undefined) return;
  if (input.by.trim() === '') throw new InvalidFindingInputError('by', 'who acts (sweep:<id> or an ARN)');
  if (input.reason.trim() === '' || input.reason.length > MAX_TRANSITION_REASON_LENGTH) {
    throw new InvalidFindingInputError('reason', `a reason of 1-${MAX_TRANSITION_REASON_LENGTH} characters`);
  }
}

/** Options of {@link QuarantineStore}. */
export interface QuarantineStoreOptions {
  readonly client: DynamoDBClient;
  /** Name of the findings table. */
  readonly tableName: string;
}

/** Quarantine transitions on USER_NO_MFA findings. Any DynamoDB failure is a {@link StoreUnavailableError}. */
export class QuarantineStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(options: QuarantineStoreOptions) {
    this.doc = DynamoDBDocumentClient.from(options.client);
    this.table = options.tableName;
  }

  private keyOf(subject: QuarantineSubject): Record<string, string> {
    return {
      [FINDING_KEY.partition]: subject.accountId,
      [FINDING_KEY.sort]: findingSortKey('USER_NO_MFA', subject.userName),
    };
  }

  /**
   * Record that the policy was attached: only on an OPEN finding not already recorded as quarantined.
   * @throws StoreUnavailableError, InvalidFindingInputError
   */
  async markQuarantined(subject: QuarantineSubject, input: TransitionInput): Promise<QuarantineWrite> {
    checkInput(subject, input);
    const at = input.now.toISOString();
    const written = await this.write('markQuarantined', {
      Key: this.keyOf(subject),
      UpdateExpression:
        'SET #qAt = :at, #qBy = :by, #qReason = :reason, #log = list_append(if_not_exists(#log, :empty), :entry) ADD #version :one',
      ConditionExpression: 'attribute_exists(#pk) AND #state = :open AND attribute_not_exists(#qAt)',
      ExpressionAttributeNames: {
        '#pk': FINDING_KEY.partition,
        '#state': A.state,
        '#qAt': Q.quarantinedAt,
        '#qBy': Q.quarantinedBy,
        '#qReason': Q.quarantineReason,
        '#log': Q.enforcementLog,
        '#version': A.version,
      },
      ExpressionAttributeValues: {
        ':at': at,
        ':by': input.by,
        ':reason': input.reason,
        ':open': 'OPEN',
        ':empty': [],
        ':entry': [{ action: 'quarantined', at, by: input.by, reason: input.reason }],
        ':one': 1,
      },
    });
    if (written) return 'recorded';
    const current = await this.get(subject);
    return current?.quarantined !== undefined ? 'already-quarantined' : 'no-open-finding';
  }

  /**
   * Record that the policy was detached (by the sweep on a resolution, or by hand), OPEN or RESOLVED.
   * @throws StoreUnavailableError, InvalidFindingInputError
   */
  async markReleased(subject: QuarantineSubject, input: TransitionInput): Promise<ReleaseWrite> {
    checkInput(subject, input);
    const at = input.now.toISOString();
    const written = await this.write('markReleased', {
      Key: this.keyOf(subject),
      UpdateExpression:
        'REMOVE #qAt, #qBy, #qReason SET #rAt = :at, #rBy = :by, #rReason = :reason, #log = list_append(if_not_exists(#log, :empty), :entry) ADD #version :one',
      ConditionExpression: 'attribute_exists(#qAt)',
      ExpressionAttributeNames: {
        '#qAt': Q.quarantinedAt,
        '#qBy': Q.quarantinedBy,
        '#qReason': Q.quarantineReason,
        '#rAt': Q.releasedAt,
        '#rBy': Q.releasedBy,
        '#rReason': Q.releaseReason,
        '#log': Q.enforcementLog,
        '#version': A.version,
      },
      ExpressionAttributeValues: {
        ':at': at,
        ':by': input.by,
        ':reason': input.reason,
        ':empty': [],
        ':entry': [{ action: 'released', at, by: input.by, reason: input.reason }],
        ':one': 1,
      },
    });
    return written ? 'recorded' : 'not-quarantined';
  }

  /**
   * The user's quarantine state (strongly consistent), or undefined when there is no finding.
   * @throws StoreUnavailableError, CorruptFindingError, InvalidFindingInputError
   */
  async get(subject: QuarantineSubject): Promise<QuarantineState | undefined> {
    checkInput(subject);
    let item: Record<string, unknown> | undefined;
    try {
      const out = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: this.keyOf(subject), ConsistentRead: true }),
      );
      item = out.Item;
    } catch (error) {
      throw new StoreUnavailableError('getQuarantine', error);
    }
    return item === undefined ? undefined : parseQuarantine(item);
  }

  /**
   * Every finding of the account recorded as quarantined (open or resolved): what the sweep checks for
   * release.
   * @throws StoreUnavailableError, CorruptFindingError
   */
  async listQuarantined(accountId: string): Promise<QuarantineState[]> {
    if (!ACCOUNT_ID.test(accountId)) throw new InvalidFindingInputError('accountId', 'a 12-digit account id');
    const found: QuarantineState[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      try {
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: '#pk = :accountId AND begins_with(#sk, :kind)',
            FilterExpression: 'attribute_exists(#qAt)',
            ExpressionAttributeNames: {
              '#pk': FINDING_KEY.partition,
              '#sk': FINDING_KEY.sort,
              '#qAt': Q.quarantinedAt,
            },
            ExpressionAttributeValues: { ':accountId': accountId, ':kind': 'USER_NO_MFA#' },
            ConsistentRead: true,
            ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
          }),
        );
        found.push(...(out.Items ?? []).map(parseQuarantine));
        startKey = out.LastEvaluatedKey;
      } catch (error) {
        throw new StoreUnavailableError('listQuarantined', error);
      }
    } while (startKey !== undefined);
    return found;
  }

  /** One conditional update; false when its condition was false. */
  private async write(
    operation: string,
    update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ TableName: this.table, ...update }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new StoreUnavailableError(operation, error);
    }
  }
}

/**
 * The quarantine state of a finding item.
 * @throws CorruptFindingError when the item lacks the finding or quarantine attributes' shapes
 */
export function parseQuarantine(item: Record<string, unknown>): QuarantineState {
  const parsed = z.safeParse(itemSchema, item);
  if (!parsed.success) {
    const key = `${String(item[FINDING_KEY.partition])}/${String(item[FINDING_KEY.sort])}`;
    throw new CorruptFindingError(
      key,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const d = parsed.data;
  const record = (at?: string, by?: string, reason?: string) =>
    at === undefined || by === undefined || reason === undefined ? undefined : { at, by, reason };
  const quarantined = record(d[Q.quarantinedAt], d[Q.quarantinedBy], d[Q.quarantineReason]);
  const released = record(d[Q.releasedAt], d[Q.releasedBy], d[Q.releaseReason]);
  return {
    findingId: d[A.findingId],
    accountId: d[A.accountId],
    userName: d[A.subject],
    state: d[A.state],
    ...(d[A.resolution] === undefined || d[A.state] !== 'RESOLVED' ? {} : { resolution: d[A.resolution] }),
    ...(quarantined === undefined ? {} : { quarantined }),
    ...(released === undefined ? {} : { released }),
    log: d[Q.enforcementLog] ?? [],
  };
}

/** The actor of a sweep's transitions: `sweep:<sweep id>`. */
export function sweepActor(sweepId: string): string {
  return `${SWEEP_ACTOR_PREFIX}${sweepId}`;
}

/**
 * When the user was last released by a person (not by the sweep), for the plan's "not again within
 * afterHours" rule; undefined when never, or when the latest release was the sweep's. Pure.
 */
export function releasedByHandAt(state: Pick<QuarantineState, 'released'>): string | undefined {
  const released = state.released;
  return released === undefined || released.by.startsWith(SWEEP_ACTOR_PREFIX) ? undefined : released.at;
}
