import { describe, expect, it } from 'vitest';
import { BENCH_ENV } from '../../bench/cold-init';
import { loadSettings } from '../../functions/checker/env';

describe('the cold-init benchmark', () => {
  it('gives the bundled handler a complete environment (it fails at init otherwise)', () => {
    expect(() => loadSettings(BENCH_ENV)).not.toThrow();
  });
});
