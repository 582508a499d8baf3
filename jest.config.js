/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Fault injection and fuzzing run on their own: `npm run test:faults` (jest.faults.config.js),
  // and so does the production topology: `npm run test:cluster` (jest.cluster.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/', '<rootDir>/test/cluster/'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Every response body and webhook payload checked against the stripe package's types.
  setupFilesAfterEnv: ['<rootDir>/test/support/conformance-setup.ts'],
  // Two cores run the dev server, Postgres and the suites: two test files at a time.
  maxWorkers: 2,
  testTimeout: 60_000,
  reporters: ['default'],
};
