import { Attributes, Context, context, Link, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace, Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_SCHEME,
} from '@opentelemetry/semantic-conventions';
import type { ConsumeMessage } from 'amqplib';
import { MAX_JSON_DEPTH, nestingExceeds } from '../vocabulary/json-nesting';
import * as attr from './semconv';
import { carrierOf, contextFrom, TraceCarrier } from './trace-context';

/**
 * The spans of the pipeline. Each helper takes the work it measures as a function: with tracing off
 * (no OTLP endpoint) `tracer` is undefined and every helper calls that function and nothing else — no
 * span object, no context switch, no parsing — so the hot paths pay one comparison. (The helpers are not
 * `async` for that reason: an async wrapper would add a promise and microtask turns to every call.) Attributes carry
 * identifiers, types, counts and outcomes; never a recipient, a name or a message text.
 */
let tracer: Tracer | undefined;

/** Set by TracingService when the SDK has started, cleared when it stops. */
export function useTracer(value: Tracer | undefined): void {
  tracer = value;
}

export function tracingActive(): boolean {
  return tracer !== undefined;
}

/** The outcome the consumer reports; only its kind (and a parked event's reason code) is recorded. */
interface ConsumeOutcome {
  kind: string;
  reasonCode?: string;
  notifications?: number;
}

/**
 * The consume span (CONSUMER, messaging conventions for RabbitMQ), continuing the producer's trace: the
 * W3C `traceparent`/`tracestate` AMQP headers if present (the hop that published it), otherwise the
 * CloudEvents distributed-tracing extension attributes of the event itself.
 */
export function traceConsume<T extends ConsumeOutcome>(msg: ConsumeMessage, maxBytes: number, work: () => Promise<T>): Promise<T> {
  if (!tracer) return work();
  const span = beginConsume(msg, maxBytes);
  return span.within(work).then(
    (outcome) => (span.end(outcome), outcome),
    (error: unknown) => {
      span.fail(error);
      throw error;
    },
  );
}

/**
 * A consume span opened by hand, for a message applied as part of a batch: the batch runs each event's work
 * `within` its own span (so what it plans stores that event's trace), and ends every span after the commit.
 */
export interface ConsumeSpan {
  within<T>(work: () => Promise<T>): Promise<T>;
  end(outcome: ConsumeOutcome): void;
  fail(error: unknown): void;
}

const NO_SPAN: ConsumeSpan = { within: (work) => work(), end: () => undefined, fail: () => undefined };

export function beginConsume(msg: ConsumeMessage, maxBytes: number): ConsumeSpan {
  if (!tracer) return NO_SPAN;
  const event = envelopeOf(msg.content, maxBytes);
  const parent = contextFrom(msg.properties.headers) ?? contextFrom(event) ?? ROOT_CONTEXT;
  const exchange = msg.fields.exchange;
  const attributes: Attributes = {
    [attr.ATTR_MESSAGING_SYSTEM]: 'rabbitmq',
    [attr.ATTR_MESSAGING_OPERATION_TYPE]: 'process',
    [attr.ATTR_MESSAGING_OPERATION_NAME]: 'process',
    [attr.ATTR_MESSAGING_DESTINATION_NAME]: exchange,
    [attr.ATTR_MESSAGING_RABBITMQ_ROUTING_KEY]: msg.fields.routingKey,
    [attr.ATTR_MESSAGING_RABBITMQ_DELIVERY_TAG]: msg.fields.deliveryTag,
    [attr.ATTR_MESSAGING_MESSAGE_BODY_SIZE]: msg.content.length,
  };
  const [eventId, eventType, eventSource] = [stringField(event, 'id'), stringField(event, 'type'), stringField(event, 'source')];
  const messageId = eventId ?? (typeof msg.properties.messageId === 'string' ? msg.properties.messageId : undefined);
  if (messageId) attributes[attr.ATTR_MESSAGING_MESSAGE_ID] = messageId;
  if (eventId) attributes[attr.ATTR_CLOUDEVENTS_EVENT_ID] = eventId;
  if (eventType) attributes[attr.ATTR_CLOUDEVENTS_EVENT_TYPE] = eventType;
  if (eventSource) attributes[attr.ATTR_CLOUDEVENTS_EVENT_SOURCE] = eventSource;
  const span = tracer.startSpan(`process ${exchange}`, { kind: SpanKind.CONSUMER, attributes }, parent);
  const active = trace.setSpan(parent, span);
  return {
    within: (work) => context.with(active, work),
    end: (outcome) => {
      span.setAttribute(attr.ATTR_NOTIFIER_OUTCOME, outcome.kind);
      if (outcome.reasonCode) span.setAttribute(attr.ATTR_NOTIFIER_PARK_REASON, outcome.reasonCode);
      span.end();
    },
    fail: (error) => {
      fail(span, error);
      span.end();
    },
  };
}

