/**
 * The doctor's checks, in the order it runs them ({@link runChecks}). One module per check family:
 * organization.ts, trail.ts, bootstrap.ts, security-account.ts, rollout.ts; scope.ts says whose
 * credentials each needs. Every check's name stays importable from here.
 */
import type { AppConfig } from '../../stacks/config';
import { checkBootstrap } from './bootstrap';
import {
  checkDelegatedAdmin,
  checkOrganization,
  checkStackSetsTrustedAccess,
  checkTargets,
} from './organization';
import { type CheckRow, notPass } from './report';
import { checkRollout } from './rollout';
import {
  type Caller,
  type CredentialScope,
  type DoctorClients,
  scopeAccounts,
  scopeLabel,
  skipped,
} from './scope';
import { checkLambdaConcurrency, checkSubscriptions } from './security-account';
import { checkOrganizationTrail } from './trail';

export { BOOTSTRAP_PARAMETER, checkBootstrap, deploymentTargets } from './bootstrap';
export {
  STACKSETS_PRINCIPAL,
  checkDelegatedAdmin,
  checkOrganization,
  checkStackSetsTrustedAccess,
  checkTargets,
} from './organization';
export { checkRollout } from './rollout';
export { type Caller, type CredentialScope, type DoctorClients, scopeAccounts, scopeLabel } from './scope';
export {
  LAMBDA_MIN_UNRESERVED,
  alertTopicArn,
  checkLambdaConcurrency,
  checkSubscriptions,
} from './security-account';

/**
 * Runs every check the caller's credentials can run, in order, and a SKIP row (with the command to run
 * it with the other account) for each one they cannot. Never throws for an SDK failure.
 */
export async function runChecks(
  clients: DoctorClients,
  config: AppConfig,
  caller: Caller,
  rerun = 'npm run doctor',
): Promise<CheckRow[]> {
  const can = (scope: CredentialScope) => scopeAccounts(scope, config).includes(caller.accountId);
  const rows: CheckRow[] = [];
  if (!(['organization', 'management', 'security'] as const).some(can)) {
    rows.push(
      notPass(
        'credentials',
        'FAIL',
        `account ${caller.accountId} is not the management, delegated administrator or security account of this configuration`,
        `run with credentials of ${scopeLabel('organization', config)} and then of ${scopeLabel('security', config)}`,
      ),
    );
  }
  const org = clients.organizations;
  if (can('organization')) {
    rows.push(
      await checkOrganization(org, config),
      await checkStackSetsTrustedAccess(org),
      await checkDelegatedAdmin(org, config),
      await checkOrganizationTrail(clients.cloudTrail),
    );
  } else {
    rows.push(
      ...skipped(
        ['organization', 'stacksets trusted access', 'stacksets delegated admin', 'organization trail'],
        'organization',
        config,
        rerun,
      ),
    );
  }
  rows.push(...(await checkBootstrap(clients.ssmFor, config, caller, rerun)));
  rows.push(
    ...(can('organization')
      ? await checkTargets(org, config)
      : skipped(
          config.rollout.organizationalUnitIds.map((id) => `target ${id}`),
          'organization',
          config,
          rerun,
        )),
  );
  if (can('security')) {
    rows.push(
      await checkSubscriptions(clients.sns, config, caller),
      await checkLambdaConcurrency(clients.lambda, clients.centralCloudFormation, config),
    );
  } else {
    rows.push(...skipped(['alert subscriptions', 'lambda concurrency'], 'security', config, rerun));
  }
  if (can('organization')) {
    rows.push(...(await checkRollout(org, clients.cloudFormation, config, can('management'))));
  } else {
    rows.push(...skipped(['member rollout'], 'organization', config, rerun));
  }
  if (!can('organization') || !can('management')) {
    rows.push(...skipped(['management member stack'], 'management', config, rerun));
  }
  return rows;
}
