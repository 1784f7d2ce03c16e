import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import type { SweepBatchResult } from '../contract/sweep';
import { ResultsUnreadableError } from './errors';
import { batchResultSchema } from './schemas';

/**
 * The Distributed Map's ResultWriter output (AWS Step Functions Developer Guide, "ResultWriter (Map)"):
 * the Map state returns `ResultWriterDetails { Bucket, Key }`, where Key is a `manifest.json` that lists,
 * under `ResultFiles`, the result files per child execution status (`SUCCEEDED`, `FAILED`, `PENDING`),
 * each `{ Key, Size }`. Each result file holds the child executions of that status as a JSON array (or
 * JSON Lines with `OutputType: JSONL`); an entry carries `ExecutionArn`, `Input` and `Output` as JSON
 * *strings*, `Status`, and for failed executions `Error` and `Cause`. Every child execution is one
 * ItemBatcher batch: its Input is `{ "Items": [...], "BatchInput": {...} }`.
 */

/** A result file listed in the manifest. */
export interface ResultFile {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'PENDING';
  readonly key: string;
}

/** One child workflow execution, as a result file records it. */
export interface ChildExecution {
  readonly status: string;
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
  readonly executionArn?: string;
}

/** Accounts of a batch that produced no usable result, and why. */
export interface FailedBatch {
  readonly accountIds: readonly string[];
  readonly reason: string;
}

/** What the Map Run produced: the workers' results, and the batches that failed. */
export interface MapResults {
  readonly batches: readonly SweepBatchResult[];
  readonly failures: readonly FailedBatch[];
}

const fileListSchema = z.optional(z.array(z.object({ Key: z.string() })));
const manifestSchema = z.object({
  ResultFiles: z.object({ SUCCEEDED: fileListSchema, FAILED: fileListSchema, PENDING: fileListSchema }),
});
const entrySchema = z.object({
  Status: z.string(),
  ExecutionArn: z.optional(z.string()),
  Input: z.optional(z.nullable(z.string())),
  Output: z.optional(z.nullable(z.string())),
  Error: z.optional(z.nullable(z.string())),
  Cause: z.optional(z.nullable(z.string())),
});
const batchInputSchema = z.object({ Items: z.array(z.object({ accountId: z.string() })) });
const lambdaFailureSchema = z.object({ errorType: z.optional(z.string()), errorMessage: z.string() });

/** Longest failure reason kept (a Cause can be 32 KB of stack trace). */
export const MAX_REASON_LENGTH = 500;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The result files a manifest lists, SUCCEEDED first.
 * @throws ResultsUnreadableError when the text is not a ResultWriter manifest
 */
export function parseManifest(text: string, location: string): ResultFile[] {
  const parsed = manifestSchema.safeParse(parseJson(text));
  if (!parsed.success)
    throw new ResultsUnreadableError(location, 'not a ResultWriter manifest (ResultFiles)');
  const files = parsed.data.ResultFiles;
  return (['SUCCEEDED', 'FAILED', 'PENDING'] as const).flatMap((status) =>
    (files[status] ?? []).map((file) => ({ status, key: file.Key })),
  );
}

/**
 * The child executions in one result file: a JSON array (`OutputType: JSON`, the default) or JSON
 * Lines (`JSONL`), of execution records (`Transformation: NONE`, the default when exporting to S3) or
 * of bare outputs (`COMPACT`, `FLATTEN`).
 * @throws ResultsUnreadableError when it is neither
 */
export function parseResultFile(text: string, location: string): ChildExecution[] {
  const whole = parseJson(text);
  const raw: unknown[] = Array.isArray(whole)
    ? whole
    : text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => parseJson(line));
  // With WriterConfig Transformation COMPACT (or FLATTEN), a SUCCEEDED file holds the child outputs
  // themselves, not execution records: read such an object as a SUCCEEDED execution with that output.
  const records = raw.map((entry) =>
    typeof entry === 'object' && entry !== null && !('Status' in entry)
      ? { Status: 'SUCCEEDED', Output: JSON.stringify(entry) }
      : entry,
  );
  const entries = z.array(entrySchema).safeParse(records);
  if (!entries.success)
    throw new ResultsUnreadableError(location, 'not a JSON array or JSON Lines of child executions');
  return entries.data.map((e) => ({
    status: e.Status,
    ...(e.Input == null ? {} : { input: e.Input }),
    ...(e.Output == null ? {} : { output: e.Output }),
    ...(e.Error == null ? {} : { error: e.Error }),
    ...(e.Cause == null ? {} : { cause: e.Cause }),
    ...(e.ExecutionArn === undefined ? {} : { executionArn: e.ExecutionArn }),
  }));
}

