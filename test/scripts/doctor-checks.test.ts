import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackInstancesCommand,
  StackSetNotFoundException,
} from '@aws-sdk/client-cloudformation';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import {
  DescribeOrganizationalUnitCommand,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListAWSServiceAccessForOrganizationCommand,
  ListDelegatedAdministratorsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationalUnitNotFoundException,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BOOTSTRAP_PARAMETER,
  type Caller,
  checkBootstrap,
  checkDelegatedAdmin,
  checkLambdaConcurrency,
  checkOrganization,
  checkRollout,
  checkStackSetsTrustedAccess,
  checkSubscriptions,
  checkTargets,
  runChecks,
  STACKSETS_PRINCIPAL,
} from '../../scripts/doctor/checks';
import { type CheckRow, exitCode } from '../../scripts/doctor/report';
import { type AppConfig, parseConfig } from '../../stacks/config';

const MGMT = '111111111111';
const SEC = '222222222222';
const M1 = '333333333333';
const M2 = '444444444444';

const config: AppConfig = parseConfig({
  organizationId: 'o-exampleorg1',
  managementAccountId: MGMT,
  securityAccountId: SEC,
  homeRegion: 'eu-central-1',
  rollout: { deployFrom: 'management', organizationalUnitIds: ['ou-ab12-34cd56ef', 'r-ab12'] },
  notifications: { emails: ['sec@example.com'] },
});
const delegated: AppConfig = parseConfig({
  ...config,
  rollout: { deployFrom: 'delegated-admin', organizationalUnitIds: ['ou-ab12-34cd56ef'] },
});
const caller: Caller = { accountId: MGMT, partition: 'aws' };
const denied = () =>
  Object.assign(new Error('User: arn:aws:iam::111111111111:user/op is not authorized'), {
    name: 'AccessDeniedException',
  });

/** Asserts a row's status and that one of its fields contains a text. */
function expectRow(
  row: CheckRow | undefined,
  status: CheckRow['status'],
  text: string,
  field: 'detail' | 'fix' = 'detail',
) {
  expect(row?.status).toBe(status);
  expect(row?.[field]).toContain(text);
}

const org = new OrganizationsClient({});
const ct = new CloudTrailClient({});
const cfn = new CloudFormationClient({});
const sns = new SNSClient({});
const ssm = new SSMClient({});
const lambda = new LambdaClient({});
const centralCfn = new CloudFormationClient({});
const lambdaMock = mockClient(lambda);
const centralCfnMock = mockClient(centralCfn);
const orgMock = mockClient(org);
const ctMock = mockClient(ct);
const cfnMock = mockClient(cfn);
const snsMock = mockClient(sns);
const ssmMock = mockClient(ssm);
const ssmRegions: string[] = [];
const ssmFor = (region: string) => {
  ssmRegions.push(region);
  return ssm;
};

const clients = () => ({
  organizations: org,
  cloudTrail: ct,
  cloudFormation: cfn,
  sns,
  ssmFor,
  lambda,
  centralCloudFormation: centralCfn,
});

beforeEach(() => {
  lambdaMock.reset();
  centralCfnMock.reset();
  orgMock.reset();
  ctMock.reset();
  cfnMock.reset();
  snsMock.reset();
  ssmMock.reset();
  ssmRegions.length = 0;
});

describe('1. organization', () => {
  it('passes with the configured id and all features', async () => {
    orgMock
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { Id: 'o-exampleorg1', FeatureSet: 'ALL' } });
    expect((await checkOrganization(org, config)).status).toBe('PASS');
  });
  it('fails when the organization id differs', async () => {
    orgMock
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { Id: 'o-otherorg123', FeatureSet: 'ALL' } });
    const row = await checkOrganization(org, config);
    expectRow(row, 'FAIL', 'o-otherorg123');
  });
  it('fails with consolidated billing only', async () => {
    orgMock
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { Id: 'o-exampleorg1', FeatureSet: 'CONSOLIDATED_BILLING' } });
    expectRow(await checkOrganization(org, config), 'FAIL', 'all features', 'fix');
  });
  it('reports AccessDenied as a FAIL naming the permission', async () => {
    orgMock.on(DescribeOrganizationCommand).rejects(denied());
    const row = await checkOrganization(org, config);
    expectRow(row, 'FAIL', 'organizations:DescribeOrganization');
  });
});

