import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { InvalidEventError } from './errors';

export { publishAlert } from '../core/publish';

/** SQS message bodies are limited to 256 KiB; a larger event is kept truncated, with a flag saying so. */
const MAX_QUARANTINE_BYTES = 200_000;

/** Keep an invalid event in the quarantine queue with the reason it was rejected. */
export async function quarantineEvent(
  sqs: SQSClient,
  queueUrl: string,
  event: unknown,
  error: InvalidEventError,
): Promise<void> {
  const raw = event === undefined ? 'undefined' : JSON.stringify(event);
  const truncated = Buffer.byteLength(raw, 'utf8') > MAX_QUARANTINE_BYTES;
  const body = {
    reason: error.message,
    field: error.field,
    expectation: error.expectation,
    ...(truncated
      ? { truncated: true, event: raw.slice(0, MAX_QUARANTINE_BYTES) }
      : { event: event ?? null }),
  };
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(body),
      MessageAttributes: {
        field: { DataType: 'String', StringValue: error.field.slice(0, 256) || '(event)' },
      },
    }),
  );
}

/** Create a one-time re-check; a schedule of that name already existing means it is already scheduled. */
export async function createRecheck(
  scheduler: SchedulerClient,
  request: CreateScheduleCommandInput,
): Promise<'created' | 'already-scheduled'> {
  try {
    await scheduler.send(new CreateScheduleCommand(request));
    return 'created';
  } catch (error) {
    if (error instanceof ConflictException) return 'already-scheduled';
    throw error;
  }
}

/** Delete a pending re-check; one that already fired (and deleted itself) or never existed is fine. */
export async function deleteRecheck(
  scheduler: SchedulerClient,
  groupName: string,
  name: string,
): Promise<boolean> {
  try {
    await scheduler.send(new DeleteScheduleCommand({ GroupName: groupName, Name: name }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

/** The target input of a pending re-check, or undefined when no schedule of that name exists. */
export async function getRecheckInput(
  scheduler: SchedulerClient,
  groupName: string,
  name: string,
): Promise<{ readonly input: string | undefined } | undefined> {
  try {
    const schedule = await scheduler.send(new GetScheduleCommand({ GroupName: groupName, Name: name }));
    return { input: schedule.Target?.Input };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
