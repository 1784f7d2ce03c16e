/**
 * The sweep worker: one Distributed Map batch of accounts, each checked through its
 * `org-mfa-watch-check` role (read-only) and reconciled with the finding store. Shared by the Lambda
 * handler and the local CLI (`npm run sweep -- --local`), which inject their own clients.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { publishChat } from '../core/chat';
import { sessionName, type AccountSessions, type RoleCredentials } from '../core/credentials';
import { beforeDeadline, DeadlineExceededError, type RemainingTime } from '../core/deadline';
import { describeError, isAccessDenied, isThrottling } from '../core/errors';
import type { ExportMetrics, SweepMetrics } from '../core/metrics';
import { shouldNotify, type Finding as StoredFinding, type FindingStore } from '../core/finding-store';
import { readRoot, readUser, type AccountAliases } from '../core/iam-facts';
import { isSuppressed } from '../core/suppression';
import { publishAlert } from '../core/publish';
import type { SecurityHubExporter } from '../core/security-hub';
import type { StormGuardPort } from '../core/storm-guard';
import type { FindingRef, FindingSeverity } from '../contract/findings';
import {
  COVERAGE_KINDS,
  ROLLOUT_STATUSES,
  SWEEP_MODES,
  type SweepAccountItem,
  type SweepAccountResult,
  type SweepBatchInput,
  type SweepBatchResult,
  type SweepFinding,
  type SweepFindingChange,
} from '../contract/sweep';
import { CHECKER_TIMEOUT_SECONDS } from '../contract/timing';
import { chatSweepAlert } from './chat-format';
import { parseCredentialReport } from './credential-report';
import type { SweepWorkerSettings } from './env';
import { formatSweepAlert, type SweepAlertInput } from './format';
import { deadLetterQueueUrl, readDeadLetterDepth } from './dead-letter';
import { forwardingReason, judgeForwarding, readForwardRule, type ForwardingStatus } from './forwarding';
import { mapWithConcurrency } from './pool';
import { decideAccount, planReads, refOf, type StoreOperation } from './reconcile';
import { recordImports, reimportStale } from './reimport';
import { fetchCredentialReport } from './report-source';
import { withRolloutOperations } from './rollout-findings';

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
}

/** The batch is not what the Distributed Map sends: names the field and the expectation. */
export class InvalidBatchError extends Error {
  constructor(
    /** `Items[3].accountId`, or `(batch)` for the whole input. */
    readonly field: string,
    readonly expectation: string,
  ) {
    super(`Invalid sweep batch: ${field}: ${expectation}`);
    this.name = 'InvalidBatchError';
  }
}

const itemSchema = z.object({
  accountId: z
    .string({ error: 'expected a 12-digit account id' })
    .check(z.regex(/^\d{12}$/, { error: 'expected a 12-digit account id' })),
  name: z.string({ error: 'expected the account name (a string)' }),
  coverage: z.enum(COVERAGE_KINDS, { error: `expected one of ${COVERAGE_KINDS.join(', ')}` }),
  joinedAt: z.optional(
    z
      .string({ error: 'expected an ISO 8601 time' })
      .check(z.refine((s) => !Number.isNaN(Date.parse(s)), { error: 'expected an ISO 8601 time' })),
  ),
  rollout: z.optional(
    z.object(
      {
        status: z.enum(ROLLOUT_STATUSES, { error: `expected one of ${ROLLOUT_STATUSES.join(', ')}` }),
        reason: z.optional(z.string({ error: 'expected a string' })),
      },
      { error: 'expected an object { status, reason? }' },
    ),
  ),
});

const batchSchema = z.object(
  {
    Items: z.array(itemSchema, { error: 'expected an array of account items' }),
    BatchInput: z.optional(
      z.object(
        {
          sweepId: z
            .string({ error: 'expected the execution name (1-80 characters)' })
            .check(
              z.minLength(1, { error: 'expected the execution name (1-80 characters)' }),
              z.maxLength(80, { error: 'expected the execution name (1-80 characters)' }),
            ),
          mode: z.enum(SWEEP_MODES, { error: `expected one of ${SWEEP_MODES.join(', ')}` }),
          final: z.optional(z.boolean({ error: 'expected true or false' })),
        },
        { error: 'expected an object' },
      ),
    ),
  },
  { error: 'expected an object { Items, BatchInput? }' },
);

