/**
 * CloudWatch metrics of the checker, the sweep and the Security Hub export, written in embedded metric
 * format (EMF) by Powertools to stdout, which Lambda sends to CloudWatch Logs, where CloudWatch extracts
 * the metrics: no PutMetricData call, no permission, no latency on the alert path.
 *
 * Counts are kept per invocation and written once at its end ({@link flushedAfter}), one EMF document
 * per dimension combination (an EMF document applies its dimension sets to every metric in it).
 * Names and the allowed dimension values come from the shared contract (functions/contract/metrics.ts).
 *
 * In a handler (the checker does the same in checker/metrics.ts, which also counts outcomes):
 * ```ts
 * const metrics = new MetricsRecorder(createMetrics(logger)); // module scope, once per container
 * export const handler = flushedAfter(metrics, logger, async (input: SweepReportInput) => {
 *   // ... the sweep reporter, once per sweep:
 *   metrics.sweepAccounts({ checked, notCovered, failed });
 *   metrics.openFindings({ CRITICAL: 0, HIGH: 3, MEDIUM: 4 });
 *   for (const f of findings) {
 *     if (f.change === 'new') metrics.findingOpened('sweep');
 *     if (f.change === 'resolved') metrics.findingResolved(reason, 'sweep');
 *   }
 * });
 * ```
 * Count each finding transition in one place only (the reporter from the batch results, or the worker
 * where its conditional write wins, never both). Code that runs inside a function (the Security Hub
 * export) takes that function's recorder as an {@link ExportMetrics}.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FindingSeverity, FindingSource, ResolutionReason } from '../contract/findings';
import {
  METRIC_BREAKDOWNS,
  METRIC_DIMENSIONS,
  METRIC_NAMES,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  OPEN_FINDING_SEVERITIES,
  type AlertFinding,
  type AlertSeverity,
  type MetricDimension,
  type MetricName,
} from '../contract/metrics';
import { describeError } from './errors';
import type { Finding, Severity } from './judge';

// The contract's lists must name exactly the severities and findings the checker alerts with: a new
// kind of alert fails compilation here until the contract (and so the dashboard) knows it.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _severitiesMatch: Exactly<Severity, AlertSeverity> = true;
const _findingsMatch: Exactly<Finding, AlertFinding> = true;

/** The part of Powertools' `Metrics` the recorder writes through (a real `Metrics` in production and tests). */
export type MetricsSink = Pick<Metrics, 'addDimensions' | 'addMetric' | 'publishStoredMetrics'>;

/**
 * Powertools `Metrics` for org-mfa-watch: namespace and `service` dimension from the contract (the same
 * for every function), warnings through the function's logger. Create once per container.
 */
export function createMetrics(logger?: Logger): Metrics {
  return new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: METRICS_SERVICE,
    ...(logger === undefined ? {} : { logger }),
  });
}

/** What the checker's event processing reports (process-event.ts); each call counts one occurrence. */
export interface CheckerMetrics {
  /** An alert or notice was published (after SNS accepted it). `Alerts` by Severity and by Finding. */
  alertPublished(severity: AlertSeverity, finding: AlertFinding): void;
  /** This write opened or reopened a finding (not escalated, not already open). `NewFindings` by Source. */
  findingOpened(source: FindingSource): void;
  /** This write resolved an open finding. `ResolvedFindings` by Source and by Reason. */
  findingResolved(reason: ResolutionReason, source: FindingSource): void;
}

/** Account outcomes of one sweep, as the reporter totals them. */
export interface SweepAccountCounts {
  /** Accounts whose check role was assumed and whose users were read. */
  readonly checked: number;
  /** Accounts whose check role could not be assumed (`ACCOUNT_NOT_COVERED`). */
  readonly notCovered: number;
  /** Accounts whose sweep failed for another reason (throttling, errors). */
  readonly failed: number;
  /** Accounts whose StackSet instance has not landed yet (`rollout-pending`). @default 0 */
  readonly rolloutPending?: number;
}