describe('2. StackSets trusted access', () => {
  it('passes when the service principal is enabled (second page)', async () => {
    orgMock
      .on(ListAWSServiceAccessForOrganizationCommand)
      .resolvesOnce({ EnabledServicePrincipals: [{ ServicePrincipal: 'sso.amazonaws.com' }], NextToken: 't' })
      .resolves({ EnabledServicePrincipals: [{ ServicePrincipal: STACKSETS_PRINCIPAL }] });
    expect((await checkStackSetsTrustedAccess(org)).status).toBe('PASS');
    expect(orgMock).toHaveReceivedCommandWith(ListAWSServiceAccessForOrganizationCommand, { NextToken: 't' });
  });
  it('fails when it is not enabled', async () => {
    orgMock.on(ListAWSServiceAccessForOrganizationCommand).resolves({ EnabledServicePrincipals: [] });
    expect((await checkStackSetsTrustedAccess(org)).status).toBe('FAIL');
  });
  it('reports AccessDenied', async () => {
    orgMock.on(ListAWSServiceAccessForOrganizationCommand).rejects(denied());
    expect((await checkStackSetsTrustedAccess(org)).detail).toContain(
      'missing permission organizations:ListAWSServiceAccessForOrganization',
    );
  });
});

describe('3. delegated administrator', () => {
  it('is skipped when deploying from the management account', async () => {
    expect((await checkDelegatedAdmin(org, config)).status).toBe('SKIP');
    expect(orgMock.calls()).toHaveLength(0);
  });
  it('passes when the security account (default admin) is registered', async () => {
    orgMock.on(ListDelegatedAdministratorsCommand).resolves({ DelegatedAdministrators: [{ Id: SEC }] });
    expect((await checkDelegatedAdmin(org, delegated)).status).toBe('PASS');
    expect(orgMock).toHaveReceivedCommandWith(ListDelegatedAdministratorsCommand, {
      ServicePrincipal: STACKSETS_PRINCIPAL,
    });
  });
  it('fails with the register command when it is not', async () => {
    orgMock.on(ListDelegatedAdministratorsCommand).resolves({ DelegatedAdministrators: [{ Id: M1 }] });
    const row = await checkDelegatedAdmin(org, delegated);
    expectRow(row, 'FAIL', `--account-id ${SEC}`, 'fix');
  });
  it('reports AccessDenied', async () => {
    orgMock.on(ListDelegatedAdministratorsCommand).rejects(denied());
    expect((await checkDelegatedAdmin(org, delegated)).detail).toContain(
      'organizations:ListDelegatedAdministrators',
    );
  });
});

