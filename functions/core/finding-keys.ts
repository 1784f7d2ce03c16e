/**
 * Keys of finding items: one item per (account, kind, subject), partition = account id, sort =
 * kind + subject (contract/findings.ts). Inputs are checked here, so that a bad account id or user
 * name is a clear {@link InvalidFindingInputError}, never a malformed key. Pure.
 */
import { FINDING_KEY, findingSortKey, subjectOf, type FindingRef } from '../contract/findings';
import { InvalidFindingInputError } from './finding-errors';

/** A DynamoDB key of the findings table (partition and sort attribute). */
export type FindingKey = Record<string, string>;

const ACCOUNT_ID = /^\d{12}$/;
// IAM user names: 1-64 of letters, digits and +=,.@_- (IAM API reference, CreateUser).
const USER_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * The key of a finding, after checking its account id and user name.
 * @throws InvalidFindingInputError
 */
export function findingKeyOf(ref: FindingRef): FindingKey {
  checkAccount(ref.accountId);
  if ('userName' in ref) checkUserName('userName', ref.userName);
  return {
    [FINDING_KEY.partition]: ref.accountId,
    [FINDING_KEY.sort]: findingSortKey(ref.kind, subjectOf(ref)),
  };
}

/** The key attributes of an item read from the table (a Scan or Query page). */
export function keyOfItem(item: Record<string, unknown>): FindingKey {
  return {
    [FINDING_KEY.partition]: String(item[FINDING_KEY.partition]),
    [FINDING_KEY.sort]: String(item[FINDING_KEY.sort]),
  };
}

/**
 * Check a 12-digit AWS account id.
 * @throws InvalidFindingInputError
 */
export function checkAccount(accountId: string): void {
  if (!ACCOUNT_ID.test(accountId)) {
    throw new InvalidFindingInputError('accountId', 'a 12-digit AWS account id');
  }
}

/**
 * Check an IAM user name; `field` names the input in the error.
 * @throws InvalidFindingInputError
 */
export function checkUserName(field: string, userName: string): void {
  if (!USER_NAME.test(userName)) {
    throw new InvalidFindingInputError(field, 'an IAM user name (1-64 of letters, digits and +=,.@_-)');
  }
}
