import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseInvocation, ReleaseResponse } from '../../functions/contract/release';
import type { Finding } from '../../functions/core/finding-store';
import { main } from '../../scripts/findings/cli';
import { parseReleaseCommand, type ReleaseIo } from '../../scripts/findings/release';
import { rawTestConfig } from '../helpers/app';

// Issue 23, item 5: `npm run findings -- release <finding id> --reason "..."` reads the finding, asks the
// sweep worker (Lambda Invoke: the enforce role trusts only the worker's role) to detach the policy with
// the caller's identity and reason, prints the outcome and exits non-zero on failure. The store, STS and
// the worker are injected; the default Invoke runs against a mocked Lambda client.

const ID = 'f-0123456789abcdef0123';
const CALLER = 'arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_SecurityAdmin_0123/jane@example.com';
const ATTACH = { at: '2026-12-04T09:05:00.000Z', by: 'sweep:2026-12-04', reason: 'USER_NO_MFA open 72 h' };
const CONFIG = JSON.stringify(rawTestConfig()); // homeRegion eu-central-1, not the example organization

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  findingId: ID,
  accountId: '333333333333',
  kind: 'USER_NO_MFA',
  subject: 'Alice',
  state: 'OPEN',
  severity: 'HIGH',
  detail: 'NO_MFA_CONSOLE',
  source: 'sweep',
  firstSeen: '2026-12-01T09:00:00.000Z',
  openedAt: '2026-12-01T09:00:00.000Z',
  lastSeen: '2026-12-07T09:00:00.000Z',
  reopenCount: 0,
  previousNames: [],
  version: 2,
  quarantine: { quarantined: ATTACH, log: [{ action: 'quarantined', ...ATTACH }] },
  ...overrides,
});

const released: ReleaseResponse = {
  ok: true,
  findingId: ID,
  accountId: '333333333333',
  userName: 'Alice',
  outcome: 'detached',
  recorded: true,
  at: '2026-12-07T12:30:00.000Z',
  by: CALLER,
  reason: 'travelling, enrols Monday',
  notBeforeHours: 72,
};

function harness(
  found: Finding | undefined,
  answer: ReleaseResponse = released,
  files: Record<string, string> = { 'my.json': CONFIG },
) {
  const out: string[] = [];
  const err: string[] = [];
  const invoked: { payload: ReleaseInvocation; region: string | undefined; fn: string }[] = [];
  const io: ReleaseIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readText: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    callerArn: () => Promise.resolve(CALLER),
    findById: () => Promise.resolve(found),
    invokeWorker: (payload, command, region) => {
      invoked.push({ payload, region, fn: command.functionName });
      return Promise.resolve(answer);
    },
  };
  return { io, out, err, invoked };
}

const ARGS = ['release', ID, '--reason', 'travelling, enrols Monday', '--config', 'my.json'];

