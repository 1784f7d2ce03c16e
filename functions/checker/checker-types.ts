import type { Logger } from '@aws-lambda-powertools/logger';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CanaryStore } from '../core/canary-store';
import type { AccountSessions } from '../core/credentials';
import type { FindingStore } from '../core/finding-store';
import type { AccountAliases } from '../core/iam-facts';
import type { Finding, Severity } from '../core/judge';
import type { Lazy } from '../core/lazy';
import type { CheckerMetrics } from '../core/metrics';
import type { Notifier } from '../core/notify';
import type { SecurityHubExporter } from '../core/security-hub';
import type { CheckerSettings } from './env';

/** Everything the checker needs, created once per container (module scope in handler.ts). */
export interface CheckerDeps {
  readonly settings: CheckerSettings;
  readonly sessions: AccountSessions;
  readonly aliases: AccountAliases;
  readonly sns: SNSClient;
  /** The quarantine queue's client; the handler makes it on first use (functions/core/lazy.ts). */
  readonly sqs: Lazy<SQSClient>;
  /** The re-check scheduler's client; the handler makes it on first use. */
  readonly scheduler: Lazy<SchedulerClient>;
  /**
   * The finding store: one alert per transition, resolution notices. Absent, every problem alerts as
   * if it were new (as when the store is unreachable).
   */
  readonly findings?: Pick<FindingStore, 'observeProblem' | 'resolve' | 'renameUser' | 'markNotified'>;
  /**
   * The canary's arrivals (functions/core/canary-store.ts). Absent: a TagRole is still told from a user
   * event and dropped, but no arrival is recorded.
   */
  readonly canaries?: Pick<CanaryStore, 'recordArrival'>;
  /**
   * The Security Hub export: each notified transition of a finding is imported after its message went
   * out (never before, never blocking it). Absent when the export is off.
   */
  readonly securityHub?: SecurityHubExporter;
  readonly logger: Logger;
  readonly now: () => Date;
  /**
   * Counts alerts published and finding-store transitions as they happen (functions/core/metrics.ts);
   * the handler counts outcomes and writes the metrics. Absent, nothing is counted.
   */
  readonly metrics?: CheckerMetrics;
}

/** The checker's dependencies plus the notification path built from them (functions/core/notify.ts). */
export interface CheckerRuntime extends CheckerDeps {
  readonly notify: Notifier;
}

/** The part of the Lambda context the checker uses. */
export interface InvocationContext {
  /** The function's own ARN: the target of re-check schedules. */
  readonly invokedFunctionArn: string;
  /**
   * Lambda's remaining time. The check runs under a deadline that keeps PUBLISH_RESERVE_MS back, so a
   * hung dependency still leaves time to publish the CHECK_FAILED alert.
   */
  readonly getRemainingTimeInMillis?: () => number;
}

/** How one event ended. Every event ends in exactly one of these, or in a thrown error. */
export type CheckResult =
  | { readonly outcome: 'alerted'; readonly finding: Finding; readonly severity: Severity }
  | { readonly outcome: 'no-alert'; readonly reason: string }
  | { readonly outcome: 'skipped'; readonly reason: string }
  /** The problem is a finding that is already open: recorded, not alerted again. */
  | { readonly outcome: 'already-open'; readonly finding: Finding; readonly findingId: string }
  /** Not alerted, but an INFO notice says why (a trusted exemption tag): never silent. */
  | { readonly outcome: 'noticed'; readonly finding: 'TAG_EXEMPTED'; readonly reason: string }
  | {
      readonly outcome: 'scheduled';
      readonly scheduleName: string;
      readonly dueAt: string;
      readonly alreadyScheduled: boolean;
      readonly notified: boolean;
      /** A re-check that arrived before its due time was put back on its schedule. */
      readonly early?: boolean;
    }
  /** UpdateUser: pending re-checks now follow the user's new name and path. */
  | { readonly outcome: 'rescheduled'; readonly scheduleNames: readonly string[] }
  | { readonly outcome: 'quarantined'; readonly field: string; readonly reason: string }
  /** The sweep's canary arrived: recorded (or already recorded), nothing sent (docs/adr/0021-canary.md). */
  | {
      readonly outcome: 'canary';
      readonly accountId: string;
      readonly sweepId: string;
      readonly recorded: 'recorded' | 'duplicate' | 'not-recorded';
    };
