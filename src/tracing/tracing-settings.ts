import type { TracingConfig } from '../config/config-slices';

export type TracesSampler = TracingConfig['OTEL_TRACES_SAMPLER'];

/** What the SDK is started with; derived from the OTEL_* variables of the typed configuration. */
export interface TracingSettings {
  serviceName: string;
  resourceAttributes: Record<string, string>;
  /** Where spans are POSTed (OTLP/HTTP). */
  url: string;
  protocol: 'http/protobuf' | 'http/json';
  headers: Record<string, string>;
  timeoutMillis: number;
  sampler: TracesSampler;
  samplerRatio: number;
  batch: { scheduledDelayMillis: number; exportTimeoutMillis: number; maxQueueSize: number; maxExportBatchSize: number };
}

/**
 * Tracing is off (undefined) unless an OTLP endpoint is set, and OTEL_SDK_DISABLED / OTEL_TRACES_EXPORTER=none
 * switch it off even then. Signal-specific variables (…_TRACES_…) win over the general ones, and the general
 * endpoint gets the signal path /v1/traces appended, as the OTLP exporter specification says.
 */
export function tracingSettings(config: TracingConfig): TracingSettings | undefined {
  if (config.OTEL_SDK_DISABLED || config.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const url =
    config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (config.OTEL_EXPORTER_OTLP_ENDPOINT ? `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!url) return undefined;
  return {
    serviceName: config.OTEL_SERVICE_NAME ?? config.OTEL_RESOURCE_ATTRIBUTES['service.name'] ?? 'flight-notifier',
    resourceAttributes: config.OTEL_RESOURCE_ATTRIBUTES,
    url,
    protocol: config.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? config.OTEL_EXPORTER_OTLP_PROTOCOL,
    headers: { ...config.OTEL_EXPORTER_OTLP_HEADERS, ...config.OTEL_EXPORTER_OTLP_TRACES_HEADERS },
    timeoutMillis: config.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? config.OTEL_EXPORTER_OTLP_TIMEOUT,
    sampler: config.OTEL_TRACES_SAMPLER,
    samplerRatio: config.OTEL_TRACES_SAMPLER_ARG ?? 1,
    batch: {
      scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
      exportTimeoutMillis: config.OTEL_BSP_EXPORT_TIMEOUT,
      maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: Math.min(config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, config.OTEL_BSP_MAX_QUEUE_SIZE),
    },
  };
}
