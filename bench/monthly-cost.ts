/**
 * The monthly bill of a deployment for an organization, itemized: fixed items counted from the
 * synthesized templates (keys, alarms and the metrics they watch, dashboards, log retention, function
 * memory), usage items from stated assumptions and from what the sweep bench measured, priced at the
 * published on-demand prices below. Pure: test/bench/monthly-cost.test.ts keeps the arithmetic honest.
 */
import {
  DEFAULT_CANARY_WORKLOAD,
  DEFAULT_ENFORCEMENT_WORKLOAD,
  canaryAndEnforcementUse,
  type CanaryWorkload,
  type EnforcementWorkload,
} from './feature-cost';
import { SWEEP_PRICES, type SweepCost } from './sweep-cost';

export { DEFAULT_CANARY_WORKLOAD, DEFAULT_ENFORCEMENT_WORKLOAD, canaryAndEnforcementUse };
export type { CanaryWorkload, EnforcementWorkload };

const SEEN = 'read 2026-12-07 with the search tool';

/** Prices used (us-east-1, on demand, no free tier unless said), each with its source and date. */
export const MONTHLY_PRICES = {
  kmsKey: {
    usd: 1,
    source: `AWS KMS pricing (aws.amazon.com/kms/pricing): $1/month per customer-managed key, prorated hourly; 20,000 requests a month free; ${SEEN} from the AWS page`,
  },
  alarmMetric: {
    usd: 0.1,
    source: `Amazon CloudWatch pricing (aws.amazon.com/cloudwatch/pricing): $0.10 per standard-resolution alarm metric a month (a metric-math alarm pays per metric it reads); the free tier's 10 alarm metrics are not counted; ${SEEN} from secondary copies (cloudburn.io, factualminds.com, 2026)`,
  },
  dashboard: {
    usd: 3,
    source: `Amazon CloudWatch pricing: $3 per custom dashboard a month beyond the free tier's 3; ${SEEN} from secondary copies (factualminds.com, 2026)`,
  },
  logsIngestionPerGb: {
    usd: 0.5,
    source: `Amazon CloudWatch Logs pricing: $0.50 per GB ingested (standard class); ${SEEN} from secondary copies (factualminds.com, 2026)`,
  },
  logsStoragePerGbMonth: {
    usd: 0.03,
    source: `Amazon CloudWatch Logs pricing: $0.03 per GB-month archived; ${SEEN} from secondary copies (cloudburn.io, 2026)`,
  },
  crossAccountEventsPerMillion: {
    usd: 1,
    source: `Amazon EventBridge pricing (aws.amazon.com/eventbridge/pricing): AWS management events (CloudTrail's, the watched IAM calls and the canary's TagRole alike) are ingested by the default bus for free, and each event delivered to another account's bus is charged $1.00 per million (to the sender, here the member accounts; the AWS page's own example, "deliver 5 million AWS management events to a service in a different account", ${SEEN}, names the free ingestion and the delivery charge); the $1.00 rate ${SEEN} from secondary copies (cloudburn.io, wring.co, 2026)`,
  },
  schedulerPerMillion: {
    usd: 1,
    source: `Amazon EventBridge Scheduler pricing: $1.00 per million invocations after 14 million free a month (the free tier is applied here: re-checks are far below it); ${SEEN} from secondary copies (cloudburn.io, 2026)`,
  },
  securityHubIngestionEvent: {
    usd: 0.00003,
    source: `AWS Security Hub pricing: $0.00003 per finding ingestion event after the first 10,000 per account and Region a month (applied: each member account imports its own findings); ${SEEN} from a secondary copy of the pricing table (AWS GCR security best-practice notes)`,
  },
  dynamodbStoragePerGbMonth: {
    usd: 0.25,
    source: `Amazon DynamoDB pricing, standard table class: $0.25 per GB-month of storage; ${SWEEP_PRICES.dynamodb.source}`,
  },
  dynamodbPitrPerGbMonth: {
    usd: 0.2,
    source: `Amazon DynamoDB pricing: point-in-time recovery $0.20 per GB-month; ${SWEEP_PRICES.dynamodb.source}`,
  },
  s3StoragePerGbMonth: {
    usd: 0.023,
    source: `Amazon S3 pricing, S3 Standard storage, first 50 TB: $0.023 per GB-month; ${SEEN} from secondary copies`,
  },
} as const;