describe('5. CDK bootstrap', () => {
  it('checks each region this account deploys to and skips the others with the bootstrap command', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '27' } });
    const rows = await checkBootstrap(ssmFor, config, caller);
    expect(rows.map((r) => [r.check, r.status])).toEqual([
      [`cdk bootstrap ${MGMT}/us-east-1`, 'PASS'],
      [`cdk bootstrap ${SEC}/eu-central-1`, 'SKIP'],
    ]);
    expect(rows[1]?.fix).toContain(`npx cdk bootstrap aws://${SEC}/eu-central-1`);
    expect(ssmRegions).toEqual(['us-east-1']);
    expect(ssmMock).toHaveReceivedCommandWith(GetParameterCommand, { Name: BOOTSTRAP_PARAMETER });
  });
  it('fails with the bootstrap command when the parameter is missing', async () => {
    ssmMock.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'nope', $metadata: {} }));
    const [row] = await checkBootstrap(ssmFor, config, caller);
    expect(row).toMatchObject({ status: 'FAIL', fix: `npx cdk bootstrap aws://${MGMT}/us-east-1` });
  });
  it('reports AccessDenied', async () => {
    ssmMock.on(GetParameterCommand).rejects(denied());
    const [row] = await checkBootstrap(ssmFor, config, caller);
    expect(row?.detail).toContain('missing permission ssm:GetParameter');
  });
  it('checks both stacks of the security account when it is also the delegated admin', async () => {
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '27' } });
    const rows = await checkBootstrap(ssmFor, delegated, { accountId: SEC, partition: 'aws' });
    expect(rows.filter((r) => r.status === 'PASS').map((r) => r.check)).toEqual([
      `cdk bootstrap ${SEC}/us-east-1`,
      `cdk bootstrap ${SEC}/eu-central-1`,
    ]);
  });
});

describe('6. targets', () => {
  it('passes when the OU and the root exist', async () => {
    orgMock.on(DescribeOrganizationalUnitCommand).resolves({ OrganizationalUnit: { Name: 'Workloads' } });
    orgMock.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-ab12' }] });
    expect((await checkTargets(org, config)).map((r) => r.status)).toEqual(['PASS', 'PASS']);
  });
  it('fails for an unknown OU and an unknown root', async () => {
    orgMock
      .on(DescribeOrganizationalUnitCommand)
      .rejects(new OrganizationalUnitNotFoundException({ message: 'no', $metadata: {} }));
    orgMock.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-zz99' }] });
    const rows = await checkTargets(org, config);
    expect(rows.map((r) => [r.status, r.detail])).toEqual([
      ['FAIL', 'no such OU'],
      ['FAIL', 'no such root'],
    ]);
  });
  it('reports AccessDenied on each call', async () => {
    orgMock.on(DescribeOrganizationalUnitCommand).rejects(denied());
    orgMock.on(ListRootsCommand).rejects(denied());
    const rows = await checkTargets(org, config);
    expectRow(rows[0], 'FAIL', 'organizations:DescribeOrganizationalUnit');
    expectRow(rows[1], 'FAIL', 'organizations:ListRoots');
  });
});

describe('7. alert subscriptions', () => {
  const topic = `arn:aws:sns:eu-central-1:${SEC}:org-mfa-watch-alerts`;
  it('passes when every configured email is confirmed', async () => {
    snsMock.on(ListSubscriptionsByTopicCommand, { TopicArn: topic }).resolves({
      Subscriptions: [{ Protocol: 'email', Endpoint: 'sec@example.com', SubscriptionArn: `${topic}:abc` }],
    });
    expect((await checkSubscriptions(sns, config, caller)).status).toBe('PASS');
  });
  it('fails while a subscription is pending confirmation', async () => {
    snsMock.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [
        { Protocol: 'email', Endpoint: 'sec@example.com', SubscriptionArn: 'PendingConfirmation' },
      ],
    });
    expect(await checkSubscriptions(sns, config, caller)).toMatchObject({
      status: 'FAIL',
      detail: 'pending confirmation: sec@example.com',
    });
  });
  it('warns when a configured email is not subscribed', async () => {
    snsMock.on(ListSubscriptionsByTopicCommand).resolves({ Subscriptions: [] });
    expect((await checkSubscriptions(sns, config, caller)).status).toBe('WARN');
  });
  it('skips with the reason when the topic is not reachable (AccessDenied or not deployed)', async () => {
    snsMock.on(ListSubscriptionsByTopicCommand).rejects(denied());
    const row = await checkSubscriptions(sns, config, caller);
    expectRow(row, 'SKIP', 'not reachable');
    expect(row.fix).toContain('sns:ListSubscriptionsByTopic');
  });
});

