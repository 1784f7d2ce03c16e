/**
 * The member account's forwarding path in the fake: the EventBridge forward rule and its dead-letter
 * queue (SQS), each over its JSON protocol.
 */
import type { Answer, FakeAccount } from './fake-member-model';

/** SQS over its JSON protocol (AWS JSON 1.0): only the forward dead-letter queue exists. */
export function queueAttributes(
  accountId: string,
  account: FakeAccount,
  params: Record<string, string>,
): Answer {
  const json = 'application/x-amz-json-1.0';
  const url = `https://sqs.us-east-1.amazonaws.com/${accountId}/org-mfa-watch-forward-dlq`;
  const messages = account.deadLetterMessages === undefined ? 0 : account.deadLetterMessages;
  if (messages === null || params.QueueUrl !== url) {
    return [
      400,
      JSON.stringify({
        __type: 'com.amazonaws.sqs#QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      }),
      json,
    ];
  }
  return [200, JSON.stringify({ Attributes: { ApproximateNumberOfMessages: String(messages) } }), json];
}

/** EventBridge over its JSON protocol (AWS JSON 1.1): the forward rule, its state and targets. */
export function forwardRule(
  centralBusArn: string,
  accountId: string,
  account: FakeAccount,
  action: string,
  params: Record<string, string>,
): Answer {
  const json = 'application/x-amz-json-1.1';
  const rule = account.rule === undefined ? { state: 'ENABLED', targets: [centralBusArn] } : account.rule;
  const name = params.Name ?? params.Rule ?? '';
  if (rule === null) {
    return [
      400,
      JSON.stringify({
        __type: 'ResourceNotFoundException',
        message: `Rule ${name} does not exist on EventBus default.`,
      }),
      json,
    ];
  }
  if (action === 'DescribeRule') {
    return [
      200,
      JSON.stringify({
        Name: name,
        Arn: `arn:aws:events:us-east-1:${accountId}:rule/${name}`,
        State: rule.state,
        EventBusName: 'default',
      }),
      json,
    ];
  }
  return [200, JSON.stringify({ Targets: rule.targets.map((arn, i) => ({ Id: `t${i}`, Arn: arn })) }), json];
}
