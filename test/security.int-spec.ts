import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsentService } from '../src/bookings/consent.service';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { findPersonalData } from './support/log-scan';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

const PHONE = '+31687654321';
const EMAIL = 'mallory.secret@example.org';
/** A passenger whose row the database refuses (a constraint added below): the failing query's parameters. */
const REFUSED = { givenName: 'Wilhelmina', surname: 'Refusedrow', phone: '+31611122233', email: 'wilhelmina.refused@example.net' };

describe('security: personal data stays out of logs, passenger text stays out of markup', () => {
  const lines: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  beforeAll(async () => {
    // Everything the service logs at the chattiest level, captured while it handles personal data.
    const capture = (chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
  });
  // debug: the consumer logs every event and the sender every attempt (README, Logs); json: the production format.
  const service = useTestService({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json', AMQP_DELIVERY_LIMIT: '2' });
  afterAll(() => {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  });

  it('never writes a phone number or e-mail address to a log line, and escapes passenger data in e-mail HTML', async () => {
    const failing = new ScriptedAdapter('local-sms').answer({ outcome: 'permanent', code: '21211', message: `Invalid 'To' Phone Number: ${PHONE}` });
    service.app.get(ChannelRegistry).use('sms', failing);
    const seg = segment({ flightNumber: '4242' });
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: 'SEC001',
      passengers: [
        passenger({
          passengerId: 'P1',
          givenName: '<img src=x onerror=alert(1)>',
          surname: '{{constructor}}',
          contacts: { whatsapp: PHONE, sms: PHONE, email: EMAIL },
          consents: [{ channel: 'email', granted: true }, { channel: 'whatsapp', granted: true }, { channel: 'sms', granted: true }],
        }),
      ],
      segments: [seg],
    });
    await service.publisher.publish(booking.type, booking);
    const checkin = checkinCompleted({ bookingReference: 'NOSUCH', passengerId: 'P1', segmentId: 'SEG-1', seat: '1A', sequenceNumber: 1, compartment: 'Y', checkedInAt: '2026-11-30T09:12:00Z' });
    await service.publisher.publish(checkin.type, checkin);
    await service.publisher.publish('booking.confirmed', Buffer.from(JSON.stringify({ ...booking, id: 'x', data: { ...booking.data, bookingReference: EMAIL } })));
    const delay = flightStatus(seg, 2, { status: 'DELAYED', estimatedDeparture: '2026-12-01T09:35:00Z' });
    await waitFor(async () => {
      const rows: { n: number }[] = await service.db.query(`SELECT count(*)::int AS n FROM notifications WHERE booking_reference = 'SEC001' AND status IN ('delivered', 'failed')`);
      return rows[0].n === 3;
    });
    await service.publisher.publish(delay.type, delay);
    await service.app.get(ConsentService).withdrawByContact('whatsapp', PHONE, 'passenger replied STOP');
    await waitFor(async () => {
      const rows: { n: number }[] = await service.db.query(`SELECT count(*)::int AS n FROM parked_events`);
      return rows[0].n >= 2;
    }, 20_000);

    const [email] = await service.db.query(`SELECT id FROM notifications WHERE booking_reference = 'SEC001' AND channel = 'email' AND type = 'booking-confirmation'`);
    const html = readFileSync(join(service.config.OUTBOX_DIR, 'email', `${email.id}.html`), 'utf8');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;'); // escaped as text: no tag can open
    expect(html).not.toContain('<img src=x');

    expect(lines.length).toBeGreaterThan(20);
    expect(findPersonalData(lines)).toEqual([]);
    expect(lines.some((line) => line.includes('+31******321'))).toBe(true); // masked, and still useful
    // The run was at the chattiest level, in JSON: every line is one object, and the per-message lines are there.
    expect(lines.filter((line) => !isJsonObject(line))).toEqual([]);
    expect(lines.some((line) => line.includes('"event consumed"'))).toBe(true);
    expect(lines.some((line) => line.includes('"notification send"'))).toBe(true);
  });

  it('logs a failing query (parameters full of personal data) and lost connections without any of it', async () => {
    const before = lines.length;
    // The database refuses this passenger's row; the statement's parameters carry names, phone and e-mail, and
    // PostgreSQL's detail ("Failing row contains (…)") the whole row.
    await service.db.query(`ALTER TABLE passengers ADD CONSTRAINT refuse_test_row CHECK (surname <> '${REFUSED.surname}')`);
    const refused = bookingSnapshot('booking.confirmed', {
      bookingReference: 'SEC002',
      passengers: [
        passenger({
          passengerId: 'P1',
          givenName: REFUSED.givenName,
          surname: REFUSED.surname,
          contacts: { whatsapp: REFUSED.phone, sms: REFUSED.phone, email: REFUSED.email },
          consents: [{ channel: 'email', granted: true }, { channel: 'sms', granted: true }],
        }),
      ],
      segments: [segment({ flightNumber: '4243' })],
    });
    await service.publisher.publish(refused.type, refused);
    // AMQP_DELIVERY_LIMIT=2: tried twice, then parked with the database's reason.
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM parked_events WHERE event_id = $1`, [refused.id])) === 1, 30_000, 'the refused event parked');
    await service.db.query(`ALTER TABLE passengers DROP CONSTRAINT refuse_test_row`);

    // Connections cut under the service (its own test database only): the pools log the loss and reconnect.
    await service.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    const after = bookingSnapshot('booking.confirmed', {
      bookingReference: 'SEC003',
      passengers: [passenger({ passengerId: 'P1', contacts: { sms: PHONE }, consents: [{ channel: 'sms', granted: true }] })],
      segments: [segment({ flightNumber: '4244' })],
    });
    await service.publisher.publish(after.type, after);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'SEC003' AND status IN ('sent', 'delivered', 'failed')`)) === 1, 30_000, 'a send after the cut');

    const run = lines.slice(before);
    expect(findPersonalData(run, { alsoLookFor: [REFUSED.givenName, REFUSED.surname] })).toEqual([]);
    // The failure itself is logged (code, message, statement), not swallowed.
    const failedQueries = run.filter((line) => line.includes('query failed: 23514'));
    expect(failedQueries.length).toBeGreaterThanOrEqual(1);
    // The statement (the booking snapshot's, one statement since issue 19) and the relation the database named.
    expect(failedQueries[0]).toContain('WITH bk AS');
    expect(failedQueries[0]).toContain('relation \\"passengers\\"');
    expect(lines.filter((line) => !isJsonObject(line))).toEqual([]);
  });

  it('has a scanner that would see a leak', () => {
    expect(findPersonalData(['to +31 6 1234 5678', 'to j***@example.org', 'cc mallory@example.org', 'from Wilhelmina'], { alsoLookFor: ['Wilhelmina'] })).toEqual([
      'to +31 6 1234 5678',
      'cc mallory@example.org',
      'from Wilhelmina',
    ]);
    expect(findPersonalData(['{"recipient":"+31******321","ms":12}'])).toEqual([]);
  });
});

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
