import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FindingStore } from '../core/finding-store';
import { FindingStoreError } from '../core/finding-errors';
import {
  SWEEP_KEYS,
  type SweepAccountItem,
  type SweepBatchResult,
  type SweepFinding,
  type SweepReportInput,
} from '../contract/sweep';
import { InvalidReportInputError, ResultsUnreadableError } from './errors';
import { readMapResults, readText, type FailedBatch } from './results';
import { resolveRemovedAccounts } from './removed';
import { accountItemsSchema } from './schemas';

/** The workers' results: inline batches and the Map Run's result files, and the batches that failed. */
export interface WorkerResults {
  readonly batches: SweepBatchResult[];
  readonly failures: FailedBatch[];
}

/** The findings resolved because their account left the organization, or why that was not done. */
export interface DepartedAccounts {
  readonly removed: SweepFinding[];
  readonly storeProblem?: string;
}

/** What {@link departedAccounts} needs. */
export interface DepartedAccountsDeps {
  readonly store: FindingStore;
  readonly resolvedRetentionDays: number;
  readonly logger: Pick<Logger, 'error'>;
}

/**
 * The plan's account items: inline, or the planner's JSON array in the sweep bucket.
 * @throws InvalidReportInputError when the plan names another bucket
 * @throws ResultsUnreadableError when the object is not a JSON array of account items
 */
export async function planItems(
  s3: S3Client,
  bucket: string,
  input: SweepReportInput,
): Promise<readonly SweepAccountItem[]> {
  const { plan } = input;
  if (plan.items !== undefined) return plan.items;
  if (plan.bucket !== bucket) throw new InvalidReportInputError('plan.bucket', `the sweep bucket ${bucket}`);
  const location = `s3://${plan.bucket}/${plan.key}`;
  let json: unknown;
  try {
    json = JSON.parse(await readText(s3, plan.bucket, plan.key));
  } catch (error) {
    if (error instanceof ResultsUnreadableError) throw error;
    throw new ResultsUnreadableError(location, 'not JSON');
  }
  const items = accountItemsSchema.safeParse(json);
  if (!items.success) throw new ResultsUnreadableError(location, 'not a JSON array of account items');
  return items.data;
}

/**
 * The inline batches plus, when the input names a ResultWriter manifest, that Map Run's results.
 * @throws InvalidReportInputError when the manifest is in another bucket or outside the results prefix
 */
export async function workerResults(
  s3: S3Client,
  bucket: string,
  input: SweepReportInput,
): Promise<WorkerResults> {
  const batches: SweepBatchResult[] = [...(input.batches ?? [])];
  const failures: FailedBatch[] = [];
  if (input.results !== undefined) {
    // The state machine's ResultWriter writes under one fixed prefix, one folder per Map Run
    // (<prefix>/<map run id>/manifest.json and its result files): only that run's folder is read.
    const prefix = SWEEP_KEYS.mapResultsPrefix;
    if (input.results.Bucket !== bucket) {
      throw new InvalidReportInputError('results.Bucket', `the sweep bucket ${bucket}`);
    }
    if (!input.results.Key.startsWith(`${prefix}/`)) {
      throw new InvalidReportInputError('results.Key', `a manifest under ${prefix}/`);
    }
    const runFolder = input.results.Key.slice(0, input.results.Key.lastIndexOf('/'));
    const map = await readMapResults(s3, bucket, input.results.Key, runFolder);
    batches.push(...map.batches);
    failures.push(...map.failures);
  }
  return { batches, failures };
}

/**
 * On a full sweep, resolve the findings of accounts no longer ACTIVE. A finding store error is logged
 * and returned as `storeProblem` (the digest still goes out); any other error is rethrown.
 */
export async function departedAccounts(
  deps: DepartedAccountsDeps,
  input: SweepReportInput,
  items: readonly SweepAccountItem[],
  now: Date,
): Promise<DepartedAccounts> {
  // Only a full sweep lists every ACTIVE account; an empty list is never a real organization.
  if (!input.plan.fullSweep || items.length === 0) return { removed: [] };
  try {
    const active = new Set(items.map((item) => item.accountId));
    const removed = await resolveRemovedAccounts(deps.store, active, now, deps.resolvedRetentionDays);
    return { removed };
  } catch (error) {
    // The digest goes out anyway (a missed reconciliation is better than a missed digest).
    if (!(error instanceof FindingStoreError)) throw error;
    deps.logger.error('account-removed reconciliation failed', { error });
    return { removed: [], storeProblem: error.message };
  }
}
