import type { EventPattern } from 'aws-cdk-lib/aws-events';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  IAM_CLOUDTRAIL_EVENT_SOURCE,
  IAM_EVENT_SOURCE,
  WATCHED_EVENT_NAMES,
} from '../functions/contract/contract';

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
