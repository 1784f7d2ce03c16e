import { MAX_SUBJECT_LENGTH, asciiOnly, consoleHost, utcAndZoned, wallClock } from '../core/message-text';
import type { AlertLocale } from '../contract/contract';
import { FINDING_SEVERITIES, type FindingSeverity } from '../contract/findings';
import type { SweepFinding } from '../contract/sweep';
import { compareFindings, digestSeverity, type AccountReport, type SweepReport } from './aggregate';
import {
  digestCounts,
  extraTexts,
  groupAccounts,
  subjectAccounts,
  suppressedLines,
  todoLines,
  type ExtraTexts,
  type GapWithFailure,
} from './digest-extra';
import { MAX_QUOTE, digestTexts, type DigestTexts } from './digest-texts';
import { enforcementLines } from './enforcement-digest';
import { oneLine } from './results';
import { boundBody } from './bounded-body';
import { canaryDigestLines } from './canary-digest';

/** Re-exported: the storm guard's aggregated alert and the tests bound their bodies the same way. */
export { boundBody };

/** How the digest is rendered and where the report is. */
export interface DigestSettings {
  readonly locale: AlertLocale;
  readonly timeZone: string;
  /** Partition and region of the deployment (console host and the S3 console link). */
  readonly partition: string;
  readonly region: string;
  readonly bucket: string;
  readonly reportCsvKey: string;
  readonly reportJsonKey: string;
}

/** The digest as published: ASCII subject, localized plain-text body, filter attributes. */
export interface DigestMessage {
  readonly subject: string;
  readonly body: string;
  readonly attributes: { readonly severity: FindingSeverity | 'INFO'; readonly finding: 'SWEEP_DIGEST' };
}

/** Entries shown per list (new, resolved, gaps, failures); the rest are counted, and in the report. */
export const DIGEST_LIST_MAX = 20;
/** Accounts shown in "open by account". */
export const DIGEST_ACCOUNTS_MAX = 10;
/**
 * SNS limits a message (body and attributes) to 256 KiB (Amazon SNS quotas, "Message size"). The lists
 * above keep a digest near 20 KB whatever the sweep's size; this is the last guard.
 */
export const MAX_DIGEST_BYTES = 200_000;
function accountLabel(accountId: string, account: Pick<AccountReport, 'alias' | 'name'> | undefined): string {
  const label = account?.alias ?? account?.name;
  return label === undefined ? accountId : `${accountId} (${oneLine(label, 64)})`;
}

function limited<T>(
  items: readonly T[],
  max: number,
  render: (item: T) => string,
  more: (n: number) => string,
  none: string,
): string[] {
  if (items.length === 0) return [none];
  const shown = items.slice(0, max).map(render);
  return items.length > max ? [...shown, more(items.length - max)] : shown;
}

function severityCounts(counts: Readonly<Record<FindingSeverity, number>>): string {
  return FINDING_SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${s} ${counts[s]}`)
    .join(', ');
}

/** The S3 console page of an object, on the partition's console host. Pure. */
export function s3ConsoleLink(partition: string, region: string, bucket: string, key: string): string {
  return `https://${consoleHost(partition)}/s3/object/${encodeURIComponent(bucket)}?region=${encodeURIComponent(region)}&prefix=${encodeURIComponent(key)}`;
}

/**
 * Subject: `[org-mfa-watch] Sweep: 3 new, 1 resolved, 12 open; 2 coverage gaps, 1 not checked`, ASCII,
 * under 100 characters; the same counts, by the same names, as the body's first lines.
 */
function subjectOf(report: SweepReport): string {
  const t = report.totals;
  const text = `[org-mfa-watch] Sweep: ${t.newFindings} new, ${t.resolvedFindings} resolved, ${t.openFindings} open; ${subjectAccounts(digestCounts(report))}`;
  return asciiOnly(text).slice(0, MAX_SUBJECT_LENGTH);
}

