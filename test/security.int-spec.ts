import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsentService } from '../src/bookings/consent.service';
import { ChannelRegistry } from '../src/channels/channel-registry';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { findPersonalData } from './support/log-scan';
import { ScriptedAdapter } from './support/scripted-adapter';
import { createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

const PHONE = '+31687654321';
const EMAIL = 'mallory.secret@example.org';

describe('security: personal data stays out of logs, passenger text stays out of markup', () => {
  let environment: TestEnvironment;
  let service: TestService;
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
    environment = await createTestEnvironment({ LOG_LEVEL: 'verbose', LOG_FORMAT: 'json', AMQP_DELIVERY_LIMIT: '2' });
    service = await startService(environment.env);
  });

  afterAll(async () => {
    await service?.close();
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
    await environment?.dispose();
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
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).not.toContain('<img src=x');

    expect(lines.length).toBeGreaterThan(20);
    expect(findPersonalData(lines)).toEqual([]);
    expect(lines.some((line) => line.includes('+31******321'))).toBe(true); // masked, and still useful
  });
});
