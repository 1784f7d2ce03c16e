import type { EventPattern } from 'aws-cdk-lib/aws-events';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  IAM_CLOUDTRAIL_EVENT_SOURCE,
  IAM_EVENT_SOURCE,
  WATCHED_EVENT_NAMES,
} from '../functions/contract/contract';
import { CANARY_EVENT_NAME } from '../functions/contract/canary';

/**
 * The pattern both the member forward rule and the central rule use: successful IAM calls the
 * checker understands. `errorCode` must not exist: a failed call created or changed nothing.
 */
export function watchedEventPattern(): EventPattern {
  return {
    source: [IAM_EVENT_SOURCE],
    detailType: [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: [IAM_CLOUDTRAIL_EVENT_SOURCE],
      eventName: [...WATCHED_EVENT_NAMES],
      errorCode: [{ exists: false }],
    },
  };
}

/**
 * The canary's call (docs/adr/0021-canary.md): a successful `TagRole` on the check role `checkRoleName`.
 * IAM's CloudTrail record names the role in `requestParameters.roleName` (IAM API Reference, TagRole,
 * "Request Parameters": RoleName, Tags). The tag key is not matched here: the Amazon EventBridge User
 * Guide ("Arrays in Amazon EventBridge event patterns") documents matching values of an array, not
 * fields of objects inside one (`tags` is `[{ key, value }]`); the checker's recogniser
 * (functions/core/canary-event.ts) checks the key, the caller and the account, and ignores the rest.
 */
export function canaryEventPattern(checkRoleName: string): EventPattern {
  return {
    source: [IAM_EVENT_SOURCE],
    detailType: [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: [IAM_CLOUDTRAIL_EVENT_SOURCE],
      eventName: [CANARY_EVENT_NAME],
      errorCode: [{ exists: false }],
      requestParameters: { roleName: [checkRoleName] },
    },
  };
}

/**
 * The member forward rule's pattern: the watched IAM calls ({@link watchedEventPattern}) or the canary
 * on `checkRoleName` ({@link canaryEventPattern}), as one EventBridge `$or` inside `detail` (Amazon
 * EventBridge User Guide, "Content filtering in Amazon EventBridge event patterns", "Or matching").
 */
export function memberForwardPattern(checkRoleName: string): EventPattern {
  const watched = watchedEventPattern();
  const canary = canaryEventPattern(checkRoleName);
  const { eventName: watchedNames } = watched.detail as { eventName: string[] };
  const { eventName: canaryName, requestParameters } = canary.detail as {
    eventName: string[];
    requestParameters: unknown;
  };
  return {
    source: watched.source,
    detailType: watched.detailType,
    detail: {
      eventSource: [IAM_CLOUDTRAIL_EVENT_SOURCE],
      errorCode: [{ exists: false }],
      $or: [{ eventName: watchedNames }, { eventName: canaryName, requestParameters }],
    },
  };
}
