/**
 * What the sweep benchmark takes (the simulated organization and how the sweep runs over it) and what it
 * gives back (calls, DynamoDB and S3 use, times): the shapes bench/sweep-run.ts, bench/sweep-model.ts and
 * bench/sweep-world.ts share. No code runs here.
 */
import type { SweepReportSummary } from '../functions/contract/sweep';
import type { SweepTuning } from '../functions/sweep-worker/sweep-batch';

/** What the simulated organization looks like and how the sweep runs over it. */
export interface SweepRunOptions {
  readonly accounts: number;
  readonly usersPerAccount: number;
  /** Share of all users without MFA (every second one of them has a console password). */
  readonly noMfaShare: number;
  /** Share of accounts whose check role cannot be assumed (AccessDenied). */
  readonly deniedShare: number;
  /** Share of IAM calls whose first attempt is throttled (the SDK retries them). */
  readonly throttleShare: number;
  /** Latency of every fake AWS answer (member accounts, STS, SNS), in ms. */
  readonly latencyMs: number;
  /** Time IAM takes to generate a credential report, in ms of real time. */
  readonly generationMs: number;
  /** Age of every account's stored credential report when the sweep starts (a daily sweep: 24 h). */
  readonly reportAgeHours: number;
  /** Accounts per worker invocation (the Distributed Map's `ItemBatcher`). */
  readonly batchSize: number;
  /** Batches in flight at once (the Distributed Map's `MaxConcurrency`). */
  readonly maxConcurrency: number;
  /** Seed of every random choice (which users lack MFA, which accounts and calls fail). */
  readonly seed: number;
  /** Worker tuning; the deployed defaults unless a test shortens the waits. */
  readonly tuning?: Partial<SweepTuning>;
}

/** The sweep `npm run bench` measures: 1,000 accounts x 20 users, 50 ms per call, 2 s report generation. */
export const BENCH_SWEEP: SweepRunOptions = {
  accounts: 1000,
  usersPerAccount: 20,
  noMfaShare: 0.02,
  deniedShare: 0.01,
  throttleShare: 0.05,
  latencyMs: 50,
  generationMs: 2000,
  reportAgeHours: 24,
  batchSize: 10,
  maxConcurrency: 20,
  seed: 20261201,
};

/** Mean and maximum. */
export interface Spread {
  readonly mean: number;
  readonly max: number;
}

/** What one measured sweep did. */
export interface SweepRunResult {
  readonly options: SweepRunOptions;
  /** The worker's credential report age limit (settings) and poll interval (tuning). */
  readonly reportMaxAgeHours: number;
  readonly pollIntervalMs: number;
  readonly users: number;
  /** Users without MFA in accounts whose role could be assumed (what the report nominates). */
  readonly candidates: number;
  readonly outcomes: { readonly checked: number; readonly notCovered: number; readonly failed: number };
  readonly failedReasons: readonly string[];
  readonly deniedAccounts: number;
  /** New findings the worker opened (user findings and ACCOUNT_NOT_COVERED). */
  readonly newFindings: number;
  /** Requests to member accounts per checked account that name no user (retries of throttled answers excluded). */
  readonly accountCalls: Spread;
  /** Requests per candidate user (ListMFADevices, GetLoginProfile, ListUserTags; retries excluded). */
  readonly candidateCalls: Spread;
  /** Mean requests per checked account, by action (retries excluded). */
  readonly accountCallsByAction: Readonly<Record<string, number>>;
  /**
   * The canary's TagRole calls the fake answered (issue 22: one per reached account per sweep, on the check
   * role, the canary key only), with the role named and the tags sent; none while the worker sends none.
   */
  readonly canaryCalls: readonly {
    readonly account: string;
    readonly roleName: string;
    readonly tags: Readonly<Record<string, string>>;
  }[];
  /** Throttled answers the fake gave (each retried by the SDK). */
  readonly throttledAnswers: number;
  /** Requests to member accounts in total, retries included. */
  readonly memberRequests: number;
  /** Alerts published by the worker (new HIGH findings) and the reporter's digest. */
  readonly snsPublishes: number;
  readonly batches: number;
  readonly batchMs: Spread;
  /** Wall time of the map phase (all batches, `maxConcurrency` at a time), in s. */
  readonly mapSeconds: number;
  readonly dynamodb: DynamoUse;
  readonly s3: S3Use;
  readonly planner: PhaseTime & { readonly organizationsCalls: number };
  readonly reporter: PhaseTime & { readonly summary: SweepReportSummary };
}

/** DynamoDB requests of the sweep (worker and reporter) and the request units they use. */
export interface DynamoUse {
  readonly requests: Readonly<Record<string, number>>;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** Requests whose units DynamoDB (dynalite) reported in `ConsumedCapacity`; the others use the rule. */
  readonly reportedByStore: number;
  /** Conditional writes refused (`ConditionalCheckFailedException`), counted as 1 WRU each. */
  readonly failedConditionalWrites: number;
}

/** S3 requests of one sweep. */
export interface S3Use {
  /** Counted: the planner's and the reporter's requests against the fake bucket. */
  readonly plannerPuts: number;
  readonly reporterGets: number;
  readonly reporterPuts: number;
  /** Modelled: the Distributed Map reads the item list once and writes its manifest and one result file per status. */
  readonly mapGets: number;
  readonly mapPuts: number;
  readonly puts: number;
  readonly gets: number;
}

/** Wall time of a planner or reporter run. */
export interface PhaseTime {
  /** Measured in this process (mocked S3/Organizations answer at once). */
  readonly measuredMs: number;
  /** Measured plus one `latencyMs` per mocked request (they are sequential): the time the model uses. */
  readonly ms: number;
}
