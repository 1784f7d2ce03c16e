import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_ENV } from '../../../bench/cold-init';
import { onFirstUse, resolveLazy } from '../../../functions/core/lazy';
import { PROJECT_ROOT } from '../../helpers/events';

// Clients only some paths need (the quarantine queue, the re-check scheduler, Security Hub) and the chat
// formatting load on first use, not at init: a cold start that never takes those paths does not
// evaluate them (issue 17; docs/benchmarks.md measures the cold start).

/** The modules a fresh process has loaded after importing the checker's handler module. */
function modulesAfterInit(): string[] {
  const script = [
    "require('./functions/checker/handler.ts');",
    'process.stdout.write(JSON.stringify(Object.keys(require.cache)));',
  ].join('');
  const child = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...BENCH_ENV,
      // Every optional path configured: still nothing of them loads before it is used.
      CHAT_TOPIC_ARN: 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-chat',
      SECURITY_HUB_EXPORT: 'true',
      SECURITY_HUB_REGION: 'us-east-1',
    },
  });
  if (child.status !== 0) throw new Error(`handler init failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as string[];
}

describe('the checker at init', () => {
  const loaded = modulesAfterInit().map((file) => file.split(join('node_modules', '')).pop() ?? file);

  it('has loaded the clients every event uses', () => {
    for (const client of ['client-sts', 'client-sns', 'client-dynamodb', 'client-iam']) {
      expect(loaded.some((m) => m.includes(`@aws-sdk/${client}/`))).toBe(true);
    }
  });

  it.each([
    ['@aws-sdk/client-sqs/', 'the quarantine queue'],
    ['@aws-sdk/client-scheduler/', 'the re-check scheduler'],
    ['@aws-sdk/client-securityhub/', 'Security Hub'],
    ['functions/checker/chat-format.ts', 'the chat formatting'],
    ['functions/core/chat-text.ts', 'the chat layout'],
  ])('has not loaded %s (%s)', (module) => {
    expect(loaded.filter((m) => m.includes(module))).toEqual([]);
  });
});

describe('onFirstUse', () => {
  it('creates once, on the first call, and shares the result', async () => {
    let created = 0;
    const get = onFirstUse(() => Promise.resolve({ n: (created += 1) }));
    expect(created).toBe(0);
    const [a, b] = await Promise.all([get(), get()]);
    expect(a).toBe(b);
    expect(created).toBe(1);
  });

  it('tries again after a failed creation instead of keeping the failure', async () => {
    let attempts = 0;
    const get = onFirstUse(() => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('module load failed')) : Promise.resolve({ ok: true });
    });
    await expect(get()).rejects.toThrow('module load failed');
    await expect(get()).resolves.toEqual({ ok: true });
  });

  it('resolveLazy returns a ready-made dependency as it is', async () => {
    const client = { send: () => undefined };
    expect(await resolveLazy(client)).toBe(client);
    expect(await resolveLazy(() => Promise.resolve(client))).toBe(client);
  });
});