/** What the sweep reports. */
export interface SweepMetrics {
  /** As {@link CheckerMetrics.findingOpened}, with source `sweep`: once per finding the sweep opened. */
  findingOpened(source: FindingSource): void;
  /** As {@link CheckerMetrics.findingResolved}, with source `sweep`: once per finding the sweep resolved. */
  findingResolved(reason: ResolutionReason, source: FindingSource): void;
  /** Account outcomes of the whole sweep (call once per sweep, from the reporter). */
  sweepAccounts(counts: SweepAccountCounts): void;
  /** Findings open in the store after the sweep, per severity (call once per sweep, from the reporter). */
  openFindings(bySeverity: Readonly<Record<FindingSeverity, number>>): void;
}

/** What the Security Hub export reports. */
export interface ExportMetrics {
  /**
   * Findings that could not be imported into Security Hub: not enabled in the account/region, listed in
   * `FailedFindings`, or the call failed. `SecurityHubExportFailures`.
   * @param count findings not imported @default 1
   */
  recordExportFailure(count?: number): void;
}

/** One EMF document to write: its dimension sets (besides `service`) and its metric values. */
interface Document {
  readonly dimensionSets: readonly Readonly<Record<string, string>>[];
  readonly values: Map<MetricName, number>;
}

type Breakdown = Partial<Record<MetricDimension, string>>;

/**
 * Counts metrics during one invocation and writes them at its end. One per function container (module
 * scope); everything that runs in the function records through it, and the handler flushes it once per
 * invocation ({@link flushedAfter}).
 *
 * Every metric is written with the dimension set `service` (the total) and, for a breakdown, one set
 * per dimension (`service`+`Severity`, `service`+`Finding`...). Dimension values are checked against
 * the contract: an account id or a user name can never become a dimension.
 */
export class MetricsRecorder implements CheckerMetrics, SweepMetrics, ExportMetrics {
  private readonly documents = new Map<string, Document>();

  /** @param sink where EMF is written @default a new {@link createMetrics} (stdout) */
  constructor(private readonly sink: MetricsSink = createMetrics()) {}

  /** The checker processed an event to an outcome (not quarantined, not failed). `ChecksCompleted`. */
  checkCompleted(): void {
    this.add(METRIC_NAMES.checksCompleted, 1);
  }

  /** The event failed: the check could not be completed, or its alert not published. `CheckFailures`. */
  checkFailed(): void {
    this.add(METRIC_NAMES.checkFailures, 1);
  }

  /** An invalid event was quarantined. `QuarantinedEvents`. */
  eventQuarantined(): void {
    this.add(METRIC_NAMES.quarantinedEvents, 1);
  }

  alertPublished(severity: AlertSeverity, finding: AlertFinding): void {
    this.add(METRIC_NAMES.alerts, 1, { Severity: severity, Finding: finding });
  }

  findingOpened(source: FindingSource): void {
    this.add(METRIC_NAMES.newFindings, 1, { Source: source });
  }

  findingResolved(reason: ResolutionReason, source: FindingSource): void {
    this.add(METRIC_NAMES.resolvedFindings, 1, { Source: source, Reason: reason });
  }

  /**
   * Sweep reporter, once per sweep: `SweepAccountsChecked`, `SweepAccountsNotCovered`,
   * `SweepAccountsFailed` and `SweepAccountsRolloutPending`, zeros included (a graph of coverage must
   * drop to zero, not stop).
   */
  sweepAccounts(counts: SweepAccountCounts): void {
    this.set(METRIC_NAMES.sweepAccountsChecked, counts.checked);
    this.set(METRIC_NAMES.sweepAccountsNotCovered, counts.notCovered);
    this.set(METRIC_NAMES.sweepAccountsFailed, counts.failed);
    this.set(METRIC_NAMES.sweepAccountsRolloutPending, counts.rolloutPending ?? 0);
  }