describe('8. member rollout', () => {
  const orgTree = () => {
    orgMock.on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-34cd56ef' }).resolves({
      Accounts: [
        { Id: M1, Status: 'ACTIVE' },
        { Id: '555555555555', Status: 'SUSPENDED' },
      ],
    });
    orgMock.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-34cd56ef' }).resolves({
      OrganizationalUnits: [{ Id: 'ou-ab12-child000' }],
    });
    orgMock
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-child000' })
      .resolves({ Accounts: [{ Id: M2, Status: 'ACTIVE' }] });
    orgMock.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-child000' }).resolves({});
    orgMock
      .on(ListAccountsForParentCommand, { ParentId: 'r-ab12' })
      .resolves({ Accounts: [{ Id: MGMT, Status: 'ACTIVE' }] });
    orgMock.on(ListOrganizationalUnitsForParentCommand, { ParentId: 'r-ab12' }).resolves({});
    cfnMock
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'x', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date() }] });
  };
  const current = (account: string) => ({
    Account: account,
    Region: 'us-east-1',
    Status: 'CURRENT' as const,
  });

  it('passes when every active account (nested OUs) has a CURRENT instance and the management stack exists', async () => {
    orgTree();
    cfnMock.on(ListStackInstancesCommand).resolves({ Summaries: [current(M1), current(M2)] });
    const rows = await checkRollout(org, cfn, config);
    expect(rows.map((r) => r.status)).toEqual(['PASS', 'PASS']);
    expect(cfnMock).toHaveReceivedCommandWith(ListStackInstancesCommand, {
      StackSetName: 'org-mfa-watch-member',
      CallAs: 'SELF',
    });
    expect(cfnMock).toHaveReceivedCommandWith(DescribeStacksCommand, {
      StackName: 'OrgMfaWatch-ManagementMember',
    });
  });
  it('fails naming accounts whose instance is missing or OUTDATED; asks as delegated admin when configured', async () => {
    orgTree();
    cfnMock.on(ListStackInstancesCommand).resolves({ Summaries: [{ ...current(M1), Status: 'OUTDATED' }] });
    const [row] = await checkRollout(org, cfn, delegated);
    expectRow(row, 'FAIL', `${M1}, ${M2}`);
    expect(cfnMock).toHaveReceivedCommandWith(ListStackInstancesCommand, { CallAs: 'DELEGATED_ADMIN' });
  });
  it('ignores excluded accounts', async () => {
    orgTree();
    cfnMock.on(ListStackInstancesCommand).resolves({ Summaries: [current(M1)] });
    const excluded = parseConfig({ ...config, rollout: { ...config.rollout, excludeAccountIds: [M2] } });
    expect((await checkRollout(org, cfn, excluded))[0]?.status).toBe('PASS');
  });
  it('fails when the management member stack rolled back, skips when it is absent', async () => {
    orgTree();
    cfnMock.on(ListStackInstancesCommand).resolves({ Summaries: [current(M1), current(M2)] });
    cfnMock.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'x', StackStatus: 'UPDATE_ROLLBACK_COMPLETE', CreationTime: new Date() }],
    });
    expect((await checkRollout(org, cfn, config))[1]?.status).toBe('FAIL');
    cfnMock.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id OrgMfaWatch-ManagementMember does not exist'), {
        name: 'ValidationError',
      }),
    );
    expect((await checkRollout(org, cfn, config))[1]?.status).toBe('SKIP');
  });
  it('skips when the StackSet is not deployed yet', async () => {
    orgTree();
    cfnMock
      .on(ListStackInstancesCommand)
      .rejects(new StackSetNotFoundException({ message: 'no', $metadata: {} }));
    expect((await checkRollout(org, cfn, config))[0]?.status).toBe('SKIP');
  });
  it.each([
    ['organizations:ListAccountsForParent', () => orgMock.on(ListAccountsForParentCommand).rejects(denied())],
    [
      'organizations:ListAccountsForParent / ListOrganizationalUnitsForParent',
      () => orgMock.on(ListOrganizationalUnitsForParentCommand).rejects(denied()),
    ],
    ['cloudformation:ListStackInstances', () => cfnMock.on(ListStackInstancesCommand).rejects(denied())],
    ['cloudformation:DescribeStacks', () => cfnMock.on(DescribeStacksCommand).rejects(denied())],
  ])('reports AccessDenied naming %s', async (permission, deny) => {
    orgTree();
    cfnMock.on(ListStackInstancesCommand).resolves({ Summaries: [] });
    deny();
    const rows = await checkRollout(org, cfn, config);
    expect(
      rows.some((r) => r.status === 'FAIL' && r.detail.includes(`missing permission ${permission}`)),
    ).toBe(true);
  });
});

