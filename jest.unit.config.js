// Unit tests only: no Temporal dev server or database (jest.config.js starts those).
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/unit'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
};
