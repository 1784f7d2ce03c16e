import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackInstancesCommand,
  type StackInstanceSummary,
} from '@aws-sdk/client-cloudformation';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
  type Account,
} from '@aws-sdk/client-organizations';
import { ListSubscriptionsByTopicCommand, SNSClient, type Subscription } from '@aws-sdk/client-sns';
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type AppConfig, rolloutAccountId } from '../../stacks/config';
import { MEMBER_REGION, NAMES, STACK_IDS } from '../../stacks/names';
import { callFailed, type CheckRow, errorText, isNetworkError, notPass, pass, unreachable } from './report';
import { checkOrganizationTrail } from './trail';

/** Service principal of CloudFormation StackSets' trusted access to AWS Organizations. */
export const STACKSETS_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';
/** SSM parameter the default CDK bootstrap (qualifier hnb659fds) writes. */
export const BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';

/** Who is running the doctor (from sts:GetCallerIdentity). */
export interface Caller {
  readonly accountId: string;
  readonly partition: string;
}

/** SDK clients the checks use; injected so tests can mock them. CloudTrail/CloudFormation are us-east-1. */
export interface DoctorClients {
  readonly organizations: OrganizationsClient;
  readonly cloudTrail: CloudTrailClient;
  readonly cloudFormation: CloudFormationClient;
  /** SNS client in the config's home region (where the alert topic lives). */
  readonly sns: SNSClient;
  /** An SSM client for the given region. */
  readonly ssmFor: (region: string) => SSMClient;
  /** Lambda client in the config's home region (where the checker runs). */
  readonly lambda: LambdaClient;
  /** CloudFormation client in the config's home region (the central stack's outputs). */
  readonly centralCloudFormation: CloudFormationClient;
}

/**
 * Whose credentials a check needs: `organization` = the management account or the delegated StackSets
 * administrator (Organizations reads, StackSet instances, the organization trail); `management` = the
 * management account (its member stack); `security` = the security account (topic, Lambda quota).
 */
export type CredentialScope = 'organization' | 'management' | 'security';

/** The accounts whose credentials can run the checks of a scope. */
export function scopeAccounts(scope: CredentialScope, config: AppConfig): string[] {
  switch (scope) {
    case 'organization':
      return [...new Set([config.managementAccountId, rolloutAccountId(config)])];
    case 'management':
      return [config.managementAccountId];
    case 'security':
      return [config.securityAccountId];
  }
}

/** "the security account 222222222222", as the operator reads it. */
export function scopeLabel(scope: CredentialScope, config: AppConfig): string {
  const admin = rolloutAccountId(config);
  switch (scope) {
    case 'organization':
      return admin === config.managementAccountId
        ? `the management account ${config.managementAccountId}`
        : `the management account ${config.managementAccountId} or the delegated StackSets administrator ${admin}`;
    case 'management':
      return `the management account ${config.managementAccountId}`;
    case 'security':
      return `the security account ${config.securityAccountId}`;
  }
}

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

/** ARN of the alert topic, in the caller's partition. */
export function alertTopicArn(config: AppConfig, partition: string): string {
  return `arn:${partition}:sns:${config.homeRegion}:${config.securityAccountId}:${NAMES.alertTopic}`;
}

/** 7. (after deploy) Every configured email subscription of the alert topic is confirmed. */
export async function checkSubscriptions(
  sns: SNSClient,
  config: AppConfig,
  caller: Caller,
): Promise<CheckRow> {
  const name = 'alert subscriptions';
  const topicArn = alertTopicArn(config, caller.partition);
  const subs: Subscription[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await sns.send(
        new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }),
      );
      subs.push(...(page.Subscriptions ?? []));
      token = page.NextToken;
    } while (token);
  } catch (err) {
    if (isNetworkError(err)) return unreachable(name, err);
    // Before deploy, or from another account than the security account, the topic is not reachable.
    return notPass(
      name,
      'SKIP',
      `topic ${topicArn} not reachable from these credentials (${errorText(err)})`,
      `rerun with security-account credentials (sns:ListSubscriptionsByTopic) after deploying ${STACK_IDS.central}`,
    );
  }
  const emails = subs.filter((s) => s.Protocol === 'email' || s.Protocol === 'email-json');
  const pending = emails
    .filter((s) => s.SubscriptionArn === 'PendingConfirmation')
    .map((s) => s.Endpoint ?? '?');
  const missing = config.notifications.emails.filter((e) => !emails.some((s) => s.Endpoint === e));
  if (pending.length > 0) {
    return notPass(
      name,
      'FAIL',
      `pending confirmation: ${pending.join(', ')}`,
      'each address must click "Confirm subscription" in the AWS Notification email (resubscribe if it expired)',
    );
  }
  if (missing.length > 0) {
    return notPass(name, 'WARN', `not subscribed: ${missing.join(', ')}`, `redeploy ${STACK_IDS.central}`);
  }
  return pass(name, `${emails.length} email subscription(s) confirmed`);
}

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

