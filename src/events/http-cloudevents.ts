import type { IncomingHttpHeaders } from 'node:http';
import type { EventProperties } from './event-message';
import { mediaType } from './event-message';
import { MAX_JSON_DEPTH, nestingExceeds } from '../vocabulary/json-nesting';

/** One event as the ingestor takes it: the AMQP message it would have been, so both paths are one. */
export interface InboundEvent {
  body: Buffer;
  /** An HTTP event has no routing key; the event's type is what a producer routes by on the exchange. */
  routingKey: string;
  properties: EventProperties;
}

export const STRUCTURED = 'application/cloudevents+json';
export const BATCH = 'application/cloudevents-batch+json';
export const MAX_BATCH_EVENTS = 100;

export type HttpReading = { ok: true; batch: boolean; events: InboundEvent[] } | { ok: false; reason: string };

/**
 * Reads a POST of CloudEvents per the CloudEvents HTTP protocol binding (github.com/cloudevents/spec,
 * cloudevents/bindings/http-protocol-binding.md) and the JSON batch format (formats/json-format.md, 4):
 * - structured mode: content-type application/cloudevents+json, the body is the event;
 * - batched mode: content-type application/cloudevents-batch+json, the body is a JSON array of events;
 * - binary mode: the attributes as `ce-<name>` headers, content-type as datacontenttype, the body as data.
 * Each event becomes the AMQP message that carries it in the same mode (binary: `cloudEvents_<name>`
 * headers), so validation, the inbox, parking and re-drive treat both transports alike.
 */
export function readHttpEvents(headers: IncomingHttpHeaders, body: Buffer): HttpReading {
  const contentType = headers['content-type'];
  const type = contentType ? mediaType(contentType) : '';
  if (type === STRUCTURED) {
    return { ok: true, batch: false, events: [{ body, routingKey: typeIn(safeParse(body)), properties: { contentType: STRUCTURED } }] };
  }
  if (type === BATCH) return readBatch(body);
  const attributes = Object.entries(headers).filter(([name]) => name.startsWith('ce-'));
  if (attributes.length > 0) {
    const amqpHeaders: Record<string, string> = {};
    for (const [name, value] of attributes) {
      amqpHeaders[`cloudEvents_${name.slice(3)}`] = percentDecoded(Array.isArray(value) ? value.join(',') : (value ?? ''));
    }
    const properties: EventProperties = { headers: amqpHeaders, ...(contentType ? { contentType } : {}) };
    return { ok: true, batch: false, events: [{ body, routingKey: amqpHeaders['cloudEvents_type'] ?? '', properties }] };
  }
  return {
    ok: false,
    reason: `content-type must be ${STRUCTURED} or ${BATCH}, or the event must come in binary mode with its attributes as ce- headers`,
  };
}

function readBatch(body: Buffer): HttpReading {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, reason: 'body is not valid UTF-8' };
  }
  // The batch's array adds a level to each event's nesting limit.
  if (nestingExceeds(text, MAX_JSON_DEPTH + 1)) return { ok: false, reason: `body is nested deeper than ${MAX_JSON_DEPTH + 1} levels` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
  if (!Array.isArray(parsed)) return { ok: false, reason: 'a batch must be a JSON array of events' };
  if (parsed.length > MAX_BATCH_EVENTS) return { ok: false, reason: `a batch holds at most ${MAX_BATCH_EVENTS} events, not ${parsed.length}` };
  const events = parsed.map((event: unknown) => ({
    body: Buffer.from(JSON.stringify(event)),
    routingKey: typeIn(event),
    properties: { contentType: STRUCTURED },
  }));
  return { ok: true, batch: true, events };
}

function safeParse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined; // the validator says why, with the position
  }
}

function typeIn(event: unknown): string {
  const type = event && typeof event === 'object' ? (event as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : '';
}

/** The HTTP binding percent-encodes header values outside printable ASCII (3.1.3.2); a malformed one stays as sent. */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
