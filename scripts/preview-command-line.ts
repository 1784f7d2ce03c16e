/**
 * The command line of `npm run preview` (scripts/preview.ts): its options, the usage text, and the
 * checks of each option's value (a UsageError names the option and what it accepts).
 */
import { ALERT_LOCALES } from '../functions/contract/contract';
import { isIanaTimeZone } from '../functions/contract/time-zone';
import { CONFIG_OPTION, UsageError, parseCommandLine } from './cli';

const PARTITIONS = ['aws', 'aws-us-gov', 'aws-cn'] as const;

/** The preview's --help text. */
export const USAGE = `usage: npm run preview -- <event.json> [options]
       npm run preview -- --digest report.json [options]

Prints the exact subject, body and attributes the checker would publish for each event in the file
(a CloudTrail record, an EventBridge event, or a CloudTrail S3 log file {"Records": [...]}), offline.
Grace period, creation notice, exemptions, locale and time zone come from the deployed configuration
(the same one \`cdk synth\` reads); the options below override them. A new finding's message carries its
finding id and first-seen time (the time of the check), as the checker's does.

options:
  --config FILE             configuration file (default: what cdk synth reads, see docs/configuration.md)
  --locale en|ko            language of the body
  --tz ZONE                 IANA time zone shown beside UTC, e.g. Asia/Seoul
  --grace HOURS             grace period in whole hours, 0 = check at once
  --notify-on-create yes|no send the creation notice
  --partition aws|aws-us-gov|aws-cn   console link domain
  --mfa none|virtual        what IAM answers: MFA devices of the user (default none)
  --console yes|no          what IAM answers: the user has a console password (default yes)
  --alias NAME              what IAM answers: the account's alias (default none)
  --chat                    also the chat message of each alert (when chat is configured)
  --resolution              also the resolution notice that follows when the user enables MFA
  --digest FILE             the sweep digest of a report the reporter wrote (reports/<sweep>/report.json
                            of the sweep bucket), with the reporter's own code
  --bucket NAME             the sweep bucket's name, for the digest's links (default: a placeholder)
  --help                    this text
`;
/** The one-line hint printed after a usage error. */
export const HINT =
  'Usage: npm run preview -- <event.json> [--config FILE] [options]; --help lists the options';

/** One of `allowed`, or a UsageError naming the option and the accepted values. */
function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new UsageError(`--${option} "${value}" is not one of ${allowed.join(', ')}`);
  return found;
}

/** The preview's command line, parsed (at most one positional: the event file); UsageError when unusable. */
export function parsePreviewCommandLine(argv: readonly string[]) {
  return parseCommandLine(
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
      alias: { type: 'string' },
      chat: { type: 'boolean' },
      resolution: { type: 'boolean' },
      digest: { type: 'string' },
      bucket: { type: 'string' },
    },
    1,
  );
}

/** The parsed options of the preview's command line. */
export type PreviewValues = ReturnType<typeof parsePreviewCommandLine>['values'];

/**
 * The options given on the command line, each checked (a UsageError names the first bad one); those
 * not given come from the configuration.
 */
export function commandLineOptions(values: PreviewValues) {
  if (values.alias !== undefined && !/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?$/.test(values.alias)) {
    throw new UsageError(`--alias "${values.alias}" is not an account alias (3-63 of a-z, 0-9 and -)`);
  }
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
  return { grace, locale, notify, mfa, console, partition };
}
