import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

/** What one SNS message carries: an ASCII subject, a body, and String message attributes. */
export interface PublishableMessage {
  readonly subject: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Publish one alert to the topic, with its attributes as String message attributes (for subscription filters). */
export async function publishAlert(
  sns: SNSClient,
  topicArn: string,
  message: PublishableMessage,
): Promise<string | undefined> {
  const response = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: message.subject,
      Message: message.body,
      MessageAttributes: Object.fromEntries(
        Object.entries(message.attributes).map(([name, value]) => [
          name,
          { DataType: 'String', StringValue: value },
        ]),
      ),
    }),
  );
  return response.MessageId;
}