describe('runChecks', () => {
  it('never throws when every call is denied, and exits non-zero', async () => {
    orgMock.onAnyCommand().rejects(denied());
    ctMock.onAnyCommand().rejects(denied());
    cfnMock.onAnyCommand().rejects(denied());
    snsMock.onAnyCommand().rejects(denied());
    ssmMock.onAnyCommand().rejects(denied());
    const rows = await runChecks(clients(), config, caller);
    expect(rows.map((r) => r.check)).toEqual([
      'organization',
      'stacksets trusted access',
      'stacksets delegated admin',
      'organization trail',
      `cdk bootstrap ${MGMT}/us-east-1`,
      `cdk bootstrap ${SEC}/eu-central-1`,
      'target ou-ab12-34cd56ef',
      'target r-ab12',
      'alert subscriptions',
      'lambda concurrency',
      'member rollout',
      'management member stack',
    ]);
    expect(rows.every((r) => r.status === 'PASS' || r.fix !== undefined)).toBe(true);
    expect(exitCode(rows)).toBe(1);
  });
});

describe('9. Lambda concurrency for the checker (security account)', () => {
  const withReservation = (n: number) => parseConfig({ ...config, checkerReservedConcurrency: n });
  const settings = (unreserved: number, quota: number) =>
    lambdaMock.on(GetAccountSettingsCommand).resolves({
      AccountLimit: { ConcurrentExecutions: quota, UnreservedConcurrentExecutions: unreserved },
    });
  const notDeployed = () =>
    centralCfnMock.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Stack with id OrgMfaWatch-Central does not exist'), {
        name: 'ValidationError',
      }),
    );

  // Lambda: "You can reserve up to the Unreserved account concurrency value minus 100"
  // (https://docs.aws.amazon.com/lambda/latest/dg/configuring-concurrency.html).
  it('fails in a new account with a quota of 10, telling to set checkerReservedConcurrency to 0', async () => {
    settings(10, 10);
    notDeployed();
    const row = await checkLambdaConcurrency(lambda, centralCfn, withReservation(5));
    expectRow(row, 'FAIL', 'reserving 5 would leave 5, but Lambda keeps at least 100 unreserved');
    expect(row.fix).toContain('"checkerReservedConcurrency": 0');
    expect(row.fix).toContain('from 10 to at least 105');
    expect(lambdaMock).not.toHaveReceivedCommand(GetFunctionConcurrencyCommand);
  });

  it('passes with the default quota of 1000', async () => {
    settings(1000, 1000);
    notDeployed();
    expectRow(
      await checkLambdaConcurrency(lambda, centralCfn, withReservation(5)),
      'PASS',
      'reserving 5 leaves 995 unreserved',
    );
  });

  it('counts the reservation the deployed checker already holds (a redeploy replaces it)', async () => {
    settings(100, 105);
    centralCfnMock.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'OrgMfaWatch-Central',
          StackStatus: 'CREATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [{ OutputKey: 'CheckerFunctionName', OutputValue: 'OrgMfaWatch-Central-Checker123' }],
        },
      ],
    });
    lambdaMock
      .on(GetFunctionConcurrencyCommand, { FunctionName: 'OrgMfaWatch-Central-Checker123' })
      .resolves({ ReservedConcurrentExecutions: 5 });
    const row = await checkLambdaConcurrency(lambda, centralCfn, withReservation(5));
    expectRow(
      row,
      'PASS',
      '105 concurrent executions available in 222222222222/eu-central-1 (5 of them reserved',
    );
    expect(row.detail).toContain('leaves 100 unreserved');
    // The same account asking for 6 would leave 99: one short of Lambda's minimum.
    expect((await checkLambdaConcurrency(lambda, centralCfn, withReservation(6))).status).toBe('FAIL');
  });

  it('is skipped without any call when the config reserves nothing', async () => {
    const row = await checkLambdaConcurrency(lambda, centralCfn, withReservation(0));
    expectRow(row, 'SKIP', 'checkerReservedConcurrency is 0');
    expect(lambdaMock).not.toHaveReceivedAnyCommand();
  });

  it('names the permission on AccessDenied', async () => {
    lambdaMock.on(GetAccountSettingsCommand).rejects(denied());
    expectRow(
      await checkLambdaConcurrency(lambda, centralCfn, config),
      'FAIL',
      'missing permission lambda:GetAccountSettings',
    );
  });
});

