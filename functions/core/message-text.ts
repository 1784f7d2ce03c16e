/**
 * The small pieces every message of every function writes the same way: an ASCII subject SNS accepts,
 * an instant in UTC and the reader's time zone, the console host of a partition. Pure, no dependencies.
 */

/** SNS rejects subjects that are not ASCII, contain line breaks, or reach 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

/** Console host per partition, for links in messages. */
export const CONSOLE_HOSTS: Readonly<Record<string, string>> = {
  aws: 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn',
};

/** `text` with every character outside printable ASCII replaced by `?` (SNS subjects must be ASCII). Pure. */
export function asciiOnly(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** `2024-08-01 13:33:28` in the given zone (sv-SE formats ISO-like, independent of the reader's locale). */
export function wallClock(time: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(time);
}

/** `2024-08-01 13:33:28 UTC / 2024-08-01 22:33:28 (Asia/Seoul)`: the same instant in UTC and the zone. */
export function utcAndZoned(time: Date, timeZone: string): string {
  return `${wallClock(time, 'UTC')} UTC / ${wallClock(time, timeZone)} (${timeZone})`;
}

/** Host of the AWS Management Console in a partition (`aws`, `aws-us-gov`, `aws-cn`). Pure. */
export function consoleHost(partition: string): string {
  return CONSOLE_HOSTS[partition] ?? CONSOLE_HOSTS.aws ?? 'console.aws.amazon.com';
}

/**
 * An account as messages name it: the id, then `(alias)` and `"name"` when known, e.g.
 * `111111111111 (prod-main) "Production"`. Pure.
 */
export function accountLabel(input: {
  readonly accountId: string;
  readonly accountAlias?: string;
  readonly accountName?: string;
}): string {
  return [
    input.accountId,
    ...(input.accountAlias === undefined ? [] : [`(${input.accountAlias})`]),
    ...(input.accountName === undefined || input.accountName === '' ? [] : [`"${input.accountName}"`]),
  ].join(' ');
}
