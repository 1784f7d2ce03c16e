// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const cdkImports = ['aws-cdk-lib', 'aws-cdk-lib/*', 'constructs', 'cdk-stacksets', 'cdk-nag'];

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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: cdkImports, message: 'functions/** must not import CDK libraries (bundle size).' },
            {
              group: ['**/stacks/**', '**/bin/**'],
              message: 'functions/** must not import stacks/** or bin/**.',
            },
          ],
        },
      ],
    },
  },
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
