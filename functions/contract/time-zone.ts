/** True when `value` is an IANA time zone name this runtime knows (`Asia/Seoul`, `UTC`). */
export function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
