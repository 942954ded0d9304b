import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.PORT);
  new Logger('Main').log(`flight-notifier listening on port ${config.PORT}`);
  // Nest's shutdown hooks stop intake and drain in-flight work on SIGTERM/SIGINT; this bounds how long.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        new Logger('Main').error(`shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting`);
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS).unref();
    });
  }
}

bootstrap().catch((error: Error) => {
  new Logger('Main').error(error instanceof ConfigError ? error.message : (error.stack ?? error.message));
  process.exit(1);
});
