// @ts-check
import eslint from '@eslint/js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';

const cdkImports = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-stacksets', 'cdk-nag'];

/** What every file in functions/ must not import: CDK (bundle size), stacks/ and bin/. */
const functionsPatterns = [
  { group: cdkImports, message: 'functions/** must not import CDK libraries (bundle size).' },
  {
    group: ['**/stacks/**', '**/bin/**'],
    message: 'functions/** must not import stacks/** or bin/**.',
  },
];

/**
 * The folders of functions/ that are functions (one Lambda each): every folder but core (runtime code
 * more than one function uses) and contract (what stacks/ and the functions agree on). Read from disk,
 * so a new function folder is guarded the day it is created (functions/README.md).
 */
const LIBRARY_FOLDERS = ['core', 'contract'];
const functionFolders = readdirSync(join(import.meta.dirname, 'functions'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !LIBRARY_FOLDERS.includes(entry.name))
  .map((entry) => entry.name)
  .sort();

/** A relative import path that reaches into one of `folders` of functions/, from any depth (a regex). */
const intoFolders = (/** @type {string[]} */ folders) =>
  `^(\\.\\./)+(functions/)?(${folders.join('|')})(/|$)`;

/** One config block: files in `folder` must not import `forbidden` folders of functions/ (nor `extra`). */
const folderBoundary = (
  /** @type {string} */ folder,
  /** @type {string[]} */ forbidden,
  /** @type {string} */ message,
  /** @type {{ group: string[], message: string }[]} */ extra = [],
) => ({
  files: [`functions/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...functionsPatterns,
          ...(forbidden.length === 0 ? [] : [{ regex: intoFolders(forbidden), message }]),
          ...extra,
        ],
      },
    ],
    // no-restricted-imports does not see `await import(...)` (the lazy loads): the same boundary for
    // them. The selector's regex cannot hold a literal slash, hence \x2F.
    'no-restricted-syntax': [
      'error',
      ...(forbidden.length === 0
        ? []
        : [
            {
              selector: `ImportExpression[source.value=/${intoFolders(forbidden).replaceAll('/', '\\x2F')}/]`,
              message,
            },
          ]),
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdk.out/**', 'coverage/**', '**/*.d.ts'] },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The function bundle stays small and independent of the infrastructure code.
    files: ['functions/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: functionsPatterns }] },
  },
  // No function folder imports another's: what two functions use lives in functions/core.
  ...functionFolders.map((folder) =>
    folderBoundary(
      folder,
      functionFolders.filter((other) => other !== folder),
      `functions/${folder} must not import another function's folder: move what both use to functions/core (functions/README.md).`,
    ),
  ),
  // core is the functions' shared runtime: it never reaches up into one function.
  folderBoundary(
    'core',
    functionFolders,
    'functions/core must not import a function folder: core is what the functions share (functions/README.md).',
  ),
  // contract is what stacks/ reads too: no runtime code at all.
  folderBoundary(
    'contract',
    ['core', ...functionFolders],
    'functions/contract must import nothing from functions/core or a function folder: stacks/ reads it (functions/README.md).',
    [
      {
        group: ['@aws-sdk/*', '@aws-lambda-powertools/*'],
        message:
          'functions/contract must not import the AWS SDK or Powertools: stacks/ reads it (functions/README.md).',
      },
    ],
  ),
  {
    // Stacks share only the contract in functions/contract with the function code.
    files: ['stacks/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+functions/(?!contract/)',
              message: 'stacks/** may import only functions/contract/** from the function code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.mjs'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
