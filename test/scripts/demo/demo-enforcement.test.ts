import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoEvent } from '../../../scripts/demo/events';
import { runDemo } from '../../../scripts/demo/run';

// Issue 23 (ADR 0022): the demo with enforcement in dry-run on its workloads OU runs the real bundled
// functions with the stack's environment: the planner marks the accounts, every worker plans, the
// worker's Enforce step reads the map's result files, and the digest has the enforcement section. The
// demo's findings are hours old (afterHours is at least 24), so nobody is due, and nothing is attached.

let events: DemoEvent[] = [];
let outDir = '';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'demo-enforcement-'));
  events = await runDemo({
    locale: 'en',
    chat: false,
    outDir,
    emit: () => undefined,
    enforcement: 'dry-run',
  });
}, 180_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

describe('npm run demo with enforcement in dry-run', () => {
  it('the daily digest has the enforcement section; nobody is quarantined and no policy is attached', () => {
    const digests = events.filter(
      (e): e is Extract<DemoEvent, { type: 'message' }> =>
        e.type === 'message' && e.attributes.finding === 'SWEEP_DIGEST',
    );
    expect(digests).toHaveLength(2);
    // The joined sweep has no Enforce state; the daily one does.
    expect(digests[0]?.body).not.toContain('Enforcement (');
    expect(digests[1]?.body).toContain('Enforcement (dry-run):');
    expect(events.some((e) => e.type === 'message' && e.attributes.finding === 'USER_QUARANTINED')).toBe(
      false,
    );
  });
});
