import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MEMBER_REGION } from '../../stacks/names';
import { CONFIG_OPTION, loadToolConfig, parseCommandLine } from '../cli';
import { type Caller, runChecks } from './checks';
import {
  type CheckRow,
  errorText,
  exitCode,
  formatTable,
  isNetworkError,
  notPass,
  unreachable,
} from './report';

/** Partition of an ARN such as `arn:aws-us-gov:iam::111122223333:user/x`. */
export function partitionOf(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

/** The caller, or the FAIL row explaining why AWS could not be asked (network) or said no (credentials). */
export async function whoAmI(sts: STSClient): Promise<Caller | CheckRow> {
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    return { accountId: id.Account ?? '', partition: partitionOf(id.Arn ?? '') };
  } catch (err) {
    if (isNetworkError(err)) return unreachable('credentials', err);
    return notPass(
      'credentials',
      'FAIL',
      `sts:GetCallerIdentity failed (${errorText(err)})`,
      'configure credentials of the management account, the delegated administrator or the security account (AWS_PROFILE, aws sso login)',
    );
  }
}

/** `npm run doctor --help`. */
export const USAGE = `usage: npm run doctor [-- --config my-org.json]

Read-only preflight of an org-mfa-watch deployment with your current AWS credentials. Checks that need
another account's credentials are listed as SKIP, with the command to run them with that account:
  management account or delegated StackSets administrator: organization, StackSets trusted access,
    delegated administrator, organization trail, OU ids, StackSet instances (after deploy)
  management account: its member stack (after deploy)
  security account: email subscriptions (after deploy), Lambda concurrency for the checker
  each deploying account: its CDK bootstrap
Exit code 0 when nothing failed, 1 when a check failed, 2 on bad usage or an invalid configuration.

options:
  --config FILE   configuration file (or ORG_MFA_WATCH_CONFIG=FILE; see docs/configuration.md); the
                  example organization of cdk.json is refused
  --help          this text
`;

/** The command that runs the doctor again on the same configuration (for SKIP rows). */
export function rerunCommand(configFile: string | undefined): string {
  return configFile === undefined ? 'npm run doctor' : `npm run doctor -- --config ${configFile}`;
}

/**
 * Runs the doctor with real clients (default credential chain); returns the exit code.
 * @throws UsageError or ConfigError (bin/doctor.ts prints them in one line, exit 2)
 */
export async function main(argv: readonly string[], write: (text: string) => void): Promise<number> {
  const { values } = parseCommandLine(argv, { ...CONFIG_OPTION, help: { type: 'boolean' } });
  if (values.help === true) {
    write(USAGE);
    return 0;
  }
  const config = loadToolConfig('doctor', values.config, { touchesAws: true });
  const rerun = rerunCommand(values.config);
  // Organizations, StackSets and IAM events live in us-east-1; the alert topic and checker in the home region.
  const caller = await whoAmI(new STSClient({ region: MEMBER_REGION }));
  if (!('accountId' in caller)) {
    write(formatTable([caller]));
    return exitCode([caller]);
  }
  const ssm = new Map<string, SSMClient>();
  const rows = await runChecks(
    {
      organizations: new OrganizationsClient({ region: MEMBER_REGION }),
      cloudTrail: new CloudTrailClient({ region: MEMBER_REGION }),
      cloudFormation: new CloudFormationClient({ region: MEMBER_REGION }),
      sns: new SNSClient({ region: config.homeRegion }),
      lambda: new LambdaClient({ region: config.homeRegion }),
      centralCloudFormation: new CloudFormationClient({ region: config.homeRegion }),
      ssmFor: (region) => {
        const client = ssm.get(region) ?? new SSMClient({ region });
        ssm.set(region, client);
        return client;
      },
    },
    config,
    caller,
    rerun,
  );
  write(`org-mfa-watch doctor: account ${caller.accountId}, organization ${config.organizationId}\n\n`);
  write(formatTable(rows));
  write(skippedNote(rows));
  return exitCode(rows);
}

/** One closing paragraph naming the checks skipped for lack of credentials, and how to run them. */
export function skippedNote(rows: readonly CheckRow[]): string {
  const byAccount = new Map<string, { checks: string[]; fix: string }>();
  for (const row of rows) {
    const needs = /^needs credentials of (.+)$/.exec(row.detail);
    if (row.status !== 'SKIP' || needs?.[1] === undefined) continue;
    const entry = byAccount.get(needs[1]) ?? { checks: [], fix: row.fix ?? '' };
    entry.checks.push(row.check);
    byAccount.set(needs[1], entry);
  }
  if (byAccount.size === 0) return '';
  const lines = [...byAccount].map(
    ([who, { checks, fix }]) => `- ${checks.join(', ')}: need credentials of ${who}; ${fix}`,
  );
  return `\nSkipped because these credentials cannot run them:\n${lines.join('\n')}\n`;
}
