import { WATCHED_EVENT_NAMES, type AlertLocale } from '../functions/contract/contract';
import type { Exemption } from '../functions/contract/exemption';
import { planEvent, type Plan } from '../functions/checker/decide';
import { judgeRoot, judgeUser } from '../functions/core/judge';
import { InvalidEventError } from '../functions/checker/errors';
import { evaluateExemptions } from '../functions/core/exemptions';
import { formatAlert, type AlertInput, type FindingRecord } from '../functions/checker/format';
import type { AlertMessage, FormatSettings } from '../functions/core/message-parts';
import type { ConsoleAccess } from '../functions/contract/console-access';
import { findingId, subjectOf, type FindingRef } from '../functions/contract/findings';
import { parseEvent, type ParsedEvent } from '../functions/checker/parse-event';
import { watchedEventPattern } from '../stacks/event-pattern';
import { UsageError, loadToolConfig, runTool } from './cli';
import {
  HINT,
  USAGE,
  commandLineOptions,
  parsePreviewCommandLine,
  type PreviewValues,
} from './preview-command-line';
import { SWEEP_KEYS } from '../functions/contract/sweep';
import { toEnvelope } from './envelope';
import { readRecords } from './preview-input';
import { readReport, renderChat, renderDigest, renderResolutions } from './preview-extras';
import { matchesPattern } from './event-pattern-match';

/** What the preview assumes IAM would answer, and how the deployment is set. */
export interface PreviewOptions {
  readonly locale: AlertLocale;
  readonly timeZone: string;
  readonly mfa: 'none' | 'virtual';
  readonly console: boolean;
  readonly gracePeriodHours: number;
  /** Send the creation notice (config `notifyOnCreate`). @default true */
  readonly notifyOnCreate?: boolean;
  /** Configured exemptions (config `exemptions`). @default [] */
  readonly exemptions?: readonly Exemption[];
  readonly partition: string;
  /** The account's alias, as ListAccountAliases would answer (config: none). @default none */
  readonly accountAlias?: string;
  /** IAM Identity Center sign-in for console links (config `console`). @default plain links */
  readonly consoleAccess?: ConsoleAccess;
}

/**
 * The finding-store record a new finding gets: its stable id and, as first seen, the time of the check
 * (the checker's clock when it records the finding). The same function of the same inputs as the store's.
 */
function newRecord(ref: FindingRef, checkedAt: Date): FindingRecord {
  return { findingId: findingId(ref.accountId, ref.kind, subjectOf(ref)), firstSeen: checkedAt };
}

/** The messages the checker would publish for one event, or why it would publish none. */
export type Preview =
  | {
      readonly kind: 'messages';
      readonly messages: readonly AlertMessage[];
      /** What each message was rendered from, in order (for the chat and resolution renderings). */
      readonly inputs: readonly AlertInput[];
      readonly note?: string;
    }
  | { readonly kind: 'none'; readonly reason: string };

const HOUR_MS = 60 * 60 * 1000;

/** The member forward rule's pattern as EventBridge receives it (CloudFormation key names). */
function memberRulePattern(): Record<string, unknown> {
  const { source, detailType, detail } = watchedEventPattern();
  return { source, 'detail-type': detailType, detail };
}

/**
 * Why the member forward rule would not forward this envelope, or undefined when it would. The rule's
 * own pattern (stacks/event-pattern.ts) decides; the reason only names the likely field.
 */
