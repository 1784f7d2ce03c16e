import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackInstancesCommand,
  type StackInstanceSummary,
} from '@aws-sdk/client-cloudformation';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetEventSelectorsCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
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
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type AppConfig, rolloutAccountId } from '../../stacks/config';
import { MEMBER_REGION, NAMES, STACK_IDS } from '../../stacks/names';
import { callFailed, type CheckRow, errorText, notPass, pass } from './report';

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
      'CloudFormation console > StackSets > Activate trusted access (management account)',
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

/** True when the selectors log write management events (classic or advanced selectors). */
export function logsWriteManagementEvents(selectors: GetEventSelectorsCommandOutput): boolean {
  const classic = (selectors.EventSelectors ?? []).some(
    (s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') !== 'ReadOnly',
  );
  const advanced = (selectors.AdvancedEventSelectors ?? []).some((s) => {
    const fields = s.FieldSelectors ?? [];
    const management = fields.some(
      (f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management'),
    );
    const readOnlyOnly = fields.some((f) => f.Field === 'readOnly' && (f.Equals ?? []).includes('true'));
    return management && !readOnlyOnly;
  });
  return classic || advanced;
}

/** 4. An organization trail that logs write management events and covers us-east-1. */
export async function checkOrganizationTrail(ct: CloudTrailClient): Promise<CheckRow> {
  const name = 'organization trail';
  let trails: Trail[];
  try {
    trails = (await ct.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
  } catch (err) {
    return callFailed(name, 'cloudtrail:DescribeTrails', err);
  }
  const candidates = trails.filter(
    (t) =>
      t.IsOrganizationTrail === true && (t.IsMultiRegionTrail === true || t.HomeRegion === MEMBER_REGION),
  );
  const problems: string[] = [];
  for (const trail of candidates) {
    const id = trail.TrailARN ?? trail.Name ?? '(unnamed)';
    try {
      const status = await ct.send(new GetTrailStatusCommand({ Name: id }));
      if (status.IsLogging !== true) {
        problems.push(`${id} is not logging`);
        continue;
      }
    } catch (err) {
      return callFailed(name, 'cloudtrail:GetTrailStatus', err);
    }
    try {
      const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: id }));
      if (!logsWriteManagementEvents(selectors)) {
        problems.push(`${id} does not log write management events`);
        continue;
      }
    } catch (err) {
      return callFailed(name, 'cloudtrail:GetEventSelectors', err);
    }
    return pass(name, `${id} logs management events in ${MEMBER_REGION}`);
  }
  const detail =
    candidates.length === 0
      ? `no organization trail covers ${MEMBER_REGION}: EventBridge gets no IAM events without one`
      : problems.join('; ');
  return notPass(
    name,
    'FAIL',
    detail,
    'create (or start) a multi-region organization trail logging management write events, in the management account',
  );
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
          `not checkable: credentials are in ${caller.accountId}`,
          `${fix} (if not done)`,
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
): Promise<CheckRow[]> {
  const name = 'member rollout';
  const accounts = new Map<string, Account>();
  try {
    for (const ou of config.rollout.organizationalUnitIds) await activeAccountsUnder(org, ou, accounts);
  } catch (err) {
    return [
      callFailed(name, 'organizations:ListAccountsForParent / ListOrganizationalUnitsForParent', err),
      await checkManagementStack(cfn),
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
  rows.push(await checkManagementStack(cfn));
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

/** Runs every check in order; never throws for an SDK failure. */
export async function runChecks(
  clients: DoctorClients,
  config: AppConfig,
  caller: Caller,
): Promise<CheckRow[]> {
  return [
    await checkOrganization(clients.organizations, config),
    await checkStackSetsTrustedAccess(clients.organizations),
    await checkDelegatedAdmin(clients.organizations, config),
    await checkOrganizationTrail(clients.cloudTrail),
    ...(await checkBootstrap(clients.ssmFor, config, caller)),
    ...(await checkTargets(clients.organizations, config)),
    await checkSubscriptions(clients.sns, config, caller),
    ...(await checkRollout(clients.organizations, clients.cloudFormation, config)),
  ];
}
