/**
 * The storm guard's aggregated alerts (docs/adr/0017-rollout-status-and-alert-storms.md): the worker held
 * the alerts of the findings beyond `sweep.alertStormThreshold` accounts per kind; the reporter sends, per
 * kind, one alert listing them, then marks each notified. Each held finding is still a finding in the
 * store, the report and Security Hub; only the e-mail is shared.
 *
 * At most one message per transition: a receipt object per sweep and kind is written after the publish
 * (a retried reporter does not send it again), and each finding is re-read first, so one notified
 * meanwhile (by the checker, say) is left out. Never lost: a finding this step could not alert stays
 * unnotified, and the next sweep (or an event) alerts it.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { FindingStore } from '../core/finding-store';
import { asciiOnly, MAX_SUBJECT_LENGTH } from '../core/message-text';
import { publishAlert, type PublishableMessage } from '../core/publish';
import type { AlertLocale } from '../contract/contract';
import {
  FINDING_SEVERITIES,
  type FindingKind,
  type FindingRef,
  type FindingSeverity,
} from '../contract/findings';
import { SWEEP_KEYS, type SweepFinding } from '../contract/sweep';
import type { SweepReport } from './aggregate';
import { boundBody, MAX_DIGEST_BYTES } from './digest';
import { kindAdvice } from './kind-advice';
import { digestReceiptExists, putReportObject } from './outputs';
import { oneLine } from './results';

/** Entries listed in one aggregated alert; the rest are counted (the report has them all). */
export const STORM_LIST_MAX = 200;

/** The `eventName` and `accountId` attributes of an aggregated alert (it is about many accounts). */
export const AGGREGATED_ACCOUNT_ID = 'multiple';

/** S3 key of the receipt of one kind's aggregated alert. */
export function stormReceiptKey(sweepId: string, kind: FindingKind): string {
  return SWEEP_KEYS.digestReceipt(sweepId).replace(/digest\.json$/, `storm-${kind}.json`);
}

/** The held findings of a report, by kind, in the report's order. Pure. */
export function heldByKind(report: SweepReport): Map<FindingKind, SweepFinding[]> {
  const byKind = new Map<FindingKind, SweepFinding[]>();
  for (const finding of report.accounts.flatMap((a) => a.findings)) {
    if (finding.held !== true || finding.change === 'resolved') continue;
    byKind.set(finding.kind, [...(byKind.get(finding.kind) ?? []), finding]);
  }
  return byKind;
}

/** What an aggregated alert needs besides the findings. */
export interface StormAlertSettings {
  readonly locale: AlertLocale;
  readonly sweepId: string;
}

function highest(findings: readonly SweepFinding[]): FindingSeverity {
  return FINDING_SEVERITIES.find((s) => findings.some((f) => f.severity === s)) ?? 'HIGH';
}

/**
 * One alert for `findings` (all of `kind`): ASCII subject with the count of accounts, the kind's advice,
 * one line per finding (account, name or alias, user, detail), bounded for SNS. Pure.
 */