/** The texts and the renderers every section of one digest shares. */
interface DigestView {
  readonly t: DigestTexts;
  readonly x: ExtraTexts;
  /** Who and where: the user (or root user) in its labelled account. */
  readonly where: (f: SweepFinding) => string;
  /** A timestamp on the deployment's wall clock, or undefined when absent or not a date. */
  readonly time: (iso: string | undefined) => string | undefined;
  /** A resolution reason in words (an unknown one quoted, one line). */
  readonly reasonText: (reason: string | undefined) => string;
}

function digestView(report: SweepReport, settings: DigestSettings): DigestView {
  const t = digestTexts(settings.locale);
  const byId = new Map(report.accounts.map((a) => [a.accountId, a]));
  const where = (f: SweepFinding) => {
    const account = accountLabel(f.accountId, byId.get(f.accountId));
    if (f.userName !== undefined) return t.in(`"${oneLine(f.userName, 64)}"`, account);
    return f.kind === 'ROOT_NO_MFA' ? t.in(t.root, account) : t.accountOnly(account);
  };
  const time = (iso: string | undefined) => {
    const date = iso === undefined ? undefined : new Date(iso);
    return date === undefined || Number.isNaN(date.getTime())
      ? undefined
      : `${wallClock(date, settings.timeZone)} (${settings.timeZone})`;
  };
  const reasons: Readonly<Record<string, string>> = t.reasons;
  const reasonText = (reason: string | undefined) =>
    reason === undefined ? '-' : (reasons[reason] ?? oneLine(reason, 64));
  return { t, x: extraTexts(settings.locale), where, time, reasonText };
}

function scopeText(report: SweepReport, t: DigestTexts): string {
  return report.mode === 'joined'
    ? t.scope.joined
    : !report.fullSweep
      ? t.scope.onDemandSome
      : report.mode === 'scheduled'
        ? t.scope.scheduled
        : t.scope.onDemandAll;
}

/** Headline, finish time, counts, and the notes on what could not be done. */
function headerLines(report: SweepReport, settings: DigestSettings, { t, x }: DigestView): string[] {
  return [
    t.headline(report.sweepId, scopeText(report, t)),
    `${t.finishedAt}: ${utcAndZoned(new Date(report.generatedAt), settings.timeZone)}`,
    ...(report.fullSweep ? [] : [t.partial]),
    '',
    x.accounts(digestCounts(report)),
    t.findings(report.totals),
    ...(report.storeProblem === undefined ? [] : [t.storeProblem(report.storeProblem)]),
    ...(report.rolloutProblem === undefined
      ? []
      : [x.rolloutProblem(oneLine(report.rolloutProblem, MAX_QUOTE))]),
  ];
}

/** Accounts with open findings, most CRITICAL first, then most HIGH, then most open, then by id. */
function openByAccount(report: SweepReport) {
  return report.accounts
    .map((account) => {
      const open = account.findings.filter((f) => f.change !== 'resolved');
      const counts: Record<FindingSeverity, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0 };
      open.forEach((f) => (counts[f.severity] += 1));
      return { account, total: open.length, counts };
    })
    .filter((a) => a.total > 0)
    .sort(
      (a, b) =>
        b.counts.CRITICAL - a.counts.CRITICAL ||
        b.counts.HIGH - a.counts.HIGH ||
        b.total - a.total ||
        a.account.accountId.localeCompare(b.account.accountId),
    );
}

/** New and resolved findings, then open findings by severity and by account. */
function findingLines(report: SweepReport, { t, where, time, reasonText }: DigestView): string[] {
  const all = report.accounts.flatMap((a) => a.findings);
  const added = all.filter((f) => f.change === 'new').sort(compareFindings);
  const resolved = [...all.filter((f) => f.change === 'resolved'), ...report.removedAccountFindings].sort(
    compareFindings,
  );
  return [
    `${t.sections.new} (${added.length}):`,
    ...limited(
      added,
      DIGEST_LIST_MAX,
      (f) => {
        const lastUsed = time(f.lastUsed);
        return `  - ${f.severity} ${f.kind}: ${where(f)}${f.consolePassword === true ? t.console : ''}${lastUsed === undefined ? '' : t.lastUsed(lastUsed)}`;
      },
      t.more,
      t.none,
    ),
    '',
    `${t.sections.resolved} (${resolved.length}):`,
    ...limited(
      resolved,
      DIGEST_LIST_MAX,
      (f) => `  - ${f.kind}: ${where(f)}: ${reasonText(f.resolvedBecause)}`,
      t.more,
      t.none,
    ),
    '',
    `${t.sections.bySeverity}: ${severityCounts(report.openBySeverity) || '0'}`,
    `${t.sections.byAccount}:`,
    ...limited(
      openByAccount(report),
      DIGEST_ACCOUNTS_MAX,
      (a) => `  - ${accountLabel(a.account.accountId, a.account)}: ${a.total} (${severityCounts(a.counts)})`,
      t.moreAccounts,
      t.none,
    ),
  ];
}

