import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MetricsRecorder, createMetrics, flushedAfter } from '../../../functions/core/metrics';
import {
  METRIC_BREAKDOWNS,
  METRIC_DIMENSIONS,
  METRIC_NAMES,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
} from '../../../functions/contract/metrics';
import { captureEmf, datapointsOf, emfProblems, metricSum, type EmfCapture } from '../../helpers/emf';

// The recorder on a REAL Powertools Metrics: its EMF lines are captured from stdout, checked against the
// EMF specification (CloudWatch User Guide, "Specification: Embedded metric format") and read back the
// way CloudWatch extracts metrics: one metric per name and dimension set.

const service = { service: METRICS_SERVICE };
let capture: EmfCapture;
let recorder: MetricsRecorder;

beforeEach(() => {
  capture = captureEmf();
  recorder = new MetricsRecorder(createMetrics());
});
afterEach(() => {
  capture.restore();
});

/** Flush, check every document against the spec, and return what CloudWatch would extract. */
function flushed() {
  recorder.flush();
  const docs = capture.take();
  for (const doc of docs) expect(emfProblems(doc)).toEqual([]);
  return { docs, points: datapointsOf(docs) };
}

describe('MetricsRecorder', () => {
  it('writes nothing when nothing was recorded (no empty EMF, no Powertools warning)', () => {
    const write = vi.spyOn(process.stdout, 'write');
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    recorder.flush();
    expect(write).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(recorder.pending).toBe(false);
  });

  it('counts an alert in total, by severity and by finding, in the contract namespace and service', () => {
    recorder.alertPublished('HIGH', 'NO_MFA_CONSOLE');
    recorder.alertPublished('HIGH', 'NO_MFA_CONSOLE');
    recorder.alertPublished('CRITICAL', 'ROOT_NO_MFA');
    const { docs, points } = flushed();
    expect(new Set(points.map((p) => p.namespace))).toEqual(new Set([METRICS_NAMESPACE]));
    expect(new Set(points.map((p) => p.unit))).toEqual(new Set(['Count']));
    expect(metricSum(points, 'Alerts', service)).toBe(3);
    expect(metricSum(points, 'Alerts', { ...service, Severity: 'HIGH' })).toBe(2);
    expect(metricSum(points, 'Alerts', { ...service, Severity: 'CRITICAL' })).toBe(1);
    expect(metricSum(points, 'Alerts', { ...service, Finding: 'NO_MFA_CONSOLE' })).toBe(2);
    expect(metricSum(points, 'Alerts', { ...service, Finding: 'ROOT_NO_MFA' })).toBe(1);
    // Never a combined Severity+Finding set: each breakdown is its own metric.
    expect(points.every((p) => Object.keys(p.dimensions).length <= 2)).toBe(true);
    // One document for the totals, one per (severity, finding) combination.
    expect(docs).toHaveLength(3);
  });

  it('uses the contract service name whatever POWERTOOLS_SERVICE_NAME says', () => {
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'something-else');
    try {
      recorder = new MetricsRecorder(createMetrics());
      recorder.checkCompleted();
      expect(metricSum(flushed().points, 'ChecksCompleted', service)).toBe(1);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('counts new and resolved findings by source, and resolutions by reason', () => {
    recorder.findingOpened('event');
    recorder.findingOpened('sweep');
    recorder.findingResolved('mfa-enabled', 'event');
    recorder.findingResolved('deleted', 'sweep');
    recorder.findingResolved('deleted', 'sweep');
    const { points } = flushed();
    expect(metricSum(points, 'NewFindings', service)).toBe(2);
    expect(metricSum(points, 'NewFindings', { ...service, Source: 'sweep' })).toBe(1);
    expect(metricSum(points, 'ResolvedFindings', service)).toBe(3);
    expect(metricSum(points, 'ResolvedFindings', { ...service, Source: 'sweep' })).toBe(2);
    expect(metricSum(points, 'ResolvedFindings', { ...service, Reason: 'deleted' })).toBe(2);
    expect(metricSum(points, 'ResolvedFindings', { ...service, Reason: 'mfa-enabled' })).toBe(1);
  });

  it('writes a sweep: account outcomes and open findings per severity, zeros included', () => {
    recorder.sweepAccounts({ checked: 40, notCovered: 2, failed: 0, rolloutPending: 7 });
    recorder.openFindings({ CRITICAL: 0, HIGH: 3, MEDIUM: 4 });
    const { points } = flushed();
    expect(metricSum(points, 'SweepAccountsChecked', service)).toBe(40);
    expect(metricSum(points, 'SweepAccountsNotCovered', service)).toBe(2);
    expect(metricSum(points, 'SweepAccountsFailed', service)).toBe(0);
    expect(metricSum(points, 'SweepAccountsRolloutPending', service)).toBe(7);
    expect(metricSum(points, 'OpenFindings', { ...service, Severity: 'CRITICAL' })).toBe(0);
    expect(metricSum(points, 'OpenFindings', { ...service, Severity: 'HIGH' })).toBe(3);
    expect(metricSum(points, 'OpenFindings', { ...service, Severity: 'MEDIUM' })).toBe(4);
    expect(metricSum(points, 'OpenFindings', service)).toBe(7);
  });

  it('treats open findings as a level: a second report in one invocation replaces the first', () => {
    recorder.openFindings({ CRITICAL: 1, HIGH: 3, MEDIUM: 4 });
    recorder.openFindings({ CRITICAL: 0, HIGH: 2, MEDIUM: 4 });
    const { points } = flushed();
    expect(metricSum(points, 'OpenFindings', service)).toBe(6);
    expect(metricSum(points, 'OpenFindings', { ...service, Severity: 'HIGH' })).toBe(2);
  });

  it('counts failures, quarantined events and Security Hub export failures', () => {
    recorder.checkFailed();
    recorder.eventQuarantined();
    recorder.eventQuarantined();
    recorder.recordExportFailure();
    recorder.recordExportFailure(3);
    const { points } = flushed();
    expect(metricSum(points, 'CheckFailures', service)).toBe(1);
    expect(metricSum(points, 'QuarantinedEvents', service)).toBe(2);
    expect(metricSum(points, 'SecurityHubExportFailures', service)).toBe(4);
  });

  it('starts over after a flush', () => {
    recorder.checkCompleted();
    flushed();
    expect(recorder.pending).toBe(false);
    recorder.checkCompleted();
    expect(metricSum(flushed().points, 'ChecksCompleted', service)).toBe(1);
  });

  it.each([
    [
      'a user name as a finding',
      () => {
        recorder.alertPublished('HIGH', 'alice' as never);
      },
    ],
    [
      'an account id as a severity',
      () => {
        recorder.alertPublished('111122223333' as never, 'CHECK_FAILED');
      },
    ],
    [
      'an unknown resolution reason',
      () => {
        recorder.findingResolved('gone' as never, 'event');
      },
    ],
    [
      'a negative count',
      () => {
        recorder.recordExportFailure(-1);
      },
    ],
  ])('rejects %s, naming the metric', (_name, call) => {
    expect(call).toThrow(/^metric \w+: /);
    recorder.flush();
    expect(capture.take()).toEqual([]);
  });

  it('declares only breakdown dimensions with bounded value lists (no account, no user)', () => {
    for (const dimensions of Object.values(METRIC_BREAKDOWNS)) {
      for (const dimension of dimensions) {
        const values: readonly string[] = METRIC_DIMENSIONS[dimension];
        expect(values.length).toBeLessThanOrEqual(10);
        expect(values.some((v) => /^\d{12}$/.test(v))).toBe(false);
      }
    }
    expect(Object.keys(METRIC_BREAKDOWNS).sort()).toEqual(Object.values(METRIC_NAMES).sort());
  });
});

describe('flushedAfter', () => {
  const logger = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

  it('writes the metrics of an invocation that threw, and rethrows its error unchanged', async () => {
    const failure = new Error('IAM unreachable');
    const handler = flushedAfter(recorder, logger, async () => {
      recorder.checkFailed();
      return Promise.reject(failure);
    });
    await expect(handler()).rejects.toBe(failure);
    expect(metricSum(datapointsOf(capture.take()), 'CheckFailures', service)).toBe(1);
  });

  it('returns the result when writing the metrics fails, and logs the failure', async () => {
    const error = vi.spyOn(logger, 'error');
    const broken = {
      flush: () => {
        throw new Error('stdout closed');
      },
    };
    const handler = flushedAfter(broken, logger, (n: number) => Promise.resolve(n * 2));
    await expect(handler(21)).resolves.toBe(42);
    expect(error).toHaveBeenCalledWith('Could not write the metrics of this invocation', {
      error: 'Error: stdout closed',
    });
  });
});