/** `Items[3].accountId` from a zod path. */
function fieldOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(batch)';
  return path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`,
    '',
  );
}

/**
 * Validate a Distributed Map batch. Pure.
 * @throws InvalidBatchError naming the first offending field
 */
export function parseBatch(raw: unknown): { items: SweepAccountItem[]; batchInput?: SweepBatchInput } {
  const result = batchSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidBatchError(fieldOf(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  const { Items, BatchInput } = result.data;
  const items = Items.map((i) => ({
    accountId: i.accountId,
    name: i.name,
    coverage: i.coverage,
    ...(i.joinedAt === undefined ? {} : { joinedAt: i.joinedAt }),
    ...(i.rollout === undefined
      ? {}
      : {
          rollout: {
            status: i.rollout.status,
            ...(i.rollout.reason === undefined ? {} : { reason: i.rollout.reason }),
          },
        }),
  }));
  if (BatchInput === undefined) return { items };
  return {
    items,
    batchInput: {
      sweepId: BatchInput.sweepId,
      mode: BatchInput.mode,
      ...(BatchInput.final === undefined ? {} : { final: BatchInput.final }),
    },
  };
}

/**
 * An open finding never notified (its publish failed) is alerted by a later sweep once no first
 * attempt can still be running: after one checker timeout, as the checker does on a redrive.
 */
const UNNOTIFIED_AFTER_MS = CHECKER_TIMEOUT_SECONDS * 1000;

/**
 * A read of the account failed at `step`. Throttled (after the SDK's retries): the queue tries the
 * account again later. Otherwise retrying will not fix it soon: the account is `failed`.
 */
class StepError extends Error {
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
async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof StepError) throw error;
    throw new StepError(name, error);
  }
}

type Attempt = { readonly result: SweepAccountResult } | { readonly throttled: string };

/** What an alert and an export say beyond the stored finding. */
interface AlertExtra {
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
function sweepHint(sweepId: string | undefined): string {
  return sessionName(`sweep-${sweepId ?? 'local'}`);
}

interface Job {
  readonly item: SweepAccountItem;
  readonly index: number;
  readonly attempt: number;
  /** Date.now() when the job was put back in the queue. */
  readonly requeuedAt?: number;
}

/** Build the batch worker: validate -> per account (bounded concurrency, retries, deadline) -> results in item order. */
export function createSweepWorker(
  deps: SweepWorkerDeps,
): (batch: unknown, context?: RemainingTime) => Promise<SweepBatchResult> {
  const { settings, logger } = deps;
  const tuning: SweepTuning = { ...DEFAULT_SWEEP_TUNING, ...deps.tuning };
  // Findings this batch already sent to Security Hub (accepted or not): the re-import step skips them, so
  // one sweep never imports a finding twice. Cleared per batch (one invocation at a time per container).
  const exportedThisBatch = new Set<string>();
  const importDeps = {
    findings: deps.findings,
    logger,
    recordExportFailure: (count: number) => deps.metrics?.recordExportFailure(count),
  };
  const sleep =
    deps.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        setTimeout(resolve, ms);
      }));

  function baseOf(item: SweepAccountItem) {
    return { accountId: item.accountId, name: item.name, coverage: item.coverage };
  }

  function failed(item: SweepAccountItem, reason: string): SweepAccountResult {
    return { ...baseOf(item), outcome: 'failed', reason, findings: [] };
  }

  function sweepFinding(
    finding: StoredFinding,
    change: SweepFindingChange,
    context: {
      readonly consolePassword?: boolean;
      readonly lastUsed?: Date;
      readonly resolvedBecause?: string;
      readonly held?: boolean;
    },
  ): SweepFinding {
    return {
      accountId: finding.accountId,
      ...(finding.kind === 'USER_NO_MFA' ? { userName: finding.subject } : {}),
      kind: finding.kind,
      severity: finding.severity,
      findingId: finding.findingId,
      change,
      firstSeen: finding.firstSeen,
      ...(context.consolePassword === undefined ? {} : { consolePassword: context.consolePassword }),
      ...(context.lastUsed === undefined ? {} : { lastUsed: context.lastUsed.toISOString() }),
      ...(context.resolvedBecause === undefined ? {} : { resolvedBecause: context.resolvedBecause }),
      ...(finding.detail === undefined ? {} : { detail: finding.detail }),
      ...(context.held === true ? { held: true } : {}),
      ...(change !== 'resolved' && finding.suppression !== undefined && isSuppressed(finding, deps.now())
        ? { suppressedUntil: finding.suppression.until }
        : {}),
    };
  }

  /**
   * Alert a finding this sweep opened, reopened or escalated (or one never notified), once: HIGH and
   * CRITICAL by email now; MEDIUM only in the digest, but marked notified so the event path does not
   * alert it later. A failed publish is logged and leaves the finding unnotified, for a later try.
   */
  async function notify(
    item: SweepAccountItem,
    finding: StoredFinding,
    extra: AlertExtra,
  ): Promise<'sent' | 'held' | 'unsent'> {
    const ref = refOf(finding);
    if (finding.severity !== 'MEDIUM' && extra.sweepId !== undefined && deps.stormGuard !== undefined) {
      const admitted = await deps.stormGuard.admit({
        sweepId: extra.sweepId,
        kind: finding.kind,
        accountId: finding.accountId,
        now: deps.now(),
      });
      if (!admitted) {
        // Left unnotified: the reporter's aggregated alert (or, failing that, a later sweep) alerts it.
        logger.info('Alert storm: alert held for the aggregated alert', { findingId: finding.findingId });
        return 'held';
      }
    }
    if (finding.severity !== 'MEDIUM') {
      const input: SweepAlertInput = {
        accountId: finding.accountId,
        accountName: item.name,
        ...(extra.alias === undefined ? {} : { accountAlias: extra.alias }),
        kind: finding.kind,
        detail: finding.detail ?? finding.kind,
        severity: finding.severity,
        ...(finding.kind === 'USER_NO_MFA' ? { userName: finding.subject } : {}),
        findingId: finding.findingId,
        firstSeen: new Date(finding.firstSeen),
        ...(extra.consolePassword === undefined ? {} : { consolePassword: extra.consolePassword }),
        ...(extra.lastUsed === undefined ? {} : { lastUsed: extra.lastUsed }),
        ...(extra.sweepId === undefined ? {} : { sweepId: extra.sweepId }),
        ...(extra.reason === undefined ? {} : { reason: extra.reason }),
        ...(finding.kind === 'FORWARDING_BROKEN'
          ? {
              rule: {
                name: settings.forwardRuleName,
                region: settings.forwardRuleRegion,
                deadLetterQueue: settings.forwardDeadLetterQueueName,
                expectedBusArn: settings.centralBusArn,
                ...(extra.forwardTargets === undefined ? {} : { actualTargetArns: extra.forwardTargets }),
              },
            }
          : {}),
      };
      const message = formatSweepAlert(input, settings);
      try {
        const messageId = await publishAlert(deps.sns, settings.alertTopicArn, message);
        logger.info('Sweep alert published', { findingId: finding.findingId, messageId });
      } catch (error) {
        logger.error('Could not publish the sweep alert; the finding stays unnotified', {
          findingId: finding.findingId,
          error: describeError(error),
        });
        return 'unsent';
      }
      await postToChat(input, message.attributes);
    }
    try {
      await deps.findings.markNotified({ ...ref, now: deps.now() });
    } catch (error) {
      logger.warn('Could not record the notification in the finding store', {
        findingId: finding.findingId,
        error: describeError(error),
      });
    }
    return 'sent';
  }

  /**
   * Post the alert to the chat topic when one is configured: after the email, best effort. A failure is
   * logged and swallowed: the email went out, and failing the account would hide its other results.
   */
  async function postToChat(
    input: SweepAlertInput,
    attributes: Readonly<Record<string, string>>,
  ): Promise<void> {
    const topicArn = settings.chatTopicArn;
    if (topicArn === undefined) return;
    try {
      const messageId = await publishChat(deps.sns, topicArn, chatSweepAlert(input, settings), attributes);
      logger.info('Sweep chat message published', { findingId: input.findingId, messageId });
    } catch (error) {
      logger.error('Could not publish the sweep chat message; the email alert is not affected', {
        findingId: input.findingId,
        error: describeError(error),
      });
    }
  }

  /**
   * Import the finding's new state into Security Hub (OPEN is ACTIVE, RESOLVED is ARCHIVED), from
   * inside its account. The exporter never throws, so the account's result cannot depend on it; the
   * findings it could not import are counted.
   */
  async function exportFinding(finding: StoredFinding, sweepId: string | undefined, userPath?: string) {
    if (deps.securityHub === undefined) return;
    exportedThisBatch.add(finding.findingId);
    const result = await deps.securityHub.exportFindings(
      finding.accountId,
      [{ finding, ...(userPath === undefined ? {} : { userPath }) }],
      sweepHint(sweepId),
    );
    await recordImports(importDeps, [finding], result, deps.now());
  }

  /** True when an open finding found again was never notified, and no first attempt can still be running. */
  function neverNotified(finding: StoredFinding): boolean {
    // ISO-8601 UTC strings order like the times they name.
    const notified = finding.lastNotified !== undefined && finding.lastNotified >= finding.openedAt;
    // An accepted (suppressed) finding is not alerted, not even as "never notified".
    if (isSuppressed(finding, deps.now())) return false;
    return !notified && deps.now().getTime() - Date.parse(finding.openedAt) > UNNOTIFIED_AFTER_MS;
  }

  /** Record a confirmed problem; returns the finding and whether this sweep made it new. */
  async function observe(
    item: SweepAccountItem,
    ref: FindingRef,
    severity: FindingSeverity,
    detail: string,
    extra: AlertExtra,
  ): Promise<SweepFinding> {
    const { transition, finding } = await deps.findings.observeProblem({
      ...ref,
      severity,
      detail,
      source: 'sweep',
      now: deps.now(),
      ...(extra.alias === undefined ? {} : { accountAlias: extra.alias }),
    });
    const change: SweepFindingChange = shouldNotify(transition) ? 'new' : 'still-open';
    // Opened or reopened, not escalated: the metric counts findings, not severity changes.
    if (transition === 'opened' || transition === 'reopened') deps.metrics?.findingOpened('sweep');
    logger.info('Finding observed by the sweep', { findingId: finding.findingId, transition });
    let held = false;
    if (change === 'new' || (finding.severity !== 'MEDIUM' && neverNotified(finding))) {
      held = (await notify(item, finding, extra)) === 'held';
      // Every severity: Security Hub is the system of record, MEDIUM included (no email, no chat).
      await exportFinding(finding, extra.sweepId, extra.userPath);
    }
    return sweepFinding(finding, change, { ...extra, held });
  }

  /** The role cannot be assumed: ACCOUNT_NOT_COVERED, unless a joining account's instance may still land. */
  async function notCovered(
    item: SweepAccountItem,
    batchInput: SweepBatchInput | undefined,
    error: unknown,
  ): Promise<SweepAccountResult> {
    const reason = `sts:AssumeRole: ${describeError(error)}`;
    const sweepId = batchInput === undefined ? {} : { sweepId: batchInput.sweepId };
    if (item.rollout?.status === 'pending') {
      // The StackSet instance has not landed yet: the role is expected to be missing. No finding.
      const why = `StackSet instance not deployed yet (${item.rollout.reason ?? 'pending'})`;
      return { ...baseOf(item), outcome: 'rollout-pending', reason: why, findings: [] };
    }
    const base = { ...baseOf(item), outcome: 'not-covered' as const, reason };
    if (item.rollout?.status === 'failed') {
      // The instance failed: that, not tampering, is why the role is missing. One ROLLOUT_FAILED finding.
      const stackSetReason = item.rollout.reason ?? 'FAILED';
      const finding = await step('finding store', () =>
        observe(item, { accountId: item.accountId, kind: 'ROLLOUT_FAILED' }, 'HIGH', 'ROLLOUT_FAILED', {
          reason: stackSetReason,
          ...sweepId,
        }),
      );
      return { ...base, reason: `StackSet instance failed: ${stackSetReason}`, findings: [finding] };
    }
    if (batchInput?.mode === 'joined' && batchInput.final !== true) {
      logger.info('Joining account not reachable yet; no finding before the last attempt', {
        accountId: item.accountId,
      });
      return { ...base, findings: [] };
    }
    const finding = await step('finding store', () =>
      observe(
        item,
        { accountId: item.accountId, kind: 'ACCOUNT_NOT_COVERED' },
        'HIGH',
        'ACCOUNT_NOT_COVERED',
        {
          reason,
          ...(batchInput === undefined ? {} : { sweepId: batchInput.sweepId }),
        },
      ),
    );
    return { ...base, findings: [finding] };
  }

  /**
   * Read the forward rule. AccessDenied (or any failure other than throttling) means the check role
   * cannot read it, typically a role from before the sweep existed or one edited by hand: that is not
   * evidence that forwarding is broken, so the rule is reported as unverified (in the account's
   * reason) and no FORWARDING_BROKEN finding is opened or resolved. An old role would otherwise raise
   * a HIGH finding in every account until the StackSet update lands.
   */
  async function forwardingOf(
    item: SweepAccountItem,
    credentials: RoleCredentials,
  ): Promise<ForwardingStatus | { readonly unverified: string }> {
    let rule: Awaited<ReturnType<typeof readForwardRule>>;
    try {
      rule = await readForwardRule(deps.eventBridgeFor(credentials), settings.forwardRuleName);
    } catch (error) {
      if (isThrottling(error)) throw new StepError('events:DescribeRule', error, true);
      const reason = `forward rule not verified (${isAccessDenied(error) ? 'the check role may not read it: ' : ''}${describeError(error)})`;
      logger.warn('Forward rule not readable', { accountId: item.accountId, error: describeError(error) });
      return { unverified: reason };
    }
    return judgeForwarding(rule, settings.centralBusArn, await deadLetterDepthOf(item, credentials));
  }

  /**
   * Messages in the forward rule's dead-letter queue. A queue the check role may not read (a role from
   * before this permission) or that does not exist yet is no evidence of failed deliveries: undefined.
   */
  async function deadLetterDepthOf(
    item: SweepAccountItem,
    credentials: RoleCredentials,
  ): Promise<number | undefined> {
    const url = deadLetterQueueUrl(
      item.accountId,
      settings.forwardRuleRegion,
      settings.forwardDeadLetterQueueName,
    );
    try {
      return await readDeadLetterDepth(deps.sqsFor(credentials), url);
    } catch (error) {
      if (isThrottling(error)) throw new StepError('sqs:GetQueueAttributes', error, true);
      logger.warn('Forward dead-letter queue not readable', {
        accountId: item.accountId,
        error: describeError(error),
      });
      return undefined;
    }
  }

  async function applyOperation(
    item: SweepAccountItem,
    operation: StoreOperation,
    extra: { alias?: string; sweepId?: string; forwardTargets?: readonly string[] },
    paths: ReadonlyMap<string, string>,
  ): Promise<SweepFinding | undefined> {
    switch (operation.op) {
      case 'observe': {
        const userPath = operation.ref.kind === 'USER_NO_MFA' ? paths.get(operation.ref.userName) : undefined;
        return observe(item, operation.ref, operation.severity, operation.detail, {
          ...extra,
          ...(operation.ref.kind === 'ROLLOUT_FAILED' && item.rollout?.reason !== undefined
            ? { reason: item.rollout.reason }
            : {}),
          ...(userPath === undefined ? {} : { userPath }),
          ...(operation.consolePassword === undefined ? {} : { consolePassword: operation.consolePassword }),
          ...(operation.lastUsed === undefined ? {} : { lastUsed: operation.lastUsed }),
        });
      }
      case 'resolve': {
        const resolved = await deps.findings.resolve({
          ...refOf(operation.finding),
          reason: operation.reason,
          now: deps.now(),
          retentionDays: settings.findings.resolvedRetentionDays,
        });
        // Not open any more: an event check resolved it meanwhile; that resolution is not this sweep's.
        if (resolved.transition !== 'resolved') return undefined;
        deps.metrics?.findingResolved(operation.reason, 'sweep');
        logger.info('Finding resolved by the sweep', {
          findingId: resolved.finding.findingId,
          reason: operation.reason,
        });
        // Resolutions go to Security Hub (ARCHIVED) only: the email and chat paths announce new problems.
        await exportFinding(
          resolved.finding,
          extra.sweepId,
          resolved.finding.kind === 'USER_NO_MFA' ? paths.get(resolved.finding.subject) : undefined,
        );
        return sweepFinding(resolved.finding, 'resolved', {
          resolvedBecause: operation.reason,
          ...(operation.consolePassword === undefined ? {} : { consolePassword: operation.consolePassword }),
          ...(operation.lastUsed === undefined ? {} : { lastUsed: operation.lastUsed }),
        });
      }
      case 'keep':
        return sweepFinding(operation.finding, 'still-open', {});
    }
  }

  /** One account, start to end. Throws a throttled StepError for the queue to retry; other failures are results. */
  async function sweepAccount(
    item: SweepAccountItem,
    batchInput: SweepBatchInput | undefined,
  ): Promise<SweepAccountResult> {
    const { accountId } = item;
    const hint = sweepHint(batchInput?.sweepId);
    let iam: IAMClient;
    let credentials: RoleCredentials;
    try {
      iam = await deps.sessions.iamFor(accountId, hint);
      credentials = await deps.sessions.credentialsFor(accountId, hint);
    } catch (error) {
      const sessionStep = deps.sessionStep ?? 'sts:AssumeRole';
      if (isAccessDenied(error)) return notCovered(item, batchInput, error);
      if (isThrottling(error)) throw new StepError(sessionStep, error, true);
      return failed(item, `${sessionStep}: ${describeError(error)}`);
    }

    // Reads only, so that a throttled account can be tried again from the start without side effects.
    const now = deps.now();
    const [forwarding, fetched, open] = await Promise.all([
      forwardingOf(item, credentials),
      step('iam:GetCredentialReport', () =>
        fetchCredentialReport(iam, {
          maxAgeMs: settings.credentialReportMaxAgeHours * 3_600_000,
          now: deps.now,
          sleep,
          pollIntervalMs: tuning.reportPollIntervalMs,
          maxWaitMs: tuning.reportMaxWaitMs,
        }),
      ),
      step('finding store', () => deps.findings.listFindings({ accountId, state: 'OPEN' })),
    ]);
    const report = await step('credential report', () => Promise.resolve(parseCredentialReport(fetched.csv)));
    const paths = new Map(report.users.map((user) => [user.userName, user.path]));
    const plan = planReads({ report, open, now, gracePeriodHours: settings.gracePeriodHours });
    const [users, root] = await Promise.all([
      step('iam (user reads)', () =>
        mapWithConcurrency(plan.users, tuning.userConcurrency, async (target) => ({
          target,
          facts: await readUser(iam, target.userName),
        })),
      ),
      plan.readRoot ? step('iam:GetAccountSummary', () => readRoot(iam)) : Promise.resolve(undefined),
    ]);

    const decided = decideAccount({
      accountId,
      now,
      exemptions: settings.exemptions,
      trustExemptionTags: settings.trustExemptionTags,
      open,
      users,
      ...(root === undefined ? {} : { root }),
      ...(report.root?.lastUsed === undefined ? {} : { rootLastUsed: report.root.lastUsed }),
      ...('status' in forwarding ? { forwarding } : {}),
    });
    const operations = withRolloutOperations(decided, item);
    // The alias matters only where there is a finding to show: one call saved in every clean account.
    const alias =
      operations.length === 0
        ? undefined
        : await deps.aliases.aliasOf(accountId, iam, (error) => {
            logger.warn('ListAccountAliases failed; reporting without alias', {
              accountId,
              error: describeError(error),
            });
          });
    const extra = {
      ...(alias === undefined ? {} : { alias }),
      ...(batchInput === undefined ? {} : { sweepId: batchInput.sweepId }),
      ...('targetArns' in forwarding && forwarding.targetArns !== undefined
        ? { forwardTargets: forwarding.targetArns }
        : {}),
    };
    const findings: SweepFinding[] = [];
    for (const operation of operations) {
      const finding = await step('finding store', () => applyOperation(item, operation, extra, paths));
      if (finding !== undefined) findings.push(finding);
    }
    if (deps.securityHub !== undefined) {
      const securityHub = deps.securityHub;
      await step('finding store', () =>
        reimportStale(
          { ...importDeps, securityHub },
          {
            accountId,
            now: deps.now(),
            afterDays: settings.securityHubReimportAfterDays,
            hint,
            paths,
            skip: exportedThisBatch,
          },
        ),
      );
    }
    return {
      ...baseOf(item),
      ...(alias === undefined ? {} : { alias }),
      outcome: 'checked',
      ...forwardingReason(forwarding),
      users: report.users.length,
      inGracePeriod: plan.inGracePeriod.size,
      findings,
    };
  }

  /** One try of one account under the invocation's deadline; every failure becomes a result. */
  async function attempt(
    job: Job,
    batchInput: SweepBatchInput | undefined,
    context: RemainingTime,
  ): Promise<Attempt> {
    const { item } = job;
    try {
      return {
        result: await beforeDeadline(context, tuning.reserveMs, () => sweepAccount(item, batchInput)),
      };
    } catch (error) {
      if (error instanceof StepError && error.throttled) {
        logger.warn('Account throttled; trying it again later', {
          accountId: item.accountId,
          attempt: job.attempt,
          error: error.message,
        });
        return { throttled: error.message };
      }
      if (error instanceof DeadlineExceededError) return { result: failed(item, 'deadline') };
      const reason = error instanceof StepError ? error.message : describeError(error);
      logger.error('Account sweep failed', { accountId: item.accountId, reason });
      return { result: failed(item, reason) };
    }
  }

  return async function sweepBatch(raw, context = {}) {
    exportedThisBatch.clear();
    const { items, batchInput } = parseBatch(raw);
    logger.info('Sweep batch', {
      sweepId: batchInput?.sweepId,
      mode: batchInput?.mode,
      accounts: items.length,
    });
    const results: SweepAccountResult[] = new Array<SweepAccountResult>(items.length);
    const queue: Job[] = items.map((item, index) => ({ item, index, attempt: 1 }));
    const timeLeft = () =>
      (context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY) - tuning.reserveMs;

    const lane = async (): Promise<void> => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
        const wait = job.requeuedAt === undefined ? 0 : job.requeuedAt + tuning.retryDelayMs - Date.now();
        if (timeLeft() <= Math.max(0, wait)) {
          // No time to (re)try it: a retried account ends throttled, a fresh one at the deadline.
          results[job.index] = failed(job.item, job.attempt > 1 ? 'throttled' : 'deadline');
          continue;
        }
        if (wait > 0) await sleep(wait);
        const outcome = await attempt(job, batchInput, context);
        if ('result' in outcome) {
          results[job.index] = outcome.result;
        } else if (job.attempt >= tuning.maxAttempts) {
          logger.error('Account still throttled after its last try', {
            accountId: job.item.accountId,
            attempts: job.attempt,
            error: outcome.throttled,
          });
          results[job.index] = failed(job.item, 'throttled');
        } else {
          // Behind the others: they run meanwhile, and the account's IAM quota recovers.
          queue.push({ ...job, attempt: job.attempt + 1, requeuedAt: Date.now() });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(tuning.concurrency, items.length) }, lane));
    for (const result of results) {
      logger.info('Account swept', {
        accountId: result.accountId,
        outcome: result.outcome,
        reason: result.reason,
        findings: result.findings.length,
      });
    }
    return { ...(batchInput === undefined ? {} : { sweepId: batchInput.sweepId }), accounts: results };
  };
}
