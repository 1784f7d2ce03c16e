import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepAccountItem, SweepFinding } from '../../../functions/contract/sweep';
import { buildReport, type SweepReport } from '../../../functions/sweep-reporter/aggregate';
import type { ReporterSettings } from '../../../functions/sweep-reporter/env';
import { interpretChildren, parseResultFile } from '../../../functions/sweep-reporter/results';

/** The sweep bucket of the tests. */
export const BUCKET = 'org-mfa-watch-sweep-222222222222';

/** The reporter's settings in the tests (the findings table is replaced per test where one is used). */
export const settings: ReporterSettings = {
  bucketName: BUCKET,
  alertTopicArn: 'arn:aws:sns:us-east-1:222222222222:org-mfa-watch-alerts',
  partition: 'aws',
  region: 'us-east-1',
  locale: 'en',
  timeZone: 'UTC',
  findings: { tableName: 'unset', resolvedRetentionDays: 90 },
};

/** The sweep of the ResultWriter fixture. */
export const SWEEP_ID = 'daily-20261201';
export const NOW = new Date('2026-12-01T03:20:00.000Z');
export const FIXTURES = join(__dirname, 'fixtures', 'result-writer');
export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** The plan's items: the fixture's six accounts, one outside the rollout (no result), one excluded. */
export const ITEMS: SweepAccountItem[] = [
  { accountId: '111111111111', name: 'prod', coverage: 'stackset' },
  { accountId: '222222222222', name: 'legacy', coverage: 'stackset' },
  { accountId: '333333333333', name: 'clean', coverage: 'stackset' },
  { accountId: '444444444444', name: 'rooty', coverage: 'stackset' },
  { accountId: '555555555555', name: 'slow-1', coverage: 'stackset' },
  { accountId: '666666666666', name: 'slow-2', coverage: 'excluded' },
  { accountId: '777777777777', name: 'sandbox', coverage: 'outside-rollout' },
  { accountId: '999999999999', name: 'management', coverage: 'management-stack' },
];

/** A finding of an account that left the organization, as the reporter resolves it. */
export const DEPARTED: SweepFinding = {
  accountId: '121212121212',
  userName: 'gone',
  kind: 'USER_NO_MFA',
  severity: 'HIGH',
  findingId: 'f-00000000000000000009',
  change: 'resolved',
  firstSeen: '2026-10-01T00:00:00.000Z',
  resolvedBecause: 'account-removed',
};

/** The report of the fixture's Map Run. */
export function sampleReport(
  overrides: { removed?: SweepFinding[]; storeProblem?: string } = {},
): SweepReport {
  const { batches, failures } = interpretChildren([
    ...parseResultFile(fixture('SUCCEEDED_0.json'), 'succeeded'),
    ...parseResultFile(fixture('FAILED_0.json'), 'failed'),
  ]);
  return buildReport({
    sweepId: SWEEP_ID,
    mode: 'scheduled',
    fullSweep: true,
    items: ITEMS,
    batches: [
      ...batches,
      {
        accounts: [
          { accountId: '999999999999', name: 'management', outcome: 'checked', users: 1, findings: [] },
        ],
      },
    ],
    failures,
    removedAccountFindings: overrides.removed ?? [DEPARTED],
    skipped: [],
    ...(overrides.storeProblem === undefined ? {} : { storeProblem: overrides.storeProblem }),
    now: NOW,
  });
}
