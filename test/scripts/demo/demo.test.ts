import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoEvent } from '../../../scripts/demo/events';
import { renderJson, renderText } from '../../../scripts/demo/printer';
import { runDemo } from '../../../scripts/demo/run';
import { DEMO_IDS, DEMO_USERS } from '../../../scripts/demo/scenario';

/**
 * `npm run demo` as CI runs it: the real bundled functions on the simulated organization (bundled once
 * for the whole file). What the demo must show is asserted on the events it emits, the ones both
 * printers render.
 */

type Message = Extract<DemoEvent, { type: 'message' }>;
type Sweep = Extract<DemoEvent, { type: 'sweep' }>;

let events: DemoEvent[] = [];
let outDir = '';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'demo-test-'));
  events = await runDemo({ locale: 'en', chat: false, outDir, emit: () => undefined });
}, 120_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
});

const messages = () => events.filter((e): e is Message => e.type === 'message');
const alerts = () => messages().filter((m) => m.attributes.findingState === 'OPEN');
const sweeps = () => events.filter((e): e is Sweep => e.type === 'sweep');
const findingsAtEnd = () => {
  const last = events.find((e) => e.type === 'findings');
  if (last?.type !== 'findings') throw new Error('no findings event');
  return last.rows;
};

describe('npm run demo', () => {
  it('alerts every HIGH and CRITICAL finding it sets up, exactly once each', () => {
    const expected = [
      [DEMO_IDS.prod, 'NO_MFA_CONSOLE', 'checker'], // ops.lee removed its MFA (live event)
      [DEMO_IDS.dev, 'NO_MFA_CONSOLE', 'checker'], // new.hire.kim, after the grace period (re-check)
      [DEMO_IDS.acquired, 'NO_MFA_CONSOLE', 'worker'], // old.admin, found when its account joined
      [DEMO_IDS.prod, 'NO_MFA_CONSOLE', 'worker'], // contractor.park, past the grace period
      [DEMO_IDS.management, 'ROOT_NO_MFA', 'worker'], // root with a password and no MFA
      [DEMO_IDS.sandbox, 'ACCOUNT_NOT_COVERED', 'worker'], // check role deleted
      [DEMO_IDS.analytics, 'RULE_DISABLED', 'worker'], // forward rule disabled
    ];
    const seen = alerts().map((m) => [m.attributes.accountId, m.attributes.finding, m.from]);
    expect(seen.sort()).toEqual(expected.sort());
    const ids = alerts().map((m) => m.attributes.findingId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends the MEDIUM service-user finding to the digest and the store, not as an alert of its own', () => {
    const row = findingsAtEnd().find((r) => r.accountId === DEMO_IDS.data);
    expect(row).toMatchObject({ subject: DEMO_USERS.service, severity: 'MEDIUM', state: 'OPEN' });
    expect(alerts().filter((m) => m.attributes.accountId === DEMO_IDS.data)).toEqual([]);
    expect(
      messages().find((m) => m.attributes.finding === 'SWEEP_DIGEST' && m.body.includes(DEMO_USERS.service)),
    ).toBeDefined();
  });

  it('never alerts the exempt user or the user inside its grace period, and records no finding for them', () => {
    for (const user of [DEMO_USERS.exempt, DEMO_USERS.inGrace]) {
      expect(messages().filter((m) => m.subject.includes(user) || m.body.includes(`"${user}"`))).toEqual([]);
      expect(findingsAtEnd().filter((r) => r.subject === user)).toEqual([]);
    }
  });

  it('resolves the finding of the user who enabled MFA, with one notice naming it', () => {
    const resolved = messages().filter((m) => m.attributes.findingState === 'RESOLVED');
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.subject).toContain(DEMO_USERS.newHireRenamed);
    const opened = alerts().find((m) => m.attributes.accountId === DEMO_IDS.dev);
    expect(resolved[0]?.attributes.findingId).toBe(opened?.attributes.findingId);
    expect(findingsAtEnd().filter((r) => r.subject === DEMO_USERS.newHireRenamed)).toEqual([]);
  });

  it("publishes each sweep's digest with the counts of the finding store", () => {
    const [joined, daily] = sweeps();
    expect(joined?.mode).toBe('joined');
    expect(daily?.mode).toBe('scheduled');
    const digests = messages().filter((m) => m.attributes.finding === 'SWEEP_DIGEST');
    expect(digests).toHaveLength(2);
    // The daily sweep's open count is what the store holds at the end plus the one finding resolved after it.
    expect(daily?.summary.openFindings).toBe(findingsAtEnd().length + 1);
    expect(daily?.summary).toMatchObject({
      accounts: 12,
      checked: 11,
      notCovered: 1,
      failed: 0,
      newFindings: 5,
    });
    const s = daily?.summary;
    expect(digests[1]?.subject).toContain(
      `${s?.newFindings} new, ${s?.resolvedFindings} resolved, ${s?.openFindings} open`,
    );
  });

  it('writes the daily sweep report where it says, and the function logs beside it', () => {
    const report = events.find((e) => e.type === 'report');
    if (report?.type !== 'report') throw new Error('no report event');
    const [csv, json] = report.files.map((f) => readFileSync(f, 'utf8'));
    expect(csv?.split('\n')[0]).toContain('account_id');
    expect(csv).toContain(DEMO_USERS.pastGrace);
    expect(JSON.stringify(JSON.parse(json ?? ''))).toContain(DEMO_USERS.pastGrace);
    expect(readFileSync(report.logFile, 'utf8')).toContain('"service":"org-mfa-watch');
  });

  it('ends with the line saying what was demonstrated and how to deploy for real', () => {
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    expect(done?.type === 'done' && done.text).toMatch(/docs\/deployment\.md/);
  });

  it('renders every event as text and as one JSON object per line', () => {
    for (const event of events) {
      expect(renderText(event).endsWith('\n')).toBe(true);
      const line = renderJson(event);
      expect(line.trimEnd()).not.toContain('\n');
      expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(event)));
    }
  });
});
