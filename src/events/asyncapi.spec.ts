import { join } from 'node:path';
import { findProjectRoot, loadEventSchemas, readAsyncApiDocument } from './event-schemas';
import { CONSENT_CHANNELS, EVENT_TYPES, FLIGHT_STATUSES } from './event-types';
import { CHANNELS } from '../vocabulary/notification-types';

/** Keeps docs/asyncapi.yaml, the TypeScript names and the validators from drifting apart. */

type Json = Record<string, unknown>;
const doc = readAsyncApiDocument();
const components = doc.components as { schemas: Json; messages: Json };
const channels = doc.channels as Record<string, { address: string; messages: Record<string, { $ref: string }> }>;

/** Follows a local `#/a/b/c` reference within the document. */
function resolve(ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], doc);
}

describe('docs/asyncapi.yaml', () => {
  it('is an AsyncAPI 3.0.0 document found from the project root', () => {
    // from dist/src/events after `nest build` the walk must land on the same root as under ts-jest
    const root = findProjectRoot();
    expect(findProjectRoot(join(root, 'dist', 'src', 'events'))).toBe(root);
    expect(doc.asyncapi).toBe('3.0.0');
  });

  it('describes the airline.events exchange as a durable topic exchange', () => {
    const channel = Object.values(channels).find((c) => c.address === 'airline.events');
    expect(channel).toBeDefined();
    expect(channel).toMatchObject({ bindings: { amqp: { is: 'routingKey', exchange: { type: 'topic', durable: true } } } });
  });

  it.each(EVENT_TYPES)('has a %s message on airline.events whose payload schema exists', (type) => {
    const channel = Object.values(channels).find((c) => c.address === 'airline.events');
    const messages = Object.values(channel?.messages ?? {}).map((m) => resolve(m.$ref) as Json);
    const message = messages.find((m) => m.name === type);
    expect(message).toBeDefined();
    const ref = (message?.payload as { $ref: string }).$ref;
    expect(ref).toMatch(/^#\/components\/schemas\//);
    expect(resolve(ref)).toBe(components.schemas[ref.split('/').pop() as string]);
  });

  it('lists the same event types and flight statuses as the TypeScript types', () => {
    expect((components.schemas.EventType as Json).enum).toEqual([...EVENT_TYPES]);
    expect((components.schemas.FlightStatus as Json).enum).toEqual([...FLIGHT_STATUSES]);
  });

  it('has only resolvable $refs', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect({ ref, found: resolve(ref) !== undefined }).toEqual({ ref, found: true });
  });

  it('describes both CloudEvents content modes, and an absent datacontenttype as JSON', () => {
    const description = (doc.info as Json).description as string;
    expect(description).toContain('structured mode: content type `application/cloudevents+json`');
    expect(description).toContain('binary mode');
    expect(description).toContain('`cloudEvents_<attribute>`');
    const envelope = components.schemas.CloudEventEnvelope as { required: string[]; properties: Json };
    expect(envelope.required).not.toContain('datacontenttype');
    expect(envelope.properties.datacontenttype).toMatchObject({ const: 'application/json' });
  });

  it('leaves contacts to the per-passenger check: bounded strings, no format in the schema', () => {
    const contacts = (components.schemas.Contacts as { properties: Record<string, Json> }).properties;
    expect(contacts.email).not.toHaveProperty('format');
    expect(components.schemas.NullablePhoneNumber).not.toHaveProperty('pattern');
    expect(components.schemas.NullablePhoneNumber).toMatchObject({ maxLength: 64 });
  });

  it('adds the reason fields of 1.1.0 as optional and nullable, so every 1.0.0 event stays valid', () => {
    const schemaOf = (name: string) => components.schemas[name] as { required: string[]; properties: Record<string, { $ref: string }> };
    const nullable = (ref: string) => ((resolve(ref) as Json).type as string[]).includes('null');
    for (const [data, fields] of [['FlightStatusData', ['reasonLanguage', 'delayCode']], ['BookingCancelledData', ['reasonLanguage']]] as const) {
      for (const field of fields) {
        expect({ data, field, required: schemaOf(data).required.includes(field) }).toEqual({ data, field, required: false });
        expect({ data, field, nullable: nullable(schemaOf(data).properties[field].$ref) }).toEqual({ data, field, nullable: true });
      }
    }
  });

  it('adds Messenger and WeChat in 1.2.0 as optional, nullable, bounded contacts and as consent channels', () => {
    const contacts = components.schemas.Contacts as { required?: string[]; properties: Record<string, Json> };
    for (const channel of ['messenger', 'wechat']) {
      expect(contacts.required ?? []).not.toContain(channel);
      expect(contacts.properties[channel]).toMatchObject({ type: ['string', 'null'], maxLength: 64 });
      // Checked per passenger (contact-check.ts), like phone numbers: a bad one costs only that channel.
      expect(contacts.properties[channel]).not.toHaveProperty('pattern');
    }
    expect((components.schemas.Channel as Json).enum).toEqual([...CONSENT_CHANNELS]);
    expect([...CONSENT_CHANNELS]).toEqual([...CHANNELS]);
  });

  it('adds the app account (1.3.0) as an optional, nullable, bounded contact and push as a consent channel', () => {
    const contacts = components.schemas.Contacts as { required?: string[]; properties: Record<string, Json> };
    expect(contacts.required ?? []).not.toContain('app');
    expect(contacts.properties.app).toMatchObject({ type: ['string', 'null'], maxLength: 128 });
    expect((components.schemas.Channel as Json).enum).toContain('push');
    expect((doc.info as Json).version).toBe('1.3.0');
  });

  it('compiles under Ajv strict mode into one validator per event type', () => {
    const schemas = loadEventSchemas();
    expect(Object.keys(schemas.byType).sort()).toEqual([...EVENT_TYPES].sort());
  });
});
