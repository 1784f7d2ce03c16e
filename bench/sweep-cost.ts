/**
 * What one sweep costs and how long a large one takes: a model fed with what the sweep bench measured
 * (worker invocations, their duration, DynamoDB and S3 requests), priced at published on-demand prices.
 * Pure: a test keeps the arithmetic honest.
 */
import { DYNAMODB_PRICES } from './dynamodb-cost';

const READ_NOTE =
  'read 2026-12-01 from secondary copies of the page, the AWS page itself was not reachable from this offline machine';

/** Prices used (us-east-1), each with its source and date. */
export const SWEEP_PRICES = {
  stepFunctions: {
    /** USD per state transition of a Standard workflow ($0.025 per 1,000). */
    perTransition: 0.025 / 1000,
    /** USD per Express workflow request ($1.00 per million). */
    perExpressRequest: 1 / 1_000_000,
    /** USD per GB-second of Express duration, first 1,000 GB-hours a month ($0.06 per GB-hour). */
    perExpressGbSecond: 0.06 / 3600,
    /** Express memory is billed in 64 MB chunks; a short child workflow uses one. */
    expressBilledGb: 64 / 1024,
    source: `AWS Step Functions pricing, us-east-1 (Standard $0.025 per 1,000 state transitions; Express $1.00 per million requests and $0.06 per GB-hour, duration rounded up to 100 ms, memory in 64 MB chunks); a Distributed Map is charged one state transition per child workflow execution it starts (Step Functions Developer Guide, "Transitions"); ${READ_NOTE}`,
  },
  lambda: {
    /** USD per request ($0.20 per million). */
    perRequest: 0.2 / 1_000_000,
    /** USD per GB-second on arm64, the architecture of the sweep functions (first 7.5 billion GB-s). */
    perGbSecondArm: 0.0000133334,
    source: `AWS Lambda pricing, us-east-1, Arm ($0.20 per million requests, $0.0000133334 per GB-second, 1 ms billing); ${READ_NOTE}`,
  },
  s3: {
    /** USD per PUT/COPY/POST/LIST request, S3 Standard ($0.005 per 1,000). */
    perPut: 0.005 / 1000,
    /** USD per GET request, S3 Standard ($0.0004 per 1,000). */
    perGet: 0.0004 / 1000,
    source: `Amazon S3 pricing, us-east-1, S3 Standard requests; ${READ_NOTE}`,
  },
  dynamodb: DYNAMODB_PRICES,
} as const;

/** What one sweep used, measured or counted by the bench. */
export interface SweepUsage {
  readonly accounts: number;
  /** Accounts per worker invocation (the Distributed Map's batch size). */
  readonly batchSize: number;
  /** Mean wall time of one worker invocation (one batch), in ms. */
  readonly meanBatchMs: number;
  /** Memory of the worker function, in MB. */
  readonly workerMemoryMb: number;
  /** Planner and reporter: one invocation each, their wall time in ms. */
  readonly plannerMs: number;
  readonly reporterMs: number;
  readonly plannerMemoryMb: number;
  readonly reporterMemoryMb: number;
  /** DynamoDB request units of the whole sweep (finding store). */
  readonly writeUnits: number;
  readonly readUnits: number;
  /** S3 requests: the account list, the map's reads and results, the report. */
  readonly s3Puts: number;
  readonly s3Gets: number;
  /** State transitions of the parent workflow outside the map (plan, choice, report...). */
  readonly parentTransitions: number;
}

/** Dollars per part and in total. */
export interface SweepCost {
  readonly stepFunctions: number;
  readonly lambda: number;
  readonly s3: number;
  readonly dynamodb: number;
  readonly total: number;
}

/** Price one sweep. Pure. */
export function estimateSweepCost(usage: SweepUsage): SweepCost {
  const p = SWEEP_PRICES;
  const batches = Math.ceil(usage.accounts / usage.batchSize);
  // Each batch is one Express child workflow: one request, and its duration rounded up to 100 ms.
  const childSeconds = Math.ceil(usage.meanBatchMs / 100) / 10;
  const stepFunctions =
    (usage.parentTransitions + batches) * p.stepFunctions.perTransition +
    batches * p.stepFunctions.perExpressRequest +
    batches * childSeconds * p.stepFunctions.expressBilledGb * p.stepFunctions.perExpressGbSecond;
  const gbSeconds =
    (batches * usage.meanBatchMs * usage.workerMemoryMb +
      usage.plannerMs * usage.plannerMemoryMb +
      usage.reporterMs * usage.reporterMemoryMb) /
    1000 /
    1024;
  const lambda = (batches + 2) * p.lambda.perRequest + gbSeconds * p.lambda.perGbSecondArm;
  const s3 = usage.s3Puts * p.s3.perPut + usage.s3Gets * p.s3.perGet;
  const dynamodb =
    (usage.writeUnits / 1_000_000) * p.dynamodb.perMillionWrites +
    (usage.readUnits / 1_000_000) * p.dynamodb.perMillionReads;
  return { stepFunctions, lambda, s3, dynamodb, total: stepFunctions + lambda + s3 + dynamodb };
}

/**
 * Wall time of a sweep of `accounts` accounts: batches run `maxConcurrency` at a time, each taking the
 * measured mean, plus the planner and the reporter (scaled with the account count from the measured
 * run, as both are linear in it). Pure.
 */
export function modelSweepSeconds(options: {
  readonly accounts: number;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly meanBatchMs: number;
  readonly measured: { readonly accounts: number; readonly plannerMs: number; readonly reporterMs: number };
}): number {
  const batches = Math.ceil(options.accounts / options.batchSize);
  const waves = Math.ceil(batches / options.maxConcurrency);
  const scale = options.accounts / options.measured.accounts;
  return (
    (waves * options.meanBatchMs + scale * (options.measured.plannerMs + options.measured.reporterMs)) / 1000
  );
}