/** What is assumed about the organization's month (stated in the report beside the result). */
export interface Workload {
  readonly accounts: number;
  /** Watched IAM events (CreateUser, MFA changes...) per account per month, each forwarded and checked. */
  readonly eventsPerAccount: number;
  /** Sweeps a month (daily). */
  readonly sweepsPerMonth: number;
  /** Open findings held in the table (about 1 KB each) and imported into Security Hub once a day when on. */
  readonly openFindings: number;
  /** Checker run time per event, ms (bench: a check is a few round trips of ~20-50 ms). */
  readonly checkerMsPerEvent: number;
  /** Log bytes written per checked event, and per swept account (JSON lines of the functions). */
  readonly logBytesPerEvent: number;
  readonly logBytesPerSweptAccount: number;
  /** Report bytes per swept account (CSV and JSON), kept as long as the bucket's lifecycle says. */
  readonly reportBytesPerAccount: number;
  /** DynamoDB write units per checked event (bench/dynamodb-cost.ts, worst-case mix). */
  readonly writeUnitsPerEvent: number;
  /** The canary (issue 22, `canary.enabled`, on by default): per account per sweep. */
  readonly canary: CanaryWorkload;
  /** Enforcement (issue 23, `enforcement.mode`, off by default): per sweep, when on. */
  readonly enforcement: EnforcementWorkload;
}

/** The default month: 1,000 accounts, five watched events each, a daily sweep. */
export const DEFAULT_WORKLOAD: Workload = {
  accounts: 1000,
  eventsPerAccount: 5,
  sweepsPerMonth: 30,
  openFindings: 400,
  checkerMsPerEvent: 300,
  logBytesPerEvent: 3_000,
  logBytesPerSweptAccount: 2_000,
  reportBytesPerAccount: 600,
  writeUnitsPerEvent: 4.15,
  canary: DEFAULT_CANARY_WORKLOAD,
  enforcement: DEFAULT_ENFORCEMENT_WORKLOAD,
};

type Json = Record<string, unknown>;
type Resource = { Type: string; Properties?: Json };

/** The templates of one synthesized app, as JSON. */
export interface AppTemplates {
  readonly central: Json;
  readonly management: Json;
  /** The StackSet member template: deployed once per member account. */
  readonly member: Json;
}

/** What the templates hold that the bill depends on (counted, never typed in). */
export interface TemplateCounts {
  /** Customer-managed keys: central and management stacks, plus the member template's times the accounts. */
  readonly kmsKeys: number;
  /** Alarms, and the metrics they read (a metric-math alarm reads several). */
  readonly alarms: number;
  readonly alarmMetrics: number;
  readonly dashboards: number;
  readonly scheduleGroups: number;
  readonly stateMachines: number;
  /** The checker's memory (MB): the function an IAM event invokes. */
  readonly checkerMemoryMb: number;
  /** Longest retention of the functions' log groups, in days. */
  readonly logRetentionDays: number;
  /** Days the sweep reports are kept (the bucket's lifecycle), 365 when none expires them. */
  readonly reportRetentionDays: number;
  readonly pointInTimeRecovery: boolean;
}

function resources(template: Json): Resource[] {
  return Object.values((template.Resources ?? {}) as Record<string, Resource>);
}

function ofType(template: Json, type: string): Resource[] {
  return resources(template).filter((r) => r.Type === type);
}

