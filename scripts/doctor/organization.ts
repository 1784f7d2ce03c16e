/**
 * Checks of the organization itself (management account or delegated StackSets administrator
 * credentials): all features, StackSets trusted access, the delegated administrator, the rollout targets.
 */
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListRootsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { type AppConfig, rolloutAccountId } from '../../stacks/config';
import { callFailed, type CheckRow, notPass, pass } from './report';

/** Service principal of CloudFormation StackSets' trusted access to AWS Organizations. */
export const STACKSETS_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

/** 1. All features enabled and the organization id is the configured one. */
export async function checkOrganization(org: OrganizationsClient, config: AppConfig): Promise<CheckRow> {
  const name = 'organization';
  try {
    const { Organization: o } = await org.send(new DescribeOrganizationCommand({}));
    if (o?.Id !== config.organizationId) {
      return notPass(
        name,
        'FAIL',
        `credentials are in organization ${o?.Id ?? '(none)'}, config says ${config.organizationId}`,
        'fix organizationId in the config, or run with credentials of that organization',
      );
    }
    if (o.FeatureSet !== 'ALL') {
      return notPass(
        name,
        'FAIL',
        `${o.Id} has feature set ${o.FeatureSet ?? '(unknown)'}; StackSets and org conditions need ALL`,
        'enable all features: AWS Organizations console > Settings > Enable all features',
      );
    }
    return pass(name, `${o.Id}, all features enabled`);
  } catch (err) {
    return callFailed(name, 'organizations:DescribeOrganization', err);
  }
}

/** 2. Trusted access for CloudFormation StackSets is enabled. */
export async function checkStackSetsTrustedAccess(org: OrganizationsClient): Promise<CheckRow> {
  const name = 'stacksets trusted access';
  try {
    let token: string | undefined;
    do {
      const page = await org.send(new ListAWSServiceAccessForOrganizationCommand({ NextToken: token }));
      if ((page.EnabledServicePrincipals ?? []).some((p) => p.ServicePrincipal === STACKSETS_PRINCIPAL)) {
        return pass(name, `${STACKSETS_PRINCIPAL} enabled`);
      }
      token = page.NextToken;
    } while (token);
    return notPass(
      name,
      'FAIL',
      `${STACKSETS_PRINCIPAL} is not enabled`,
      'in the management account: CloudFormation console > StackSets > Activate trusted access, or aws cloudformation activate-organizations-access',
    );
  } catch (err) {
    return callFailed(name, 'organizations:ListAWSServiceAccessForOrganization', err);
  }
}

/** 3. With deployFrom delegated-admin, the rollout account is a registered StackSets delegated administrator. */
export async function checkDelegatedAdmin(org: OrganizationsClient, config: AppConfig): Promise<CheckRow> {
  const name = 'stacksets delegated admin';
  if (config.rollout.deployFrom !== 'delegated-admin') {
    return notPass(name, 'SKIP', 'rollout.deployFrom is "management"', 'nothing to do');
  }
  const admin = rolloutAccountId(config);
  try {
    let token: string | undefined;
    do {
      const page = await org.send(
        new ListDelegatedAdministratorsCommand({ ServicePrincipal: STACKSETS_PRINCIPAL, NextToken: token }),
      );
      if ((page.DelegatedAdministrators ?? []).some((a) => a.Id === admin)) {
        return pass(name, `${admin} is a delegated administrator for StackSets`);
      }
      token = page.NextToken;
    } while (token);
    return notPass(
      name,
      'FAIL',
      `${admin} is not registered as delegated administrator for ${STACKSETS_PRINCIPAL}`,
      `aws organizations register-delegated-administrator --account-id ${admin} --service-principal ${STACKSETS_PRINCIPAL}`,
    );
  } catch (err) {
    return callFailed(name, 'organizations:ListDelegatedAdministrators', err);
  }
}

/** 6. Every configured OU or root id exists in the organization. */
export async function checkTargets(org: OrganizationsClient, config: AppConfig): Promise<CheckRow[]> {
  const ids = config.rollout.organizationalUnitIds;
  const rows: CheckRow[] = [];
  let rootIds: string[] | undefined;
  for (const id of ids) {
    const name = `target ${id}`;
    const fix = 'fix rollout.organizationalUnitIds (AWS Organizations console lists OU and root ids)';
    if (id.startsWith('r-')) {
      try {
        rootIds ??= await listRootIds(org);
      } catch (err) {
        rows.push(callFailed(name, 'organizations:ListRoots', err));
        continue;
      }
      rows.push(
        rootIds.includes(id) ? pass(name, 'root exists') : notPass(name, 'FAIL', 'no such root', fix),
      );
      continue;
    }
    try {
      const out = await org.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: id }));
      rows.push(pass(name, `OU "${out.OrganizationalUnit?.Name ?? ''}" exists`));
    } catch (err) {
      if (err instanceof Error && err.name === 'OrganizationalUnitNotFoundException') {
        rows.push(notPass(name, 'FAIL', 'no such OU', fix));
      } else {
        rows.push(callFailed(name, 'organizations:DescribeOrganizationalUnit', err));
      }
    }
  }
  return rows;
}

async function listRootIds(org: OrganizationsClient): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(new ListRootsCommand({ NextToken: token }));
    ids.push(...(page.Roots ?? []).flatMap((r) => (r.Id ? [r.Id] : [])));
    token = page.NextToken;
  } while (token);
  return ids;
}
