import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/events';

// Issue 21, item 6: docs/architecture.md's "Where to find what" table sends a newcomer from a behaviour
// to its file in one hop, so every path it names must exist (a renamed or split file fails here).

const ARCHITECTURE = 'docs/architecture.md';
const HEADING = '## Where to find what';

/** One row of the table: the behaviour and the repository paths (code spans) of its second column. */
interface Row {
  readonly behaviour: string;
  readonly paths: readonly string[];
}

/** The rows of the table under `heading` in `markdown`, up to the next heading; throws without one. */
function whereToFindRows(markdown: string, heading: string = HEADING): Row[] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${ARCHITECTURE}: no "${heading}" section`);
  const section = markdown.slice(start + heading.length + 2).split(/\n#{1,6} /)[0] ?? '';
  const tableLines = section.split('\n').filter((line) => line.trimStart().startsWith('|'));
  // The header and the --- separator are not rows.
  return tableLines.slice(2).map((line) => {
    const cells = line.split('|').map((cell) => cell.trim());
    const behaviour = cells[1] ?? '';
    const where = cells[2] ?? '';
    return { behaviour, paths: [...where.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '') };
  });
}

const rows = whereToFindRows(readFileSync(join(PROJECT_ROOT, ARCHITECTURE), 'utf8'));

describe(`${ARCHITECTURE}, "Where to find what"`, () => {
  it('has a short table: a row per behaviour, 20 to 40 rows, each naming at least one path', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.length).toBeLessThanOrEqual(40);
    expect(rows.filter((row) => row.behaviour === '' || row.paths.length === 0)).toEqual([]);
  });

  it('names only paths that exist in the repository (a folder ends with /)', () => {
    const missing = rows.flatMap((row) =>
      row.paths
        .filter((path) => {
          const full = join(PROJECT_ROOT, path);
          if (!existsSync(full)) return true;
          return path.endsWith('/') !== statSync(full).isDirectory();
        })
        .map((path) => `${path} (row "${row.behaviour}")`),
    );
    expect(missing).toEqual([]);
  });

  it('reads the table it is given: a path that does not exist is reported', () => {
    const markdown = [
      '# Doc',
      '',
      HEADING,
      '',
      '| behaviour | where |',
      '| --- | --- |',
      '| a | `stacks/names.ts`, `stacks/no-such-file.ts` |',
      '',
      '## Next',
      '| not | `part of it` |',
    ].join('\n');
    expect(whereToFindRows(markdown)).toEqual([
      { behaviour: 'a', paths: ['stacks/names.ts', 'stacks/no-such-file.ts'] },
    ]);
    expect(() => whereToFindRows('# Doc\n')).toThrow('no "## Where to find what" section');
  });
});
