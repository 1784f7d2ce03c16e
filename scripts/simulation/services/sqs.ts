import { createHash, randomUUID } from 'node:crypto';
import { jsonAnswer, jsonBody, rpcOperationOf, toResponse, type SimAnswer } from './protocol';
import type { SimulatedService } from './service';

/** Messages sent, by queue URL (mutable). */
export type Queues = Map<string, { readonly body: string; readonly attributes: unknown }[]>;

const JSON_10 = 'application/x-amz-json-1.0';

/**
 * Amazon SQS (awsJson1_0): the checker's quarantine queue of events it rejects, and the depth of any
 * queue (a member forward rule's dead-letter queue is empty unless the scenario sent to it).
 */
export function sqsService(queues: Queues): SimulatedService {
  const answers: Record<string, (params: Record<string, unknown>) => SimAnswer> = {
    SendMessage: (params) => {
      const url = typeof params.QueueUrl === 'string' ? params.QueueUrl : '';
      const body = typeof params.MessageBody === 'string' ? params.MessageBody : '';
      queues.set(url, [...(queues.get(url) ?? []), { body, attributes: params.MessageAttributes }]);
      // The SDK checks MD5OfMessageBody against the body it sent.
      return jsonAnswer(
        { MessageId: randomUUID(), MD5OfMessageBody: createHash('md5').update(body).digest('hex') },
        JSON_10,
      );
    },
    // The sweep worker reads a member forward rule's dead-letter queue depth through the check role.
    GetQueueAttributes: (params) => {
      const url = typeof params.QueueUrl === 'string' ? params.QueueUrl : '';
      const depth = queues.get(url)?.length ?? 0;
      return jsonAnswer({ Attributes: { ApproximateNumberOfMessages: String(depth) } }, JSON_10);
    },
  };
  return {
    name: 'sqs',
    file: 'scripts/simulation/services/sqs.ts',
    operations: Object.keys(answers),
    operationOf: rpcOperationOf,
    answer: (operation, request) => {
      const answer = answers[operation];
      if (answer === undefined) throw new Error(`sqs: no answer for ${operation}`);
      return Promise.resolve(toResponse(answer(jsonBody(request))));
    },
  };
}