export function formatStormAlert(
  kind: FindingKind,
  findings: readonly SweepFinding[],
  alertedIndividually: number,
  report: SweepReport,
  settings: StormAlertSettings,
): PublishableMessage {
  const ko = settings.locale === 'ko';
  const accounts = new Set(findings.map((f) => f.accountId)).size;
  const severity = highest(findings);
  const byId = new Map(report.accounts.map((a) => [a.accountId, a]));
  const line = (f: SweepFinding) => {
    const account = byId.get(f.accountId);
    const label = account?.alias ?? account?.name;
    return `  - ${f.severity} ${f.accountId}${label === undefined ? '' : ` (${oneLine(label, 64)})`}${
      f.userName === undefined ? '' : ` "${oneLine(f.userName, 64)}"`
    }${f.detail === undefined || f.detail === kind ? '' : ` ${f.detail}`} [${f.findingId}]`;
  };
  const shown = findings.slice(0, STORM_LIST_MAX).map(line);
  const more = findings.length - shown.length;
  const lines = [
    ko
      ? `조직 전체 점검 ${settings.sweepId}에서 ${kind} 발견 항목이 계정 ${accounts}개에서 새로 열렸습니다. 알림 폭주를 막기 위해 하나의 알림으로 묶었습니다 (각 항목은 발견 항목 저장소, 보고서, Security Hub에 따로 있습니다).`
      : `The org-wide sweep ${settings.sweepId} opened ${kind} in ${accounts} more accounts. To avoid an alert storm they are listed in this one alert (each is still its own finding in the store, the report and Security Hub).`,
    ...(alertedIndividually === 0
      ? []
      : [
          ko
            ? `같은 종류의 다른 ${alertedIndividually}개는 이미 개별 알림으로 보냈습니다.`
            : `${alertedIndividually} other finding(s) of this kind were alerted one by one before the threshold was reached.`,
        ]),
    '',
    `${ko ? '조치 사항' : 'What to do'}: ${kindAdvice(kind, settings.locale)}`,
    '',
    `${ko ? '발견 항목' : 'Findings'} (${findings.length}):`,
    ...shown,
    ...(more > 0
      ? [ko ? `  ... 외 ${more}개 (보고서 참조)` : `  ... and ${more} more (see the report)`]
      : []),
  ];
  const subject = asciiOnly(
    `[org-mfa-watch] ${severity}: sweep found ${kind} in ${accounts} accounts (aggregated)`,
  ).slice(0, MAX_SUBJECT_LENGTH);
  const notice = ko ? '(나머지는 보고서에 있습니다)' : '(the rest is in the report)';
  return {
    subject,
    body: boundBody(lines.join('\n'), MAX_DIGEST_BYTES, notice),
    attributes: {
      severity,
      accountId: AGGREGATED_ACCOUNT_ID,
      eventName: 'Sweep',
      finding: kind,
      findingState: 'OPEN',
      aggregated: 'true',
    },
  };
}

/** What {@link sendStormAlerts} needs. */
export interface StormDeps {
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly store: Pick<FindingStore, 'getFinding' | 'markNotified'>;
  readonly bucket: string;
  readonly topicArn: string;
  readonly locale: AlertLocale;
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  readonly now: () => Date;
}

function refOf(f: SweepFinding): FindingRef {
  const { kind } = f;
  if (kind === 'USER_NO_MFA') return { accountId: f.accountId, kind, userName: f.userName ?? '' };
  return { accountId: f.accountId, kind };
}

/** Still open and never notified in its current open period (re-read, strongly consistent). */
async function stillUnnotified(deps: StormDeps, f: SweepFinding): Promise<boolean> {
  const stored = await deps.store.getFinding(refOf(f));
  if (stored === undefined || stored.state !== 'OPEN') return false;
  return stored.lastNotified === undefined || stored.lastNotified < stored.openedAt;
}

/**
 * Send one aggregated alert per kind with held findings, once per sweep and kind, and mark them
 * notified. A failure of one kind is logged and leaves its findings unnotified (a later sweep alerts
 * them); the others still go out.
 * @returns the kinds alerted, with how many findings each listed
 */
export async function sendStormAlerts(
  deps: StormDeps,
  report: SweepReport,
): Promise<{ kind: FindingKind; findings: number }[]> {
  const sent: { kind: FindingKind; findings: number }[] = [];
  const newOfKind = (kind: FindingKind) =>
    report.accounts.flatMap((a) => a.findings).filter((f) => f.kind === kind && f.change === 'new');
  for (const [kind, held] of heldByKind(report)) {
    const receipt = stormReceiptKey(report.sweepId, kind);
    try {
      if (await digestReceiptExists(deps.s3, deps.bucket, receipt)) continue;
      const pending: SweepFinding[] = [];
      for (const f of held) if (await stillUnnotified(deps, f)) pending.push(f);
      if (pending.length === 0) continue;
      const individually = newOfKind(kind).filter((f) => f.held !== true).length;
      const message = formatStormAlert(kind, pending, individually, report, {
        locale: deps.locale,
        sweepId: report.sweepId,
      });
      const messageId = await publishAlert(deps.sns, deps.topicArn, message);
      await putReportObject(
        deps.s3,
        deps.bucket,
        receipt,
        JSON.stringify({ sweepId: report.sweepId, kind, messageId, findings: pending.length }),
        'application/json',
      );
      for (const f of pending) {
        try {
          await deps.store.markNotified({ ...refOf(f), now: deps.now() });
        } catch (error) {
          deps.logger.warn('Could not record the aggregated notification', { findingId: f.findingId, error });
        }
      }
      deps.logger.info('Aggregated alert published', { kind, findings: pending.length, messageId });
      sent.push({ kind, findings: pending.length });
    } catch (error) {
      deps.logger.error('Aggregated alert not sent; its findings stay unnotified for a later sweep', {
        kind,
        error,
      });
    }
  }
  return sent;
}
