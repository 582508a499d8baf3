// `npm run test:faults`: the fault-injection and fuzz suites (test/faults/), with the same
// Temporal dev server and Postgres as `npm test`. Each file kills processes and restarts
// servers, so they run one at a time on our two cores.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config file
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
  testTimeout: 300_000,
};
