import { createHash } from 'node:crypto';
import amqplib from 'amqplib';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { PARKED_PREFIX_BYTES } from '../src/events/parked-body';
import { waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/** Inputs checked to the end: forged cursors, oversize events, and re-driving what was cut short. */
describe('inputs: forged cursors and oversize events', () => {
  const MAX_EVENT_BYTES = 64 * 1024;

  const service = useTestService({ MAX_EVENT_BYTES: String(MAX_EVENT_BYTES) });

  it('answers 400, not 500, to a cursor that has the right shape but holds no valid UUID', async () => {
    const forged = Buffer.from(`1796110500123456|${'-'.repeat(36)}`).toString('base64url');
    const res = await service.http('viewer').get('/api/notifications').query({ cursor: forged }).expect(400);
    expect(JSON.stringify(res.body)).toContain('cursor');
    const forgedTime = Buffer.from(`${'9'.repeat(19)}|7b0c5d1e-4a5f-4c1e-9f2a-1d2e3f4a5b6c`).toString('base64url');
    await service.http('viewer').get('/api/notifications').query({ cursor: forgedTime }).expect(400);
  });

  /** A booking event padded far past the limit: her name up front, the booking reference, then 3 MB of notes. */
  function oversizeBooking(ref: string): Buffer {
    const event = bookingSnapshot('booking.confirmed', {
      bookingReference: ref,
      passengers: [passenger({ passengerId: 'P1', givenName: 'Oversize', surname: 'Traveller' })],
      segments: [segment({ flightNumber: '7401' })],
    });
    return Buffer.from(JSON.stringify({ ...event, notes: 'x'.repeat(3 * 1024 * 1024) }));
  }

  it('parks an oversize event as its first 4 KiB with the size and SHA-256 of the whole, in the table and on the dead-letter queue', async () => {
    const body = oversizeBooking('BIG001');
    const sha256 = createHash('sha256').update(body).digest('hex');
    await service.publisher.publish('booking.confirmed', body);
    const row = await waitFor(async () => {
      const rows: { id: string; reason_code: string; kept: number; body_bytes: number; booking_reference: string; prefix: Buffer }[] = await service.db.query(
        `SELECT id, reason_code, octet_length(body)::int AS kept, body_bytes, booking_reference, body AS prefix
           FROM parked_events WHERE body_sha256 = $1`,
        [sha256],
      );
      return rows[0];
    });
    expect(row).toMatchObject({ reason_code: 'oversize', kept: PARKED_PREFIX_BYTES, body_bytes: body.length, booking_reference: 'BIG001' });
    expect(row.prefix.equals(body.subarray(0, PARKED_PREFIX_BYTES))).toBe(true);

    const listed = (await service.http('viewer').get('/api/dead-letters').query({ reasonCode: 'oversize' }).expect(200)).body.items;
    expect(listed.find((i: { id: string }) => i.id === row.id)).toMatchObject({ bodyBytes: body.length, truncated: true, erasedAt: null });

    // The dead-letter copy: the same prefix, with the size and hash of the whole in its headers.
    const connection = await amqplib.connect(service.config.AMQP_URL);
    try {
      const channel = await connection.createChannel();
      const copy = await waitFor(async () => {
        for (;;) {
          const msg = await channel.get(service.config.AMQP_DEAD_LETTER_QUEUE, { noAck: true });
          if (!msg) return undefined;
          if (msg.properties.headers?.['x-original-sha256'] === sha256) return msg;
        }
      });
      expect(copy.content).toHaveLength(PARKED_PREFIX_BYTES);
      expect(copy.properties.headers).toMatchObject({ 'x-park-reason-code': 'oversize', 'x-original-size': body.length, 'x-body-truncated': true });
    } finally {
      await connection.close();
    }
  });

  it('refuses to re-drive a truncated event unless a corrected event is supplied', async () => {
    const body = oversizeBooking('BIG002');
    const sha256 = createHash('sha256').update(body).digest('hex');
    await service.publisher.publish('booking.confirmed', body);
    const id = await waitFor(async () => {
      const rows: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE body_sha256 = $1`, [sha256]);
      return rows[0]?.id;
    });
    const refused = await service.http().post(`/api/dead-letters/${id}/redrive`).send({}).expect(409);
    expect(refused.body.message).toMatch(/incomplete.*first 4096 of \d+ bytes.*corrected event/);
    // Still open: the refusal changed nothing.
    const [open] = await service.db.query(`SELECT redriven_at FROM parked_events WHERE id = $1`, [id]);
    expect(open.redriven_at).toBeNull();

    const corrected = bookingSnapshot('booking.confirmed', {
      bookingReference: 'BIG002',
      passengers: [passenger({ passengerId: 'P1' })],
      segments: [segment({ flightNumber: '7402' })],
    });
    const applied = await service.http().post(`/api/dead-letters/${id}/redrive`).send({ event: corrected }).expect(200);
    expect(applied.body).toMatchObject({ kind: 'applied', type: 'booking.confirmed' });
  });
});
