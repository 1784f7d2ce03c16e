import { resolve } from 'node:path';
import { ALERT_LOCALES, type AlertLocale } from '../../functions/contract/contract';
import { UsageError, parseCommandLine } from '../cli';
import { renderJson, renderText } from './printer';
import { runDemo } from './run';

/** `npm run demo -- --help`. */
export const USAGE = `Usage: npm run demo -- [--locale en|ko] [--chat] [--json] [--out DIR]

Runs org-mfa-watch on a simulated organization of a dozen accounts, offline, in this process: the
real functions (bundled as the stack bundles them), the finding store on dynalite, live CloudTrail
events through the checker, a day passing, an account joining, the daily sweep (planner, worker,
reporter), a user enabling MFA. Prints each message as the inbox receives it, the digest, where the
report was written, and the open findings. No AWS credentials, network or Docker needed.
  --locale en|ko   language of the message bodies (default en)
  --chat           also configure a Slack channel, and print the chat messages
  --json           print the events as JSON, one object per line
  --out DIR        where the report and the function logs go (default ./demo-output)
  -h, --help       this help
`;

/** The usage hint after a one-line error. */
export const HINT =
  'Usage: npm run demo -- [--locale en|ko] [--chat] [--json] [--out DIR]; --help lists the options';

/** Parsed command line. */
export interface DemoCliOptions {
  readonly help: boolean;
  readonly locale: AlertLocale;
  readonly chat: boolean;
  readonly json: boolean;
  readonly outDir: string;
}

/**
 * Parse the command line.
 * @throws UsageError naming the bad option or value
 */
export function parseDemoOptions(argv: readonly string[]): DemoCliOptions {
  const { values } = parseCommandLine(argv, {
    locale: { type: 'string' },
    chat: { type: 'boolean' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const locale = values.locale ?? 'en';
  if (!(ALERT_LOCALES as readonly string[]).includes(locale)) {
    throw new UsageError(`--locale: expected one of ${ALERT_LOCALES.join(', ')}, got "${locale}"`);
  }
  return {
    help: values.help === true,
    locale: locale as AlertLocale,
    chat: values.chat === true,
    json: values.json === true,
    outDir: values.out ?? 'demo-output',
  };
}

/** `npm run demo`: returns the exit code (0 shown, 2 bad options; a failure throws with its cause). */
export async function main(argv: readonly string[], write: (text: string) => void): Promise<number> {
  const options = parseDemoOptions(argv);
  if (options.help) {
    write(USAGE);
    return 0;
  }
  const render = options.json ? renderJson : renderText;
  await runDemo({
    locale: options.locale,
    chat: options.chat,
    outDir: resolve(options.outDir),
    emit: (event) => {
      write(render(event));
    },
  });
  return 0;
}
