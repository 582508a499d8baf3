// `npm run test:cluster`: the production topology (scripts/cluster-stack.ts: the real Temporal
// server on Postgres, two workers, two APIs behind one port) driven by the official client, then
// broken on purpose. One cluster for the whole suite, started by the test file; the server and
// its SQL tool are built first if missing (global setup), which may take minutes once.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config file
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.ts',
  setupFilesAfterEnv: [],
  maxWorkers: 1,
  testTimeout: 300_000,
  // The stripe client's keep-alive sockets to killed API processes can outlive the suite.
  forceExit: true,
};
