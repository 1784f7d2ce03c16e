import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { errorName } from '../core/errors';

/**
 * The member forward rule's dead-letter queue: events the rule could not deliver to the central bus land
 * there after EventBridge's retries (Amazon EventBridge User Guide, "Using dead-letter queues to process
 * undelivered events"). The sweep reads its depth through the check role, which may call
 * `sqs:GetQueueAttributes` on that one queue only. I/O and a pure URL helper.
 */

/**
 * URL of a queue from its account, region and name: `https://sqs.<region>.amazonaws.com/<account>/<name>`
 * (Amazon SQS Developer Guide, "Amazon SQS queue and message identifiers"). The member template lives in
 * us-east-1 of the aws partition only (config rejects other partitions). Pure.
 */
export function deadLetterQueueUrl(accountId: string, region: string, queueName: string): string {
  return `https://sqs.${region}.amazonaws.com/${accountId}/${queueName}`;
}

/** The queue does not exist: a member template from before the queue had a fixed name. */
function isMissingQueue(error: unknown): boolean {
  const name = errorName(error);
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
}

/**
 * Messages waiting in the queue (`ApproximateNumberOfMessages`), or undefined when the queue does not
 * exist. Other errors (AccessDenied, throttling) propagate for the caller to judge.
 */
export async function readDeadLetterDepth(sqs: SQSClient, queueUrl: string): Promise<number | undefined> {
  try {
    const { Attributes: attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    const depth = Number(attributes?.ApproximateNumberOfMessages ?? '0');
    return Number.isFinite(depth) ? depth : 0;
  } catch (error) {
    if (isMissingQueue(error)) return undefined;
    throw error;
  }
}
