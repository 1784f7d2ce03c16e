import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/events';

/**
 * A source file answers one question (the project's style, functions/README.md): over 400 lines is a sign
 * it answers several.
 * Issue 21 split every file over that size; this keeps it so. Test files themselves are tables of cases
 * and are not counted; the helpers tests share are.
 */
const MAX_LINES = 400;

/** The folders whose TypeScript is product, tooling or shared test code. */
const ROOTS = ['bin', 'bench', 'functions', 'scripts', 'stacks', 'test/helpers'];

/** Tracked and untracked (not ignored) TypeScript files under the roots, relative to the project. */
function sourceFiles(): string[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...ROOTS.map((root) => `${root}/*.ts`)],
    { cwd: PROJECT_ROOT, encoding: 'utf8' },
  );
  return listed
    .split('\n')
    .filter((file) => file !== '' && !file.endsWith('.test.ts'))
    .sort();
}

/** Lines of a file, as `wc -l` counts them (a last line without a newline counts too). */
function lineCount(file: string): number {
  const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source file size', () => {
  it('finds the source files (the listing itself works)', () => {
    const files = sourceFiles();
    expect(files).toContain('functions/core/notify.ts');
    expect(files).toContain('stacks/constructs/sweep.ts');
    expect(files.length).toBeGreaterThan(100);
  });

  it(`keeps every source file at ${MAX_LINES} lines or fewer`, () => {
    const over = sourceFiles()
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file} (${lines} lines)`);
    expect(over, `split these along their responsibilities: ${over.join(', ')}`).toEqual([]);
  });
});
