import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { CLOUDTRAIL_DETAIL_TYPE } from '../functions/contract/contract';

/**
 * The `aws.organizations` events that say an account joined the organization, as the management account
 * receives them on its default bus in us-east-1 (Organizations is a global service whose CloudTrail
 * events are recorded in us-east-1: AWS Organizations User Guide, "Logging AWS Organizations API calls
 * with AWS CloudTrail").
 *
 * - `CreateAccountResult`: an "AWS Service Event via CloudTrail" in the management account when
 *   CreateAccount finishes; `serviceEventDetails.createAccountStatus` carries `state` and `accountId`.
 * - `AccountJoinedOrganization`: a service event Organizations logs in the management account when an
 *   account joins, created or invited (AWS Organizations API Reference, AcceptHandshake: "When a
 *   handshake is accepted, Organizations logs membership events in CloudTrail, available only in the
 *   management account's event history ... AccountJoinedOrganization ... joinedMethod:Invited").
 *   `AcceptHandshake` itself is logged only in the trail of the account that accepts (AWS Organizations
 *   User Guide, "Accepting or declining account invitations": "CloudTrail logging takes place in the
 *   account taking the action"): a rule in the management account never sees it.
 */
export const ORGANIZATIONS_EVENT_SOURCE = 'aws.organizations';
/** `eventSource` of Organizations' CloudTrail records. */
export const ORGANIZATIONS_CLOUDTRAIL_SOURCE = 'organizations.amazonaws.com';
/** Detail type of CloudTrail records of events AWS services emit themselves (not API calls). */
export const SERVICE_EVENT_DETAIL_TYPE = 'AWS Service Event via CloudTrail';
/** Event names of an account joining the organization. */
export const ACCOUNT_JOINED_EVENT_NAMES = ['CreateAccountResult', 'AccountJoinedOrganization'] as const;
/**
 * Detail types AccountJoinedOrganization may arrive with: no public sample shows which one CloudTrail
 * gives it, so both are matched (it cannot be both: one event, one detail-type).
 */
export const ACCOUNT_JOINED_DETAIL_TYPES = [SERVICE_EVENT_DETAIL_TYPE, CLOUDTRAIL_DETAIL_TYPE] as const;
/**
 * `joinedMethod` of a created account (the `AccountJoinedMethod` enum is INVITED | CREATED, AWS
 * Organizations API Reference, "Account"); the mixed-case spelling is matched too, in case the CloudTrail
 * record spells it the way the User Guide's prose does.
 */
export const CREATED_JOINED_METHODS = ['CREATED', 'Created'] as const;

/** What the management account forwards to the central bus: both join events (the central rules filter). */
export function organizationJoinEventsPattern(): EventPattern {
  return {
    source: [ORGANIZATIONS_EVENT_SOURCE],
    detailType: [...ACCOUNT_JOINED_DETAIL_TYPES],
    detail: {
      eventSource: [ORGANIZATIONS_CLOUDTRAIL_SOURCE],
      eventName: [...ACCOUNT_JOINED_EVENT_NAMES],
    },
  };
}

/**
 * An account created in the organization, successfully (a failed CreateAccount created nothing), as the
 * management account logs it: the one event that sweeps a created account (it names the account).
 */
export function accountCreatedPattern(managementAccountId: string): EventPattern {
  return {
    source: [ORGANIZATIONS_EVENT_SOURCE],
    detailType: [SERVICE_EVENT_DETAIL_TYPE],
    account: [managementAccountId],
    detail: {
      eventSource: [ORGANIZATIONS_CLOUDTRAIL_SOURCE],
      eventName: ['CreateAccountResult'],
      serviceEventDetails: { createAccountStatus: { state: ['SUCCEEDED'] } },
    },
  };
}

/**
 * An account joined the organization by invitation, as the management account logs it. Organizations
 * logs AccountJoinedOrganization for created accounts too (joinedMethod CREATED): those are dropped, their
 * CreateAccountResult sweeps them. An event without `serviceEventDetails.joinedMethod` (the field sits
 * elsewhere, or is missing) still matches: a duplicate sweep is harmless, a dropped invited account is not.
 */
export function accountJoinedPattern(managementAccountId: string): EventPattern {
  return {
    source: [ORGANIZATIONS_EVENT_SOURCE],
    detailType: [...ACCOUNT_JOINED_DETAIL_TYPES],
    account: [managementAccountId],
    detail: {
      eventSource: [ORGANIZATIONS_CLOUDTRAIL_SOURCE],
      eventName: ['AccountJoinedOrganization'],
      $or: [
        { serviceEventDetails: { joinedMethod: [{ 'anything-but': [...CREATED_JOINED_METHODS] }] } },
        { serviceEventDetails: { joinedMethod: [{ exists: false }] } },
      ],
    },
  };
}