/** The planning step inside the consume span: who gets what, for one event. */
export function tracePlan<T extends unknown[]>(eventType: string, work: () => Promise<T>): Promise<T> {
  if (!tracer) return work();
  const parent = context.active();
  const span = tracer.startSpan('plan', { attributes: { [attr.ATTR_CLOUDEVENTS_EVENT_TYPE]: eventType } }, parent);
  return run(span, parent, work, (plans) => span.setAttribute(attr.ATTR_NOTIFIER_PLANNED, plans.length));
}

/**
 * The trace context to store with notifications planned now: the active (consume) span's, so the send,
 * however much later, continues the event's trace. Null with tracing off or outside any span.
 */
export function traceContextToStore(): TraceCarrier | null {
  return tracer ? carrierOf(context.active()) : null;
}

/**
 * One dispatcher batch: a span of its own trace (a batch mixes notifications of many events), started when
 * the claim began and linked to the consume span of every notification in it that has one. Not created for
 * an empty claim: idle polling makes no spans.
 */
export function traceClaim<T>(
  channel: string,
  batch: readonly { traceContext?: TraceCarrier | null }[],
  startedAt: number,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracer) return work();
  const links: Link[] = [];
  for (const n of batch) {
    const linked = trace.getSpanContext(contextFrom(n.traceContext as Record<string, unknown> | null) ?? ROOT_CONTEXT);
    if (linked) links.push({ context: linked });
  }
  const span = tracer.startSpan(
    `claim ${channel}`,
    { root: true, startTime: startedAt, links, attributes: { [attr.ATTR_NOTIFIER_CHANNEL]: channel, [attr.ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: batch.length } },
    ROOT_CONTEXT,
  );
  return run(span, ROOT_CONTEXT, work);
}

interface Deliverable {
  id: string;
  type: string;
  channel: string;
  attempts: number;
  traceContext?: TraceCarrier | null;
}

/**
 * One attempt at one notification: a child of the consume span stored with it (same trace as the event),
 * linked to the claim span of its batch; without a stored context (scheduled reminders, planned before
 * tracing was on), a child of the claim span.
 */
export function traceDeliver<T extends { status: string }>(n: Deliverable, work: () => Promise<T>): Promise<T> {
  if (!tracer) return work();
  const batch = trace.getSpan(context.active());
  const stored = contextFrom(n.traceContext as Record<string, unknown> | null);
  const parent = stored ?? context.active();
  const span = tracer.startSpan(
    `deliver ${n.channel}`,
    {
      attributes: {
        [attr.ATTR_NOTIFIER_NOTIFICATION_ID]: n.id,
        [attr.ATTR_NOTIFIER_NOTIFICATION_TYPE]: n.type,
        [attr.ATTR_NOTIFIER_CHANNEL]: n.channel,
        [attr.ATTR_NOTIFIER_ATTEMPT]: n.attempts,
      },
      links: stored && batch ? [{ context: batch.spanContext() }] : [],
    },
    parent,
  );
  return run(span, parent, work, (result) => span.setAttribute(attr.ATTR_NOTIFIER_OUTCOME, result.status));
}

