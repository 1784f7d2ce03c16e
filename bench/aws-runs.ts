import { projectFixture } from '../test/helpers/events';
import { TEST_CONTEXT, fakeAwsChecker, testSettings } from '../test/helpers/checker-harness';
import { FakeAws } from '../scripts/simulation/fake-aws';

/** Round trips for one event through the real SDK clients on a fake AWS with fixed latency. */
export interface RoundTrips {
  readonly coldSequential: number;
  readonly warmSequential: number;
  readonly coldCalls: readonly string[];
  readonly warmCalls: readonly string[];
}

/** Measure the critical path of one CreateUser event (grace period 0: the check itself), cold then warm. */
export async function measureRoundTrips(): Promise<RoundTrips> {
  const aws = new FakeAws({ users: () => ({ mfaDevices: 0, console: true }), latencyMs: 20 });
  const check = fakeAwsChecker(aws.requestHandler, testSettings({ gracePeriodHours: 0 }));
  const event = projectFixture('createuser-sso-console.json');
  await check(event, TEST_CONTEXT);
  const cold = aws.calls.slice();
  await check({ ...event, id: 'warm-event' }, TEST_CONTEXT);
  const warm = aws.calls.slice(cold.length);
  const names = (calls: typeof cold) => calls.map((c) => `${c.service}:${c.action}`);
  return {
    coldSequential: FakeAws.sequentialDepth(cold),
    warmSequential: FakeAws.sequentialDepth(warm),
    coldCalls: names(cold),
    warmCalls: names(warm),
  };
}

/** Result of the burst. */
export interface BurstResult {
  readonly events: number;
  readonly accounts: number;
  readonly assumeRoleCalls: number;
  readonly iamCalls: number;
  readonly throttledResponses: number;
  readonly failures: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly eventsPerSecond: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run throttles the same calls. */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 1,000 CreateUser events across 50 accounts through the checker on real SDK clients, with the fake
 * AWS throttling 5% of IAM calls (the SDK retries them). Events run 50 at a time, as Lambda would run
 * them with concurrency; handler overhead only (no network latency).
 */
export async function measureBurst(throttleShare = 0.05): Promise<BurstResult> {
  const random = seededRandom(20261128);
  const aws = new FakeAws({
    users: () => ({ mfaDevices: random() < 0.5 ? 1 : 0, console: true }),
    throttle: ({ attempt }) => attempt === 1 && random() < throttleShare,
  });
  const check = fakeAwsChecker(aws.requestHandler, testSettings({ gracePeriodHours: 0 }));
  const template = projectFixture('createuser-iamuser-cli-path.json');
  const accounts = Array.from({ length: 50 }, (_, i) => String(100000000000 + i * 7919));
  const events = Array.from({ length: 1000 }, (_, i) => {
    const event = structuredClone(template);
    const account = accounts[i % accounts.length] ?? '';
    const detail = event.detail as Record<string, unknown>;
    event.account = account;
    event.id = `burst-${i}`;
    detail.recipientAccountId = account;
    detail.responseElements = { user: { userName: `user-${i}`, path: '/' } };
    return event;
  });
  const outcomes: Record<string, number> = {};
  let failures = 0;
  const start = performance.now();
  for (let i = 0; i < events.length; i += 50) {
    const results = await Promise.allSettled(events.slice(i, i + 50).map((e) => check(e, TEST_CONTEXT)));
    for (const r of results) {
      if (r.status === 'rejected') failures += 1;
      else outcomes[r.value.outcome] = (outcomes[r.value.outcome] ?? 0) + 1;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    events: events.length,
    accounts: accounts.length,
    assumeRoleCalls: aws.count('sts', 'AssumeRole'),
    iamCalls: aws.count('iam'),
    throttledResponses: aws.calls.filter((c) => c.status === 400).length,
    failures,
    outcomes,
    seconds,
    eventsPerSecond: events.length / seconds,
  };
}