describe('credentials: each check runs with the account that can answer it', () => {
  it('from the security account: runs the topic and Lambda checks, skips the organization ones with the command', async () => {
    orgMock.onAnyCommand().rejects(new Error('must not be called'));
    snsMock.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [{ Protocol: 'email', Endpoint: 'sec@example.com', SubscriptionArn: 'arn:aws:sns:x' }],
    });
    lambdaMock.on(GetAccountSettingsCommand).resolves({
      AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 },
    });
    centralCfnMock.on(DescribeStacksCommand).resolves({ Stacks: [] });
    ssmMock.on(GetParameterCommand).resolves({ Parameter: { Value: '27' } });
    const rows = await runChecks(
      clients(),
      config,
      { accountId: SEC, partition: 'aws' },
      'npm run doctor -- --config my-org.json',
    );
    const status = Object.fromEntries(rows.map((r) => [r.check, r.status]));
    expect(status).toMatchObject({
      organization: 'SKIP',
      'organization trail': 'SKIP',
      'alert subscriptions': 'PASS',
      'lambda concurrency': 'PASS',
      [`cdk bootstrap ${SEC}/eu-central-1`]: 'PASS',
      [`cdk bootstrap ${MGMT}/us-east-1`]: 'SKIP',
      'member rollout': 'SKIP',
      'management member stack': 'SKIP',
    });
    expect(rows.find((r) => r.check === 'organization')).toEqual({
      check: 'organization',
      status: 'SKIP',
      detail: `needs credentials of the management account ${MGMT}`,
      fix: 'with those credentials: npm run doctor -- --config my-org.json',
    });
    expect(orgMock).not.toHaveReceivedAnyCommand();
    expect(exitCode(rows)).toBe(0);
  });

  it('from an account the configuration does not name: one FAIL and every check skipped', async () => {
    const rows = await runChecks(clients(), config, { accountId: M1, partition: 'aws' });
    expect(rows[0]).toMatchObject({ check: 'credentials', status: 'FAIL' });
    expect(rows.slice(1).every((r) => r.status === 'SKIP')).toBe(true);
    expect(orgMock).not.toHaveReceivedAnyCommand();
  });

  it('reports a network failure as "cannot reach AWS", not as a permission problem', async () => {
    orgMock.on(DescribeOrganizationCommand).rejects(
      Object.assign(new Error('getaddrinfo ENOTFOUND organizations.us-east-1.amazonaws.com'), {
        code: 'ENOTFOUND',
      }),
    );
    const row = await checkOrganization(org, config);
    expectRow(row, 'FAIL', 'cannot reach AWS');
    expect(row.fix).toContain('network');
  });
});
