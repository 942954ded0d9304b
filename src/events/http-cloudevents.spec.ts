import { CloudEvent, HTTP } from 'cloudevents';
import { loadConfig } from '../config/app-config';
import { readHttpEvents } from './http-cloudevents';

const event = new CloudEvent({
  specversion: '1.0',
  id: 'evt-1',
  source: '/booking',
  type: 'booking.cancelled',
  time: '2026-11-20T10:00:00Z',
  datacontenttype: 'application/json',
  data: { bookingReference: 'ABC123' },
});

describe('readHttpEvents (CloudEvents HTTP binding, messages made by the cloudevents SDK)', () => {
  it('reads a structured event as the AMQP structured message it would have been', () => {
    const message = HTTP.structured(event);
    const reading = readHttpEvents(message.headers, Buffer.from(message.body as string));
    expect(reading).toEqual({
      ok: true,
      batch: false,
      events: [{ body: Buffer.from(message.body as string), routingKey: 'booking.cancelled', properties: { contentType: 'application/cloudevents+json' } }],
    });
  });

  it('maps binary mode ce- headers to cloudEvents_ headers, content-type kept as datacontenttype', () => {
    const message = HTTP.binary(event);
    const reading = readHttpEvents(message.headers, Buffer.from(message.body as string));
    expect(reading.ok && reading.events[0]).toMatchObject({
      routingKey: 'booking.cancelled',
      properties: {
        contentType: 'application/json',
        headers: { cloudEvents_id: 'evt-1', cloudEvents_source: '/booking', cloudEvents_type: 'booking.cancelled', cloudEvents_specversion: '1.0' },
      },
    });
  });

  it('splits a batch into structured events, and refuses what is not a batch or too large a one', () => {
    const batch = Buffer.from(JSON.stringify([event.toJSON(), event.toJSON()]));
    const reading = readHttpEvents({ 'content-type': 'application/cloudevents-batch+json' }, batch);
    expect(reading.ok && reading.events.map((e) => e.routingKey)).toEqual(['booking.cancelled', 'booking.cancelled']);
    expect(readHttpEvents({ 'content-type': 'application/cloudevents-batch+json' }, Buffer.from('{}'))).toEqual({ ok: false, reason: 'a batch must be a JSON array of events' });
    const many = Buffer.from(JSON.stringify(Array.from({ length: 101 }, () => ({}))));
    expect(readHttpEvents({ 'content-type': 'application/cloudevents-batch+json' }, many)).toMatchObject({ ok: false, reason: expect.stringContaining('at most 100') });
  });

  it('refuses a plain JSON body without ce- headers, naming the content-type', () => {
    expect(readHttpEvents({ 'content-type': 'application/json' }, Buffer.from('{}'))).toMatchObject({ ok: false, reason: expect.stringContaining('content-type') });
  });
});

describe('OPS_API_TOKENS', () => {
  it('takes producer tokens beside viewer and operator ones, and refuses an unknown role', () => {
    const tokens = loadConfig({ OPS_API_TOKENS: 'producer:producer-token-0123456789,viewer:viewer-token-0123456789' }).OPS_API_TOKENS;
    expect(tokens.map((t) => t.role)).toEqual(['producer', 'viewer']);
    expect(() => loadConfig({ OPS_API_TOKENS: 'publisher:publisher-token-0123456789' })).toThrow(/OPS_API_TOKENS/);
  });
});
