/**
 * Recognise the canary (docs/adr/0021-canary.md) in a forwarded CloudTrail event: a successful
 * `iam:TagRole` by the check role's session on the check role itself, in the account the envelope comes
 * from, with exactly one tag, the canary key, whose value is a plausible sweep id. Anything else is not a
 * canary, with the reason for the log: a forged or stray TagRole never counts as proof of the path.
 * Pure, no AWS calls, no dependencies beyond the contract.
 */
import { CANARY_EVENT_NAME, CANARY_TAG_KEY, CANARY_VALUE_PATTERN } from '../contract/canary';
import { CLOUDTRAIL_DETAIL_TYPE, IAM_CLOUDTRAIL_EVENT_SOURCE, IAM_EVENT_SOURCE } from '../contract/contract';

/** A canary that arrived: whose account, which sweep sent it, and when IAM recorded the call. */
export interface CanaryEvent {
  readonly accountId: string;
  /** The tag value: the id of the sweep that sent it. */
  readonly sweepId: string;
  /** CloudTrail's `eventTime` (ISO): when the call was made. */
  readonly eventTime: string;
  /** CloudTrail's `eventID`, for the log. */
  readonly eventId?: string;
}

/** What {@link recogniseCanary} found: a canary, or why the event is not one. */
export type CanaryVerdict =
  | { readonly canary: true; readonly event: CanaryEvent }
  | { readonly canary: false; readonly reason: string };

type Json = Record<string, unknown>;

const ACCOUNT_ID = /^\d{12}$/;
/** An IAM role ARN in any partition, no path: `arn:<partition>:iam::<account>:role/<name>`. */
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):iam::(\d{12}):role\/([^/]+)$/;
/** An STS assumed-role session ARN: `arn:<partition>:sts::<account>:assumed-role/<role>/<session>`. */
const SESSION_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const no = (reason: string): CanaryVerdict => ({ canary: false, reason });

/** Whether the caller is the check role's own session in `account`; a reason when it is not. */
function callerProblem(detail: Json, account: string, checkRoleName: string): string | undefined {
  const identity = detail.userIdentity;
  if (!isObject(identity) || identity.type !== 'AssumedRole') {
    return 'not called by a role session (userIdentity.type is not AssumedRole)';
  }
  const issuer = isObject(identity.sessionContext) ? identity.sessionContext.sessionIssuer : undefined;
  const issuerArn = isObject(issuer) && typeof issuer.arn === 'string' ? issuer.arn : '';
  const role = ROLE_ARN.exec(issuerArn);
  if (role === null || role[3] !== checkRoleName) {
    return `not called by the check role ${checkRoleName} (session issuer ${issuerArn || 'missing'})`;
  }
  if (role[2] !== account) {
    return `called by the check role of account ${role[2] ?? '?'}, not of ${account}`;
  }
  const session = typeof identity.arn === 'string' ? SESSION_ARN.exec(identity.arn) : null;
  if (session === null || session[2] !== account || session[3] !== checkRoleName) {
    return `the session ARN ${String(identity.arn)} is not a session of ${checkRoleName} in ${account}`;
  }
  if (identity.accountId !== undefined && identity.accountId !== account) {
    return `userIdentity.accountId ${JSON.stringify(identity.accountId)} is not ${account}`;
  }
  return undefined;
}

/** The sweep id the request sets, or a reason: exactly one tag, the canary key, a plausible value. */
function tagProblem(parameters: Json): { sweepId: string } | { reason: string } {
  const tags = parameters.tags;
  if (!Array.isArray(tags) || tags.length === 0) return { reason: 'requestParameters.tags is missing' };
  const keys = tags.map((t) => (isObject(t) && typeof t.key === 'string' ? t.key : '?'));
  if (tags.length !== 1) {
    return {
      reason: `sets ${tags.length} tags (${keys.join(', ')}), the canary sets only ${CANARY_TAG_KEY}`,
    };
  }
  const [tag] = tags as unknown[];
  if (!isObject(tag) || tag.key !== CANARY_TAG_KEY) {
    return { reason: `sets the tag ${keys[0] ?? '?'}, not ${CANARY_TAG_KEY}` };
  }
  if (typeof tag.value !== 'string' || !CANARY_VALUE_PATTERN.test(tag.value)) {
    return { reason: `the tag value ${JSON.stringify(tag.value)} is not a sweep id` };
  }
  return { sweepId: tag.value };
}

/**
 * Decide whether `envelope` (an EventBridge event as the checker receives it) is the canary of the
 * check role `checkRoleName`. The account must agree three times: the envelope's `account`, CloudTrail's
 * `recipientAccountId`, and the account of the calling role. Pure.
 */
export function recogniseCanary(envelope: unknown, checkRoleName: string): CanaryVerdict {
  if (!isObject(envelope) || !isObject(envelope.detail)) return no('not an EventBridge event with a detail');
  const detail = envelope.detail;
  if (envelope.source !== IAM_EVENT_SOURCE || envelope['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
    return no('not an IAM call recorded by CloudTrail');
  }
  if (detail.eventSource !== IAM_CLOUDTRAIL_EVENT_SOURCE || detail.eventName !== CANARY_EVENT_NAME) {
    return no(`not ${CANARY_EVENT_NAME} (eventName ${String(detail.eventName)})`);
  }
  if (detail.errorCode !== undefined) {
    const code = typeof detail.errorCode === 'string' ? detail.errorCode : JSON.stringify(detail.errorCode);
    return no(`the call failed (${code})`);
  }
  const account = envelope.account;
  if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) {
    return no('the envelope has no 12-digit account');
  }
  if (detail.recipientAccountId !== account) {
    return no(
      `recipientAccountId ${String(detail.recipientAccountId)} is not the envelope's account ${account}`,
    );
  }
  const parameters = isObject(detail.requestParameters) ? detail.requestParameters : {};
  if (parameters.roleName !== checkRoleName) {
    return no(`tags the role ${String(parameters.roleName)}, not the check role ${checkRoleName}`);
  }
  const caller = callerProblem(detail, account, checkRoleName);
  if (caller !== undefined) return no(caller);
  const tag = tagProblem(parameters);
  if ('reason' in tag) return no(tag.reason);
  if (typeof detail.eventTime !== 'string' || Number.isNaN(Date.parse(detail.eventTime))) {
    return no('eventTime is not a time');
  }
  return {
    canary: true,
    event: {
      accountId: account,
      sweepId: tag.sweepId,
      eventTime: detail.eventTime,
      ...(typeof detail.eventID === 'string' ? { eventId: detail.eventID } : {}),
    },
  };
}