/**
 * Lambda keeps at least 100 unreserved concurrent executions per account and Region: "You can reserve
 * up to the Unreserved account concurrency value minus 100" (AWS Lambda Developer Guide, "Configuring
 * reserved concurrency for a function",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuring-concurrency.html).
 */
export const LAMBDA_MIN_UNRESERVED = 100;

/** The checker function's name from the central stack's output, or undefined before the first deploy. */
async function checkerFunctionName(cfn: CloudFormationClient): Promise<string | undefined> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: STACK_IDS.central }));
    return out.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'CheckerFunctionName')?.OutputValue;
  } catch (err) {
    if (err instanceof Error && /does not exist/.test(err.message)) return undefined;
    throw err;
  }
}

/**
 * 9. The security account can reserve `checkerReservedConcurrency` for the checker in the home region
 * (CloudFormation fails the central stack otherwise). A reservation the deployed checker already holds
 * counts as available, since a redeploy replaces it.
 */
export async function checkLambdaConcurrency(
  lambda: LambdaClient,
  cfn: CloudFormationClient,
  config: AppConfig,
): Promise<CheckRow> {
  const name = 'lambda concurrency';
  const wanted = config.checkerReservedConcurrency;
  if (wanted === 0) {
    return notPass(
      name,
      'SKIP',
      'checkerReservedConcurrency is 0: the checker reserves nothing',
      'nothing to do',
    );
  }
  let unreserved: number;
  let quota: number | undefined;
  try {
    const settings = await lambda.send(new GetAccountSettingsCommand({}));
    unreserved = settings.AccountLimit?.UnreservedConcurrentExecutions ?? 0;
    quota = settings.AccountLimit?.ConcurrentExecutions;
  } catch (err) {
    return callFailed(name, 'lambda:GetAccountSettings', err);
  }
  let held = 0;
  try {
    const functionName = await checkerFunctionName(cfn);
    if (functionName !== undefined) {
      const current = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }));
      held = current.ReservedConcurrentExecutions ?? 0;
    }
  } catch (err) {
    return callFailed(name, 'cloudformation:DescribeStacks and lambda:GetFunctionConcurrency', err);
  }
  const available = unreserved + held;
  const left = available - wanted;
  const where = `${config.securityAccountId}/${config.homeRegion}`;
  const heldText = held > 0 ? ` (${held} of them reserved by the deployed checker)` : '';
  const detail = `${available} concurrent executions available in ${where}${heldText}${quota === undefined ? '' : `, account quota ${quota}`}`;
  if (left >= LAMBDA_MIN_UNRESERVED) {
    return pass(name, `${detail}; reserving ${wanted} leaves ${left} unreserved`);
  }
  return notPass(
    name,
    'FAIL',
    `${detail}; reserving ${wanted} would leave ${left}, but Lambda keeps at least ${LAMBDA_MIN_UNRESERVED} unreserved`,
    `set "checkerReservedConcurrency": 0 in the config (no reservation)${quota === undefined ? '' : `, or raise the Lambda "Concurrent executions" quota (Service Quotas) from ${quota} to at least ${quota + LAMBDA_MIN_UNRESERVED - left}`}`,
  );
}

/** SKIP rows for checks the caller's credentials cannot run, with the command that can. */
function skipped(
  names: readonly string[],
  scope: CredentialScope,
  config: AppConfig,
  rerun: string,
): CheckRow[] {
  return names.map((n) =>
    notPass(
      n,
      'SKIP',
      `needs credentials of ${scopeLabel(scope, config)}`,
      `with those credentials: ${rerun}`,
    ),
  );
}

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
