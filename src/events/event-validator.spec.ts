import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_TYPES, type EventType } from './event-types';
import { createEventValidator, EventValidator, MAX_JSON_DEPTH, pointerToPath, type ValidationOutcome } from './event-validator';

type Json = Record<string, unknown>;

function fixture(type: EventType): Json {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${type}.json`), 'utf8')) as Json;
}

const validator = new EventValidator({ maxBytes: 64 * 1024 });

function run(event: unknown, routingKey?: string): ValidationOutcome {
  const key = routingKey ?? String((event as Json).type);
  return validator.validate(Buffer.from(JSON.stringify(event)), key);
}

function failure(outcome: ValidationOutcome): Extract<ValidationOutcome, { ok: false }> {
  if (outcome.ok) throw new Error('expected a failure, got a valid event');
  return outcome;
}

/** A booking.confirmed fixture with `edit` applied to its data. */
function booking(edit: (data: Json & { passengers: Json[]; segments: Json[] }) => void): Json {
  const event = fixture('booking.confirmed');
  edit(event.data as Json & { passengers: Json[]; segments: Json[] });
  return event;
}

describe('EventValidator', () => {
  it.each(EVENT_TYPES)('accepts the %s fixture', (type) => {
    const outcome = run(fixture(type));
    expect(outcome).toEqual({ ok: true, event: fixture(type), mode: 'structured' });
  });

  it('rejects an oversize body without parsing it', () => {
    const small = new EventValidator({ maxBytes: 100 });
    const outcome = failure(small.validate(Buffer.alloc(101, '{'), 'booking.confirmed'));
    expect(outcome).toMatchObject({ code: 'oversize', reason: 'body is 101 bytes, more than the limit of 100 bytes' });
  });

  it('rejects invalid UTF-8 as bad-json', () => {
    const body = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect(failure(validator.validate(body, 'x'))).toMatchObject({ code: 'bad-json', reason: 'body is not valid UTF-8' });
  });

  it('rejects malformed JSON as bad-json without echoing the body', () => {
    const outcome = failure(validator.validate(Buffer.from('{"sms": "+31612345678",'), 'x'));
    expect(outcome.code).toBe('bad-json');
    expect(outcome.reason).toMatch(/^body is not valid JSON/);
    expect(outcome.reason).not.toContain('+316');
  });

  it(`rejects nesting deeper than ${MAX_JSON_DEPTH} levels before parsing, but not ${MAX_JSON_DEPTH}`, () => {
    const nested = (depth: number) => Buffer.from('['.repeat(depth) + ']'.repeat(depth));
    expect(failure(validator.validate(nested(MAX_JSON_DEPTH + 1), 'x'))).toMatchObject({
      code: 'bad-json',
      reason: 'body is nested deeper than 32 levels',
    });
    expect(failure(validator.validate(nested(MAX_JSON_DEPTH), 'x')).code).toBe('bad-envelope');
    // brackets inside strings are not nesting
    const event = booking((d) => ((d.passengers[0] as Json).surname = '['.repeat(60)));
    expect(run(event).ok).toBe(true);
  });

  it('rejects a JSON value that is not an object as bad-envelope', () => {
    expect(failure(validator.validate(Buffer.from('[1,2]'), 'x'))).toMatchObject({
      code: 'bad-envelope',
      reason: 'event must be a JSON object',
    });
  });

  it('rejects specversion 0.3 as bad-envelope and keeps type/source/id', () => {
    const outcome = failure(run({ ...fixture('booking.confirmed'), specversion: '0.3' }));
    expect(outcome).toMatchObject({
      code: 'bad-envelope',
      reason: 'specversion must be "1.0"',
      type: 'booking.confirmed',
      source: '/booking',
      id: 'bk-7f3c2a10-0001',
    });
  });

  it('rejects a missing id as bad-envelope', () => {
    const event = fixture('booking.cancelled');
    delete event.id;
    expect(failure(run(event))).toMatchObject({ code: 'bad-envelope', reason: 'id is required' });
    const noOffset = failure(run({ ...fixture('booking.cancelled'), time: '2026-11-28T08:15:00' }));
    expect(noOffset.reason).toBe('time must be a valid RFC 3339 date-time with offset');
  });

  it('rejects extension attributes that are not lowercase alphanumeric, accepts valid ones', () => {
    const bad = failure(run({ ...fixture('booking.cancelled'), traceParent: 'x' }));
    expect(bad.code).toBe('bad-envelope');
    expect(bad.reason).toContain('event attribute "traceParent" is not allowed');
    expect(run({ ...fixture('booking.cancelled'), traceparent: '00-abc-01', partitionkey: 7 }).ok).toBe(true);
  });

  it('rejects an unknown type as unknown-type', () => {
    const outcome = failure(run({ ...fixture('booking.cancelled'), type: 'booking.exploded' }));
    expect(outcome.code).toBe('unknown-type');
    expect(outcome.reason).toMatch(/^type "booking.exploded" is not one of booking.confirmed/);
    expect(outcome.type).toBe('booking.exploded');
  });

  it('rejects a bad bookingReference as bad-data naming the field', () => {
    const outcome = failure(run(booking((d) => (d.bookingReference = 'x7k2'))));
    expect(outcome).toMatchObject({ code: 'bad-data', reason: 'data.bookingReference must match pattern ^[A-Z0-9]{6}$' });
  });

  it('names nested fields in dotted/bracket form', () => {
    const outcome = failure(run(booking((d) => ((d.passengers[0].contacts as Json).whatsapp = 31612345678))));
    expect(outcome.reason).toBe('data.passengers[0].contacts.whatsapp must be of type string or null');
    const missing = failure(run(booking((d) => delete d.segments[0].origin)));
    expect(missing.reason).toBe('data.segments[0].origin is required');
  });

  it('accepts a booking whose contacts are unusable: each is judged per passenger and channel when applied (contact-check.ts)', () => {
    const outcome = run(booking((d) => Object.assign(d.passengers[0].contacts as Json, { sms: '+3161234', whatsapp: '0612345678', email: 'nobody@' })));
    expect(outcome.ok).toBe(true);
  });

  it('accepts an app account and a push consent (1.3.0), refuses an over-long account id naming the field', () => {
    const withApp = booking((d) => {
      Object.assign(d.passengers[0].contacts as Json, { app: 'klm-acct-5518204' });
      (d.passengers[0].consents as Json[]).push({ channel: 'push', granted: true });
    });
    expect(run(withApp).ok).toBe(true);
    const tooLong = failure(run(booking((d) => Object.assign(d.passengers[0].contacts as Json, { app: 'a'.repeat(129) }))));
    expect(tooLong.reason).toBe('data.passengers[0].contacts.app must be at most 128 characters');
  });

  it('accepts Messenger and WeChat contacts and consents (1.2.0), and bookings without them as before', () => {
    expect(run(fixture('booking.confirmed')).ok).toBe(true);
    const before = booking((d) => {
      d.passengers.splice(1);
      d.passengers[0].consents = [{ channel: 'whatsapp', granted: true }];
    });
    expect(run(before).ok).toBe(true);
    const number = failure(run(booking((d) => ((d.passengers[1].contacts as Json).messenger = 25381719828140932))));
    expect(number.reason).toBe('data.passengers[1].contacts.messenger must be of type string or null');
    const channel = failure(run(booking((d) => ((d.passengers[1].consents as Json[])[0] = { channel: 'line', granted: true }))));
    expect(channel.reason).toBe('data.passengers[1].consents[0].channel must be one of whatsapp, sms, email, messenger, wechat, push');
  });

  it('rejects duplicate passengerId and segmentId', () => {
    const pax = failure(run(booking((d) => d.passengers.splice(1, 1, { ...d.passengers[0], givenName: 'Eva' }))));
    expect(pax.reason).toBe('data.passengers[1].passengerId duplicates data.passengers[0].passengerId ("PAX-1")');
    const seg = failure(run(booking((d) => d.segments.push({ ...d.segments[0] }))));
    expect(seg).toMatchObject({ code: 'bad-data', reason: expect.stringContaining('data.segments[1].segmentId duplicates') });
  });

  it('rejects a segment that arrives before it departs', () => {
    const outcome = failure(run(booking((d) => (d.segments[0].scheduledArrival = '2026-12-01T07:00:00Z'))));
    expect(outcome.reason).toBe('data.segments[0].scheduledArrival is before data.segments[0].scheduledDeparture');
  });

  it('accepts unknown fields inside data (forward compatibility)', () => {
    const event = booking((d) => {
      d.loyaltyTier = 'gold';
      d.passengers[0].frequentFlyer = { programme: 'FB', number: '123' };
    });
    expect(run(event).ok).toBe(true);
  });

  it('accepts right-to-left marks in names but rejects control characters', () => {
    expect(run(booking((d) => (d.passengers[0].givenName = '\u200fمحمد'))).ok).toBe(true);
    for (const bad of ['Luc\u0007', 'Luc\nX', 'Luc\u0085']) {
      const outcome = failure(run(booking((d) => (d.passengers[0].surname = bad))));
      expect(outcome.code).toBe('bad-data');
      expect(outcome.reason).toMatch(/^data\.passengers\[0\]\.surname must match pattern/);
    }
  });

  it('accepts null and absent optional flight fields, rejects a bad divertedTo', () => {
    const event = fixture('flight.status.changed');
    const data = event.data as Json;
    delete data.estimatedDeparture;
    data.baggageBelt = null;
    expect(run(event).ok).toBe(true);
    data.divertedTo = 'bru';
    expect(failure(run(event)).reason).toBe('data.divertedTo must match pattern ^[A-Z]{3}$');
  });

  it('accepts 1.0.0 events without delayCode and reasonLanguage, and null for both (contract 1.1.0 is additive)', () => {
    const flight = fixture('flight.status.changed');
    delete (flight.data as Json).delayCode;
    delete (flight.data as Json).reasonLanguage;
    expect(run(flight).ok).toBe(true);
    Object.assign(flight.data as Json, { delayCode: null, reasonLanguage: null });
    expect(run(flight).ok).toBe(true);
    const cancelled = fixture('booking.cancelled');
    delete (cancelled.data as Json).reasonLanguage;
    expect(run(cancelled).ok).toBe(true);
    expect(run({ ...cancelled, data: { ...(cancelled.data as Json), reasonLanguage: null } }).ok).toBe(true);
  });

  it.each(['71', '93', '93A', '00'])('accepts the delay code %j (two digits, optionally an AHM 731 sub-code letter)', (delayCode) => {
    const event = fixture('flight.status.changed');
    (event.data as Json).delayCode = delayCode;
    expect(run(event).ok).toBe(true);
  });

  it.each(['9', '930', 'RA', '93a', ' 93', 93])('rejects the delay code %j naming the field', (delayCode) => {
    const event = fixture('flight.status.changed');
    (event.data as Json).delayCode = delayCode;
    expect(failure(run(event))).toMatchObject({ code: 'bad-data', reason: expect.stringMatching(/^data\.delayCode must /) });
  });

  it.each(['pt-BR', 'zh-Hans', 'ko', 'en'])('accepts the reason language %j', (reasonLanguage) => {
    const event = fixture('flight.status.changed');
    (event.data as Json).reasonLanguage = reasonLanguage;
    expect(run(event).ok).toBe(true);
  });

  it('rejects a reason language that is not a BCP 47 tag, on flights and booking cancellations', () => {
    const flight = fixture('flight.status.changed');
    (flight.data as Json).reasonLanguage = 'English';
    expect(failure(run(flight)).reason).toBe('data.reasonLanguage must match pattern ^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$');
    const cancelled = fixture('booking.cancelled');
    (cancelled.data as Json).reasonLanguage = 'pt_BR';
    expect(failure(run(cancelled)).reason).toBe('data.reasonLanguage must match pattern ^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$');
  });

  it('rejects a routing key that differs from the type, after validating', () => {
    const outcome = failure(run(fixture('checkin.completed'), 'checkin.started'));
    expect(outcome).toMatchObject({
      code: 'routing-mismatch',
      reason: 'routing key "checkin.started" does not match type "checkin.completed"',
      id: 'ci-5b1e9d42-0001',
    });
  });

  it('converts JSON Pointers to readable paths', () => {
    expect(pointerToPath('/data/passengers/0/contacts/whatsapp')).toBe('data.passengers[0].contacts.whatsapp');
    expect(pointerToPath('/data/a~1b/x y')).toBe('data["a/b"]["x y"]');
    expect(pointerToPath('')).toBe('');
  });

  it('never throws on 2,000 random or mutated inputs', () => {
    let seed = 0x2f6e2b1;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const base = Buffer.from(JSON.stringify(fixture('booking.changed')));
    for (let i = 0; i < 2000; i++) {
      let body: Buffer;
      if (i % 2 === 0) {
        body = Buffer.alloc(Math.floor(random() * 600));
        for (let j = 0; j < body.length; j++) body[j] = Math.floor(random() * 256);
      } else {
        body = Buffer.from(base); // flip a few bytes of a valid event
        for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
          body[Math.floor(random() * body.length)] = Math.floor(random() * 256);
        }
      }
      const outcome = validator.validate(body, 'booking.changed');
      expect(typeof outcome.ok).toBe('boolean');
      if (!outcome.ok) expect(outcome.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('EventValidator in CloudEvents binary content mode (AMQP protocol binding)', () => {
  const validator = createEventValidator({ maxBytes: 256 * 1024 });
  const event = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'checkin.completed.json'), 'utf8')) as Record<string, unknown>;
  const headers = (prefix: string) =>
    Object.fromEntries(Object.entries(event).filter(([k]) => k !== 'data' && k !== 'datacontenttype').map(([k, v]) => [`${prefix}${k}`, v]));
  const data = Buffer.from(JSON.stringify(event.data));

  it.each(['cloudEvents_', 'cloudEvents:'])('reads attributes from %s headers and the body as data, to the same event as structured mode', (prefix) => {
    const outcome = validator.validate(data, 'checkin.completed', { contentType: 'application/json; charset=utf-8', headers: headers(prefix) });
    expect(outcome).toEqual({ ok: true, mode: 'binary', event: { ...event, datacontenttype: 'application/json' } });
  });

  it('takes an absent content-type as application/json, and refuses any other data content type', () => {
    expect(validator.validate(data, 'checkin.completed', { headers: headers('cloudEvents_') })).toMatchObject({ ok: true, mode: 'binary' });
    const xml = validator.validate(data, 'checkin.completed', { contentType: 'application/xml', headers: headers('cloudEvents_') });
    expect(xml).toMatchObject({ ok: false, mode: 'binary', code: 'bad-envelope', id: event.id, source: event.source, type: event.type });
  });

  it('keeps the identity from the headers when the body is not JSON, and reads a message with a CloudEvents content-type as structured', () => {
    const broken = validator.validate(Buffer.from('{"bookingRef'), 'checkin.completed', { headers: headers('cloudEvents_') });
    expect(broken).toMatchObject({ ok: false, mode: 'binary', code: 'bad-json', id: event.id, type: 'checkin.completed' });
    const structured = validator.validate(Buffer.from(JSON.stringify(event)), 'checkin.completed', {
      contentType: 'application/cloudevents+json',
      headers: headers('cloudEvents_'),
    });
    expect(structured).toMatchObject({ ok: true, mode: 'structured' });
  });
});
