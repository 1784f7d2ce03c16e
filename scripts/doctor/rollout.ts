/**
 * After deploy: the check role exists everywhere, as StackSet instances CURRENT in every active member
 * account of the targets, and as the management account's own member stack.
 */
import {
  DescribeStacksCommand,
  ListStackInstancesCommand,
  type CloudFormationClient,
  type StackInstanceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { AppConfig } from '../../stacks/config';
import { MEMBER_REGION, NAMES, STACK_IDS } from '../../stacks/names';
import { callFailed, type CheckRow, notPass, pass } from './report';

async function activeAccountsUnder(org: OrganizationsClient, parentId: string, into: Map<string, Account>) {
  let token: string | undefined;
  do {
    const page = await org.send(new ListAccountsForParentCommand({ ParentId: parentId, NextToken: token }));
    for (const a of page.Accounts ?? []) if (a.Id && a.Status === 'ACTIVE') into.set(a.Id, a);
    token = page.NextToken;
  } while (token);
  do {
    const page = await org.send(
      new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token }),
    );
    for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) await activeAccountsUnder(org, ou.Id, into);
    token = page.NextToken;
  } while (token);
}

/** 8. (after deploy) The check role exists everywhere: StackSet instances CURRENT and the management stack deployed. */
export async function checkRollout(
  org: OrganizationsClient,
  cfn: CloudFormationClient,
  config: AppConfig,
  includeManagementStack = true,
): Promise<CheckRow[]> {
  const managementStack = async (): Promise<CheckRow[]> =>
    includeManagementStack ? [await checkManagementStack(cfn)] : [];
  const name = 'member rollout';
  const accounts = new Map<string, Account>();
  try {
    for (const ou of config.rollout.organizationalUnitIds) await activeAccountsUnder(org, ou, accounts);
  } catch (err) {
    return [
      callFailed(name, 'organizations:ListAccountsForParent / ListOrganizationalUnitsForParent', err),
      ...(await managementStack()),
    ];
  }
  const expected = [...accounts.keys()].filter(
    (id) => id !== config.managementAccountId && !config.rollout.excludeAccountIds.includes(id),
  );
  const callAs = config.rollout.deployFrom === 'management' ? 'SELF' : 'DELEGATED_ADMIN';
  const instances: StackInstanceSummary[] = [];
  const rows: CheckRow[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await cfn.send(
        new ListStackInstancesCommand({ StackSetName: NAMES.stackSet, CallAs: callAs, NextToken: token }),
      );
      instances.push(...(page.Summaries ?? []));
      token = page.NextToken;
    } while (token);
    const bad = expected.filter(
      (id) =>
        !instances.some((i) => i.Account === id && i.Region === MEMBER_REGION && i.Status === 'CURRENT'),
    );
    rows.push(
      bad.length === 0
        ? pass(name, `${NAMES.stackSet} CURRENT in ${expected.length} active account(s)`)
        : notPass(
            name,
            'FAIL',
            `no CURRENT ${NAMES.stackSet} instance in ${MEMBER_REGION} for: ${bad.join(', ')}`,
            `inspect the StackSet operations (CloudFormation console, CallAs ${callAs}); then redeploy ${STACK_IDS.rollout}`,
          ),
    );
  } catch (err) {
    rows.push(
      err instanceof Error && err.name === 'StackSetNotFoundException'
        ? notPass(
            name,
            'SKIP',
            `StackSet ${NAMES.stackSet} not found (not deployed yet?)`,
            `deploy ${STACK_IDS.rollout}`,
          )
        : callFailed(name, 'cloudformation:ListStackInstances', err),
    );
  }
  rows.push(...(await managementStack()));
  return rows;
}

async function checkManagementStack(cfn: CloudFormationClient): Promise<CheckRow> {
  const name = 'management member stack';
  const fix = `deploy ${STACK_IDS.managementMember} with management-account credentials in ${MEMBER_REGION}`;
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: STACK_IDS.managementMember }));
    const status = out.Stacks?.[0]?.StackStatus ?? '(unknown)';
    return /_COMPLETE$/.test(status) && !status.includes('ROLLBACK') && !status.startsWith('DELETE')
      ? pass(name, `${STACK_IDS.managementMember} ${status}`)
      : notPass(name, 'FAIL', `${STACK_IDS.managementMember} is ${status}`, fix);
  } catch (err) {
    if (err instanceof Error && /does not exist/.test(err.message)) {
      return notPass(name, 'SKIP', `${STACK_IDS.managementMember} not found from these credentials`, fix);
    }
    return callFailed(name, 'cloudformation:DescribeStacks', err);
  }
}