/** Count the billable resources of an app's templates (member-template resources times the accounts). */
export function countTemplates(templates: AppTemplates, accounts: number): TemplateCounts {
  const central = templates.central;
  const perOrg = [central, templates.management];
  const count = (type: string) =>
    perOrg.reduce((n, t) => n + ofType(t, type).length, 0) + ofType(templates.member, type).length * accounts;
  const alarms = [...perOrg, templates.member].flatMap((t) => ofType(t, 'AWS::CloudWatch::Alarm'));
  const metricsOf = (alarm: Resource) => {
    const metrics = alarm.Properties?.Metrics as { MetricStat?: unknown }[] | undefined;
    return metrics === undefined ? 1 : metrics.filter((m) => m.MetricStat !== undefined).length;
  };
  const memberAlarms = ofType(templates.member, 'AWS::CloudWatch::Alarm');
  const alarmMetrics =
    alarms.reduce((n, a) => n + metricsOf(a), 0) +
    memberAlarms.reduce((n, a) => n + metricsOf(a), 0) * (accounts - 1);
  const functions = ofType(central, 'AWS::Lambda::Function');
  const checker = functions.find((f) =>
    JSON.stringify(f.Properties?.Environment ?? {}).includes('QUARANTINE_QUEUE_URL'),
  );
  const retention = ofType(central, 'AWS::Logs::LogGroup').map(
    (g) => Number(g.Properties?.RetentionInDays ?? 3653) || 3653,
  );
  const buckets = ofType(central, 'AWS::S3::Bucket');
  const expirations = buckets.flatMap((b) =>
    (
      ((b.Properties?.LifecycleConfiguration as { Rules?: { ExpirationInDays?: number }[] } | undefined)
        ?.Rules ?? []) as { ExpirationInDays?: number }[]
    ).map((r) => r.ExpirationInDays ?? 0),
  );
  const tables = [
    ...ofType(central, 'AWS::DynamoDB::GlobalTable'),
    ...ofType(central, 'AWS::DynamoDB::Table'),
  ];
  return {
    kmsKeys: count('AWS::KMS::Key'),
    alarms: alarms.length + memberAlarms.length * (accounts - 1),
    alarmMetrics,
    dashboards: count('AWS::CloudWatch::Dashboard'),
    scheduleGroups: count('AWS::Scheduler::ScheduleGroup'),
    stateMachines: count('AWS::StepFunctions::StateMachine'),
    checkerMemoryMb: Number(checker?.Properties?.MemorySize ?? 128),
    logRetentionDays: Math.max(0, ...retention),
    reportRetentionDays: Math.max(0, ...expirations) || 365,
    pointInTimeRecovery: JSON.stringify(tables).includes('"PointInTimeRecoveryEnabled":true'),
  };
}

/** One line of the bill. */
export interface CostLine {
  readonly item: string;
  readonly usd: number;
  /** How the amount was reached: the counted quantity times the price. */
  readonly basis: string;
}

const GB = 1024 ** 3;

/** The monthly quantities the usage lines price, from the workload and the measured sweep. */
function monthlyUsage(
  counts: TemplateCounts,
  workload: Workload,
  sweep: SweepCost & { readonly accounts: number },
  securityHub: boolean,
  enforcement: boolean,
) {
  const extra = canaryAndEnforcementUse(workload, enforcement);
  const { canaries } = extra;
  const canaryNote = canaries > 0 ? ` + ${canaries.toLocaleString('en-US')} canaries` : '';
  const events = workload.accounts * workload.eventsPerAccount;
  const scale = (workload.accounts / sweep.accounts) * workload.sweepsPerMonth;
  const checkerGbS =
    ((events * workload.checkerMsPerEvent + canaries * workload.canary.checkerMs) * counts.checkerMemoryMb) /
    1024 /
    1000;
  const logGb =
    (events * workload.logBytesPerEvent +
      workload.sweepsPerMonth * workload.accounts * workload.logBytesPerSweptAccount +
      extra.canaryLogBytes) /
    GB;
  const storedLogGb = logGb * Math.min(counts.logRetentionDays / 30, 120);
  const tableGb = (workload.openFindings * 1024) / GB;
  const reportGb =
    (workload.accounts * workload.reportBytesPerAccount * Math.min(counts.reportRetentionDays, 3650)) / GB;
  const eventWrites = events * workload.writeUnitsPerEvent;
  const imports = securityHub ? workload.openFindings * workload.sweepsPerMonth : 0;
  const freeImports = 10_000 * workload.accounts;
  return {
    extra,
    canaries,
    canaryNote,
    events,
    scale,
    checkerGbS,
    logGb,
    storedLogGb,
    tableGb,
    reportGb,
    eventWrites,
    imports,
    freeImports,
  };
}

