/** What every step of the sweep worker shares: its dependencies, its tuning, and its typed step failure. */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { sessionName, type AccountSessions, type RoleCredentials } from '../core/credentials';
import { describeError, isThrottling } from '../core/errors';
import type { FindingStore } from '../core/finding-store';
import type { AccountAliases } from '../core/iam-facts';
import type { ExportMetrics, SweepMetrics } from '../core/metrics';
import type { Notifier } from '../core/notify';
import type { SecurityHubExporter } from '../core/security-hub';
import type { StormGuardPort } from '../core/storm-guard';
import type { SweepAccountItem, SweepAccountResult } from '../contract/sweep';
import type { EnforcementDeps } from './enforcement-deps';
import type { SweepWorkerSettings } from './env';
import type { ReimportDeps } from './reimport';

/** Knobs of the worker; the defaults are the deployed values, tests shorten the waits. */
export interface SweepTuning {
  /** Accounts of one batch checked at the same time. @default 4 */
  readonly concurrency: number;
  /** Users of one account read at the same time (3 IAM calls each). @default 4 */
  readonly userConcurrency: number;
  /** Tries per account when AWS throttles (after the SDK's own retries). @default 3 */
  readonly maxAttempts: number;
  /** Least time between two tries of a throttled account. @default 10000 */
  readonly retryDelayMs: number;
  /** Time between two polls of a credential report being generated. @default 2000 */
  readonly reportPollIntervalMs: number;
  /** Longest wait for a credential report being generated. @default 60000 */
  readonly reportMaxWaitMs: number;
  /** Lambda time kept back from the accounts' work to return the batch's result. @default 10000 */
  readonly reserveMs: number;
}

/** The deployed tuning. */
export const DEFAULT_SWEEP_TUNING: SweepTuning = {
  concurrency: 4,
  userConcurrency: 4,
  maxAttempts: 3,
  retryDelayMs: 10_000,
  reportPollIntervalMs: 2_000,
  reportMaxWaitMs: 60_000,
  reserveMs: 10_000,
};

/** Everything the worker needs, created once per container (or once per CLI run). */
export interface SweepWorkerDeps {
  readonly settings: SweepWorkerSettings;
  readonly sessions: Pick<AccountSessions, 'iamFor' | 'credentialsFor'>;
  /** An EventBridge client in the forward rule's Region on a member account's check-role credentials. */
  readonly eventBridgeFor: (credentials: RoleCredentials) => EventBridgeClient;
  /** An SQS client in the same Region on the same credentials (the forward rule's dead-letter queue). */
  readonly sqsFor: (credentials: RoleCredentials) => SQSClient;
  readonly aliases: AccountAliases;
  readonly findings: Pick<
    FindingStore,
    'listFindings' | 'observeProblem' | 'resolve' | 'markNotified' | 'markExported'
  >;
  readonly sns: SNSClient;
  readonly logger: Logger;
  readonly now: () => Date;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly tuning?: Partial<SweepTuning>;
  /**
   * The call that opens a session in a member account, as failures name it: a local run on the
   * operator's own credentials assumes nothing. @default 'sts:AssumeRole'
   */
  readonly sessionStep?: string;
  /**
   * Imports the findings this sweep opened, escalated or resolved into Security Hub, from inside their
   * account (the sessions must give Security Hub clients). Absent: the export is off.
   */
  readonly securityHub?: Pick<SecurityHubExporter, 'exportFindings'>;
  /**
   * Counts the findings this sweep opened and resolved (`NewFindings`, `ResolvedFindings`, source
   * `sweep`), and those Security Hub did not import (`SecurityHubExportFailures`).
   */
  readonly metrics?: Pick<
    SweepMetrics & ExportMetrics,
    'findingOpened' | 'findingResolved' | 'recordExportFailure'
  >;
  /**
   * Counts this sweep's new findings per kind across all batches; beyond `sweep.alertStormThreshold`
   * accounts, their alerts are held for the reporter's one aggregated alert. Absent (a local run, no
   * sweep id): every alert goes out on its own.
   */
  readonly stormGuard?: StormGuardPort;
  /** Opt-in enforcement (ADR 0022): releases and plans per account. Absent: off. */
  readonly enforcement?: EnforcementDeps;
}

/** The worker's dependencies with what createSweepWorker derives from them, passed to every step. */
export interface SweepRuntime extends SweepWorkerDeps {
  readonly tuning: SweepTuning;
  readonly sleep: (ms: number) => Promise<void>;
  /** The one notification path (functions/core/notify.ts), with this worker's Security Hub import. */
  readonly notify: Notifier;
  /**
   * Findings this batch already sent to Security Hub (accepted or not): the re-import step skips them, so
   * one sweep never imports a finding twice. Cleared per batch (one invocation at a time per container).
   */
  readonly exportedThisBatch: Set<string>;
  readonly importDeps: Pick<ReimportDeps, 'findings' | 'logger' | 'recordExportFailure'>;
}

/** The account fields every result repeats. */
export function baseOf(item: SweepAccountItem) {
  return { accountId: item.accountId, name: item.name, coverage: item.coverage };
}

/** An account that could not be checked, and why. */
export function failed(item: SweepAccountItem, reason: string): SweepAccountResult {
  return { ...baseOf(item), outcome: 'failed', reason, findings: [] };
}

/**
 * A read of the account failed at `step`. Throttled (after the SDK's retries): the queue tries the
 * account again later. Otherwise retrying will not fix it soon: the account is `failed`.
 */
export class StepError extends Error {
  constructor(
    readonly step: string,
    override readonly cause: unknown,
    readonly throttled: boolean = isThrottling(cause),
  ) {
    super(`${step}: ${describeError(cause)}`);
    this.name = 'StepError';
  }
}

/** Label a step's failure: throttling is retried later, anything else fails the account naming the step. */
export async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StepError) throw error;
    throw new StepError(name, error);
  }
}

/** What an alert and an export say beyond the stored finding. */
export interface AlertExtra {
  readonly alias?: string;
  readonly sweepId?: string;
  /** ACCOUNT_NOT_COVERED: the AssumeRole error. */
  readonly reason?: string;
  readonly consolePassword?: boolean;
  readonly lastUsed?: Date;
  /** USER_NO_MFA: the user's IAM path (credential report), for the Security Hub resource. */
  readonly userPath?: string;
  /** FORWARDING_BROKEN with WRONG_TARGET: what the rule targets instead of the central bus. */
  readonly forwardTargets?: readonly string[];
}

/** The AssumeRole session name of one sweep run: the same for the reads and the export (one session). */
export function sweepHint(sweepId: string | undefined): string {
  return sessionName(`sweep-${sweepId ?? 'local'}`);
}
