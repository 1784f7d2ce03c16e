import type { FakeAccount, FakeMemberUser } from '../simulation/fake-member-accounts';
import type { SimulatedAccount, SimulatedOrganizationOptions } from '../simulation/organization';
import type { AlertLocale } from '../../functions/contract/contract';

/**
 * The demo's simulated organization and its configuration: a dozen accounts with the mix a security
 * team meets (users with and without MFA, a grace period running, a service user, a root password
 * without MFA, an approved exemption, a deleted check role, a disabled forward rule, an account that
 * joins during the demo). Pure data: times are relative to the `now` given.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Ids the story refers to. */
export const DEMO_IDS = {
  organization: 'o-a1b2c3d4e5',
  root: 'r-a1b2',
  workloadsOu: 'ou-a1b2-workloads',
  management: '111111111111',
  security: '222222222222',
  prod: '210987654321',
  staging: '210987654322',
  data: '210987654323',
  vendor: '210987654324',
  sandbox: '210987654325',
  analytics: '210987654326',
  dev: '210987654327',
  shared: '210987654328',
  logArchive: '210987654329',
  acquired: '210987654330',
} as const;

/** The region of the central stack and of IAM's events. */
export const DEMO_REGION = 'us-east-1';

/** The central bus ARN every forward rule targets. */
export const DEMO_BUS_ARN = `arn:aws:events:${DEMO_REGION}:${DEMO_IDS.security}:event-bus/org-mfa-watch`;

/** The users the story acts on. */
export const DEMO_USERS = {
  /** Created during the demo by CreateUser, then renamed, then enrols MFA. */
  newHire: 'new.hire',
  newHireRenamed: 'new.hire.kim',
  /** Has MFA until it is removed during the demo. */
  mfaRemoved: 'ops.lee',
  /** A console user past the grace period, without MFA (found by the sweep). */
  pastGrace: 'contractor.park',
  /** A console user still inside the grace period (not alerted). */
  inGrace: 'intern.choi',
  /** A service user with an access key and no console password (MEDIUM). */
  service: 'svc-etl',
  /** Exempted by the demo's configuration (not alerted). */
  exempt: 'legacy-bridge',
  /** A user of the joining account, without MFA since long before it joined. */
  joinedNoMfa: 'old.admin',
} as const;

/** The email address the alert topic delivers to in the demo. */
export const DEMO_INBOX = 'secops@example.com';

const withMfa = (createdDaysAgo: number, now: Date): FakeMemberUser => ({
  mfaDevices: 1,
  console: true,
  createdAt: new Date(now.getTime() - createdDaysAgo * DAY).toISOString(),
});

const noMfaConsole = (createdAt: Date): FakeMemberUser => ({
  mfaDevices: 0,
  console: true,
  createdAt: createdAt.toISOString(),
});

function account(
  id: string,
  name: string,
  iam: FakeAccount,
  options: { parentId?: string; joinedAt?: Date } = {},
): SimulatedAccount {
  return {
    id,
    name,
    alias: name,
    parentId: options.parentId ?? DEMO_IDS.workloadsOu,
    joinedAt: options.joinedAt ?? new Date('2021-03-01T00:00:00Z'),
    joinedMethod: 'CREATED',
    iam: { generationPolls: 0, ...iam },
  };
}

