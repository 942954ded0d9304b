import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventValidator } from '../src/events/event-validator';
import { Fuzz, mutate } from './support/fuzz';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/** URL-encodes anything, lone surrogates included (encodeURIComponent throws on those). */
const segment = (text: string) => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '\uFFFD'));

const FIXTURES = ['booking.confirmed', 'booking.changed', 'booking.cancelled', 'checkin.completed', 'flight.status.changed'];
const EVENTS = Number(process.env.FUZZ_EVENTS ?? 400);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 300);

/**
 * Bad input of every kind, at volume: no crash, no hang, no 5xx, every bad event parked with a reason.
 * Seeded (FUZZ_SEED) so a failure can be replayed; the counts are printed as the suite's figure.
 */
describe('fuzzing events, webhooks and the ops API', () => {
  const fuzz = new Fuzz(Number(process.env.FUZZ_SEED ?? 20261121));

  const service = useTestService({ LOG_LEVEL: 'error', MAX_EVENT_BYTES: String(256 * 1024), AMQP_DELIVERY_LIMIT: '2' });

  it('parks every malformed event with a reason and applies every valid one, without blocking', async () => {
    const fixtures = FIXTURES.map((name) => JSON.parse(readFileSync(join(__dirname, '../src/events/fixtures', `${name}.json`), 'utf8')) as { id: string; type: string; data: object });
    const validator = new EventValidator({ maxBytes: service.config.MAX_EVENT_BYTES });
    const inputs: { routingKey: string; body: Buffer }[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const base = { ...fuzz.pick(fixtures), id: `fuzz-${i}-${randomUUID()}` };
      const kind = fuzz.int(6);
      const body =
        kind === 0 ? fuzz.bytes(1 + fuzz.int(2000))
        : kind === 1 ? Buffer.concat([Buffer.from(JSON.stringify(base)).subarray(0, 40), Buffer.from([0xc3, 0x28, 0xff])])
        : kind === 2 ? Buffer.from(JSON.stringify({ ...base, data: { ...base.data, pad: 'p'.repeat(300_000) } }))
        : kind === 3 ? Buffer.from('['.repeat(5000) + ']'.repeat(5000))
        : Buffer.from(JSON.stringify(mutate(fuzz, base)));
      const routingKey = fuzz.int(10) === 0 ? 'booking.exploded' : base.type;
      inputs.push({ routingKey, body });
    }
    inputs.push({ routingKey: 'booking.confirmed', body: Buffer.alloc(10 * 1024 * 1024, 0x41) }); // 10 MB

    for (const input of inputs) await service.publisher.publish(input.routingKey, input.body);

    // Each input's fate: applied (inbox) or parked (by body). Valid ones naming unknown bookings are parked too.
    const expectations = inputs.map((input) => {
      const outcome = validator.validate(input.body, input.routingKey);
      return outcome.ok
        ? { sha: createHash('sha256').update(input.body).digest('hex'), source: outcome.event.source, id: outcome.event.id }
        : { sha: createHash('sha256').update(input.body).digest('hex') };
    });
    const shas = [...new Set(expectations.map((e) => e.sha))];
    const handled = await waitFor(
      async () => {
        const parked: { body_sha256: string }[] = await service.db.query(`SELECT body_sha256 FROM parked_events`);
        const inbox: { source: string; event_id: string }[] = await service.db.query(`SELECT source, event_id FROM inbox_events`);
        const parkedSet = new Set(parked.map((p) => p.body_sha256));
        const inboxSet = new Set(inbox.map((r) => `${r.source} ${r.event_id}`));
        const ok = expectations.filter((e) => parkedSet.has(e.sha) || ('id' in e && inboxSet.has(`${e.source} ${e.id}`))).length;
        return ok === expectations.length ? ok : undefined;
      },
      60_000,
      'every fuzzed event applied or parked',
    );
    process.stdout.write(`\nfuzz: ${inputs.length} events tried (${shas.length} distinct bodies), ${handled} handled correctly\n`);
    expect(handled).toBe(inputs.length);
    const reasons: { n: number }[] = await service.db.query(`SELECT count(*)::int AS n FROM parked_events WHERE reason = '' OR reason IS NULL`);
    expect(reasons[0].n).toBe(0);
    expect(await count(service.db, `SELECT 1 FROM parked_events WHERE reason_code = 'oversize'`)).toBeGreaterThan(0);
    expect((await service.http().get('/health')).status).toBe(200);
  });

  it('answers fuzzed webhooks and ops API requests with 4xx, never 5xx', async () => {
    const targets: { method: 'get' | 'post' | 'put'; path: () => string; body?: () => unknown }[] = [
      { method: 'post', path: () => '/webhooks/whatsapp', body: () => fuzz.value() },
      { method: 'get', path: () => `/webhooks/whatsapp?hub.mode=${segment(String(fuzz.value()).slice(0, 50))}&hub.challenge=1` },
      { method: 'post', path: () => '/webhooks/twilio/status', body: () => ({ MessageSid: fuzz.value(), MessageStatus: fuzz.value() }) },
      { method: 'post', path: () => '/webhooks/twilio/inbound', body: () => ({ From: fuzz.value(), Body: 'STOP' }) },
      { method: 'get', path: () => `/api/notifications?${fuzz.pick(['status', 'channel', 'type', 'flight', 'cursor', 'limit', 'bookingReference', 'x'])}=${segment(String(fuzz.value()).slice(0, 300))}` },
      { method: 'get', path: () => `/api/notifications/${segment(String(fuzz.value()).slice(0, 100))}` },
      { method: 'post', path: () => `/api/notifications/${randomUUID()}/replay`, body: () => ({ force: fuzz.value() }) },
      { method: 'post', path: () => '/api/replays', body: () => ({ [fuzz.pick(['status', 'since', 'flight', 'dryRun', 'errorCode', 'zzz'])]: fuzz.value(), dryRun: true }) },
      { method: 'post', path: () => `/api/dead-letters/${segment(String(fuzz.value()).slice(0, 60))}/redrive`, body: () => fuzz.value() },
      { method: 'put', path: () => `/api/bookings/AAAAAA/passengers/${segment(String(fuzz.value()).slice(0, 40))}/consents/sms`, body: () => ({ granted: fuzz.value() }) },
      { method: 'get', path: () => `/api/dead-letters?limit=${segment(String(fuzz.value()).slice(0, 30))}` },
      {
        method: 'get',
        path: () =>
          `/api/templates/${fuzz.pick(['flight-delay', segment(String(fuzz.value()).slice(0, 40))])}/${fuzz.pick(['sms', 'email', 'whatsapp', 'fax'])}/` +
          `${fuzz.pick(['ja', 'ar', segment(String(fuzz.value()).slice(0, 40))])}/preview?${fuzz.pick(['facts', 'x'])}=${segment(String(fuzz.value()).slice(0, 100))}`,
      },
      { method: 'get', path: () => `/api/notifications/${randomUUID()}/preview?${fuzz.pick(['locale', 'channel', 'x'])}=${segment(String(fuzz.value()).slice(0, 60))}` },
    ];
    let handled = 0;
    const failures: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const target = fuzz.pick(targets);
      const path = target.path();
      const call = service.http()[target.method](path);
      const body = target.body?.();
      const res = await (body === undefined ? call : call.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null'));
      if (res.status < 500) handled++;
      else failures.push(`${target.method.toUpperCase()} ${path.slice(0, 80)} → ${res.status}`);
    }
    process.stdout.write(`fuzz: ${REQUESTS} webhook and API requests tried, ${handled} answered without a server error\n`);
    expect(failures).toEqual([]);
    expect((await service.http().get('/health')).status).toBe(200);
  });
});