type MonthlyUsage = ReturnType<typeof monthlyUsage>;

/** The items counted from the templates: keys, alarms, dashboards, schedule groups. */
function fixedLines(counts: TemplateCounts, workload: Workload): CostLine[] {
  const p = MONTHLY_PRICES;
  return [
    {
      item: 'KMS keys',
      usd: counts.kmsKeys * p.kmsKey.usd,
      basis: `${counts.kmsKeys} customer-managed key(s) x $${p.kmsKey.usd}`,
    },
    {
      item: 'CloudWatch alarms',
      usd: counts.alarmMetrics * p.alarmMetric.usd,
      basis: `${counts.alarms} alarm(s) reading ${counts.alarmMetrics} metric(s) x $${p.alarmMetric.usd}`,
    },
    {
      item: 'CloudWatch dashboard',
      usd: counts.dashboards * p.dashboard.usd,
      basis: `${counts.dashboards} dashboard(s) x $${p.dashboard.usd}`,
    },
    {
      item: 'EventBridge Scheduler (re-checks)',
      usd: 0,
      basis: `${counts.scheduleGroups} schedule group(s); about ${workload.accounts} one-time re-checks a month, inside the 14 million free invocations`,
    },
  ];
}

/** The request items: Step Functions, Lambda and DynamoDB requests, measured sweeps plus events. */
function requestLines(
  counts: TemplateCounts,
  workload: Workload,
  sweep: SweepCost,
  u: MonthlyUsage,
): CostLine[] {
  return [
    {
      item: 'Step Functions (daily sweep)',
      usd: sweep.stepFunctions * u.scale,
      basis: `${workload.sweepsPerMonth} sweeps of ${workload.accounts} accounts, measured transitions and Express children`,
    },
    {
      item: 'Lambda',
      usd:
        sweep.lambda * u.scale +
        (u.events + u.canaries) * SWEEP_PRICES.lambda.perRequest +
        u.checkerGbS * SWEEP_PRICES.lambda.perGbSecondArm,
      basis: `sweep functions as measured; ${u.events.toLocaleString('en-US')} checker invocations x ${workload.checkerMsPerEvent} ms${u.canaries > 0 ? ` + ${u.canaries.toLocaleString('en-US')} for canaries x ${workload.canary.checkerMs} ms` : ''} at ${counts.checkerMemoryMb} MB`,
    },
    {
      item: 'DynamoDB requests',
      usd:
        sweep.dynamodb * u.scale +
        ((u.eventWrites + u.extra.canaryWriteUnits) / 1_000_000) * SWEEP_PRICES.dynamodb.perMillionWrites +
        (u.extra.canaryReadUnits / 1_000_000) * SWEEP_PRICES.dynamodb.perMillionReads,
      basis: `sweeps as measured; ${Math.round(u.eventWrites).toLocaleString('en-US')} WRU for the events${u.canaries > 0 ? `; canaries ${u.extra.canaryWriteUnits.toLocaleString('en-US')} WRU, ${u.extra.canaryReadUnits.toLocaleString('en-US')} RRU` : ''}`,
    },
  ];
}

