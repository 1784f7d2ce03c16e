import type { DemoEvent } from './events';

/**
 * How the demo's events look: text for people (a progress line per step, each message as its
 * subscriber receives it, the report's location, the open findings), or one JSON object per line
 * (`--json`). Pure: an event in, the text to write out.
 */

const INDENT = '      ';

/** Lines prefixed with a gutter, so a message stands apart from the narration. */
function boxed(title: string, lines: readonly string[]): string {
  return [`${INDENT}┌─ ${title}`, ...lines.map((l) => `${INDENT}│ ${l}`.trimEnd()), `${INDENT}└─`].join('\n');
}

/** `severity=HIGH, accountId=...` in the order the message carries them. */
function attributeLine(attributes: Readonly<Record<string, string>>): string {
  const entries = Object.entries(attributes);
  return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** The topic's name from its ARN. */
function topicName(arn: string): string {
  return arn.split(':').pop() ?? arn;
}

interface ChatContent {
  readonly title?: string;
  readonly description?: string;
  readonly nextSteps?: readonly string[];
  readonly keywords?: readonly string[];
}

/** The lines of a chat notification (Amazon Q Developer custom notification): title, text, next steps. */
export function chatLines(body: string): string[] {
  let content: ChatContent | undefined;
  try {
    content = (JSON.parse(body) as { content?: ChatContent }).content;
  } catch {
    content = undefined;
  }
  if (content === undefined) return body.split('\n');
  return [
    ...(content.title === undefined ? [] : [`*${content.title}*`]),
    ...(content.description === undefined ? [] : content.description.split('\n')),
    ...(content.nextSteps ?? []).map((s) => `  • ${s}`),
    ...(content.keywords === undefined ? [] : [`keywords: ${content.keywords.join(', ')}`]),
  ];
}

/** One event as text (ending with a newline). */
export function renderText(event: DemoEvent): string {
  switch (event.type) {
    case 'step':
      return `\n[${event.index}/${event.total}] ${event.title}  (+${(event.atMs / 1000).toFixed(1)} s)\n`;
    case 'detail':
      return `${INDENT}· ${event.text}\n`;
    case 'message':
      if (event.channel === 'chat') {
        return `${boxed(`Chat message (topic ${topicName(event.topicArn)}, from the ${event.from})`, chatLines(event.body))}\n`;
      }
      return `${boxed(`Email from SNS topic ${topicName(event.topicArn)} (published by the ${event.from})`, [
        `Subject: ${event.subject}`,
        `Message attributes: ${attributeLine(event.attributes)}`,
        '',
        ...event.body.split('\n'),
      ])}\n`;
    case 'sweep': {
      const s = event.summary;
      return `${INDENT}· sweep ${event.executionName} (${event.mode}) done: ${s.accounts} accounts (${s.checked} checked, ${s.notCovered} not covered, ${s.failed} failed); findings ${s.newFindings} new, ${s.resolvedFindings} resolved, ${s.openFindings} open\n`;
    }
    case 'report':
      return [
        `${INDENT}· CSV/JSON report of the daily sweep, copied from the simulated sweep bucket to ${event.folder}/:`,
        ...event.files.map((f) => `${INDENT}    ${f}`),
        `${INDENT}· the functions' own JSON logs and metrics (what CloudWatch Logs would hold): ${event.logFile}`,
        '',
      ].join('\n');
    case 'findings':
      return `\nOpen findings now (as \`npm run findings\` lists them):\n\n${event.table}`;
    case 'done':
      return `\n${event.text}\n`;
  }
}

/** One event as a JSON line. */
export function renderJson(event: DemoEvent): string {
  return `${JSON.stringify(event)}\n`;
}
