import type { MessageProperties } from 'amqplib';
import type { EventProperties } from '../vocabulary/parked-event';

/**
 * How a CloudEvent travels in an AMQP message, per the CloudEvents AMQP protocol binding
 * (github.com/cloudevents/spec, cloudevents/bindings/amqp-protocol-binding.md, section 3):
 * - structured mode: content-type `application/cloudevents…` (here `application/cloudevents+json`), the
 *   body is the whole event;
 * - binary mode: every attribute but `datacontenttype` is an application property (a header in AMQP
 *   0-9-1) named `cloudEvents_<attribute>` or `cloudEvents:<attribute>`, the content-type property is
 *   `datacontenttype`, the body is the event's data.
 * The binding has the receiver tell the modes apart by content-type and suggests treating a message
 * that carries the CloudEvents attributes as properties as an event; a message with neither a
 * CloudEvents content-type nor such headers is read as structured, as the service always has.
 */
export type ContentMode = 'structured' | 'binary';

export type { EventProperties };

const PREFIXES = ['cloudEvents_', 'cloudEvents:'] as const;

/** Headers the broker or this service adds (delivery counts, dead-lettering, park reasons): not the producer's. */
const ADDED_HEADER = /^x-(delivery-count|death|first-death-|last-death-|park-|original-|body-truncated)/;

export function producerProperties(p: Partial<MessageProperties>): EventProperties {
  const kept: EventProperties = {};
  const copy = <K extends keyof EventProperties>(key: K, value: EventProperties[K] | null | undefined) => {
    if (value !== undefined && value !== null) kept[key] = value;
  };
  copy('contentType', p.contentType as string | undefined);
  copy('contentEncoding', p.contentEncoding as string | undefined);
  copy('messageId', p.messageId as string | undefined);
  copy('correlationId', p.correlationId as string | undefined);
  copy('timestamp', p.timestamp as number | undefined);
  copy('type', p.type as string | undefined);
  copy('appId', p.appId as string | undefined);
  copy('userId', p.userId as string | undefined);
  copy('replyTo', p.replyTo as string | undefined);
  copy('priority', p.priority as number | undefined);
  copy('expiration', p.expiration as string | undefined);
  const headers = Object.entries((p.headers ?? {}) as Record<string, unknown>).filter(([name]) => !ADDED_HEADER.test(name));
  if (headers.length > 0) kept.headers = Object.fromEntries(headers);
  return kept;
}

export function contentModeOf(properties: EventProperties | undefined): ContentMode {
  const contentType = properties?.contentType?.trim().toLowerCase() ?? '';
  if (contentType.startsWith('application/cloudevents')) return 'structured';
  return Object.keys(properties?.headers ?? {}).some((name) => PREFIXES.some((prefix) => name.startsWith(prefix))) ? 'binary' : 'structured';
}

/**
 * A binary-mode event's attributes from its headers. Values may be AMQP natives or canonical strings (the
 * binding, 3.1.3.2); an AMQP 0-9-1 timestamp (whole seconds) becomes RFC 3339, byte arrays UTF-8 text.
 */
export function binaryAttributes(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const prefix = PREFIXES.find((p) => name.startsWith(p));
    if (!prefix) continue;
    const attribute = name.slice(prefix.length);
    if (attribute in attributes) continue; // the first spelling wins; a second one is ignored
    let value = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
    if (attribute === 'time' && typeof value === 'number') value = new Date(value * 1000).toISOString();
    attributes[attribute] = value;
  }
  return attributes;
}

/** `application/json; charset=utf-8` → `application/json`. Absent means JSON (CloudEvents JSON format, 3.1.1). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}
