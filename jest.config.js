// Two tiers: unit specs beside the code, and e2e/medium tests under test/ that
// start the real app on a real port against a real database.
const common = {
  testEnvironment: 'node',
  transform: { '\\.(ts|js|mjs)$': '<rootDir>/test/support/esm-transformer.js' },
  // ESM files anywhere (NestJS 12 is ESM-only) are compiled; CommonJS passes through.
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', rootDir: '.', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testTimeout: 60000,
    },
  ],
};
