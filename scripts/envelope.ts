type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Wrap a raw CloudTrail record in the EventBridge envelope the checker receives: `account` is the
 * record's recipientAccountId (or userIdentity.accountId), region us-east-1. An object that already
 * is an envelope is returned as it is; an S3 log file `{"Records": [r]}` is unwrapped first.
 */
export function toEnvelope(input: unknown): Json {
  if (isObject(input) && Array.isArray(input.Records)) return toEnvelope(input.Records[0]);
  if (!isObject(input)) throw new Error('the event is not a JSON object');
  if ('detail-type' in input && 'detail' in input) return input;
  const identity = isObject(input.userIdentity) ? input.userIdentity : {};
  const eventId = typeof input.eventID === 'string' ? input.eventID : 'preview-event';
  return {
    version: '0',
    id: `envelope-${eventId}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: input.recipientAccountId ?? identity.accountId,
    time: input.eventTime,
    region: 'us-east-1',
    resources: [],
    detail: input,
  };
}
