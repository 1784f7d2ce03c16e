import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';

/**
 * The Distributed Map's ResultWriter output (AWS Step Functions Developer Guide, "ResultWriter (Map)"):
 * the Map state returns `ResultWriterDetails { Bucket, Key }`, where Key is a `manifest.json` that lists,
 * under `ResultFiles`, the result files per child execution status (`SUCCEEDED`, `FAILED`, `PENDING`),
 * each `{ Key, Size }`. Each result file holds the child executions of that status as a JSON array (or
 * JSON Lines with `OutputType: JSONL`); an entry carries `ExecutionArn`, `Input` and `Output` as JSON
 * *strings*, `Status`, and for failed executions `Error` and `Cause`. Every child execution is one
 * ItemBatcher batch: its Input is `{ "Items": [...], "BatchInput": {...} }`. Read by the reporter and by
 * the sweep worker's Enforce step (functions/sweep-worker/enforce-sweep.ts); neither imports the other.
 */

/** An S3 object a sweep step reads (item list, ResultWriter manifest, result file) is missing or unreadable. */
export class ResultsUnreadableError extends Error {
  constructor(
    /** `s3://bucket/key` of the object. */
    readonly location: string,
    readonly problem: string,
  ) {
    super(`Sweep results unreadable at ${location}: ${problem}`);
    this.name = 'ResultsUnreadableError';
  }
}

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
export function parseJson(text: string): unknown {
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
 * Every child execution of a Map Run: the manifest, then every result file it lists. Only keys under
 * `resultsPrefix` (this sweep's ResultWriter prefix) are read, so a forged manifest cannot point the
 * reader at other objects.
 * @throws ResultsUnreadableError
 */
export async function readChildExecutions(
  s3: S3Client,
  bucket: string,
  manifestKey: string,
  resultsPrefix: string,
): Promise<ChildExecution[]> {
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
  return children;
}