/** One line, at most `max` characters: control characters (from a stack trace, a name) become spaces. Pure. */
export function oneLine(text: string, max = MAX_REASON_LENGTH): string {
  const flat = text.replace(/\p{Cc}+/gu, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 3)}...`;
}

/**
 * Why a child execution failed: `Error: message`, reading a Lambda failure's Cause
 * (`{"errorType","errorMessage","trace"}`) down to its type and message. Pure.
 */
export function failureReason(child: ChildExecution): string {
  const lambda = lambdaFailureSchema.safeParse(
    child.cause === undefined ? undefined : parseJson(child.cause),
  );
  // A Lambda failure's Error is usually its errorType already: say it once.
  const type = lambda.success ? lambda.data.errorType : undefined;
  const cause = lambda.success
    ? `${type === undefined || type === child.error ? '' : `${type}: `}${lambda.data.errorMessage}`
    : child.cause;
  const error = child.error ?? `child execution ${child.status}`;
  return oneLine(cause === undefined || cause === '' ? error : `${error}: ${cause}`);
}

/** The account ids of a child execution's batch, from its Input. Pure. */
function batchAccountIds(child: ChildExecution): string[] {
  const input = batchInputSchema.safeParse(child.input === undefined ? undefined : parseJson(child.input));
  return input.success ? input.data.Items.map((item) => item.accountId) : [];
}

/**
 * The worker results and failed batches of a Map Run's child executions. A SUCCEEDED child's Output is
 * the worker's {@link SweepBatchResult}, or the Lambda Invoke task's whole response with the result in
 * `Payload` when the state machine keeps it; anything else (FAILED, TIMED_OUT, ABORTED, still PENDING,
 * or an output that is not a batch result) fails the accounts of its batch, with the reason. Pure.
 */
export function interpretChildren(children: readonly ChildExecution[]): MapResults {
  const batches: SweepBatchResult[] = [];
  const failures: FailedBatch[] = [];
  for (const child of children) {
    if (child.status === 'SUCCEEDED') {
      const output: unknown = child.output === undefined ? undefined : parseJson(child.output);
      const payload =
        typeof output === 'object' && output !== null && 'Payload' in output ? output.Payload : output;
      const result = batchResultSchema.safeParse(payload);
      if (result.success) {
        batches.push(result.data);
      } else {
        const problem = result.error.issues[0];
        failures.push({
          accountIds: batchAccountIds(child),
          reason: oneLine(
            `unreadable worker result${problem === undefined ? '' : ` (${problem.path.map(String).join('.')}: ${problem.message})`}`,
          ),
        });
      }
    } else {
      failures.push({ accountIds: batchAccountIds(child), reason: failureReason(child) });
    }
  }
  return { batches, failures };
}

/** The text of an S3 object. */
export async function readText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const location = `s3://${bucket}/${key}`;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (object.Body === undefined) throw new ResultsUnreadableError(location, 'empty body');
    return await object.Body.transformToString('utf-8');
  } catch (error) {
    if (error instanceof ResultsUnreadableError) throw error;
    throw new ResultsUnreadableError(
      location,
      error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    );
  }
}

/**
 * Read a Map Run's results: the manifest, then every result file it lists. Only keys under
 * `resultsPrefix` (this sweep's ResultWriter prefix) are read, so a forged manifest cannot point the
 * reporter at other objects.
 * @throws ResultsUnreadableError
 */
export async function readMapResults(
  s3: S3Client,
  bucket: string,
  manifestKey: string,
  resultsPrefix: string,
): Promise<MapResults> {
  const files = parseManifest(await readText(s3, bucket, manifestKey), `s3://${bucket}/${manifestKey}`);
  const children: ChildExecution[] = [];
  for (const file of files) {
    const location = `s3://${bucket}/${file.key}`;
    if (!file.key.startsWith(`${resultsPrefix}/`)) {
      throw new ResultsUnreadableError(location, `result file outside the sweep's prefix ${resultsPrefix}/`);
    }
    const entries = parseResultFile(await readText(s3, bucket, file.key), location);
    // A PENDING file lists executions that never finished (the Map Run failed or was aborted).
    children.push(
      ...(file.status === 'PENDING' ? entries.map((e) => ({ ...e, status: 'PENDING' })) : entries),
    );
  }
  return interpretChildren(children);
}
