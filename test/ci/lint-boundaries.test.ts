import { ESLint } from 'eslint';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/events';

/**
 * The folder boundaries of functions/ (functions/README.md) are an ESLint `no-restricted-imports` rule in
 * eslint.config.mjs: this runs the project's own configuration on one-line snippets, as if each were a
 * file in the folder named, and checks what it reports.
 */

/** The rules that carry the boundaries: static imports and re-exports, and dynamic `import()`. */
const RULES = ['no-restricted-imports', 'no-restricted-syntax'];

/** Every function folder: all of functions/ but core and contract, read as the config reads it. */
const FUNCTION_FOLDERS = readdirSync(join(PROJECT_ROOT, 'functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'core' && entry.name !== 'contract')
  .map((entry) => entry.name);

let eslint: ESLint;

beforeAll(() => {
  // One instance for every snippet. The boundary rule needs no types: type-aware linting is switched off,
  // which keeps this fast and lets a snippet stand for a file that does not exist.
  eslint = new ESLint({ cwd: PROJECT_ROOT, overrideConfig: [tseslint.configs.disableTypeChecked] });
});

/** The boundary messages ESLint reports for `code` as the file `filePath` (relative to the project). */
async function boundaryMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\n`, {
    filePath: join(PROJECT_ROOT, filePath),
  });
  if (result === undefined) throw new Error(`ESLint returned no result for ${filePath}`);
  const fatal = result.messages.filter((m) => m.fatal === true);
  if (fatal.length > 0) throw new Error(`ESLint could not parse ${filePath}: ${fatal[0]?.message ?? ''}`);
  return result.messages.filter((m) => RULES.includes(m.ruleId ?? '')).map((m) => m.message);
}

describe('functions/ folder boundaries (eslint.config.mjs)', () => {
  it('knows the four functions', () => {
    expect(FUNCTION_FOLDERS).toEqual(
      expect.arrayContaining(['checker', 'sweep-planner', 'sweep-worker', 'sweep-reporter']),
    );
  });

  it.each(
    FUNCTION_FOLDERS.flatMap((from) =>
      FUNCTION_FOLDERS.filter((to) => to !== from).map((to) => [from, to] as const),
    ),
  )('reports functions/%s importing functions/%s', async (from, to) => {
    const messages = await boundaryMessages(
      `functions/${from}/snippet.ts`,
      `import { value } from '../${to}/format';`,
    );
    expect(messages).toEqual([expect.stringContaining("must not import another function's folder")]);
  });

  it.each([
    ['a type-only import', `import type { value } from '../checker/format';`],
    ['a re-export', `export { value } from '../checker/format';`],
    ['a path through functions/', `import { value } from '../../functions/checker/format';`],
    ['a dynamic import (a lazy load)', `export const load = () => import('../checker/format');`],
  ])('reports %s of another function too', async (_what, code) => {
    const messages = await boundaryMessages('functions/sweep-worker/snippet.ts', code);
    expect(messages).toHaveLength(1);
  });

  it('reports a cross-function import from a nested file', async () => {
    const messages = await boundaryMessages(
      'functions/sweep-reporter/nested/snippet.ts',
      `import { value } from '../../checker/format';`,
    );
    expect(messages).toHaveLength(1);
  });

  it.each(FUNCTION_FOLDERS)('lets functions/%s import core, contract and its own modules', async (folder) => {
    for (const code of [
      `import { value } from '../core/message-text';`,
      `import { value } from '../contract/findings';`,
      `import { value } from './format';`,
      `import { value } from '../${folder}/format';`,
    ]) {
      expect(await boundaryMessages(`functions/${folder}/snippet.ts`, code)).toEqual([]);
    }
  });

  it.each(FUNCTION_FOLDERS)('reports functions/core importing functions/%s', async (folder) => {
    const messages = await boundaryMessages(
      'functions/core/snippet.ts',
      `import { value } from '../${folder}/format';`,
    );
    expect(messages).toEqual([expect.stringContaining('functions/core must not import a function folder')]);
  });

  it('lets functions/core import core and contract, also from a nested folder', async () => {
    expect(await boundaryMessages('functions/core/snippet.ts', `import { value } from './chat';`)).toEqual(
      [],
    );
    expect(
      await boundaryMessages('functions/core/snippet.ts', `import { value } from '../contract/findings';`),
    ).toEqual([]);
    expect(
      await boundaryMessages('functions/core/sdk/snippet.ts', `import { value } from '../message-text';`),
    ).toEqual([]);
    expect(
      await boundaryMessages(
        'functions/core/sdk/snippet.ts',
        `import { value } from '../../checker/format';`,
      ),
    ).toHaveLength(1);
  });

  it.each(['core', ...FUNCTION_FOLDERS])(
    'reports functions/contract importing functions/%s',
    async (folder) => {
      const messages = await boundaryMessages(
        'functions/contract/snippet.ts',
        `import { value } from '../${folder}/module';`,
      );
      expect(messages).toEqual([expect.stringContaining('functions/contract must import nothing')]);
    },
  );

  it('reports functions/contract importing the AWS SDK or Powertools', async () => {
    for (const module of ['@aws-sdk/client-iam', '@aws-lambda-powertools/logger']) {
      expect(
        await boundaryMessages('functions/contract/snippet.ts', `import { value } from '${module}';`),
      ).toEqual([expect.stringContaining('functions/contract must not import the AWS SDK')]);
    }
  });

  it('lets functions/contract import its own modules, Node.js built-ins and zod', async () => {
    for (const code of [
      `import { value } from './findings';`,
      `import { value } from 'node:crypto';`,
      `import * as value from 'zod/mini';`,
    ]) {
      expect(await boundaryMessages('functions/contract/snippet.ts', code)).toEqual([]);
    }
  });

  it('still reports CDK and stacks/ imports in every folder (the rules the boundary blocks repeat)', async () => {
    for (const folder of ['core', 'contract', ...FUNCTION_FOLDERS]) {
      const file = `functions/${folder}/snippet.ts`;
      expect(await boundaryMessages(file, `import { value } from 'aws-cdk-lib';`)).toHaveLength(1);
      expect(await boundaryMessages(file, `import { value } from '../../stacks/names';`)).toHaveLength(1);
    }
  });
});
