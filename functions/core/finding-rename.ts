/**
 * Renaming a user's findings (`iam:UpdateUser`): a finding belongs to the user, not the name, so it
 * keeps its id, state and times, and the old name goes to `previousNames`. Without transactions
 * (dynalite has none), each finding moves by a conditional put of the new item followed by a
 * conditional delete of the old one, both pinned to the versions read; a lost race re-reads and
 * repeats, and so does a retried call (safe to repeat). A case-only rename keeps the same key.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { QUARANTINE_ATTRIBUTES } from '../contract/enforcement';
import { FINDING_ATTRIBUTES as A, FINDING_KEY, USER_FINDING_KINDS } from '../contract/findings';
import { StoreContentionError } from './finding-errors';
import { checkAccount, checkUserName, findingKeyOf, type FindingKey } from './finding-keys';
import { parseFinding, toItem, type Finding } from './finding-record';
import {
  LOST,
  MAX_ATTEMPTS,
  conditional,
  readFinding,
  unconditional,
  type FindingTable,
} from './finding-write';

/** Attributes other record kinds add to a finding item that a rename carries over as they are. */
const CARRIED = Object.values(QUARANTINE_ATTRIBUTES);

/**
 * The finding under `key` with the attributes a rename must carry: a quarantined user keeps the policy
 * across IAM's UpdateUser, so the moved finding keeps the quarantine record (ADR 0022).
 */
async function readMovable(
  t: FindingTable,
  key: FindingKey,
): Promise<{ finding: Finding; carried: Record<string, unknown> } | undefined> {
  const result = await unconditional('renameUser', () =>
    t.doc.send(new GetCommand({ TableName: t.table, Key: key, ConsistentRead: true })),
  );
  const item = result.Item;
  if (item === undefined) return undefined;
  const carried = Object.fromEntries(
    CARRIED.filter((name) => name in item).map((name) => [name, item[name]]),
  );
  return { finding: parseFinding(item, key), carried };
}

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

/** What moving one kind of finding did. */
interface MoveOutcome {
  readonly moved?: Finding;
  readonly replaced?: Finding;
}

/**
 * Move a user's findings to its new name: see {@link FindingStore.renameUser}.
 * @throws StoreUnavailableError, StoreContentionError, InvalidFindingInputError
 */
export async function renameUser(t: FindingTable, input: RenameInput): Promise<RenameResult> {
  checkAccount(input.accountId);
  checkUserName('oldName', input.oldName);
  checkUserName('newName', input.newName);
  const moved: Finding[] = [];
  const replaced: Finding[] = [];
  for (const kind of USER_FINDING_KINDS) {
    const outcome = await moveOne(t, input, kind);
    if (outcome.moved) moved.push(outcome.moved);
    if (outcome.replaced) replaced.push(outcome.replaced);
  }
  return { moved, replaced };
}

async function moveOne(
  t: FindingTable,
  input: RenameInput,
  kind: (typeof USER_FINDING_KINDS)[number],
): Promise<MoveOutcome> {
  const from = findingKeyOf({ accountId: input.accountId, kind, userName: input.oldName });
  const to = findingKeyOf({ accountId: input.accountId, kind, userName: input.newName });
  const sameKey = from[FINDING_KEY.sort] === to[FINDING_KEY.sort];
  let replaced: Finding | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const read = await readMovable(t, from);
    // Nothing under the old name (never a finding, or an earlier call moved it): nothing to do.
    if (read === undefined) return replaced === undefined ? {} : { replaced };
    const { finding: old, carried } = read;
    if (sameKey && old.subject === input.newName) return {};
    const renamed: Finding = {
      ...old,
      subject: input.newName,
      previousNames: [...old.previousNames, old.subject],
      version: old.version + 1,
    };
    if (sameKey) {
      // "alice" -> "Alice": same key; only the displayed name changes.
      if (await putRenamed(t, from, renamed, old.version, carried)) return { moved: renamed };
      continue;
    }
    const target = await readFinding(t, 'renameUser', to);
    if (target !== undefined && target.findingId !== old.findingId) replaced ??= target;
    if (!(await putRenamed(t, to, renamed, target?.version, carried))) continue;
    if (await deletePinned(t, from, old.version)) {
      return { moved: renamed, ...(replaced === undefined ? {} : { replaced }) };
    }
  }
  throw new StoreContentionError('renameUser', MAX_ATTEMPTS);
}

/**
 * Put the renamed finding under `key`, if that slot is as just read: empty (`version` undefined), or
 * at `version` (the finding itself for a case-only rename, our own copy from an earlier attempt, or a
 * stale finding of a former user of that name: IAM refuses a rename onto an existing user).
 */
async function putRenamed(
  t: FindingTable,
  key: FindingKey,
  renamed: Finding,
  version: number | undefined,
  carried: Record<string, unknown>,
): Promise<boolean> {
  const put = await conditional('renameUser', () =>
    t.doc.send(
      new PutCommand({
        TableName: t.table,
        Item: { ...key, ...toItem(renamed), ...carried },
        ...(version === undefined
          ? {
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': FINDING_KEY.partition },
            }
          : {
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': A.version },
              ExpressionAttributeValues: { ':version': version },
            }),
      }),
    ),
  );
  return put !== LOST;
}

/** Delete the old item only if nothing changed it since it was read; else the caller copies it again. */
async function deletePinned(t: FindingTable, from: FindingKey, version: number): Promise<boolean> {
  const deleted = await conditional('renameUser', () =>
    t.doc.send(
      new DeleteCommand({
        TableName: t.table,
        Key: from,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': A.version },
        ExpressionAttributeValues: { ':version': version },
      }),
    ),
  );
  return deleted !== LOST;
}
