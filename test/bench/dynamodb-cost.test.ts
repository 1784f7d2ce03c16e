import { describe, expect, it } from 'vitest';
import { DYNAMODB_PRICES, WORST_CASE_PATHS, estimateDynamoCost } from '../../bench/dynamodb-cost';

describe('DynamoDB cost model (npm run bench)', () => {
  it('covers every event once', () => {
    expect(WORST_CASE_PATHS.reduce((sum, p) => sum + p.share, 0)).toBeCloseTo(1, 10);
  });

  it('prices 10,000 events from the request units of each path', () => {
    const estimate = estimateDynamoCost(10_000);
    // 0.30 x 4 + 0.30 x 5 + 0.35 x 4 + 0.05 x 1 = 4.15 write units per event
    expect(estimate).toMatchObject({ events: 10_000, writeUnits: 41_500, readUnits: 0 });
    expect(estimate.usd).toBeCloseTo((41_500 / 1_000_000) * DYNAMODB_PRICES.perMillionWrites, 10);
    expect(estimate.usd).toBeLessThan(0.05);
  });
});
