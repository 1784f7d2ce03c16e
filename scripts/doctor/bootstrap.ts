/** The CDK bootstrap check: every (account, region) `cdk deploy` targets is bootstrapped. */
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { type AppConfig, rolloutAccountId } from '../../stacks/config';
import { MEMBER_REGION } from '../../stacks/names';
import { callFailed, type CheckRow, notPass, pass } from './report';
import type { Caller } from './scope';

/** SSM parameter the default CDK bootstrap (qualifier hnb659fds) writes. */
export const BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

/** The (account, region) pairs `cdk deploy` targets for this config. */
export function deploymentTargets(config: AppConfig): { account: string; region: string }[] {
  const pairs = [
    { account: config.managementAccountId, region: MEMBER_REGION },
    { account: rolloutAccountId(config), region: MEMBER_REGION },
    { account: config.securityAccountId, region: config.homeRegion },
  ];
  const seen = new Set<string>();
  return pairs.filter((p) => {
    const key = `${p.account}/${p.region}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** 5. CDK bootstrap in each region the app deploys to from the current account; other accounts are SKIP. */
export async function checkBootstrap(
  ssmFor: (region: string) => SSMClient,
  config: AppConfig,
  caller: Caller,
  rerun = 'npm run doctor',
): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  for (const { account, region } of deploymentTargets(config)) {
    const name = `cdk bootstrap ${account}/${region}`;
    const fix = `npx cdk bootstrap aws://${account}/${region}`;
    if (account !== caller.accountId) {
      rows.push(
        notPass(
          name,
          'SKIP',
          `needs credentials of account ${account}`,
          `with those credentials: ${rerun}; to bootstrap: ${fix}`,
        ),
      );
      continue;
    }
    try {
      const out = await ssmFor(region).send(new GetParameterCommand({ Name: BOOTSTRAP_PARAMETER }));
      rows.push(pass(name, `bootstrap version ${out.Parameter?.Value ?? '(unknown)'}`));
    } catch (err) {
      if (err instanceof Error && err.name === 'ParameterNotFound') {
        rows.push(notPass(name, 'FAIL', `${BOOTSTRAP_PARAMETER} not found: not bootstrapped`, fix));
      } else {
        rows.push(callFailed(name, 'ssm:GetParameter', err));
      }
    }
  }
  return rows;
}
