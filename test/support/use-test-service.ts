import { createTestEnvironment, startService, TestEnvironment, TestService } from './test-app';

/** Variables over the test environment's; a function when they are known only in beforeAll (a server started there). */
export type EnvOverrides = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

/** The started service (closed by the helper, so no close()) and the environment it runs in. */
export type UsedTestService = Omit<TestService, 'close'> & {
  /** The variables the service was started with (DATABASE_URL, AMQP names, OUTBOX_DIR …). */
  readonly env: Record<string, string>;
};

/**
 * The set-up of most integration test files in one call: registers a beforeAll that creates the file's
 * environment (its own database and broker names) and starts the service in it, and an afterAll that
 * closes the service and removes the broker names. Call it in a describe block (or at the top of a file);
 * the returned object answers from inside hooks and tests, once the service is up. Hooks registered after
 * the call run after it: a later beforeAll can use the service, a later afterAll runs once it is closed.
 */
export function useTestService(overrides: EnvOverrides = {}): UsedTestService {
  let environment: TestEnvironment | undefined;
  let service: TestService | undefined;

  beforeAll(async () => {
    environment = await createTestEnvironment(typeof overrides === 'function' ? await overrides() : overrides);
    service = await startService(environment.env);
  });

  afterAll(async () => {
    await service?.close();
    await environment?.dispose();
  });

  const started = (): TestService => {
    if (!service) throw new Error('useTestService: the service starts in beforeAll; use it inside hooks and tests');
    return service;
  };
  return {
    get app() {
      return started().app;
    },
    get config() {
      return started().config;
    },
    http: (as) => started().http(as),
    get publisher() {
      return started().publisher;
    },
    get db() {
      return started().db;
    },
    get env() {
      started();
      return environment!.env;
    },
  };
}
