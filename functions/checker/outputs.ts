import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler';
import { errorName } from '../core/errors';
import { resolveLazy, type Lazy } from '../core/lazy';
import type { InvalidEventError } from './errors';

// The SQS and Scheduler modules are imported where they are used: only an invalid event (quarantine) and
// the grace-period paths need them, so a cold start that never takes those paths does not evaluate them.

export { publishAlert } from '../core/publish';

/** SQS message bodies are limited to 256 KiB; a larger event is kept truncated, with a flag saying so. */
const MAX_QUARANTINE_BYTES = 200_000;

/** Keep an invalid event in the quarantine queue with the reason it was rejected. */
export async function quarantineEvent(
  sqs: Lazy<SQSClient>,
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
  const { SendMessageCommand } = await import('../core/sdk/sqs');
  await (
    await resolveLazy(sqs)
  ).send(
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
  scheduler: Lazy<SchedulerClient>,
  request: CreateScheduleCommandInput,
): Promise<'created' | 'already-scheduled'> {
  const { CreateScheduleCommand } = await import('../core/sdk/scheduler');
  try {
    await (await resolveLazy(scheduler)).send(new CreateScheduleCommand(request));
    return 'created';
  } catch (error) {
    if (errorName(error) === 'ConflictException') return 'already-scheduled';
    throw error;
  }
}

/** Delete a pending re-check; one that already fired (and deleted itself) or never existed is fine. */
export async function deleteRecheck(
  scheduler: Lazy<SchedulerClient>,
  groupName: string,
  name: string,
): Promise<boolean> {
  const { DeleteScheduleCommand } = await import('../core/sdk/scheduler');
  try {
    await (
      await resolveLazy(scheduler)
    ).send(new DeleteScheduleCommand({ GroupName: groupName, Name: name }));
    return true;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return false;
    throw error;
  }
}

/** The target input of a pending re-check, or undefined when no schedule of that name exists. */
export async function getRecheckInput(
  scheduler: Lazy<SchedulerClient>,
  groupName: string,
  name: string,
): Promise<{ readonly input: string | undefined } | undefined> {
  const { GetScheduleCommand } = await import('../core/sdk/scheduler');
  try {
    const client = await resolveLazy(scheduler);
    const schedule = await client.send(new GetScheduleCommand({ GroupName: groupName, Name: name }));
    return { input: schedule.Target?.Input };
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
