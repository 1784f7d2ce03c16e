/**
 * Listing findings for the CLI: most severe first, then oldest first. With an account: one Query on its
 * partition. Without: a paginated Scan (the table holds open and recently resolved findings plus a
 * day of idempotency records: small; a state index would cost a write on every transition instead).
 */
import {
  QueryCommand,
  ScanCommand,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  FINDING_ATTRIBUTES as A,
  FINDING_KEY,
  FINDING_SEVERITIES,
  type FindingSeverity,
} from '../contract/findings';
import { checkAccount, keyOfItem } from './finding-keys';
import { parseFinding, type Finding } from './finding-record';
import { unconditional, type FindingTable } from './finding-write';

/** Filters of {@link FindingStore.listFindings}. */
export interface ListOptions {
  /** `OPEN` only, or `ALL` (open and recently resolved). @default 'OPEN' */
  readonly state?: 'OPEN' | 'ALL';
  /** Only this account (a Query instead of a Scan). @default every account */
  readonly accountId?: string;
  /** Only this severity. @default every severity */
  readonly severity?: FindingSeverity;
}

type Item = Record<string, unknown>;
interface Page {
  Items?: Item[];
  LastEvaluatedKey?: Item;
}

/**
 * Findings matching `options`, sorted: see {@link FindingStore.listFindings}.
 * @throws StoreUnavailableError, CorruptFindingError, InvalidFindingInputError
 */
export async function listFindings(t: FindingTable, options: ListOptions = {}): Promise<Finding[]> {
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
    TableName: t.table,
    FilterExpression: filters.join(' AND '),
    ExpressionAttributeNames: names,
  };
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const exclusive = startKey === undefined ? {} : { ExclusiveStartKey: startKey };
    let page: Page;
    if (options.accountId !== undefined) {
      checkAccount(options.accountId);
      const query: QueryCommandInput = {
        ...common,
        ...exclusive,
        KeyConditionExpression: '#pk = :accountId',
        ExpressionAttributeNames: { ...names, '#pk': FINDING_KEY.partition },
        ExpressionAttributeValues: { ...values, ':accountId': options.accountId },
      };
      page = await unconditional('listFindings', () => t.doc.send(new QueryCommand(query)));
    } else {
      const scan: ScanCommandInput = {
        ...common,
        ...exclusive,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      };
      page = await unconditional('listFindings', () => t.doc.send(new ScanCommand(scan)));
    }
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items.map((item) => parseFinding(item, keyOfItem(item))).sort(bySeverityThenAge);
}

/** Most severe first, then oldest first; account and subject break ties, so the order is stable. */
function bySeverityThenAge(a: Finding, b: Finding): number {
  return (
    FINDING_SEVERITIES.indexOf(a.severity) - FINDING_SEVERITIES.indexOf(b.severity) ||
    a.openedAt.localeCompare(b.openedAt) ||
    a.accountId.localeCompare(b.accountId) ||
    a.subject.localeCompare(b.subject)
  );
}
