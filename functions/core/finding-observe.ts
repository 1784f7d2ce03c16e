/**
 * Observing a problem (ADR 0009): the transitions a problem seen now makes on its finding — opened,
 * reopened, escalated, and the quiet lowered / unchanged — each one conditional write whose winner
 * alone is told to notify. A suppressed finding stays quiet until its day passes (suppression.ts).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  FINDING_ATTRIBUTES as A,
  FINDING_KEY,
  FINDING_SEVERITIES,
  FINDING_TTL_ATTRIBUTE,
  findingId,
  subjectOf,
  type FindingRef,
  type FindingSeverity,
  type FindingSource,
} from '../contract/findings';
import { StoreContentionError } from './finding-errors';
import { findingKeyOf, type FindingKey } from './finding-keys';
import { parseFinding, type Finding } from './finding-record';
import { LOST, MAX_ATTEMPTS, conditional, type FindingTable } from './finding-write';
import { expireSuppression, withSuppression } from './suppression';

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

/** The SET clause (and REMOVE of a detail no longer observed) shared by every observation. */
interface Observed {
  readonly set: string;
  readonly remove: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

/** What one observation's writes share: the key, the observed attributes, the lower severities. */
interface Observation {
  readonly input: ObserveInput;
  readonly key: FindingKey;
  readonly subject: string;
  readonly now: string;
  readonly observed: Observed;
  /** Severities below the observed one, as `:lowerN` values, and their list for `IN (...)`. */
  readonly lower: readonly FindingSeverity[];
  readonly lowerValues: Record<string, FindingSeverity>;
  readonly lowerList: string;
}

/**
 * Record that a problem exists now: see {@link FindingStore.observeProblem}.
 * @throws StoreUnavailableError, StoreContentionError, InvalidFindingInputError
 */
export async function observeProblem(t: FindingTable, input: ObserveInput): Promise<ObserveResult> {
  const result = await observeOnce(t, input);
  return withSuppression(result, input.now, (until) =>
    expireSuppression(t.doc, t.table, findingKeyOf(input), until),
  );
}

async function observeOnce(t: FindingTable, input: ObserveInput): Promise<ObserveResult> {
  const key = findingKeyOf(input);
  const subject = subjectOf(input);
  const now = input.now.toISOString();
  const lower = FINDING_SEVERITIES.slice(FINDING_SEVERITIES.indexOf(input.severity) + 1);
  const lowerValues = Object.fromEntries(lower.map((s, i) => [`:lower${i}`, s]));
  const o: Observation = {
    input,
    key,
    subject,
    now,
    // Attributes every observation writes: the current truth about the problem.
    observed: observedAttributes(input, subject, now),
    lower,
    lowerValues,
    lowerList: Object.keys(lowerValues).join(', '),
  };
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const result = (await openOrReopen(t, o)) ?? (await escalate(t, o)) ?? (await touch(t, o));
    if (result !== undefined) return result;
    // Every condition failed: the item changed between the writes (resolved, escalated). Start over.
  }
  throw new StoreContentionError('observeProblem', MAX_ATTEMPTS);
}

/** 1. Open (no item) or reopen (RESOLVED). reopenCount starts at 0 and counts reopenings. */
async function openOrReopen(t: FindingTable, o: Observation): Promise<ObserveResult | undefined> {
  const { input, observed } = o;
  const opened = await conditional('observeProblem', () =>
    t.doc.send(
      new UpdateCommand({
        TableName: t.table,
        Key: o.key,
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
          ':findingId': findingId(input.accountId, input.kind, o.subject),
          ':accountId': input.accountId,
          ':kind': input.kind,
          ':open': 'OPEN',
          ':resolved': 'RESOLVED',
          ':source': input.source,
          ':now': o.now,
          ':minusOne': -1,
          ':one': 1,
        },
        ReturnValues: 'ALL_NEW',
      }),
    ),
  );
  if (opened === LOST) return undefined;
  const finding = parseFinding(opened.Attributes, o.key);
  return { transition: finding.reopenCount === 0 ? 'opened' : 'reopened', finding };
}

/** 2. Escalate: OPEN at a lower severity than observed now. */
async function escalate(t: FindingTable, o: Observation): Promise<ObserveResult | undefined> {
  if (o.lower.length === 0) return undefined;
  const escalated = await updateOpen(t, o, `#severity IN (${o.lowerList})`, 'ALL_NEW');
  if (escalated === LOST) return undefined;
  return { transition: 'escalated', finding: parseFinding(escalated.Attributes, o.key) };
}

/**
 * 3. Touch: OPEN at the same or a higher severity. Records the observed severity (a lowered one too,
 * so that a later rise notifies again) and never notifies.
 */
async function touch(t: FindingTable, o: Observation): Promise<ObserveResult | undefined> {
  const touched = await updateOpen(
    t,
    o,
    o.lower.length > 0 ? `NOT (#severity IN (${o.lowerList}))` : undefined,
    'ALL_OLD',
  );
  if (touched === LOST) return undefined;
  const before = parseFinding(touched.Attributes, o.key);
  const finding = applyObservation(before, o.input, o.subject, o.now);
  return { transition: before.severity === o.input.severity ? 'unchanged' : 'lowered', finding };
}

/** Write the observation on an OPEN finding that also meets `severity` (a condition on `#severity`). */
async function updateOpen(
  t: FindingTable,
  o: Observation,
  severity: string | undefined,
  returnValues: 'ALL_NEW' | 'ALL_OLD',
) {
  const { observed } = o;
  return conditional('observeProblem', () =>
    t.doc.send(
      new UpdateCommand({
        TableName: t.table,
        Key: o.key,
        UpdateExpression: `SET ${observed.set}${removeClause(observed.remove)} ADD #version :one`,
        ConditionExpression: severity === undefined ? '#state = :open' : `#state = :open AND ${severity}`,
        ExpressionAttributeNames: { ...observed.names, '#state': A.state, '#version': A.version },
        ExpressionAttributeValues: { ...observed.values, ...o.lowerValues, ':open': 'OPEN', ':one': 1 },
        ReturnValues: returnValues,
      }),
    ),
  );
}

function observedAttributes(input: ObserveInput, subject: string, now: string): Observed {
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
