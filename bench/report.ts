import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

/**
 * Format Markdown with the repository's Prettier settings (.prettierrc.json), so that the generated
 * report passes `prettier --check` (the lint gate of `npm test`) and `npm run format` leaves it alone.
 */
export async function formatMarkdown(markdown: string, file: string): Promise<string> {
  const options = (await resolveConfig(file)) ?? {};
  return format(markdown, { ...options, filepath: file });
}

/** Write `markdown` to `file`, formatted (see formatMarkdown). */
export async function writeFormattedMarkdown(file: string, markdown: string): Promise<void> {
  writeFileSync(file, await formatMarkdown(markdown, file));
}
