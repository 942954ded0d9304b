import type { EntityManager } from 'typeorm';
import { BookingRepository } from '../src/bookings/booking.repository';
import type { PassengerRecord, SegmentRecord } from '../src/vocabulary/booking-records';
import { planNodes, sequentiallyScanned, watchingStatements, type SentStatement } from './support/statements';
import { useTestService } from './support/use-test-service';

/**
 * The booking snapshot written in one statement (issue 19): a later snapshot removes the passengers, consents and
 * segments it no longer names (a removed passenger's consents with it), updates the rest and adds the new ones.
 */
describe('booking snapshot replacement', () => {
  const service = useTestService({ CONSUMER_ENABLED: 'false', DISPATCHER_ENABLED: 'false' });
  const ref = 'SNAP01';

  const person = (passengerId: string, channels: ('whatsapp' | 'email' | 'sms')[], surname = 'Jansen'): PassengerRecord => ({
    bookingReference: ref,
    passengerId,
    givenName: 'Anna',
    surname,
    locale: 'nl',
    contacts: { whatsapp: '+31612345678', email: 'anna@example.com', sms: '+31612345678' },
    consents: channels.map((channel) => ({ channel, granted: true })),
  });
  const leg = (segmentId: string, flightNumber: string): SegmentRecord => ({
    bookingReference: ref,
    segmentId,
    carrier: 'KL',
    flightNumber,
    departureDate: '2026-12-01',
    origin: 'AMS',
    destination: 'CDG',
    scheduledDeparture: '2026-12-01T07:35:00Z',
    scheduledArrival: '2026-12-01T08:50:00Z',
  });

  const state = async () => ({
    booking: await service.db.query(`SELECT snapshot_time FROM bookings WHERE booking_reference = $1`, [ref]),
    passengers: await service.db.query(`SELECT passenger_id, surname FROM passengers WHERE booking_reference = $1 ORDER BY 1`, [ref]),
    consents: await service.db.query(`SELECT passenger_id, channel, preference FROM consents WHERE booking_reference = $1 ORDER BY 1, 2`, [ref]),
    segments: await service.db.query(`SELECT segment_id, flight_number, position FROM segments WHERE booking_reference = $1 ORDER BY 1`, [ref]),
  });

  it('creates the booking and replaces what the previous snapshot said, in one statement', async () => {
    const bookings = service.app.get(BookingRepository);
    const first = new Date('2026-11-30T10:00:00Z');
    const second = new Date('2026-11-30T11:00:00Z');
    const write = (at: Date, passengers: PassengerRecord[], segments: SegmentRecord[]) =>
      service.db.transaction(async (m) => {
        await bookings.storeSnapshot(m, ref, at.toISOString(), passengers, segments);
      });

    await write(first, [person('P1', ['whatsapp', 'email']), person('P2', ['sms'])], [leg('S1', '1001'), leg('S2', '1002')]);
    expect(await state()).toEqual({
      booking: [{ snapshot_time: first }],
      passengers: [
        { passenger_id: 'P1', surname: 'Jansen' },
        { passenger_id: 'P2', surname: 'Jansen' },
      ],
      consents: [
        { passenger_id: 'P1', channel: 'email', preference: 1 },
        { passenger_id: 'P1', channel: 'whatsapp', preference: 0 },
        { passenger_id: 'P2', channel: 'sms', preference: 0 },
      ],
      segments: [
        { segment_id: 'S1', flight_number: '1001', position: 0 },
        { segment_id: 'S2', flight_number: '1002', position: 1 },
      ],
    });

    // P2 leaves (with their consents), P1 drops WhatsApp and changes name, P3 joins; S1 goes, S2 moves, S3 comes.
    await write(second, [person('P1', ['email'], 'de Vries'), person('P3', ['whatsapp'])], [leg('S2', '2002'), leg('S3', '1003')]);
    expect(await state()).toEqual({
      booking: [{ snapshot_time: second }],
      passengers: [
        { passenger_id: 'P1', surname: 'de Vries' },
        { passenger_id: 'P3', surname: 'Jansen' },
      ],
      consents: [
        { passenger_id: 'P1', channel: 'email', preference: 0 },
        { passenger_id: 'P3', channel: 'whatsapp', preference: 0 },
      ],
      segments: [
        { segment_id: 'S2', flight_number: '2002', position: 0 },
        { segment_id: 'S3', flight_number: '1003', position: 1 },
      ],
    });
  });

  it("finds the rows a snapshot replaces through the primary keys, not by reading every booking's rows", async () => {
    // Enough other bookings that reading all of them is a plan PostgreSQL would only choose by mistake.
    await service.db.query(`INSERT INTO bookings (booking_reference, snapshot_time) SELECT 'BULK' || i, now() FROM generate_series(1, 3000) i`);
    await service.db.query(
      `INSERT INTO passengers (booking_reference, passenger_id, given_name, surname, locale, contacts)
       SELECT 'BULK' || i, 'P1', 'Anna', 'Jansen', 'nl', '{}'::jsonb FROM generate_series(1, 3000) i`,
    );
    await service.db.query(`INSERT INTO consents (booking_reference, passenger_id, channel, granted, preference) SELECT 'BULK' || i, 'P1', 'email', true, 0 FROM generate_series(1, 3000) i`);
    await service.db.query(
      `INSERT INTO segments (booking_reference, segment_id, position, carrier, flight_number, departure_date, origin, destination, scheduled_departure, scheduled_arrival)
       SELECT 'BULK' || i, 'S1', 0, 'KL', '1001', '2026-12-01', 'AMS', 'CDG', now(), now() FROM generate_series(1, 3000) i`,
    );
    await service.db.query(`ANALYZE bookings, passengers, consents, segments`);

    let statement: SentStatement | undefined;
    await watchingStatements(
      (sql, parameters) => {
        if (/INSERT INTO bookings/.test(sql)) statement = { sql, parameters };
      },
      () => service.db.transaction((m) => service.app.get(BookingRepository).storeSnapshot(m, ref, new Date('2026-11-30T12:00:00Z').toISOString(), [person('P1', ['email'])], [leg('S2', '2002')])),
    );
    expect(statement).toBeDefined();
    expect(sequentiallyScanned(await planNodes(service.db, statement!)).filter((table) => ['bookings', 'passengers', 'consents', 'segments'].includes(table))).toEqual([]);
  });

  it('reads a segment\'s times back as the ISO text the event gave, whatever the session\'s time zone', async () => {
    const bookings = service.app.get(BookingRepository);
    const reference = 'SNAP02';
    const segment: SegmentRecord = {
      ...leg('S1', '1003'),
      bookingReference: reference,
      scheduledDeparture: '2026-12-01T23:35:00.250Z',
      scheduledArrival: '2026-12-02T00:50:00.000Z',
    };
    const flight = { carrier: 'KL', flightNumber: '1003', departureDate: '2026-12-01', origin: 'AMS' };
    const read = await service.db.transaction(async (m: EntityManager) => {
      await bookings.storeSnapshot(m, reference, '2026-11-30T10:00:00Z', [{ ...person('P1', ['email']), bookingReference: reference }], [segment]);
      await m.query(`SET LOCAL TimeZone = 'Asia/Kolkata'`);
      return {
        contents: (await bookings.findContents(m, reference)).segments,
        segments: await bookings.findSegments(m, reference),
        onFlight: (await bookings.findPassengersOnFlight(m, flight)).map((r) => r.segment),
      };
    });
    // The snapshot's own segments were handed back by findContents without a read: findSegments and the flight's read.
    for (const found of [read.segments, read.onFlight]) {
      expect(found).toEqual([{ ...segment, cabin: undefined }]);
    }
    const again = await service.db.transaction(async (m: EntityManager) => {
      await m.query(`SET LOCAL TimeZone = 'America/St_Johns'`);
      return (await bookings.findContents(m, reference)).segments;
    });
    expect(again).toEqual([{ ...segment, cabin: undefined }]);
    expect(read.contents.map((s) => s.scheduledDeparture)).toEqual(['2026-12-01T23:35:00.250Z']);
  });
});
