import { readFileSync } from 'node:fs';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type AppConfig, parseConfig } from '../../stacks/config';
import { MEMBER_REGION } from '../../stacks/names';
import { type Caller, runChecks } from './checks';
import { type CheckRow, errorText, exitCode, formatTable, notPass } from './report';

/**
 * Raw configuration: the JSON file after `--config`, else the `orgMfaWatch` context of cdk.json.
 * @throws Error when the argument or file is unusable
 */
export function readRawConfig(argv: readonly string[], readText: (path: string) => string): unknown {
  const i = argv.indexOf('--config');
  if (i >= 0) {
    const path = argv[i + 1];
    if (path === undefined) throw new Error('--config needs a path to a JSON file');
    return JSON.parse(readText(path)) as unknown;
  }
  const cdk = JSON.parse(readText('cdk.json')) as { context?: { orgMfaWatch?: unknown } };
  return cdk.context?.orgMfaWatch;
}

/** Partition of an ARN such as `arn:aws-us-gov:iam::111122223333:user/x`. */
export function partitionOf(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

/** The caller, or the FAIL row explaining why the credentials are unusable. */
export async function whoAmI(sts: STSClient): Promise<Caller | CheckRow> {
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    return { accountId: id.Account ?? '', partition: partitionOf(id.Arn ?? '') };
  } catch (err) {
    return notPass(
      'credentials',
      'FAIL',
      `sts:GetCallerIdentity failed (${errorText(err)})`,
      'configure credentials of the management account or delegated administrator (AWS_PROFILE, aws sso login)',
    );
  }
}

/** Runs the doctor with real clients (default credential chain); returns the exit code. */
export async function main(argv: readonly string[], write: (text: string) => void): Promise<number> {
  let config: AppConfig;
  try {
    config = parseConfig(readRawConfig(argv, (p) => readFileSync(p, 'utf8')));
  } catch (err) {
    write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  // Organizations, StackSets and IAM events live in us-east-1; the alert topic in the home region.
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
      ssmFor: (region) => {
        const client = ssm.get(region) ?? new SSMClient({ region });
        ssm.set(region, client);
        return client;
      },
    },
    config,
    caller,
  );
  write(`org-mfa-watch doctor: account ${caller.accountId}, organization ${config.organizationId}\n\n`);
  write(formatTable(rows));
  return exitCode(rows);
}
