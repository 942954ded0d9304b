/** Fast unit specs beside the code, and integration tests on the real PostgreSQL and RabbitMQ; the fault suite on request. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/**
 * Kills replicas and stops, restarts and locks PostgreSQL and RabbitMQ servers it starts itself
 * (test/support/private-servers.ts), never the machine's: slow, so only when asked for (`npm run test:faults`,
 * the last step of `npm test`). It needs no global setup: its database lives on its private PostgreSQL.
 */
const faults = {
  displayName: 'faults',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  transform,
};

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    ...(process.env.FAULTS === '1' ? [faults] : []),
  ],
};
