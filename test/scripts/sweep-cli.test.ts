import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SweepBatchResult } from '../../functions/contract/sweep';
import { UsageError } from '../../scripts/cli';
import { PAUSED_MESSAGE, formatLocalResult, parseSweepOptions, runSweepCli } from '../../scripts/sweep/cli';
import { sweepLocally } from '../../scripts/sweep/local';
import { executionName } from '../../scripts/sweep/start';
import { testConfig } from '../helpers/app';
import { startFakeAwsServer } from '../../scripts/simulation/fake-aws-server';
import { FakeMemberAccounts } from '../../scripts/simulation/fake-member-accounts';

// `npm run sweep`: options, starting an execution (the call and the printed link), and the local run
// of the worker's own code against member accounts served over HTTP by the fake AWS.

describe('parseSweepOptions', () => {
  it('sweeps every account by default, and de-duplicates repeated accounts', () => {
    expect(parseSweepOptions([])).toEqual({ help: false, accountIds: [], local: false });
    expect(
      parseSweepOptions([
        '--account',
        '111111111111',
        '--account',
        '111111111111',
        '--account',
        '222222222222',
      ]),
    ).toMatchObject({ accountIds: ['111111111111', '222222222222'] });
  });

  it.each([
    [['--account', '1234'], '--account: expected a 12-digit account id, got "1234"'],
    [['--role-name', 'Admin'], '--role-name only goes with --local'],
    [['--local'], '--local sweeps exactly one account: give one --account ID'],
    [
      ['--local', '--account', '111111111111', '--account', '222222222222'],
      '--local sweeps exactly one account: give one --account ID',
    ],
    [
      ['--local', '--account', '111111111111', '--role-name', 'bad name'],
      '--role-name: expected an IAM role name',
    ],
    [['--acount', '111111111111'], 'unknown option --acount'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parseSweepOptions(argv)).toThrow(UsageError);
    expect(() => parseSweepOptions(argv)).toThrow(message);
  });
});

describe('starting an execution', () => {
  it('starts org-mfa-watch-sweep in the home region of the security account and prints the console link', async () => {
    const config = testConfig();
    const started: unknown[] = [];
    let out = '';
    const now = new Date('2026-12-01T01:02:03.456Z');
    const code = await runSweepCli(['--account', '444455556666'], {
      out: (text) => (out += text),
      now: () => now,
      loadConfig: () => config,
      start: (arn, region, name, input) => {
        started.push({ arn, region, name, input });
        return Promise.resolve(`arn:aws:states:${region}:${config.securityAccountId}:execution:x:${name}`);
      },
    });
    expect(code).toBe(0);
    expect(started).toEqual([
      {
        arn: `arn:aws:states:${config.homeRegion}:${config.securityAccountId}:stateMachine:org-mfa-watch-sweep`,
        region: config.homeRegion,
        name: 'on-demand-20261201T010203Z-444455556666',
        input: { mode: 'on-demand', accountIds: ['444455556666'] },
      },
    ]);
    expect(out).toContain(
      `https://${config.homeRegion}.console.aws.amazon.com/states/home?region=${config.homeRegion}#/v2/executions/details/arn%3Aaws%3Astates`,
    );
  });

  it('names executions within Step Functions rules (1-80 of letters, digits, - and _)', () => {
    const name = executionName(
      new Date(),
      Array.from({ length: 40 }, (_, i) => String(i).padStart(12, '0')),
    );
    expect(name).toMatch(/^[\w-]{1,80}$/);
    expect(executionName(new Date('2026-01-02T03:04:05Z'), [])).toBe('on-demand-20260102T030405Z');
  });
});

describe('the local run (--local)', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDOPERATOR';
    process.env.AWS_SECRET_ACCESS_KEY = 'operator-secret';
    delete process.env.AWS_PROFILE;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('runs the worker over the account through the role given, prints the alert instead of publishing it', async () => {
    const account = '444455556666';
    const now = () => new Date();
    const aws = new FakeMemberAccounts(
      {
        [account]: {
          report: { state: 'ready', generatedAt: new Date(Date.now() - 3_600_000) },
          users: { alice: { mfaDevices: 0, console: true }, bob: { mfaDevices: 1, console: true } },
        },
      },
      {
        centralBusArn: `arn:aws:events:${testConfig().homeRegion}:${testConfig().securityAccountId}:event-bus/org-mfa-watch`,
        now,
      },
    );
    const server = await startFakeAwsServer(aws);
    process.env.AWS_ENDPOINT_URL = server.url;
    let printed = '';
    try {
      const result = await sweepLocally({
        config: testConfig({ gracePeriodHours: 0 }),
        accountId: account,
        access: { kind: 'assume', roleName: 'OrganizationAccountAccessRole' },
        print: (text) => (printed += text),
      });
      const [only] = result.accounts;
      expect(only).toMatchObject({ accountId: account, outcome: 'checked' });
      expect(only?.findings.map((f) => `${f.kind}:${f.userName ?? ''}:${f.severity}`)).toEqual([
        'USER_NO_MFA:alice:HIGH',
      ]);
      expect(aws.callsOf(account, 'AssumeRole')[0]?.params.RoleArn).toBe(
        `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
      );
      // Nothing reaches SNS: the alert is printed.
      expect(aws.published).toEqual([]);
      expect(printed).toContain('alert the sweep would publish');
      expect(printed).toContain('alice');
      expect(formatLocalResult(result)).toContain(`account ${account}`);
    } finally {
      await server.close();
    }
  });

  it('prints each account with its outcome, and each finding with its severity', () => {
    const result: SweepBatchResult = {
      accounts: [
        {
          accountId: '111111111111',
          outcome: 'not-covered',
          reason: 'AccessDenied on sts:AssumeRole',
          findings: [],
        },
        {
          accountId: '222222222222',
          alias: 'prod',
          outcome: 'checked',
          users: 3,
          inGracePeriod: 1,
          findings: [
            {
              accountId: '222222222222',
              userName: 'alice',
              kind: 'USER_NO_MFA',
              severity: 'HIGH',
              findingId: 'f-00000000000000000000',
              change: 'new',
              consolePassword: true,
            },
          ],
        },
      ],
    };
    expect(formatLocalResult(result)).toBe(
      [
        'account 111111111111: not-covered - AccessDenied on sts:AssumeRole',
        '  not checked: its findings are unknown',
        'account 222222222222 (prod): checked',
        '  users in the credential report: 3; left to the event path (grace period): 1',
        '  HIGH USER_NO_MFA alice, console password',
        '',
      ].join('\n'),
    );
  });
});

describe('a paused sweep (sweep.enabled false)', () => {
  it('says the sweep is paused in one line and starts nothing (exit 1)', async () => {
    const config = testConfig({ sweep: { enabled: false } });
    let out = '';
    let started = 0;
    const code = await runSweepCli([], {
      out: (text) => (out += text),
      loadConfig: () => config,
      start: () => {
        started += 1;
        return Promise.resolve('arn:aws:states:eu-central-1:222222222222:execution:x:y');
      },
    });
    expect(code).toBe(1);
    expect(started).toBe(0);
    expect(out).toBe(`${PAUSED_MESSAGE}\n`);
    expect(out.trim().split('\n')).toHaveLength(1);
  });
});
