import { SFNClient } from '@aws-sdk/client-sfn';
import type { SweepBatchResult } from '../../functions/contract/sweep';
import type { AppConfig } from '../../stacks/config';
import { CONFIG_OPTION, UsageError, loadToolConfig, parseCommandLine } from '../cli';
import type { LocalAccess } from './local';
import { executionConsoleUrl, executionName, onDemandInput, startSweep, sweepStateMachineArn } from './start';

/** `npm run sweep -- --help`. */
export const USAGE = `Usage: npm run sweep -- [--account ID ...] [--local [--role-name NAME]] [--config FILE]

Starts the org-wide sweep (state machine org-mfa-watch-sweep in the security account) and prints a
link to the execution. Needs security-account credentials allowed states:StartExecution on it.
  (no --account)      every ACTIVE account of the organization
  --account ID        only this account (repeat for several)

--local runs the sweep worker's own code on this machine for one --account, with the credentials
given, and records nothing: the findings it prints are what the sweep would find there now, and the
alerts it would publish are printed, not sent.
  --local             run here instead of starting an execution
  --role-name NAME    assume this role in the account first (e.g. OrganizationAccountAccessRole);
                      without it, the credentials must be the account's own

  --config FILE       your configuration file (or ORG_MFA_WATCH_CONFIG=FILE); the example
                      organization of cdk.json is refused
  -h, --help          this help

Exit code 0 when the sweep started (or, with --local, the account was checked), 1 when AWS could not
be reached or the account could not be checked, 2 on bad usage or configuration.
`;

/** The usage hint after a one-line error. */
export const HINT =
  'Usage: npm run sweep -- [--account ID ...] [--local [--role-name NAME]]; --help lists the options';

/** What `npm run sweep` says, instead of starting a sweep, when `sweep.enabled` is false. */
export const PAUSED_MESSAGE =
  'The sweep is paused (sweep.enabled is false in the configuration): no sweep started; set it to true and deploy OrgMfaWatch-Central to resume (--local still works)';

/** Parsed command line. */
export interface SweepOptions {
  readonly help: boolean;
  readonly accountIds: readonly string[];
  readonly local: boolean;
  readonly roleName?: string;
  readonly config?: string;
}

/**
 * Parse and check the command line. Pure.
 * @throws UsageError naming the bad option
 */
export function parseSweepOptions(argv: readonly string[]): SweepOptions {
  const { values } = parseCommandLine(argv, {
    ...CONFIG_OPTION,
    help: { type: 'boolean', short: 'h' },
    account: { type: 'string', multiple: true },
    local: { type: 'boolean' },
    'role-name': { type: 'string' },
  });
  const accountIds = [...new Set(values.account ?? [])];
  for (const id of accountIds) {
    if (!/^\d{12}$/.test(id)) throw new UsageError(`--account: expected a 12-digit account id, got "${id}"`);
  }
  const local = values.local === true;
  const roleName = values['role-name'];
  if (roleName !== undefined && !local) throw new UsageError('--role-name only goes with --local');
  if (roleName !== undefined && !/^[\w+=,.@-]{1,64}$/.test(roleName)) {
    throw new UsageError(`--role-name: expected an IAM role name, got "${roleName}"`);
  }
  if (local && accountIds.length !== 1) {
    throw new UsageError('--local sweeps exactly one account: give one --account ID');
  }
  return {
    help: values.help === true,
    accountIds,
    local,
    ...(roleName === undefined ? {} : { roleName }),
    ...(values.config === undefined ? {} : { config: values.config }),
  };
}