/** Rendering the templates (synchronous). */
export function traceRender<T extends { locale: string }>(type: string, work: () => T): T {
  if (!tracer) return work();
  const span = tracer.startSpan('render', { attributes: { [attr.ATTR_NOTIFIER_NOTIFICATION_TYPE]: type } });
  try {
    const content = work();
    span.setAttribute(attr.ATTR_NOTIFIER_LOCALE, content.locale);
    return content;
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

type ProviderAnswer = { outcome: string; code?: string };

/**
 * The call to the provider (CLIENT). HTTP adapters add the HTTP attributes of their request through
 * recordHttpExchange; the recipient is never an attribute.
 */
export function traceProviderCall<T extends ProviderAnswer>(adapter: string, channel: string, work: () => Promise<T>): Promise<T> {
  if (!tracer) return work();
  const parent = context.active();
  const span = tracer.startSpan(
    `send ${adapter}`,
    { kind: SpanKind.CLIENT, attributes: { [attr.ATTR_NOTIFIER_ADAPTER]: adapter, [attr.ATTR_NOTIFIER_CHANNEL]: channel } },
    parent,
  );
  return run(span, parent, work, (answer) => {
    span.setAttribute(attr.ATTR_NOTIFIER_OUTCOME, answer.outcome);
    if (answer.code) span.setAttribute(attr.ATTR_NOTIFIER_PROVIDER_CODE, answer.code);
    if (answer.outcome === 'retryable' || answer.outcome === 'permanent' || answer.outcome === 'paused') {
      span.setAttribute(ATTR_ERROR_TYPE, answer.code ?? answer.outcome);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  });
}

/**
 * HTTP client attributes of a provider request on the active provider span: method, server address and
 * port, scheme, and the response status when there was one. The path and query are left out (account
 * ids, and for other providers possibly a recipient).
 */
export function recordHttpExchange(method: string, url: string, status?: number): void {
  if (!tracer) return;
  const span = trace.getSpan(context.active());
  if (!span) return;
  const target = new URL(url);
  const scheme = target.protocol.replace(':', '');
  span.setAttributes({
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_SERVER_ADDRESS]: target.hostname,
    [ATTR_SERVER_PORT]: target.port ? Number(target.port) : scheme === 'https' ? 443 : 80,
    [ATTR_URL_SCHEME]: scheme,
  });
  if (status !== undefined) {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 400) span.setAttribute(ATTR_ERROR_TYPE, String(status));
  }
}

/** Runs `work` with `span` active under `parent`, records how it ended, and ends it. */
async function run<T>(span: Span, parent: Context, work: () => Promise<T>, onResult?: (result: T) => void): Promise<T> {
  try {
    const result = await context.with(trace.setSpan(parent, span), work);
    onResult?.(result);
    return result;
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * An exception's class (or code), not its message: database and provider messages can quote the values
 * they choked on, and span data leaves the service unmasked.
 */
function fail(span: Span, error: unknown): void {
  const err = error as { code?: unknown; name?: unknown; constructor?: { name?: string } };
  const type = typeof err?.code === 'string' ? err.code : (err?.constructor?.name ?? 'Error');
  span.setAttribute(ATTR_ERROR_TYPE, type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** The top-level attributes of a CloudEvent body, for its id and trace context; undefined if it is not one. */
function envelopeOf(body: Buffer, maxBytes: number): Record<string, unknown> | undefined {
  if (body.length > maxBytes) return undefined;
  try {
    const text = body.toString('utf8');
    if (nestingExceeds(text, MAX_JSON_DEPTH)) return undefined;
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(object: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : undefined;
}

/** Probes and scrapes come every few seconds and tell nothing a trace would. */
const UNTRACED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * Express middleware: a SERVER span per request (provider webhooks, the ops API), named by method and
 * route template once routing has matched. The incoming `traceparent` is not continued: these callers
 * (Twilio, Meta, browsers) are outside our trust boundary, so each request starts its own trace. The
 * URL path and query are not recorded (they can hold identifiers a person typed); the route is.
 */
export function httpServerSpan(req: HttpRequest, res: HttpResponse, next: () => void): void {
  if (!tracer || UNTRACED_PATHS.test(req.originalUrl)) return next();
  const span = tracer.startSpan(
    req.method,
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_SCHEME]: req.protocol } },
    ROOT_CONTEXT,
  );
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const route = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : undefined;
    if (route) {
      span.setAttribute(ATTR_HTTP_ROUTE, route);
      span.updateName(`${req.method} ${route}`);
    }
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(res.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(trace.setSpan(ROOT_CONTEXT, span), next);
}

/** The parts of Express's request and response the middleware reads. */
interface HttpRequest {
  method: string;
  originalUrl: string;
  protocol: string;
  baseUrl?: string;
  route?: { path?: unknown };
}
interface HttpResponse {
  statusCode: number;
  once(event: 'finish' | 'close', listener: () => void): unknown;
}