export function notForwardedReason(envelope: Record<string, unknown>): string | undefined {
  if (matchesPattern(memberRulePattern(), envelope)) return undefined;
  const detail = (envelope.detail ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  if (detail.errorCode !== undefined) {
    return `the ${text(detail.eventName)} call failed (${text(detail.errorCode)}); only successful calls are forwarded`;
  }
  return `it forwards only successful aws.iam calls ${WATCHED_EVENT_NAMES.join(', ')}; this is ${text(envelope.source)} ${text(detail.eventName)}`;
}

/** Renders each alert as the checker would and keeps what it was rendered from, in order. */
interface Emitter {
  readonly inputs: AlertInput[];
  readonly emit: (input: AlertInput) => AlertMessage;
}

function emitter(options: PreviewOptions): Emitter {
  const settings = {
    locale: options.locale,
    timeZone: options.timeZone,
    partition: options.partition,
    ...(options.consoleAccess === undefined ? {} : { consoleAccess: options.consoleAccess }),
  };
  const inputs: AlertInput[] = [];
  return {
    inputs,
    emit: (input) => {
      inputs.push(input);
      return formatAlert(input, settings);
    },
  };
}

/** The account alias of the options, as the alert input carries it. */
function aliasOf(options: PreviewOptions): { readonly accountAlias?: string } {
  return options.accountAlias === undefined ? {} : { accountAlias: options.accountAlias };
}

/** A root event: the root user's state is read from IAM (the options say whether it has MFA; a password). */
function previewRoot(event: ParsedEvent, options: PreviewOptions, out: Emitter): Preview {
  const verdict = judgeRoot({ mfaEnabled: options.mfa !== 'none', passwordPresent: true });
  const record = newRecord({ accountId: event.accountId, kind: 'ROOT_NO_MFA' }, event.eventTime);
  return verdict.action === 'alert'
    ? {
        kind: 'messages',
        inputs: out.inputs,
        messages: [
          out.emit({
            finding: verdict.finding,
            severity: verdict.severity,
            event,
            ...aliasOf(options),
            record,
          }),
        ],
      }
    : { kind: 'none', reason: verdict.reason };
}

type UserPlan = Extract<Plan, { readonly action: 'follow-rename' | 'check' | 'schedule' }>;

/** A user event: the creation notice (when scheduled with one), then the check's alert, if any. */
function previewUser(event: ParsedEvent, plan: UserPlan, options: PreviewOptions, out: Emitter): Preview {
  const messages: AlertMessage[] = [];
  if (plan.action === 'schedule' && plan.notify) {
    messages.push(
      out.emit({
        finding: 'USER_CREATED',
        severity: 'INFO',
        event,
        userName: plan.userName,
        checkDueAt: plan.due,
      }),
    );
  }
  // Exemptions are judged when the check runs: after the grace period for a scheduled re-check.
  const checkedAt = plan.action === 'schedule' ? plan.due : event.eventTime;
  const path = plan.action === 'check' ? plan.path : undefined;
  const exemption = evaluateExemptions(
    {
      accountId: event.accountId,
      userName: plan.userName,
      ...(path === undefined ? {} : { path }),
      tags: [],
    },
    options.exemptions ?? [],
    checkedAt,
    // The preview has no user tags to read: tag trust cannot change its result.
    { trustTags: false },
  );
  const facts = {
    exists: true,
    mfaDeviceCount: options.mfa === 'none' ? 0 : 1,
    hasConsolePassword: options.console,
  };
  const verdict = judgeUser(facts, exemption);
  if (verdict.action !== 'alert') {
    if (messages.length === 0) return { kind: 'none', reason: verdict.reason };
  } else {
    messages.push(
      out.emit({
        finding: verdict.finding,
        severity: verdict.severity,
        event,
        userName: plan.userName,
        afterGracePeriod: plan.action === 'schedule',
        ...(verdict.note === undefined ? {} : { note: verdict.note }),
        ...aliasOf(options),
        record: newRecord(
          { accountId: event.accountId, kind: 'USER_NO_MFA', userName: plan.userName },
          checkedAt,
        ),
      }),
    );
  }
  return plan.action === 'schedule'
    ? {
        kind: 'messages',
        messages,
        inputs: out.inputs,
        note: `the check runs ${options.gracePeriodHours} h after the event, at ${new Date(event.eventTime.getTime() + options.gracePeriodHours * HOUR_MS).toISOString()}`,
      }
    : { kind: 'messages', messages, inputs: out.inputs };
}

/**
 * Run the checker's own pure modules on one event (EventBridge envelope or raw CloudTrail record) with
 * IAM's answer given by the options. Offline, no AWS call. Pure.
 */
export function previewEvent(raw: unknown, options: PreviewOptions): Preview {
  const envelope = toEnvelope(raw);
  const notForwarded = notForwardedReason(envelope);
  if (notForwarded !== undefined) {
    return { kind: 'none', reason: `not forwarded by the member rule: ${notForwarded}` };
  }
  const event = parseEvent(envelope);
  const out = emitter(options);
  // The clock of the preview is the event time, so a grace period is always still running.
  const plan = planEvent(
    event,
    { gracePeriodHours: options.gracePeriodHours, notifyOnCreate: options.notifyOnCreate ?? true },
    event.eventTime,
  );
  switch (plan.action) {
    case 'skip':
      return { kind: 'none', reason: plan.reason };
    case 'check-root':
      return previewRoot(event, options, out);
    case 'follow-rename':
    case 'check':
    case 'schedule':
      return previewUser(event, plan, options, out);
  }
}

/** Render a preview as the operator reads it. */
export function renderPreview(preview: Preview): string {
  if (preview.kind === 'none') return `No message would be published: ${preview.reason}\n`;
  const parts = preview.messages.map((m, i) =>
    [
      `--- message ${i + 1} of ${preview.messages.length} ---`,
      `Subject: ${m.subject}`,
      `Attributes: ${Object.entries(m.attributes)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
      '',
      m.body,
      '',
    ].join('\n'),
  );
  return `${preview.note ? `(${preview.note})\n` : ''}${parts.join('\n')}`;
}

/** Print each record's preview (and its chat and resolution renderings); the number quarantined. */
function printPreviews(
  records: readonly unknown[],
  options: PreviewOptions,
  settings: FormatSettings,
  values: PreviewValues,
): number {
  let quarantined = 0;
  records.forEach((record, i) => {
    if (records.length > 1)
      process.stdout.write(`${i > 0 ? '\n' : ''}=== record ${i + 1} of ${records.length} ===\n`);
    try {
      const preview = previewEvent(record, options);
      process.stdout.write(renderPreview(preview));
      if (preview.kind === 'messages' && values.chat === true) {
        process.stdout.write(`\n${renderChat(preview.inputs, settings)}`);
      }
      if (preview.kind === 'messages' && values.resolution === true) {
        process.stdout.write(`\n${renderResolutions(preview.inputs, settings)}`);
      }
    } catch (error) {
      if (
        !(error instanceof InvalidEventError) &&
        !(error instanceof TypeError && /JSON object/.test(error.message))
      ) {
        throw error;
      }
      quarantined += 1;
      process.stdout.write(`The checker would quarantine this event: ${error.message}\n`);
    }
  });
  return quarantined;
}

/** CLI: exit 0 with the previews, 2 on bad usage, an unusable file or an event the checker rejects. */
export function main(argv: readonly string[]): number {
  const { values, positionals } = parsePreviewCommandLine(argv);
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined && values.digest === undefined) {
    throw new UsageError('no event file given (or --digest report.json)');
  }
  const given = commandLineOptions(values);
  const records = file === undefined ? [] : readRecords(file);
  const report = values.digest === undefined ? undefined : readReport(values.digest);
  const config = loadToolConfig('preview', values.config, { touchesAws: false });
  const options: PreviewOptions = {
    locale: given.locale ?? config.notifications.locale,
    timeZone: values.tz ?? config.notifications.timeZone,
    gracePeriodHours: given.grace ?? config.gracePeriodHours,
    notifyOnCreate: given.notify ?? config.notifyOnCreate,
    exemptions: config.exemptions,
    mfa: given.mfa,
    console: given.console,
    partition: given.partition,
    ...(values.alias === undefined ? {} : { accountAlias: values.alias }),
    ...(config.console === undefined ? {} : { consoleAccess: config.console }),
  };
  const settings = {
    locale: options.locale,
    timeZone: options.timeZone,
    partition: given.partition,
    ...(config.console === undefined ? {} : { consoleAccess: config.console }),
  };
  if (report !== undefined) {
    process.stdout.write(
      renderDigest(report, {
        ...settings,
        region: config.homeRegion,
        bucket: values.bucket ?? '<sweep bucket>',
        reportCsvKey: SWEEP_KEYS.reportCsv(report.sweepId),
        reportJsonKey: SWEEP_KEYS.reportJson(report.sweepId),
      }),
    );
  }
  return printPreviews(records, options, settings, values) > 0 ? 2 : 0;
}

if (require.main === module) {
  void runTool('preview', () => main(process.argv.slice(2)), HINT).then((code) => {
    process.exitCode = code;
  });
}
