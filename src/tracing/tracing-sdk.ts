import type { Tracer } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace-node';
import type { TracingSettings } from './tracing-settings';

export interface TracingHandle {
  tracer: Tracer;
  /** Exports what is still buffered, then unregisters the global tracer provider, context manager and propagator. */
  shutdown(): Promise<void>;
}

/** Logs the SDK's own warnings and errors (a collector that cannot be reached, a full queue) through `log`. */
export interface DiagSink {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Starts the OpenTelemetry SDK: a NodeTracerProvider with a batch span processor and an OTLP/HTTP exporter
 * (protobuf or JSON), registered globally so that the AsyncLocalStorage context manager carries the active
 * span across awaits. The SDK packages are loaded here and only here: with tracing off they are never even
 * required, and every span helper falls through to plain calls.
 */
export async function startTracingSdk(settings: TracingSettings, log: DiagSink): Promise<TracingHandle> {
  const api = await import('@opentelemetry/api');
  const sdk = await import('@opentelemetry/sdk-trace-node');
  const { defaultResource, resourceFromAttributes } = await import('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME } = await import('@opentelemetry/semantic-conventions');
  const { OTLPTraceExporter } =
    settings.protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto');

  api.diag.setLogger(
    {
      error: (message) => log.error(`OpenTelemetry: ${message}`),
      warn: (message) => log.warn(`OpenTelemetry: ${message}`),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: api.DiagLogLevel.WARN, suppressOverrideMessage: true },
  );

  const ratio = (): Sampler => new sdk.TraceIdRatioBasedSampler(settings.samplerRatio);
  const samplers: Record<TracingSettings['sampler'], () => Sampler> = {
    always_on: () => new sdk.AlwaysOnSampler(),
    always_off: () => new sdk.AlwaysOffSampler(),
    traceidratio: ratio,
    parentbased_always_on: () => new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    parentbased_always_off: () => new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() }),
    parentbased_traceidratio: () => new sdk.ParentBasedSampler({ root: ratio() }),
  };

  const exporter = new OTLPTraceExporter({ url: settings.url, headers: settings.headers, timeoutMillis: settings.timeoutMillis });
  const provider = new sdk.NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ ...settings.resourceAttributes, [ATTR_SERVICE_NAME]: settings.serviceName })),
    sampler: samplers[settings.sampler](),
    spanProcessors: [new sdk.BatchSpanProcessor(exporter, settings.batch)],
  });
  provider.register();

  return {
    tracer: provider.getTracer('flight-notifier'),
    shutdown: async () => {
      try {
        await provider.shutdown();
      } finally {
        api.trace.disable();
        api.context.disable();
        api.propagation.disable();
        api.diag.disable();
      }
    },
  };
}
