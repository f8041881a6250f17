// Three tiers: unit specs beside the code, and e2e/medium tests under test/ that
// start the real app on a real port against a real database, and fault tests
// that kill and restart the compiled gateway (test/faults).
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
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
    },
    {
      // Interop tier: the gateway driven by the official Antom SDKs (Python, PHP), found through
      // ANTOM_SDK_PYTHON_DIR / ANTOM_SDK_PHP_DIR (npm run test:interop).
      ...common,
      displayName: 'interop',
      rootDir: '.',
      testMatch: ['<rootDir>/test/interop/**/*.interop-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
    },
    {
      // Fault tests: the compiled gateway as child processes, killed and restarted (npm run test:faults).
      ...common,
      displayName: 'faults',
      rootDir: '.',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
      testTimeout: 180000,
      // Jest 30 ignores a project's testTimeout (only the global one counts): this file sets it.
      setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout-faults.ts'],
    },
  ],
};
