import { readFileSync, statSync } from 'node:fs';
import { ALERT_LOCALES, WATCHED_EVENT_NAMES, type AlertLocale } from '../functions/shared/contract';
import { isIanaTimeZone } from '../functions/shared/time-zone';
import type { Exemption } from '../functions/shared/exemption';
import { planEvent } from '../functions/checker/decide';
import { judgeRoot, judgeUser } from '../functions/core/judge';
import { InvalidEventError } from '../functions/checker/errors';
import { evaluateExemptions } from '../functions/core/exemptions';
import { formatAlert, type AlertMessage } from '../functions/checker/format';
import { parseEvent } from '../functions/checker/parse-event';
import { watchedEventPattern } from '../stacks/event-pattern';
import { CONFIG_OPTION, UsageError, loadToolConfig, parseCommandLine, runTool } from './cli';
import { toEnvelope } from './envelope';
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
}

/** The messages the checker would publish for one event, or why it would publish none. */
export type Preview =
  | { readonly kind: 'messages'; readonly messages: readonly AlertMessage[]; readonly note?: string }
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
  const settings = { locale: options.locale, timeZone: options.timeZone, partition: options.partition };
  // The clock of the preview is the event time, so a grace period is always still running.
  const plan = planEvent(
    event,
    { gracePeriodHours: options.gracePeriodHours, notifyOnCreate: options.notifyOnCreate ?? true },
    event.eventTime,
  );
  const facts = {
    exists: true,
    mfaDeviceCount: options.mfa === 'none' ? 0 : 1,
    hasConsolePassword: options.console,
  };
  switch (plan.action) {
    case 'skip':
      return { kind: 'none', reason: plan.reason };
    case 'check-root': {
      // The root user's state is read from IAM: the options say whether it has MFA; assume a password.
      const verdict = judgeRoot({ mfaEnabled: options.mfa !== 'none', passwordPresent: true });
      return verdict.action === 'alert'
        ? {
            kind: 'messages',
            messages: [
              formatAlert({ finding: verdict.finding, severity: verdict.severity, event }, settings),
            ],
          }
        : { kind: 'none', reason: verdict.reason };
    }
    case 'follow-rename':
    case 'check':
    case 'schedule': {
      const messages: AlertMessage[] = [];
      if (plan.action === 'schedule' && plan.notify) {
        messages.push(
          formatAlert(
            {
              finding: 'USER_CREATED',
              severity: 'INFO',
              event,
              userName: plan.userName,
              checkDueAt: plan.due,
            },
            settings,
          ),
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
      const verdict = judgeUser(facts, exemption);
      if (verdict.action !== 'alert') {
        if (messages.length === 0) return { kind: 'none', reason: verdict.reason };
      } else {
        messages.push(
          formatAlert(
            {
              finding: verdict.finding,
              severity: verdict.severity,
              event,
              userName: plan.userName,
              afterGracePeriod: plan.action === 'schedule',
              ...(verdict.note === undefined ? {} : { note: verdict.note }),
            },
            settings,
          ),
        );
      }
      return plan.action === 'schedule'
        ? {
            kind: 'messages',
            messages,
            note: `the check runs ${options.gracePeriodHours} h after the event, at ${new Date(event.eventTime.getTime() + options.gracePeriodHours * HOUR_MS).toISOString()}`,
          }
        : { kind: 'messages', messages };
    }
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

const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;
const EXPECTED_INPUT =
  'expected a CloudTrail record, an EventBridge event or an S3 log file {"Records": [...]}';

const USAGE = `usage: npm run preview -- <event.json> [options]

Prints the exact subject, body and attributes the checker would publish for each event in the file
(a CloudTrail record, an EventBridge event, or a CloudTrail S3 log file {"Records": [...]}), offline.
Grace period, creation notice, exemptions, locale and time zone come from the deployed configuration
(the same one \`cdk synth\` reads); the options below override them.

options:
  --config FILE             configuration file (default: what cdk synth reads, see docs/configuration.md)
  --locale en|ko            language of the body
  --tz ZONE                 IANA time zone shown beside UTC, e.g. Asia/Seoul
  --grace HOURS             grace period in whole hours, 0 = check at once
  --notify-on-create yes|no send the creation notice
  --partition aws|aws-us-gov|aws-cn   console link domain
  --mfa none|virtual        what IAM answers: MFA devices of the user (default none)
  --console yes|no          what IAM answers: the user has a console password (default yes)
  --help                    this text
`;
const HINT = 'Usage: npm run preview -- <event.json> [--config FILE] [options]; --help lists the options';

/** One of `allowed`, or a UsageError naming the option and the accepted values. */
function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new UsageError(`--${option} "${value}" is not one of ${allowed.join(', ')}`);
  return found;
}

/** The records of an event file: one object, or every record of `{"Records": [...]}`. */
export function readRecords(file: string): readonly unknown[] {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${file} is a folder; give one JSON file`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${String(code ?? error)})`,
    );
  }
  if (text.trim() === '') throw new UsageError(`${file} is empty; ${EXPECTED_INPUT}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (Array.isArray(json)) throw new UsageError(`${file} holds a JSON array; ${EXPECTED_INPUT}`);
  if (typeof json !== 'object' || json === null)
    throw new UsageError(`${file} is not a JSON object; ${EXPECTED_INPUT}`);
  const object = json as Record<string, unknown>;
  if ('Records' in object) {
    if (!Array.isArray(object.Records) || object.Records.length === 0) {
      throw new UsageError(`${file} has no records in "Records"; ${EXPECTED_INPUT}`);
    }
    return object.Records as unknown[];
  }
  if (!('detail' in object) && !('eventName' in object)) {
    throw new UsageError(`${file} has no event (no "eventName", "detail" or "Records"); ${EXPECTED_INPUT}`);
  }
  return [object];
}

/** CLI: exit 0 with the previews, 2 on bad usage, an unusable file or an event the checker rejects. */
export function main(argv: readonly string[]): number {
  const { values, positionals } = parseCommandLine(
    argv,
    {
      ...CONFIG_OPTION,
      help: { type: 'boolean' },
      locale: { type: 'string' },
      tz: { type: 'string' },
      grace: { type: 'string' },
      'notify-on-create': { type: 'string' },
      partition: { type: 'string', default: 'aws' },
      mfa: { type: 'string', default: 'none' },
      console: { type: 'string', default: 'yes' },
    },
    1,
  );
  if (values.help === true) {
    process.stdout.write(USAGE);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined) throw new UsageError('no event file given');
  const grace = values.grace === undefined ? undefined : Number(values.grace);
  if (grace !== undefined && (!/^\d+$/.test(values.grace ?? '') || grace > 720)) {
    throw new UsageError(`--grace "${values.grace ?? ''}" is not a whole number of hours from 0 to 720`);
  }
  if (values.tz !== undefined && !isIanaTimeZone(values.tz)) {
    throw new UsageError(`--tz "${values.tz}" is not an IANA time zone name such as Asia/Seoul or UTC`);
  }
  const locale = values.locale === undefined ? undefined : oneOf('locale', values.locale, ALERT_LOCALES);
  const notify =
    values['notify-on-create'] === undefined
      ? undefined
      : oneOf('notify-on-create', values['notify-on-create'], ['yes', 'no']) === 'yes';
  const mfa = oneOf('mfa', values.mfa, ['none', 'virtual']);
  const console = oneOf('console', values.console, ['yes', 'no']) === 'yes';
  const partition = oneOf('partition', values.partition, PARTITIONS);
  const records = readRecords(file);
  const config = loadToolConfig('preview', values.config, { touchesAws: false });
  const options: PreviewOptions = {
    locale: locale ?? config.notifications.locale,
    timeZone: values.tz ?? config.notifications.timeZone,
    gracePeriodHours: grace ?? config.gracePeriodHours,
    notifyOnCreate: notify ?? config.notifyOnCreate,
    exemptions: config.exemptions,
    mfa,
    console,
    partition,
  };
  let quarantined = 0;
  records.forEach((record, i) => {
    if (records.length > 1)
      process.stdout.write(`${i > 0 ? '\n' : ''}=== record ${i + 1} of ${records.length} ===\n`);
    try {
      process.stdout.write(renderPreview(previewEvent(record, options)));
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
  return quarantined > 0 ? 2 : 0;
}

if (require.main === module) {
  void runTool('preview', () => main(process.argv.slice(2)), HINT).then((code) => {
    process.exitCode = code;
  });
}
