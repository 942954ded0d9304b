import { BookingRepository } from '../src/bookings/booking.repository';
import { planNodes, sequentiallyScanned, watchingStatements, type SentStatement } from './support/statements';
import { useTestService } from './support/use-test-service';

/**
 * The reads behind a flight's news and a batch's bookings go through keys only, among many other bookings: a
 * flight's passengers (the flight's segments by their index, each one's booking and passengers by primary key —
 * never the whole bookings table, which a join let the planner hash while the table looked small) and the batch's
 * booking contents (docs/decisions/0056).
 */
describe('bookings read by key', () => {
  const service = useTestService({ CONSUMER_ENABLED: 'false', DISPATCHER_ENABLED: 'false', SCHEDULER_ENABLED: 'false' });
  const flight = { carrier: 'KL', flightNumber: '2000', departureDate: '2026-12-20', origin: 'AMS' };
  const ON_FLIGHT = 150;
  const ELSEWHERE = 3000;

  beforeAll(async () => {
    // As in the storm: a flight of 150 bookings among many; every tenth on the flight cancelled.
    await service.db.query(
      `INSERT INTO bookings (booking_reference, status, snapshot_time)
       SELECT 'FP' || i, CASE WHEN i <= $1::int AND i % 10 = 0 THEN 'cancelled' ELSE 'active' END, now() FROM generate_series(1, $1::int + $2::int) i`,
      [ON_FLIGHT, ELSEWHERE],
    );
    await service.db.query(
      `INSERT INTO passengers (booking_reference, passenger_id, given_name, surname, locale, contacts)
       SELECT 'FP' || i, 'P' || n, 'Anna', 'Jansen', 'nl', jsonb_build_object('email', 'fp' || i || '-' || n || '@example.com')
         FROM generate_series(1, $1::int) i, generate_series(1, 2) n`,
      [ON_FLIGHT + ELSEWHERE],
    );
    await service.db.query(
      `INSERT INTO segments (booking_reference, segment_id, carrier, flight_number, departure_date, origin, destination,
                             scheduled_departure, scheduled_arrival, position)
       SELECT 'FP' || i, 'S1', 'KL', CASE WHEN i <= $1::int THEN '2000' ELSE (3000 + i % 20)::text END, '2026-12-20', 'AMS', 'CDG',
              '2026-12-20T07:35:00Z', '2026-12-20T08:50:00Z', 0
         FROM generate_series(1, $1::int + $2::int) i`,
      [ON_FLIGHT, ELSEWHERE],
    );
    await service.db.query(`ANALYZE bookings, passengers, segments`);
  });

  it('reads the passengers of the active bookings on the flight, each through a key', async () => {
    const bookings = service.app.get(BookingRepository);
    const seen: SentStatement[] = [];
    const found = await watchingStatements(
      (sql, parameters) => {
        if (/FROM segments s/.test(sql)) seen.push({ sql, parameters });
      },
      () => service.db.transaction((m) => bookings.findPassengersOnFlight(m, flight)),
    );

    const active = ON_FLIGHT - ON_FLIGHT / 10;
    expect(found).toHaveLength(active * 2);
    expect(found.every(({ passenger }) => Number(passenger.bookingReference.slice(2)) % 10 !== 0)).toBe(true);
    expect(found.every(({ segment }) => segment.flightNumber === '2000')).toBe(true);

    expect(seen).toHaveLength(1);
    expect(sequentiallyScanned(await planNodes(service.db, seen[0]))).toEqual([]);
  });

  it("reads a batch's booking contents, passengers and segments, each table once and through its primary key", async () => {
    const bookings = service.app.get(BookingRepository);
    const references = ['FP1', 'FP2', 'FP10', 'FP200', 'FP3001', 'NOSUCH'];
    const seen: SentStatement[] = [];
    await watchingStatements(
      (sql, parameters) => {
        if (/^\s*SELECT/.test(sql) && /booking_reference = ANY/.test(sql) && !/FOR UPDATE/.test(sql)) seen.push({ sql, parameters });
      },
      () =>
        service.db.transaction(async (m) => {
          await bookings.beginBatch(m, references);
          await bookings.lockBooking(m, 'FP10');
          const contents = await bookings.findContents(m, 'FP10');
          expect(contents.passengers.map((p) => p.passengerId)).toEqual(['P1', 'P2']);
          expect(contents.segments.map((s) => [s.segmentId, s.flightNumber, s.scheduledDeparture])).toEqual([['S1', '2000', '2026-12-20T07:35:00.000Z']]);
        }),
    );

    expect(seen).toHaveLength(2);
    for (const statement of seen) expect(sequentiallyScanned(await planNodes(service.db, statement))).toEqual([]);
  });
});
