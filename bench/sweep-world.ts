/**
 * The sweep benchmark's simulated organization, seeded so every run is the same: which accounts refuse the
 * check role, which users lack MFA, which IAM answers are throttled.
 */
import type { FakeAccount, FakeMemberUser } from '../scripts/simulation/fake-member-accounts';
import { rowsOf } from '../scripts/simulation/fake-member-accounts';
import type { FakeOrgTree } from '../test/functions/sweep-planner/fake-organization';
import type { SweepRunOptions } from './sweep-options';

/** Deterministic pseudo-random numbers (mulberry32). */
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A number in [0, 1) from a string and the seed (FNV-1a): the same call is throttled whatever the timing. */
export function unitHash(seed: number, text: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995);
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

/** `count` distinct indices of [0, n), chosen by `random` (partial Fisher-Yates). */
function pick(n: number, count: number, random: () => number): Set<number> {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i += 1) {
    const j = i + Math.floor(random() * (n - i));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return new Set(order.slice(0, count));
}

export const BUCKET = 'org-mfa-watch-sweep-222222222222';
export const ROOT = 'r-bench';
export const ROLLOUT_OU = 'ou-bench-rollout1';

/** The simulated organization: account ids, the Organizations tree and each account's IAM state. */
export function buildWorld(options: SweepRunOptions, now: Date) {
  const random = seededRandom(options.seed);
  const ids = Array.from({ length: options.accounts }, (_, i) => String(100000000000 + i * 7919));
  const denied = pick(ids.length, Math.round(ids.length * options.deniedShare), random);
  const totalUsers = ids.length * options.usersPerAccount;
  const noMfa = pick(totalUsers, Math.round(totalUsers * options.noMfaShare), random);
  const generatedAt = new Date(now.getTime() - options.reportAgeHours * 3_600_000);
  const accounts: Record<string, FakeAccount> = {};
  let withoutMfa = 0;
  ids.forEach((id, a) => {
    const users: Record<string, FakeMemberUser> = {};
    for (let u = 0; u < options.usersPerAccount; u += 1) {
      const index = a * options.usersPerAccount + u;
      if (noMfa.has(index)) {
        withoutMfa += 1;
        // Every second user without MFA can sign in to the console (HIGH), the others are key-only.
        users[`user-${u}`] = { mfaDevices: 0, console: withoutMfa % 2 === 1 };
      } else {
        users[`user-${u}`] = { mfaDevices: 1, console: random() < 0.5 };
      }
    }
    accounts[id] = {
      users,
      ...(denied.has(a) ? { denied: true } : {}),
      report: { state: 'ready', generatedAt, rows: rowsOf(users) },
      generationMs: options.generationMs,
    };
  });
  // The management account at the root; every other account in the rollout OU.
  const tree: FakeOrgTree = {
    rootId: ROOT,
    ous: { [ROLLOUT_OU]: ROOT },
    accounts: ids.map((id, i) => ({
      Id: id,
      Name: `account-${i}`,
      parent: i === 0 ? ROOT : ROLLOUT_OU,
      State: 'ACTIVE',
      JoinedTimestamp: new Date('2024-01-01T00:00:00Z'),
    })),
  };
  return { ids, denied: new Set([...denied].map((i) => ids[i] ?? '')), accounts, tree };
}
