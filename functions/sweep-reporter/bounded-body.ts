/** Cut `body` to at most `maxBytes` of UTF-8 at a line break, saying where the rest is. Pure. */
export function boundBody(body: string, maxBytes: number, notice: string): string {
  if (Buffer.byteLength(body, 'utf8') <= maxBytes) return body;
  const room = maxBytes - Buffer.byteLength(`\n${notice}`, 'utf8');
  const lines = body.split('\n');
  const kept: string[] = [];
  let size = 0;
  for (const text of lines) {
    const bytes = Buffer.byteLength(`${text}\n`, 'utf8');
    if (size + bytes > room) break;
    kept.push(text);
    size += bytes;
  }
  return `${kept.join('\n')}\n${notice}`;
}
