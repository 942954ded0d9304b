import { z } from 'zod';

/**
 * `key=value,key=value` as in OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES (values
 * percent-decoded, the W3C Baggage format the specification names). Values may be secrets (an API key
 * for the collector): they are passed to the exporter and never logged.
 */
const keyValueList = z.string().transform((text, ctx) => {
  const pairs: Record<string, string> = {};
  for (const entry of text.split(',').map((x) => x.trim()).filter((x) => x.length > 0)) {
    const at = entry.indexOf('=');
    const key = at > 0 ? entry.slice(0, at).trim() : '';
    if (key === '') {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of key=value' });
      return z.NEVER;
    }
    try {
      pairs[key] = decodeURIComponent(entry.slice(at + 1).trim());
    } catch {
      ctx.addIssue({ code: 'custom', message: `the value of ${key} is not valid percent-encoding` });
      return z.NEVER;
    }
  }
  return pairs;
});

const httpUrl = z.url({ protocol: /^https?$/ });
/** grpc is a valid value in the specification; this service ships only the two HTTP exporters. */
const protocol = z.enum(['http/protobuf', 'http/json'], { message: 'must be http/protobuf or http/json (grpc is not supported)' });
const millis = z.coerce.number().int().min(1).max(3_600_000);

/**
 * The standard OpenTelemetry variables the service understands, read here like every other variable
 * (config/ is the one reader of process.env) and handed to the SDK explicitly. Defaults are the SDK
 * specification's: https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 * and https://opentelemetry.io/docs/specs/otel/protocol/exporter/. Tracing is on only when an OTLP
 * endpoint is set (see tracingEnabled in src/tracing/tracing-settings.ts).
 */
export const OTEL_VARIABLES = {
  OTEL_SDK_DISABLED: z.stringbool().default(false),
  /** `otlp` or `none`; the only exporter this service ships is OTLP. */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).default('otlp'),
  /** Default: service.name from OTEL_RESOURCE_ATTRIBUTES, else flight-notifier. */
  OTEL_SERVICE_NAME: z.string().min(1).max(200).optional(),
  OTEL_RESOURCE_ATTRIBUTES: keyValueList.default({}),
  /** Base URL: traces go to <endpoint>/v1/traces. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** Full URL, used as it is; wins over the base URL. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol.default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol.optional(),
  OTEL_EXPORTER_OTLP_HEADERS: keyValueList.default({}),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: keyValueList.default({}),
  OTEL_EXPORTER_OTLP_TIMEOUT: millis.default(10_000),
  OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: millis.optional(),
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on'),
  /** The ratio of the traceidratio samplers, 0..1 (default 1). */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  OTEL_BSP_SCHEDULE_DELAY: millis.default(5_000),
  OTEL_BSP_EXPORT_TIMEOUT: millis.default(30_000),
  OTEL_BSP_MAX_QUEUE_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(2_048),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000_000).default(512),
};