  /**
   * Sweep reporter, once per sweep: `OpenFindings` per severity and in total. A level, not a count:
   * every severity is written, zeros included, and a second call in one invocation replaces the first.
   */
  openFindings(bySeverity: Readonly<Record<FindingSeverity, number>>): void {
    let total = 0;
    for (const severity of OPEN_FINDING_SEVERITIES) {
      const value = bySeverity[severity];
      total += value;
      this.set(METRIC_NAMES.openFindings, value, { Severity: severity });
    }
    this.set(METRIC_NAMES.openFindings, total);
  }

  recordExportFailure(count = 1): void {
    this.add(METRIC_NAMES.securityHubExportFailures, count);
  }

  /** True when something was recorded since the last flush. */
  get pending(): boolean {
    return this.documents.size > 0;
  }

  /**
   * Write what was recorded, one EMF line per dimension combination, and start over. Call once at the
   * end of every invocation ({@link flushedAfter} does). Writes nothing when nothing was recorded.
   */
  flush(): void {
    const documents = [...this.documents.values()];
    this.documents.clear();
    for (const { dimensionSets, values } of documents) {
      for (const set of dimensionSets) this.sink.addDimensions({ ...set });
      for (const [name, value] of values) this.sink.addMetric(name, MetricUnit.Count, value);
      this.sink.publishStoredMetrics();
    }
  }

  /** Count `value` more: in the total (`service` only) and, with a breakdown, in its dimension sets. */
  private add(name: MetricName, value: number, breakdown: Breakdown = {}): void {
    const sets = dimensionSetsOf(name, value, breakdown);
    this.put(name, [], (old) => old + value);
    if (sets.length > 0) this.put(name, sets, (old) => old + value);
  }

  /** Set a level: only in the given dimension sets (the caller sets the total itself). */
  private set(name: MetricName, value: number, breakdown: Breakdown = {}): void {
    this.put(name, dimensionSetsOf(name, value, breakdown), () => value);
  }

  private put(
    name: MetricName,
    dimensionSets: readonly Readonly<Record<string, string>>[],
    update: (old: number) => number,
  ): void {
    const key = JSON.stringify(dimensionSets);
    let document = this.documents.get(key);
    if (document === undefined) {
      document = { dimensionSets, values: new Map() };
      this.documents.set(key, document);
    }
    document.values.set(name, update(document.values.get(name) ?? 0));
  }
}

/**
 * One dimension set per breakdown dimension (`{ Severity: 'HIGH' }`, `{ Finding: ... }`), each checked
 * against the contract.
 * @throws RangeError naming the metric and the dimension when a value is not allowed
 */
function dimensionSetsOf(name: MetricName, value: number, breakdown: Breakdown): Record<string, string>[] {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`metric ${name}: expected a count of 0 or more, received ${String(value)}`);
  }
  return (Object.entries(breakdown) as [MetricDimension, string][]).map(([dimension, dimensionValue]) => {
    if (!METRIC_BREAKDOWNS[name].includes(dimension)) {
      throw new RangeError(`metric ${name}: ${dimension} is not one of its dimensions`);
    }
    const allowed: readonly string[] = METRIC_DIMENSIONS[dimension];
    if (!allowed.includes(dimensionValue)) {
      throw new RangeError(
        `metric ${name}: dimension ${dimension} cannot be "${dimensionValue}" (expected one of ${allowed.join(', ')})`,
      );
    }
    return { [dimension]: dimensionValue };
  });
}

/**
 * Wrap a handler so the metrics recorded during each invocation are written at its end, whether it
 * returned or threw. Writing them can never change the invocation's outcome: a failure to write is
 * logged (an alert that went out must not be retried because of its metrics) and the result or error
 * of the handler passes through unchanged.
 */
export function flushedAfter<A extends unknown[], R>(
  recorder: Pick<MetricsRecorder, 'flush'>,
  logger: Pick<Logger, 'error'>,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } finally {
      try {
        recorder.flush();
      } catch (error) {
        logger.error('Could not write the metrics of this invocation', { error: describeError(error) });
      }
    }
  };
}