describe('npm run findings -- release', () => {
  it('sends the finding, the caller and the reason to the sweep worker, and prints the outcome', async () => {
    const h = harness(finding());
    expect(await main(ARGS, h.io)).toBe(0);
    expect(h.invoked).toEqual([
      {
        payload: {
          release: {
            findingId: ID,
            accountId: '333333333333',
            userName: 'Alice',
            reason: 'travelling, enrols Monday',
            by: CALLER,
          },
        },
        region: 'eu-central-1',
        fn: 'org-mfa-watch-sweep-worker',
      },
    ]);
    const text = h.out.join('');
    expect(text).toContain(
      `released "Alice" in 333333333333 (${ID}) at 2026-12-07T12:30:00.000Z by ${CALLER}`,
    );
    expect(text).toContain('quarantine policy detached');
    expect(text).toContain('not quarantine the user again before 2026-12-10T12:30:00.000Z');
  });

  it('refuses a user who is not quarantined without invoking the worker', async () => {
    const h = harness(finding({ quarantine: undefined }));
    expect(await main(ARGS, h.io)).toBe(2);
    expect(h.err.join('')).toContain('user "Alice" in 333333333333 is not quarantined: nothing to release');
    expect(h.invoked).toEqual([]);
  });

  it('refuses an unknown finding and a finding that is not a user', async () => {
    let h = harness(undefined);
    expect(await main(ARGS, h.io)).toBe(2);
    expect(h.err.join('')).toContain(`no finding ${ID} in the store`);
    h = harness(finding({ kind: 'ROOT_NO_MFA', subject: 'root' }));
    expect(await main(ARGS, h.io)).toBe(2);
    expect(h.err.join('')).toContain('only a user (USER_NO_MFA) can be quarantined');
    expect(h.invoked).toEqual([]);
  });

  it.each([
    [{ ok: false, error: 'detach-failed', message: 'could not detach (denied): AccessDenied' }, 1],
    [{ ok: false, error: 'store-unavailable', message: 'could not read the finding' }, 1],
    [{ ok: false, error: 'not-quarantined', message: 'user Alice in 333333333333 is not quarantined' }, 2],
    [{ ok: false, error: 'enforcement-off', message: 'enforcement is off in this deployment' }, 2],
  ] as const)('prints the worker refusal %j and exits %i', async (answer, code) => {
    const h = harness(finding(), answer);
    expect(await main(ARGS, h.io)).toBe(code);
    expect(h.err.join('')).toContain(`release refused (${answer.error}): ${answer.message}`);
    expect(h.out).toEqual([]);
  });

  it('refuses the example organization of cdk.json without --config (tools act on the organization you mean)', async () => {
    const example = JSON.stringify({ ...rawTestConfig(), organizationId: 'o-exampleorg1' });
    const h = harness(finding(), released, { 'cdk.json': `{"context":{"orgMfaWatch":${example}}}` });
    expect(await main(['release', ID, '--reason', 'x'], h.io)).toBe(2);
    expect(h.err.join('')).toMatch(
      /refusing to read findings with the example organization of cdk\.json \(o-exampleorg1\)/,
    );
    expect(h.invoked).toEqual([]);
  });

  it.each([
    [['release', '--reason', 'x'], 'expected exactly one finding id'],
    [
      ['release', 'f-123', '--reason', 'x'],
      'expected a finding id such as f-0123456789abcdef0123, got "f-123"',
    ],
    [['release', ID], '--reason: expected one line of 1-500 characters'],
    [['release', ID, '--reason', 'a\nb'], '--reason: expected one line'],
    [
      ['release', ID, '--reason', 'x', '--function', 'bad name'],
      '--function: expected a Lambda function name',
    ],
    [['release', ID, '--bogus'], "release: Unknown option '--bogus'"],
  ])('rejects %j naming the argument', (argv, message) => {
    expect(() => parseReleaseCommand(argv)).toThrow(message);
  });
});

describe('the default Invoke (mocked Lambda client)', () => {
  const lambda = mockClient(LambdaClient);
  beforeEach(() => {
    lambda.reset();
  });
  // The SDK hands the payload back as a Uint8Array (a Uint8ArrayBlobAdapter); the CLI decodes any
  // Uint8Array, so the answer is built as plain bytes and typed as the command's output.
  const answer = (output: { StatusCode: number; FunctionError?: string; payload: unknown }) =>
    ({
      StatusCode: output.StatusCode,
      ...(output.FunctionError === undefined ? {} : { FunctionError: output.FunctionError }),
      Payload: new TextEncoder().encode(JSON.stringify(output.payload)),
    }) as unknown as InvokeCommandOutput;
  const withDefaultInvoke = (h: ReturnType<typeof harness>): ReleaseIo => {
    const { invokeWorker: _ignored, ...io } = h.io;
    return io;
  };

  it('invokes the named worker synchronously with the release payload', async () => {
    lambda.on(InvokeCommand).resolves(answer({ StatusCode: 200, payload: released }));
    const h = harness(finding());
    expect(await main([...ARGS, '--function', 'my-worker'], withDefaultInvoke(h))).toBe(0);
    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input?.FunctionName).toBe('my-worker');
    expect(input?.InvocationType).toBe('RequestResponse');
    const sent = JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array)) as ReleaseInvocation;
    expect(sent.release).toMatchObject({ findingId: ID, by: CALLER, reason: 'travelling, enrols Monday' });
  });

  it('reports a worker that failed (FunctionError) and exits 1', async () => {
    lambda.on(InvokeCommand).resolves(
      answer({
        StatusCode: 200,
        FunctionError: 'Unhandled',
        payload: { errorType: 'InvalidEnforcementEnvError', errorMessage: 'environment variable X' },
      }),
    );
    const h = harness(finding());
    expect(await main(ARGS, withDefaultInvoke(h))).toBe(1);
    expect(h.err.join('')).toContain(
      'the sweep worker failed (Unhandled): InvalidEnforcementEnvError: environment variable X',
    );
  });

  it('names the operator permission when Invoke is denied', async () => {
    const denied = Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), {
      name: 'AccessDeniedException',
    });
    lambda.on(InvokeCommand).rejects(denied);
    const h = harness(finding());
    expect(await main(ARGS, withDefaultInvoke(h))).toBe(1);
    expect(h.err.join('')).toContain('your role needs the operator statement of docs/operations.md');
  });
});
