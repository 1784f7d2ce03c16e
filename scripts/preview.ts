import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ALERT_LOCALES, type AlertLocale } from '../functions/shared/contract';
import { judgeRoot, judgeUser, planEvent } from '../functions/checker/decide';
import { InvalidEventError } from '../functions/checker/errors';
import { formatAlert, type AlertMessage } from '../functions/checker/format';
import { parseEvent } from '../functions/checker/parse-event';
import { toEnvelope } from './envelope';

/** What the preview assumes IAM would answer, and how the deployment is set. */
export interface PreviewOptions {
  readonly locale: AlertLocale;
  readonly timeZone: string;
  readonly mfa: 'none' | 'virtual';
  readonly console: boolean;
  readonly gracePeriodHours: number;
  readonly partition: string;
}

/** The messages the checker would publish for one event, or why it would publish none. */
export type Preview =
  | { readonly kind: 'messages'; readonly messages: readonly AlertMessage[]; readonly note?: string }
  | { readonly kind: 'none'; readonly reason: string };

/**
 * Run the checker's own pure modules on an event (EventBridge envelope, raw CloudTrail record or S3
 * `{"Records": [...]}` file) with IAM's answer given by the options. Offline, no AWS call. Pure.
 */
export function previewEvent(raw: unknown, options: PreviewOptions): Preview {
  const event = parseEvent(toEnvelope(raw));
  const settings = { locale: options.locale, timeZone: options.timeZone, partition: options.partition };
  // The clock of the preview is the event time, so a grace period is always still running.
  const plan = planEvent(
    event,
    { gracePeriodHours: options.gracePeriodHours, notifyOnCreate: true },
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
      const verdict = judgeUser(facts, { status: 'none' });
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
            },
            settings,
          ),
        );
      }
      return plan.action === 'schedule'
        ? { kind: 'messages', messages, note: `the check runs ${options.gracePeriodHours} h after the event` }
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

const USAGE =
  'usage: npm run preview -- <event.json> [--locale en|ko] [--mfa none|virtual] [--console yes|no] [--grace HOURS] [--tz ZONE]';

/** CLI: parse arguments, read the file, print the preview; exit 2 on bad usage or an invalid event. */
export function main(argv: readonly string[]): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      locale: { type: 'string', default: 'en' },
      mfa: { type: 'string', default: 'none' },
      console: { type: 'string', default: 'yes' },
      grace: { type: 'string', default: '0' },
      tz: { type: 'string', default: 'UTC' },
      partition: { type: 'string', default: 'aws' },
    },
  });
  const file = positionals[0];
  const locale = ALERT_LOCALES.find((l) => l === values.locale);
  const grace = Number(values.grace);
  if (
    file === undefined ||
    locale === undefined ||
    !['none', 'virtual'].includes(values.mfa) ||
    !['yes', 'no'].includes(values.console) ||
    !Number.isInteger(grace) ||
    grace < 0
  ) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const preview = previewEvent(JSON.parse(readFileSync(file, 'utf8')), {
      locale,
      timeZone: values.tz,
      mfa: values.mfa === 'virtual' ? 'virtual' : 'none',
      console: values.console === 'yes',
      gracePeriodHours: grace,
      partition: values.partition,
    });
    process.stdout.write(renderPreview(preview));
    return 0;
  } catch (error) {
    if (error instanceof InvalidEventError) {
      process.stderr.write(`The checker would quarantine this event: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
