import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TRACING_CONFIG, TracingConfig, InjectConfig } from '../config/config-slices';
import { useTracer } from './spans';
import { startTracingSdk, TracingHandle } from './tracing-sdk';
import { tracingSettings } from './tracing-settings';

/**
 * Starts OpenTelemetry when an OTLP endpoint is configured, before any consumer or dispatcher loop runs
 * (module init comes before application bootstrap), and flushes it last on shutdown. Without an endpoint
 * it does nothing: no SDK is loaded and the span helpers stay pass-throughs.
 */
@Injectable()
export class TracingService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Tracing');
  private handle?: TracingHandle;

  constructor(@InjectConfig(TRACING_CONFIG) private readonly config: TracingConfig) {}

  get enabled(): boolean {
    return this.handle !== undefined;
  }

  async onModuleInit(): Promise<void> {
    const settings = tracingSettings(this.config);
    if (!settings) return;
    this.handle = await startTracingSdk(settings, this.logger);
    useTracer(this.handle.tracer);
    // The URL only: headers may carry the collector's credentials.
    this.logger.log(`traces exported to ${settings.url} (${settings.protocol}, sampler ${settings.sampler}) as ${settings.serviceName}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.handle) return;
    const handle = this.handle;
    this.handle = undefined;
    useTracer(undefined);
    await handle.shutdown().catch((error: Error) => this.logger.warn(`flushing traces failed: ${error.message}`));
  }
}