/** Accounts the sweep did not fully check: coverage gaps, rollout pending, not checked, not swept. */
function accountLines(report: SweepReport, { t, x }: DigestView): string[] {
  const groups = groupAccounts(report);
  const failures = groups.notChecked;
  return [
    `${t.sections.gaps} (${groups.gaps.length}):`,
    ...limited(
      groups.gaps,
      DIGEST_LIST_MAX,
      (g: GapWithFailure) =>
        `  - ${accountLabel(g.accountId, g)}: ${t.gap(g)}${g.failedBecause === undefined ? '' : x.failedToo(oneLine(x.reason(g.failedBecause), MAX_QUOTE))}`,
      t.more,
      t.none,
    ),
    ...(groups.pending.length === 0
      ? []
      : [
          '',
          `${x.pendingSection} (${groups.pending.length}):`,
          ...limited(
            groups.pending,
            DIGEST_LIST_MAX,
            (a) => `  - ${accountLabel(a.accountId, a)}: ${oneLine(x.reason(a.reason ?? '-'), MAX_QUOTE)}`,
            t.more,
            t.none,
          ),
        ]),
    '',
    `${t.sections.failures} (${failures.length}):`,
    ...limited(
      failures,
      DIGEST_LIST_MAX,
      (a) => `  - ${accountLabel(a.accountId, a)}: ${oneLine(x.reason(a.reason ?? '-'), MAX_QUOTE)}`,
      t.more,
      t.none,
    ),
    ...(report.skipped.length === 0
      ? []
      : [
          '',
          `${t.sections.skipped} (${report.skipped.length}):`,
          ...limited(
            report.skipped,
            DIGEST_LIST_MAX,
            (s) => `  - ${s.accountId} (${oneLine(s.state, 32)})`,
            t.more,
            t.none,
          ),
        ]),
  ];
}

/**
 * Render the sweep's one digest: totals, new and resolved findings, open findings by severity and by
 * account, coverage gaps, failures, and the report's console link. Lists are cut at
 * {@link DIGEST_LIST_MAX} entries with "and N more", untrusted text is one line and bounded, so the
 * message stays far under SNS's 256 KiB whatever the organization's size. Pure.
 */
export function formatDigest(report: SweepReport, settings: DigestSettings): DigestMessage {
  const view = digestView(report, settings);
  const { t } = view;
  const lines = [
    ...headerLines(report, settings, view),
    '',
    ...findingLines(report, view),
    ...suppressedLines(report, settings.locale, view.where, DIGEST_LIST_MAX),
    ...todoLines(report, settings.locale),
    ...canaryDigestLines(report, settings.locale, settings.timeZone),
    ...enforcementLines(report.enforcement, settings.locale),
    '',
    ...accountLines(report, view),
    '',
    `${t.sections.report}: ${s3ConsoleLink(settings.partition, settings.region, settings.bucket, settings.reportCsvKey)}`,
    `${t.jsonReport}: s3://${settings.bucket}/${settings.reportJsonKey}`,
  ];
  const link = `${t.sections.report}: s3://${settings.bucket}/${settings.reportCsvKey}`;
  return {
    subject: subjectOf(report),
    body: boundBody(lines.join('\n'), MAX_DIGEST_BYTES, link),
    attributes: { severity: digestSeverity(report), finding: 'SWEEP_DIGEST' },
  };
}