/** The accounts present when the demo starts (`now`: the demo's start). */
export function initialAccounts(now: Date): SimulatedAccount[] {
  const at = (ms: number) => new Date(now.getTime() - ms);
  const u = DEMO_USERS;
  return [
    account(
      DEMO_IDS.management,
      'acme-management',
      { users: { 'billing.admin': withMfa(900, now) }, root: { mfa: false, password: true } },
      { parentId: DEMO_IDS.root },
    ),
    account(DEMO_IDS.security, 'acme-security', { users: { 'secops.admin': withMfa(700, now) } }),
    account(DEMO_IDS.prod, 'acme-prod', {
      users: {
        'jane.doe': withMfa(400, now),
        [u.mfaRemoved]: withMfa(300, now),
        [u.pastGrace]: noMfaConsole(at(10 * DAY)),
      },
    }),
    // Created during the demo's simulated day, three hours before the daily sweep (a day after the start):
    // still inside its 24-hour grace period when the sweep runs, its CreateUser re-check pending.
    account(DEMO_IDS.staging, 'acme-staging', { users: { [u.inGrace]: noMfaConsole(at(3 * HOUR - DAY)) } }),
    account(DEMO_IDS.data, 'acme-data', {
      users: {
        [u.service]: {
          mfaDevices: 0,
          console: false,
          createdAt: at(200 * DAY).toISOString(),
          keyLastUsed: at(2 * HOUR).toISOString(),
        },
      },
    }),
    account(DEMO_IDS.vendor, 'acme-vendor', { users: { [u.exempt]: noMfaConsole(at(500 * DAY)) } }),
    account(DEMO_IDS.sandbox, 'acme-sandbox', {
      denied: true,
      users: { tinkerer: noMfaConsole(at(50 * DAY)) },
    }),
    account(DEMO_IDS.analytics, 'acme-analytics', {
      users: { 'data.sci': withMfa(90, now) },
      rule: { state: 'DISABLED', targets: [DEMO_BUS_ARN] },
    }),
    account(DEMO_IDS.dev, 'acme-dev', { users: { 'dev.kang': withMfa(120, now) } }),
    account(DEMO_IDS.shared, 'acme-shared-services', { users: { 'net.admin': withMfa(600, now) } }),
    account(DEMO_IDS.logArchive, 'acme-log-archive', {}),
  ];
}

/** The account that joins the organization during the demo (invited; its StackSet instance deployed). */
export function joiningAccount(now: Date): SimulatedAccount {
  return {
    ...account(DEMO_IDS.acquired, 'acme-acquired', {
      users: { [DEMO_USERS.joinedNoMfa]: noMfaConsole(new Date(now.getTime() - 400 * DAY)) },
    }),
    joinedAt: now,
    joinedMethod: 'INVITED',
  };
}

/** The simulated organization at the start of the demo. */
export function organizationOptions(now: Date, sweepBucket: string): SimulatedOrganizationOptions {
  return {
    organizationId: DEMO_IDS.organization,
    managementAccountId: DEMO_IDS.management,
    securityAccountId: DEMO_IDS.security,
    region: DEMO_REGION,
    rootId: DEMO_IDS.root,
    ous: { [DEMO_IDS.workloadsOu]: { name: 'Workloads', parentId: DEMO_IDS.root } },
    centralBusArn: DEMO_BUS_ARN,
    accounts: initialAccounts(now),
    buckets: [sweepBucket],
  };
}

/** The demo's configuration (the same schema as cdk.json's), for `locale`, with chat when asked. */
export function demoConfig(options: {
  readonly locale: AlertLocale;
  readonly chat: boolean;
  readonly now: Date;
  /** Enforcement on the workloads OU (ADR 0022). @default off */
  readonly enforcement?: 'dry-run' | 'quarantine';
}) {
  const nextYear = new Date(options.now.getTime() + 365 * DAY).toISOString().slice(0, 10);
  return {
    organizationId: DEMO_IDS.organization,
    managementAccountId: DEMO_IDS.management,
    securityAccountId: DEMO_IDS.security,
    homeRegion: DEMO_REGION,
    rollout: { deployFrom: 'management', organizationalUnitIds: [DEMO_IDS.workloadsOu] },
    notifications: { emails: [DEMO_INBOX], locale: options.locale, timeZone: 'Asia/Seoul' },
    gracePeriodHours: 24,
    notifyOnCreate: true,
    exemptions: [
      {
        accountId: DEMO_IDS.vendor,
        userName: DEMO_USERS.exempt,
        reason: 'vendor appliance that cannot enrol MFA; replacement ordered',
        expires: nextYear,
      },
    ],
    sweep: { batchSize: 4, maxConcurrency: 2 },
    ...(options.enforcement === undefined
      ? {}
      : { enforcement: { mode: options.enforcement, organizationalUnitIds: [DEMO_IDS.workloadsOu] } }),
    ...(options.chat ? { chat: { slack: { workspaceId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } } } : {}),
  };
}
