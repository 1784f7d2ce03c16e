import { describe, expect, it } from 'vitest';
import { SWEEP_PRICES, estimateSweepCost, modelSweepSeconds, type SweepUsage } from '../../bench/sweep-cost';

const usage: SweepUsage = {
  accounts: 1000,
  batchSize: 10,
  meanBatchMs: 9_950,
  workerMemoryMb: 1024,
  plannerMs: 1000,
  reporterMs: 1000,
  plannerMemoryMb: 1024,
  reporterMemoryMb: 1024,
  writeUnits: 4000,
  readUnits: 1000,
  s3Puts: 105,
  s3Gets: 103,
  parentTransitions: 6,
};

describe('sweep cost model (npm run bench)', () => {
  it('charges one state transition, one Express request and its rounded duration per batch', () => {
    const cost = estimateSweepCost(usage);
    // 100 batches; 9.95 s rounds up to 10.0 s of one 64 MB chunk each.
    const expected =
      (6 + 100) * (0.025 / 1000) + 100 * (1 / 1_000_000) + 100 * 10 * (64 / 1024) * (0.06 / 3600);
    expect(cost.stepFunctions).toBeCloseTo(expected, 12);
  });

  it('charges Lambda for every invocation and its GB-seconds on arm64', () => {
    const cost = estimateSweepCost(usage);
    const gbSeconds = 100 * 9.95 * 1 + 1 + 1;
    expect(cost.lambda).toBeCloseTo(102 * 0.0000002 + gbSeconds * SWEEP_PRICES.lambda.perGbSecondArm, 12);
  });

  it('adds S3 and DynamoDB requests, and the parts add up to the total', () => {
    const cost = estimateSweepCost(usage);
    expect(cost.s3).toBeCloseTo(105 * 0.000005 + 103 * 0.0000004, 12);
    expect(cost.dynamodb).toBeCloseTo(0.004 * 0.625 + 0.001 * 0.125, 12);
    expect(cost.total).toBeCloseTo(cost.stepFunctions + cost.lambda + cost.s3 + cost.dynamodb, 12);
  });

  it('models the wall time as waves of concurrent batches plus planner and reporter, scaled', () => {
    // 10,000 accounts / 10 = 1,000 batches, 20 at a time = 50 waves of 9.95 s; planner + reporter x10.
    expect(
      modelSweepSeconds({
        accounts: 10_000,
        batchSize: 10,
        maxConcurrency: 20,
        meanBatchMs: 9_950,
        measured: { accounts: 1000, plannerMs: 1000, reporterMs: 1000 },
      }),
    ).toBeCloseTo(50 * 9.95 + 20, 9);
  });
});
