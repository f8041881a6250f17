// Jest 30 ignores a project's `testTimeout` (only the global one counts), so
// e2e hooks that start the real app and database get their budget here: on a
// loaded 2-core CI machine, booting on MariaDB can pass Jest's 5 s default.
jest.setTimeout(60_000);
