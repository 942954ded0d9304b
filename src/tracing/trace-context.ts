import { Context, ROOT_CONTEXT, TextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** A W3C Trace Context as stored with a planned notification (the propagator's own carrier). */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

/** Used directly rather than through the global propagator, so nothing here depends on registration. */
const w3c = new W3CTraceContextPropagator();

/** AMQP header tables may hold strings or byte arrays. */
const headerGetter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return value.toString('latin1');
    return undefined;
  },
};

/** The context in `carrier` (AMQP headers, a CloudEvent's extension attributes, a stored carrier), if valid. */
export function contextFrom(carrier: Record<string, unknown> | null | undefined): Context | undefined {
  if (!carrier) return undefined;
  const extracted = w3c.extract(ROOT_CONTEXT, carrier, headerGetter);
  return trace.getSpanContext(extracted) ? extracted : undefined;
}

/** The W3C carrier of `ctx`'s span, or null when it has none (or tracing is suppressed). */
export function carrierOf(ctx: Context): TraceCarrier | null {
  const carrier: Partial<TraceCarrier> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent ? (carrier as TraceCarrier) : null;
}
