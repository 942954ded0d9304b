import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.PORT);
  new Logger('Main').log(`flight-notifier listening on port ${config.PORT}`);
}

bootstrap().catch((error: Error) => {
  new Logger('Main').error(error instanceof ConfigError ? error.message : (error.stack ?? error.message));
  process.exit(1);
});
