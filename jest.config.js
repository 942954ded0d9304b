/** Fast unit specs beside the code, and integration tests on the real PostgreSQL and RabbitMQ; the fault suite on request. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/** Kills processes and restarts RabbitMQ and PostgreSQL: only when asked for (npm run test:faults), and alone. */
const faults = {
  displayName: 'faults',
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  transform,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
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
