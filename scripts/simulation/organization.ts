import { FakeMemberAccounts, type FakeAccount, type FakeMemberUser } from './fake-member-accounts';
import { SimulatedAws } from './simulated-aws';
import { cloudFormationService, type StackInstanceState } from './services/cloudformation';
import { memberServices } from './services/member';
import { organizationsService, type OrgMember, type OrgTree } from './services/organizations';
import { s3Service, type Buckets, type S3Object } from './services/s3';
import { schedulerService, type Schedules } from './services/scheduler';
import { sqsService, type Queues } from './services/sqs';

/** One account of a simulated organization: its place in Organizations and its IAM state. */
export interface SimulatedAccount extends OrgMember {
  /** The account alias IAM returns (ListAccountAliases). */
  readonly alias?: string;
  /** Users, root, forward rule, check role, credential report (see FakeAccount). */
  readonly iam: FakeAccount;
  /**
   * Its instance of the member StackSet; `null` when there is none yet.
   * @default CURRENT (SUCCEEDED); none in the management account
   */
  readonly stackInstance?: StackInstanceState | null;
}

/** What a simulated organization is made of. */
export interface SimulatedOrganizationOptions {
  readonly organizationId: string;
  readonly managementAccountId: string;
  /** The security account: home of the central resources (Scheduler, S3). */
  readonly securityAccountId: string;
  readonly region: string;
  readonly rootId: string;
  readonly ous: OrgTree['ous'];
  /** The bus every forward rule targets unless an account says otherwise. */
  readonly centralBusArn: string;
  readonly accounts: readonly SimulatedAccount[];
  /** Buckets that exist in the security account. */
  readonly buckets: readonly string[];
}

/**
 * An AWS organization in memory, answering the real SDK clients: Organizations, the member accounts
 * (STS, IAM, EventBridge), SNS, S3, EventBridge Scheduler, SQS and the member StackSet's instances in
 * CloudFormation (scripts/simulation/services/, one
 * file per service). Mutate it between steps to change the world (a user enables MFA, an account joins).
 * Its clock is the process clock (`new Date()`), so a simulated clock moves it too.
 */
export class SimulatedOrganization {
  readonly member: FakeMemberAccounts;
  readonly tree: OrgTree;
  readonly buckets: Buckets;
  readonly schedules: Schedules = new Map();
  readonly queues: Queues = new Map();
  readonly aws: SimulatedAws;
  private readonly aliases = new Map<string, string>();
  private readonly stackInstances = new Map<string, StackInstanceState | null>();

  constructor(readonly options: SimulatedOrganizationOptions) {
    this.member = new FakeMemberAccounts({}, { centralBusArn: options.centralBusArn, now: () => new Date() });
    this.tree = {
      organizationId: options.organizationId,
      managementAccountId: options.managementAccountId,
      rootId: options.rootId,
      ous: options.ous,
      accounts: [],
    };
    this.buckets = new Map(options.buckets.map((b) => [b, new Map<string, S3Object>()] as const));
    for (const account of options.accounts) this.join(account);
    this.aws = new SimulatedAws([
      organizationsService(this.tree),
      ...memberServices(this.member, (id) => this.aliases.get(id)),
      s3Service(this.buckets),
      schedulerService(this.schedules, options.securityAccountId, options.region),
      sqsService(this.queues),
      cloudFormationService(this.tree, options.region, (id) => {
        const state = this.stackInstances.get(id);
        return state === null ? undefined : (state ?? { status: 'CURRENT', detailedStatus: 'SUCCEEDED' });
      }),
    ]);
  }

  /** Add an account to the organization (created in it, or invited and joined). */
  join(account: SimulatedAccount): void {
    const { iam, alias, stackInstance, ...org } = account;
    this.tree.accounts.push(org);
    this.member.accounts[account.id] = iam;
    if (alias !== undefined) this.aliases.set(account.id, alias);
    if (stackInstance !== undefined) this.stackInstances.set(account.id, stackInstance);
  }

  /** The alias of an account, if it has one. */
  aliasOf(accountId: string): string | undefined {
    return this.aliases.get(accountId);
  }

  /** The name of an account in Organizations. */
  nameOf(accountId: string): string | undefined {
    return this.tree.accounts.find((a) => a.id === accountId)?.name;
  }

  /** A live user, if it exists. */
  user(accountId: string, userName: string): FakeMemberUser | undefined {
    return this.member.accounts[accountId]?.users?.[userName];
  }

  /** Create or change a live user (IAM's state; the credential report catches up when regenerated). */
  setUser(accountId: string, userName: string, user: FakeMemberUser): void {
    const account = this.member.accounts[accountId] ?? {};
    this.member.accounts[accountId] = { ...account, users: { ...account.users, [userName]: user } };
  }

  /** Rename a live user (UpdateUser). */
  renameUser(accountId: string, from: string, to: string): void {
    const account = this.member.accounts[accountId] ?? {};
    const { [from]: user, ...others } = account.users ?? {};
    if (user === undefined) throw new Error(`no user ${from} in ${accountId}`);
    this.member.accounts[accountId] = { ...account, users: { ...others, [to]: user } };
  }
}