/** The storage items: the table, the sweep reports, the logs. */
function storageLines(
  counts: TemplateCounts,
  workload: Workload,
  sweep: SweepCost,
  u: MonthlyUsage,
): CostLine[] {
  const p = MONTHLY_PRICES;
  return [
    {
      item: 'DynamoDB storage and PITR',
      usd:
        u.tableGb * p.dynamodbStoragePerGbMonth.usd +
        (counts.pointInTimeRecovery ? u.tableGb * p.dynamodbPitrPerGbMonth.usd : 0),
      basis: `${workload.openFindings} findings of ~1 KB${counts.pointInTimeRecovery ? ', point-in-time recovery on' : ''}`,
    },
    {
      item: 'S3 (sweep reports)',
      usd: sweep.s3 * u.scale + u.reportGb * p.s3StoragePerGbMonth.usd,
      basis: `requests as measured; ${(u.reportGb * 1024).toFixed(0)} MB of reports kept ${counts.reportRetentionDays} days`,
    },
    {
      item: 'CloudWatch Logs',
      usd: u.logGb * p.logsIngestionPerGb.usd + u.storedLogGb * p.logsStoragePerGbMonth.usd,
      basis: `${(u.logGb * 1024).toFixed(0)} MB ingested a month, ${(u.storedLogGb * 1024).toFixed(0)} MB stored (retention ${counts.logRetentionDays} days)`,
    },
  ];
}

/** The integration items: cross-account events, enforcement, Security Hub imports. */
function integrationLines(
  workload: Workload,
  u: MonthlyUsage,
  securityHub: boolean,
  enforcement: boolean,
): CostLine[] {
  const p = MONTHLY_PRICES;
  return [
    {
      item: 'Cross-account events',
      usd: ((u.events + u.canaries) / 1_000_000) * p.crossAccountEventsPerMillion.usd,
      basis: `${u.events.toLocaleString('en-US')} events${u.canaryNote} (one per account per sweep) forwarded by the member rules`,
    },
    {
      item: 'Enforcement (quarantine)',
      usd: u.extra.enforcementUsd,
      basis: enforcement
        ? `${Math.round(u.extra.transitions).toLocaleString('en-US')} quarantines or releases a month (${workload.enforcement.accountShare * 100}% of accounts, ${workload.enforcement.usersPerAccount} user each per sweep): ${Math.round(u.extra.enforcementCalls).toLocaleString('en-US')} STS/IAM calls (no charge), worker time, ${workload.enforcement.writeUnitsPerTransition} WRU + ${workload.enforcement.readUnitsPerTransition} RRU each`
        : 'off',
    },
    {
      item: 'Security Hub finding ingestion',
      usd: Math.max(0, u.imports - u.freeImports) * p.securityHubIngestionEvent.usd,
      basis: securityHub
        ? `${u.imports.toLocaleString('en-US')} imports a month, spread over ${workload.accounts} accounts, each under its 10,000 free`
        : 'off',
    },
  ];
}

/**
 * The itemized monthly bill. `sweep` is one measured sweep (bench/sweep-run.ts) scaled to the workload's
 * accounts; `securityHub` says whether findings are imported; `enforcement` whether `enforcement.mode`
 * is `quarantine` (the canary follows `workload.canary.enabled`).
 */
export function monthlyBill(
  counts: TemplateCounts,
  workload: Workload,
  sweep: SweepCost & { readonly accounts: number },
  securityHub: boolean,
  enforcement = false,
): CostLine[] {
  const u = monthlyUsage(counts, workload, sweep, securityHub, enforcement);
  return [
    ...fixedLines(counts, workload),
    ...requestLines(counts, workload, sweep, u),
    ...storageLines(counts, workload, sweep, u),
    ...integrationLines(workload, u, securityHub, enforcement),
  ];
}

/** The sum of a bill. */
export function totalOf(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.usd, 0);
}
