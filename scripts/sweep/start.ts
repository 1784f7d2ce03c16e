import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SweepInput } from '../../functions/contract/sweep';
import type { AppConfig } from '../../stacks/config';
import { NAMES } from '../../stacks/names';

/**
 * Starting the deployed sweep from an operator's machine (`npm run sweep`), with security-account
 * credentials: the state machine's ARN, the execution's input and name, and the console link. Pure
 * parts are exported for tests; `startSweep` is the one AWS call.
 */

/** The partition of a region: the configuration only accepts regions of the `aws` partition. */
const PARTITION = 'aws';

/** ARN of the deployed state machine `org-mfa-watch-sweep`, from the configuration. Pure. */
export function sweepStateMachineArn(config: Pick<AppConfig, 'homeRegion' | 'securityAccountId'>): string {
  return `arn:${PARTITION}:states:${config.homeRegion}:${config.securityAccountId}:stateMachine:${NAMES.sweepStateMachine}`;
}

/**
 * The execution's name: unique, readable, and within Step Functions' rules (1-80 characters of
 * letters, digits, `-` and `_`: "StartExecution", request parameter `name`). Pure.
 */
export function executionName(now: Date, accountIds: readonly string[]): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const scope =
    accountIds.length === 1
      ? `-${accountIds[0] ?? ''}`
      : accountIds.length > 1
        ? `-${accountIds.length}accounts`
        : '';
  return `on-demand-${stamp}${scope}`.slice(0, 80);
}

/** The state machine's input for an on-demand sweep (every account, or just the ones given). Pure. */
export function onDemandInput(accountIds: readonly string[]): SweepInput {
  return accountIds.length === 0 ? { mode: 'on-demand' } : { mode: 'on-demand', accountIds };
}

/** Console link to one execution (the Step Functions console of its region). Pure. */
export function executionConsoleUrl(executionArn: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${encodeURIComponent(executionArn)}`;
}

/** Start one execution and return its ARN. */
export async function startSweep(
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  input: SweepInput,
): Promise<string> {
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }),
  );
  if (executionArn === undefined) throw new Error('StartExecution returned no executionArn');
  return executionArn;
}
