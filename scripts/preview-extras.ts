import { readFileSync } from 'node:fs';
import { chatAlert } from '../functions/checker/chat-format';
import { formatResolution, type AlertInput } from '../functions/checker/format';
import type { AlertMessage, FormatSettings } from '../functions/core/message-parts';
import type { SweepReport } from '../functions/sweep-reporter/aggregate';
import { formatDigest, type DigestSettings } from '../functions/sweep-reporter/digest';
import { UsageError } from './cli';

/**
 * The other messages `npm run preview` renders with the functions' own code: the chat message of an
 * alert (chatAlert), the resolution notice that follows when the user enables MFA (formatResolution),
 * and a sweep digest from a report JSON file the reporter wrote (formatDigest). Pure but for reading
 * the report file.
 */

/** How long the previewed finding stays open before its resolution: one day. */
export const PREVIEW_OPEN_FOR_MS = 24 * 60 * 60 * 1000;

/** One message as the preview prints it: subject, attributes, body. Pure. */
export function renderMessage(
  title: string,
  message: AlertMessage | { subject: string; body: string; attributes: object },
): string {
  return [
    `--- ${title} ---`,
    `Subject: ${message.subject}`,
    `Attributes: ${Object.entries(message.attributes)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ')}`,
    '',
    message.body,
    '',
  ].join('\n');
}

/** The chat message (custom notification JSON) the checker posts after each alert's email. Pure. */
export function renderChat(inputs: readonly AlertInput[], settings: FormatSettings): string {
  return inputs
    .map(
      (input, i) =>
        `--- chat message ${i + 1} of ${inputs.length} (chat topic, custom notification) ---\n${JSON.stringify(chatAlert(input, settings), null, 2)}\n`,
    )
    .join('\n');
}

/**
 * The resolution notice of each alerted finding, as the checker publishes it when the user enables MFA
 * a day after the alert (the notice says how long the finding was open). Its event lines show the
 * previewed event; the real notice shows the event that fixed it (e.g. EnableMFADevice). Pure.
 */
export function renderResolutions(inputs: readonly AlertInput[], settings: FormatSettings): string {
  const findings = inputs.filter((input) => input.record !== undefined);
  if (findings.length === 0) return 'No resolution notice: no message above opens a finding.\n';
  return findings
    .map((input, i) => {
      const record = input.record ?? { findingId: '', firstSeen: new Date(0) };
      const message = formatResolution(
        {
          event: input.event,
          finding: input.finding,
          ...(input.userName === undefined ? {} : { userName: input.userName }),
          ...(input.accountAlias === undefined ? {} : { accountAlias: input.accountAlias }),
          record,
          cause: 'mfa-enabled',
          openForMs: PREVIEW_OPEN_FOR_MS,
        },
        settings,
      );
      return renderMessage(
        `resolution notice ${i + 1} of ${findings.length} (MFA enabled a day later)`,
        message,
      );
    })
    .join('\n');
}

/**
 * A sweep report as the reporter writes it (`reports/<sweep>/report.json` in the sweep bucket), checked
 * enough to render: the digest reads these fields.
 * @throws UsageError naming the file and what is missing
 */
export function readReport(
  file: string,
  readText: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): SweepReport {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (error) {
    throw new UsageError(`--digest ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const report = json as Partial<Record<keyof SweepReport, unknown>>;
  const missing = (
    [
      'sweepId',
      'mode',
      'generatedAt',
      'totals',
      'newBySeverity',
      'openBySeverity',
      'accounts',
      'coverageGaps',
      'removedAccountFindings',
      'skipped',
    ] as const
  ).filter((key) => typeof json !== 'object' || json === null || report[key] === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `--digest ${file}: not a sweep report (reports/<sweep>/report.json of the sweep bucket); missing ${missing.join(', ')}`,
    );
  }
  return json as SweepReport;
}

/** The digest the reporter would publish for `report`, with its own function. Pure. */
export function renderDigest(report: SweepReport, settings: DigestSettings): string {
  return renderMessage(`sweep digest ${report.sweepId}`, formatDigest(report, settings));
}
