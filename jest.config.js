/** Fast unit specs beside the code, and integration tests on the real PostgreSQL and RabbitMQ; the fault suite on request. */

/**
 * FormatJS (ICU messages) ships ES modules only. Node loads them with require(esm); Jest's CommonJS runtime cannot,
 * so ts-jest turns those packages into CommonJS for the tests and everything else in node_modules stays untouched.
 */
const ESM_PACKAGES = ['@formatjs', 'intl-messageformat'];
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } }],
};
const transformIgnorePatterns = [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`];

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
  transformIgnorePatterns,
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
      transformIgnorePatterns,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      rootDir: '.',
      testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
      transform,
      transformIgnorePatterns,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    ...(process.env.FAULTS === '1' ? [faults] : []),
  ],
};
