import type { S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import type { SweepBatchResult } from '../contract/sweep';
import { parseJson, readChildExecutions, type ChildExecution } from '../core/map-results';
import { batchResultSchema } from './schemas';

/** The Distributed Map's results as the reporter reads them (the S3 reading is in functions/core/map-results.ts). */
export {
  parseManifest,
  parseResultFile,
  readText,
  type ChildExecution,
  type ResultFile,
} from '../core/map-results';

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

const batchInputSchema = z.object({ Items: z.array(z.object({ accountId: z.string() })) });
const lambdaFailureSchema = z.object({ errorType: z.optional(z.string()), errorMessage: z.string() });

/** Longest failure reason kept (a Cause can be 32 KB of stack trace). */
export const MAX_REASON_LENGTH = 500;

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

/**
 * Read a Map Run's results: the manifest, then every result file it lists (only under `resultsPrefix`).
 * @throws ResultsUnreadableError
 */
export async function readMapResults(
  s3: S3Client,
  bucket: string,
  manifestKey: string,
  resultsPrefix: string,
): Promise<MapResults> {
  return interpretChildren(await readChildExecutions(s3, bucket, manifestKey, resultsPrefix));
}