/** The local run's result as lines for a terminal. Pure. */
export function formatLocalResult(result: SweepBatchResult): string {
  const lines: string[] = [];
  for (const account of result.accounts) {
    lines.push(
      `account ${account.accountId}${account.alias === undefined ? '' : ` (${account.alias})`}: ${account.outcome}${account.reason === undefined ? '' : ` - ${account.reason}`}`,
    );
    if (account.users !== undefined) {
      lines.push(
        `  users in the credential report: ${account.users}; left to the event path (grace period): ${account.inGracePeriod ?? 0}`,
      );
    }
    if (account.findings.length === 0) {
      lines.push(account.outcome === 'checked' ? '  no findings' : '  not checked: its findings are unknown');
    }
    for (const f of account.findings) {
      const subject = f.userName === undefined ? '' : ` ${f.userName}`;
      const console =
        f.consolePassword === undefined
          ? ''
          : f.consolePassword
            ? ', console password'
            : ', no console password';
      const used = f.lastUsed === undefined ? '' : `, last used ${f.lastUsed}`;
      lines.push(`  ${f.severity} ${f.kind}${subject}${console}${used}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** True when every account of a local run was checked (an unchecked account proves nothing). Pure. */
export function everyAccountChecked(result: SweepBatchResult): boolean {
  return result.accounts.length > 0 && result.accounts.every((a) => a.outcome === 'checked');
}

/** Where the CLI writes, and its two AWS paths; injectable for tests. */
export interface SweepIo {
  readonly out: (text: string) => void;
  /** Where the line naming the configuration goes. @default stderr */
  readonly err?: (text: string) => void;
  readonly now?: () => Date;
  readonly loadConfig?: (file: string | undefined) => AppConfig;
  readonly start?: (
    stateMachineArn: string,
    region: string,
    name: string,
    input: ReturnType<typeof onDemandInput>,
  ) => Promise<string>;
  readonly runLocal?: (
    config: AppConfig,
    accountId: string,
    access: LocalAccess,
  ) => Promise<SweepBatchResult>;
}

/**
 * The tool: returns its exit code: 0 started (or, with --local, checked), 1 when the local run could not
 * check the account (its reason is printed; "no findings" would be a false all-clear).
 */
export async function runSweepCli(argv: readonly string[], io: SweepIo): Promise<number> {
  const options = parseSweepOptions(argv);
  if (options.help) {
    io.out(USAGE);
    return 0;
  }
  const config = (
    io.loadConfig ??
    ((file: string | undefined) =>
      loadToolConfig('sweep', file, { touchesAws: true, ...(io.err === undefined ? {} : { err: io.err }) }))
  )(options.config);
  if (options.local) {
    const accountId = options.accountIds[0] ?? '';
    const access: LocalAccess =
      options.roleName === undefined ? { kind: 'direct' } : { kind: 'assume', roleName: options.roleName };
    const runLocal =
      io.runLocal ??
      (async (c: AppConfig, id: string, a: LocalAccess) => {
        const { sweepLocally } = await import('./local');
        return sweepLocally({ config: c, accountId: id, access: a, print: io.out });
      });
    const result = await runLocal(config, accountId, access);
    io.out(formatLocalResult(result));
    return everyAccountChecked(result) ? 0 : 1;
  }
  if (!config.sweep.enabled) {
    // Paused by configuration: the schedule and the joining-account trigger are disabled too.
    io.out(`${PAUSED_MESSAGE}\n`);
    return 1;
  }
  const arn = sweepStateMachineArn(config);
  const name = executionName((io.now ?? (() => new Date()))(), options.accountIds);
  const input = onDemandInput(options.accountIds);
  const start =
    io.start ??
    ((stateMachineArn: string, region: string, executionName: string, sweepInput: typeof input) =>
      startSweep(new SFNClient({ region, maxAttempts: 3 }), stateMachineArn, executionName, sweepInput));
  const executionArn = await start(arn, config.homeRegion, name, input);
  const scope = options.accountIds.length === 0 ? 'every ACTIVE account' : options.accountIds.join(', ');
  io.out(
    `started sweep ${name} (${scope})\n${executionArn}\n${executionConsoleUrl(executionArn, config.homeRegion)}\nThe digest arrives by email when it ends; the report is in the sweep bucket under reports/${name}/.\n`,
  );
  return 0;
}
