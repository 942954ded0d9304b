import amqplib from 'amqplib';
import { Client } from 'pg';
import { bookingCancelled, bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { EventIngestor } from '../src/events/event-ingestor.service';
import { sample } from './support/prometheus-sample';
import { watchingStatements } from './support/statements';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * Issue 19, point 1: the consumer applies the events it holds in batches, one transaction each, and keeps
 * every promise of the one-by-one path. The inbox table is locked while the events are published, so they
 * pile up in the consumer's hands and must leave in batches once it is released. Nothing is sent (the
 * dispatcher is off): what the events planned stays visible as it was planned.
 */
describe('group commit on ingest', () => {
  const service = useTestService({ INGEST_LANES: '2', INGEST_BATCH_SIZE: '16', DISPATCHER_ENABLED: 'false', AMQP_DELIVERY_LIMIT: '20' });
  const BOOKINGS = 40;

  const confirmation = (i: number) =>
    bookingSnapshot('booking.confirmed', {
      bookingReference: `GC${String(i).padStart(4, '0')}`,
      passengers: [passenger({ passengerId: 'P1', contacts: { whatsapp: `+3161${String(i).padStart(7, '0')}` } })],
      segments: [segment({ flightNumber: '7100' })],
    });

  /** One batch, one transaction, handed to the ingestor as the consumer hands it over (no tracing span). */
  const noSpan = { within: <T>(work: () => Promise<T>) => work(), end: () => undefined, fail: () => undefined };
  const ingest = (events: { type: string }[]) =>
    service.app.get(EventIngestor).ingestBatch(events.map((event) => ({ body: Buffer.from(JSON.stringify(event)), routingKey: event.type, span: noSpan })));

  async function queuedReady(): Promise<number> {
    const connection = await amqplib.connect(service.config.AMQP_URL);
    try {
      const channel = await connection.createChannel();
      return (await channel.checkQueue(service.config.AMQP_QUEUE)).messageCount;
    } finally {
      await connection.close();
    }
  }

  it('applies a held-up burst in batches: each event once, in order per booking, a failing one alone', async () => {
    const events = Array.from({ length: BOOKINGS }, (_, i) => confirmation(i));
    const failing = confirmation(BOOKINGS);
    // The last booking is confirmed and cancelled back to back: the cancellation must find the confirmation's
    // notifications pending, though both are applied in one transaction.
    const cancelled = confirmation(BOOKINGS + 1);
    const cancellation = bookingCancelled({ bookingReference: cancelled.data.bookingReference, reason: 'test' });
    await service.db.query(`CREATE FUNCTION gc_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                              BEGIN IF NEW.event_id = '${failing.id}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await service.db.query(`CREATE TRIGGER gc_refuse BEFORE INSERT ON inbox_events FOR EACH ROW EXECUTE FUNCTION gc_refuse()`);

    const holder = new Client({ connectionString: service.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE inbox_events IN SHARE ROW EXCLUSIVE MODE`);
      for (const event of [...events, failing, events[0], cancelled, cancellation]) await service.publisher.publish(event.type, event);
      await service.publisher.publish('booking.confirmed', { not: 'an event' });
      // Every message is in the consumer's hands (the prefetch window holds them all) before the table opens.
      await waitFor(async () => (await queuedReady()) === 0, 30_000, 'the consumer to take every message');
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }

    const applied = (ref: string) => count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = $1 AND type = 'booking-confirmation'`, [ref]);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events`)) === BOOKINGS + 2, 60_000, 'every good event in the inbox');
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM parked_events`)) === 1, 30_000, 'the bad event parked');
    for (let i = 0; i < BOOKINGS; i++) expect(await applied(events[i].data.bookingReference)).toBe(1); // the duplicate planned nothing
    expect(await applied(failing.data.bookingReference)).toBe(0);
    const [{ reason_code }] = await service.db.query(`SELECT reason_code FROM parked_events`);
    expect(reason_code).toBe('bad-envelope');

    await waitFor(
      async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = $1 AND type = 'booking-cancellation'`, [cancelled.data.bookingReference])) === 1,
      30_000,
      'the cancellation applied',
    );
    const confirmationStatus = await service.db.query(`SELECT status FROM notifications WHERE booking_reference = $1 AND type = 'booking-confirmation'`, [
      cancelled.data.bookingReference,
    ]);
    expect(confirmationStatus).toEqual([{ status: 'cancelled' }]);

    const metrics = (await service.http('anonymous').get('/metrics').expect(200)).text;
    const committed = sample(metrics, 'notifier_ingest_batch_events_count', { outcome: 'committed' }) ?? 0;
    const alone = sample(metrics, 'notifier_ingest_batch_events_bucket', { outcome: 'committed', le: '1' }) ?? 0;
    expect(committed - alone).toBeGreaterThan(0); // some transactions applied more than one event
    expect(sample(metrics, 'notifier_ingest_batch_events_count', { outcome: 'failed' })).toBeGreaterThan(0);

    // The failing event is retried on its own, and applies once its cause is gone.
    await service.db.query(`DROP TRIGGER gc_refuse ON inbox_events`);
    await waitFor(async () => (await applied(failing.data.bookingReference)) === 1, 30_000, 'the failing event applied on retry');
    expect(await count(service.db, `SELECT 1 FROM inbox_events`)).toBe(BOOKINGS + 3);
  }, 120_000);

  it('stores the plans it holds before news of their flight applies in the same batch: the re-issued pass replaces the first', async () => {
    const seg = segment({ flightNumber: '7300' });
    const reference = 'GCFLT1';
    const booking = bookingSnapshot('booking.confirmed', {
      bookingReference: reference,
      passengers: [passenger({ passengerId: 'P1', contacts: { email: 'gc@example.com' }, consents: [{ channel: 'email', granted: true }] })],
      segments: [seg],
    });
    const checkin = checkinCompleted({
      bookingReference: reference, passengerId: 'P1', segmentId: seg.segmentId, seat: '12A', sequenceNumber: 7,
      compartment: 'Y', checkedInAt: '2026-11-30T06:00:00Z',
    });
    const delay = flightStatus(seg, 1, { status: 'DELAYED', estimatedDeparture: '2026-12-01T08:35:00Z' });
    // One batch, one transaction, as the consumer hands it over.
    const outcomes = await ingest([booking, checkin, delay]);

    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'applied']);
    // Each event is credited with what it planned, though they were stored in fewer statements.
    expect(outcomes.map((o) => (o.kind === 'applied' ? o.notifications : -1))).toEqual([1, 1, 2]);
    // The check-in's boarding pass was pending when the delay applied (held plans are stored first), so the
    // re-issue replaced it: one cancelled, one waiting. Had the delay not seen it, both would wait.
    const passes = await service.db.query(
      `SELECT status FROM notifications WHERE booking_reference = $1 AND type = 'boarding-pass' ORDER BY status`,
      [reference],
    );
    expect(passes).toEqual([{ status: 'cancelled' }, { status: 'pending' }]);
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = $1 AND type = 'booking-confirmation'`, [reference])).toBe(1);
  }, 120_000);

  it("locks a batch's bookings in one statement, writes its snapshots together, and a second event about a booking sees what the first did", async () => {
    const seg = segment({ flightNumber: '7400' });
    const pax = [passenger({ passengerId: 'P1', contacts: { email: 'lock@example.com' }, consents: [{ channel: 'email', granted: true }] })];
    const at = (minute: number) => `2026-11-30T08:${String(minute).padStart(2, '0')}:00Z`;
    const snapshot = (type: 'booking.confirmed' | 'booking.changed', reference: string, minute: number, s = seg) => {
      const event = bookingSnapshot(type, { bookingReference: reference, passengers: pax, segments: [s] });
      return { ...event, time: at(minute) };
    };
    expect((await ingest([snapshot('booking.confirmed', 'GCLKZ1', 10), snapshot('booking.confirmed', 'GCLKA1', 10)])).map((o) => o.kind)).toEqual(['applied', 'applied']);

    const lockStatements: string[] = [];
    const snapshotStatements: string[] = [];
    const outcomes = await watchingStatements(
      (sql) => {
        if (/FROM bookings WHERE booking_reference/.test(sql) && /FOR UPDATE/.test(sql)) lockStatements.push(sql);
        if (/INSERT INTO bookings/.test(sql)) snapshotStatements.push(sql);
      },
      () =>
        ingest([
          snapshot('booking.changed', 'GCLKZ1', 20, segment({ flightNumber: '7401' })), // a new flight: itinerary news
          snapshot('booking.changed', 'GCLKA1', 5, segment({ flightNumber: '7402' })), // older than what is stored: ignored
          snapshot('booking.confirmed', 'GCLKN1', 10), // a new booking
          snapshot('booking.changed', 'GCLKN1', 30, segment({ flightNumber: '7403' })), // and its change, in the same batch
        ]),
    );
    expect(outcomes.map((o) => (o.kind === 'applied' ? o.notifications : o.kind))).toEqual([1, 0, 1, 1]);
    // One statement locked the three bookings; only the booking met twice was read again, for its second event.
    expect(lockStatements).toHaveLength(2);
    expect(lockStatements[0]).toContain('ORDER BY booking_reference');
    // Three snapshots, two statements: the first two together when the new booking's second event needed to read
    // it back, the last at the end of the batch.
    expect(snapshotStatements).toHaveLength(2);
    const news = await service.db.query(
      `SELECT booking_reference AS ref FROM notifications WHERE type = 'itinerary-change' ORDER BY booking_reference`,
    );
    expect(news).toEqual([{ ref: 'GCLKN1' }, { ref: 'GCLKZ1' }]);
  }, 120_000);

  it("writes a batch's schedule changes together: reading a booking back writes the held snapshots only when that booking's is among them", async () => {
    const pax = [passenger({ passengerId: 'P1', contacts: { email: 'move@example.com' }, consents: [{ channel: 'email', granted: true }] })];
    const references = ['GCMOV1', 'GCMOV2', 'GCMOV3'];
    const snapshot = (type: 'booking.confirmed' | 'booking.changed', reference: string, minute: number, departure: string) => ({
      ...bookingSnapshot(type, { bookingReference: reference, passengers: pax, segments: [segment({ flightNumber: '7700', scheduledDeparture: departure })] }),
      time: `2026-11-30T10:${String(minute).padStart(2, '0')}:00Z`,
    });
    expect((await ingest(references.map((r) => snapshot('booking.confirmed', r, 10, '2026-12-01T07:35:00Z')))).map((o) => o.kind)).toEqual(['applied', 'applied', 'applied']);

    const snapshotStatements: string[] = [];
    const outcomes = await watchingStatements(
      (sql) => {
        if (/INSERT INTO bookings/.test(sql)) snapshotStatements.push(sql);
      },
      () => ingest([...references.map((r) => snapshot('booking.changed', r, 20, '2026-12-01T08:15:00Z')), snapshot('booking.changed', 'GCMOV1', 30, '2026-12-01T08:45:00Z')]),
    );
    // Each change is itinerary news, the second change of GCMOV1 too: it compared with the first, written before it read.
    expect(outcomes.map((o) => (o.kind === 'applied' ? o.notifications : o.kind))).toEqual([1, 1, 1, 1]);
    // The three bookings' first changes together when GCMOV1 was read back, the last at the end of the batch.
    expect(snapshotStatements).toHaveLength(2);
    const departures = await service.db.query(
      `SELECT booking_reference AS ref, to_char(scheduled_departure AT TIME ZONE 'UTC', 'HH24:MI') AS at FROM segments WHERE booking_reference LIKE 'GCMOV%' ORDER BY 1`,
    );
    expect(departures).toEqual([
      { ref: 'GCMOV1', at: '08:45' },
      { ref: 'GCMOV2', at: '08:15' },
      { ref: 'GCMOV3', at: '08:15' },
    ]);
  }, 120_000);

  it('rewrites only the rows a schedule change changes: the passengers, consents and segments it repeats stay as they were', async () => {
    const reference = 'GCSCH1';
    const consents = [{ channel: 'whatsapp' as const, granted: true }, { channel: 'email' as const, granted: true }];
    const pax = (p2Locale: string) => [
      passenger({ passengerId: 'P1', contacts: { whatsapp: '+31612000001', email: 'p1@example.com' }, consents }),
      passenger({ passengerId: 'P2', locale: p2Locale, contacts: { whatsapp: '+31612000002', email: 'p2@example.com' }, consents }),
    ];
    const segs = (firstDeparture: string) => [
      segment({ segmentId: 'S1', flightNumber: '7600', scheduledDeparture: firstDeparture }),
      segment({ segmentId: 'S2', flightNumber: '7601', origin: 'CDG', destination: 'JFK', scheduledDeparture: '2026-12-01T12:00:00Z', scheduledArrival: '2026-12-01T20:00:00Z' }),
    ];
    const snapshot = (type: 'booking.confirmed' | 'booking.changed', minute: number, p2Locale: string, firstDeparture: string) => ({
      ...bookingSnapshot(type, { bookingReference: reference, passengers: pax(p2Locale), segments: segs(firstDeparture) }),
      time: `2026-11-30T09:${String(minute).padStart(2, '0')}:00Z`,
    });
    // Each row's version: a row rewritten gets a new one, even with the same values.
    const versions = async () =>
      Object.fromEntries(
        (
          (await service.db.query(
            `SELECT 'passenger ' || passenger_id AS row, xmin::text AS v FROM passengers WHERE booking_reference = $1
             UNION ALL SELECT 'consent ' || passenger_id || ' ' || channel, xmin::text FROM consents WHERE booking_reference = $1
             UNION ALL SELECT 'segment ' || segment_id, xmin::text FROM segments WHERE booking_reference = $1`,
            [reference],
          )) as { row: string; v: string }[]
        ).map((r) => [r.row, r.v]),
      );
    expect((await ingest([snapshot('booking.confirmed', 10, 'en', '2026-12-01T07:35:00Z')])).map((o) => o.kind)).toEqual(['applied']);
    const before = await versions();
    expect(Object.keys(before)).toHaveLength(8);

    // The first flight leaves 40 minutes later and the second passenger now reads Dutch; nothing else changed.
    expect((await ingest([snapshot('booking.changed', 20, 'nl-NL', '2026-12-01T08:15:00Z')])).map((o) => o.kind)).toEqual(['applied']);
    const after = await versions();
    const rewritten = Object.keys(before).filter((row) => after[row] !== before[row]).sort();
    expect(rewritten).toEqual(['passenger P2', 'segment S1']);
    const [stored] = (await service.db.query(
      `SELECT (SELECT locale FROM passengers WHERE booking_reference = $1 AND passenger_id = 'P2') AS locale,
              (SELECT scheduled_departure FROM segments WHERE booking_reference = $1 AND segment_id = 'S1') AS departure`,
      [reference],
    )) as { locale: string; departure: Date }[];
    expect(stored).toEqual({ locale: 'nl-NL', departure: new Date('2026-12-01T08:15:00Z') });

    // A consent withdrawn in a later snapshot is written, the other consents not.
    const withdrawn = snapshot('booking.changed', 30, 'nl-NL', '2026-12-01T08:15:00Z');
    withdrawn.data.passengers[0].consents = [consents[0], { channel: 'email', granted: false }];
    expect((await ingest([withdrawn])).map((o) => o.kind)).toEqual(['applied']);
    const last = await versions();
    expect(Object.keys(after).filter((row) => last[row] !== after[row])).toEqual(['consent P1 email']);
  }, 120_000);

  it('writes the snapshots it holds before flight news of the same batch looks for the passengers on the flight', async () => {
    const seg = segment({ flightNumber: '7500' });
    const bookings = ['GCNWS1', 'GCNWS2'].map((reference) =>
      bookingSnapshot('booking.confirmed', {
        bookingReference: reference,
        passengers: [passenger({ passengerId: 'P1', contacts: { email: `${reference.toLowerCase()}@example.com` }, consents: [{ channel: 'email', granted: true }] })],
        segments: [seg],
      }),
    );
    const delay = flightStatus(seg, 1, { status: 'DELAYED', estimatedDeparture: '2026-12-01T08:35:00Z' });
    const outcomes = await ingest([...bookings, delay]);
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'applied']);
    // Both passengers booked in this batch hear of the delay: the news saw their rows, written before it read.
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference LIKE 'GCNWS%' AND type = 'flight-delay'`)).toBe(2);
  }, 120_000);

  it("reads a batch's booking contents once for the first event of each booking; a later event of the same booking reads them again", async () => {
    const seg = segment({ flightNumber: '7600' });
    const traveller = (surname: string) => [
      passenger({ passengerId: 'P1', surname, contacts: { email: 'ci@example.com' }, consents: [{ channel: 'email', granted: true }] }),
    ];
    const booked = (reference: string, surname: string, time: string) => ({
      ...bookingSnapshot('booking.changed', { bookingReference: reference, passengers: traveller(surname), segments: [seg] }),
      time,
    });
    const checkin = (reference: string, seat: string) =>
      checkinCompleted({ bookingReference: reference, passengerId: 'P1', segmentId: seg.segmentId, seat, sequenceNumber: 7, compartment: 'Y', checkedInAt: '2026-12-01T05:00:00Z' });
    const known = ['GCCIN1', 'GCCIN2', 'GCCIN3'];
    expect((await ingest(known.map((r) => booked(r, 'Before', '2026-11-30T08:00:00Z')))).map((o) => o.kind)).toEqual(['applied', 'applied', 'applied']);

    const passengerReads: unknown[][] = [];
    const segmentReads: unknown[][] = [];
    const outcomes = await watchingStatements(
      (sql, parameters) => {
        if (/^\s*SELECT[^;]* FROM passengers p WHERE p.booking_reference = ANY/.test(sql)) passengerReads.push(parameters);
        if (/^\s*SELECT[^;]* FROM segments s WHERE s.booking_reference = ANY/.test(sql)) segmentReads.push(parameters);
      },
      () =>
        ingest([
          checkin('GCCIN1', '1A'),
          checkin('GCCIN2', '2A'),
          booked('GCCIN3', 'After', '2026-11-30T09:00:00Z'), // renames the passenger …
          checkin('GCCIN3', '3A'), // … whose boarding pass, in the same batch, must carry the new name
        ]),
    );
    expect(outcomes.map((o) => (o.kind === 'applied' ? o.notifications : o.kind))).toEqual([1, 1, 0, 1]);
    // One read of each table for the batch's three bookings, one more for the booking met a second time.
    expect(passengerReads).toEqual([[['GCCIN1', 'GCCIN2', 'GCCIN3']], [['GCCIN3']]]);
    expect(segmentReads).toEqual(passengerReads);
    const passes = await service.db.query(
      `SELECT booking_reference AS ref, context -> 'passenger' ->> 'surname' AS surname, context -> 'checkin' ->> 'seat' AS seat
         FROM notifications JOIN notification_contexts USING (id) WHERE type = 'boarding-pass' AND booking_reference LIKE 'GCCIN%' ORDER BY booking_reference`,
    );
    expect(passes).toEqual([
      { ref: 'GCCIN1', surname: 'Before', seat: '1A' },
      { ref: 'GCCIN2', surname: 'Before', seat: '2A' },
      { ref: 'GCCIN3', surname: 'After', seat: '3A' },
    ]);
  }, 120_000);
  it("writes a batch's check-ins and their reminders' cancellations in one statement each; a later event of the same booking sees them", async () => {
    const seg = segment({ flightNumber: '7700' });
    const refs = ['GCREM1', 'GCREM2', 'GCREM3'];
    for (const reference of refs) {
      // GCREM3's passenger gets no boarding pass by e-mail: nothing of its check-in's is held as a plan, so only its
      // held cancellation stands between the check-in and the booking's cancellation.
      const consents = [{ channel: 'email' as const, granted: reference !== 'GCREM3' }];
      const booking = bookingSnapshot('booking.confirmed', {
        bookingReference: reference,
        passengers: [passenger({ passengerId: 'P1', contacts: { email: `${reference.toLowerCase()}@example.com` }, consents })],
        segments: [seg],
      });
      expect((await ingest([booking])).map((o) => o.kind)).toEqual(['applied']);
      // The check-in reminder still waiting (due later), as the reminder job plans it.
      await service.db.query(
        `INSERT INTO notifications (dedupe_key, type, channel, booking_reference, passenger_id, flight_key, locale, recipient, event_source, event_id, due_at)
         VALUES ($1, 'checkin-open', 'email', $2, 'P1', 'KL7700-2026-12-01', 'en', 'x@example.com', '/scheduler/checkin-open', $1, now() + interval '1 hour')`,
        [`gc-reminder-${reference}`, reference],
      );
    }
    const checkin = (reference: string, seat: string) =>
      checkinCompleted({ bookingReference: reference, passengerId: 'P1', segmentId: seg.segmentId, seat, sequenceNumber: 7, compartment: 'Y', checkedInAt: '2026-12-01T05:00:00Z' });

    const upserts: unknown[][] = [];
    const cancellations: unknown[][] = [];
    const outcomes = await watchingStatements(
      (sql, parameters) => {
        if (/INSERT INTO checkins/.test(sql)) upserts.push(parameters);
        if (/\(booking_reference, passenger_id, flight_key, type\) IN/.test(sql)) cancellations.push(parameters);
      },
      () =>
        ingest([
          checkin('GCREM1', '1A'),
          checkin('GCREM2', '2A'),
          checkin('GCREM1', '1C'), // a new seat in the same batch: the later check-in wins, as one by one
          checkin('GCREM3', '3A'),
          bookingCancelled({ bookingReference: 'GCREM3', reason: 'test' }), // must find GCREM3's reminder already cancelled by its check-in
        ]),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    // Check-ins are written together, except where a later event about the same booking must see them first.
    const written = upserts.map(([json]) => (JSON.parse(json as string) as { booking_reference: string; seat: string }[]).map((c) => `${c.booking_reference} ${c.seat}`));
    expect(written).toEqual([['GCREM1 1A'], ['GCREM3 3A'], ['GCREM2 2A', 'GCREM1 1C']]);
    // Held until something else had to see them: GCREM1's second check-in stored the plans held before it (its
    // first boarding pass), and the cancelled booking read its pending notifications.
    expect(cancellations.map((parameters) => parameters[1])).toEqual([
      ['GCREM1', 'GCREM2'],
      ['GCREM1', 'GCREM3'],
    ]);
    const reasons = await service.db.query(
      `SELECT n.booking_reference AS ref, n.status, e.detail ->> 'reason' AS reason
         FROM notifications n JOIN notification_events e ON e.notification_id = n.id AND e.kind = 'cancelled'
        WHERE n.type = 'checkin-open' AND n.booking_reference LIKE 'GCREM%' ORDER BY n.booking_reference`,
    );
    expect(reasons).toEqual(refs.map((ref) => ({ ref, status: 'cancelled', reason: 'checked in' })));
    const stored = await service.db.query(`SELECT booking_reference AS ref, seat FROM checkins WHERE booking_reference LIKE 'GCREM%' ORDER BY booking_reference`);
    expect(stored).toEqual([
      { ref: 'GCREM1', seat: '1C' },
      { ref: 'GCREM2', seat: '2A' },
      { ref: 'GCREM3', seat: '3A' },
    ]);
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'GCREM3' AND type = 'boarding-pass'`)).toBe(0);
  }, 120_000);
  it('a check-in held back in a batch goes with its passenger when a later event of the batch removes the passenger', async () => {
    const seg = segment({ flightNumber: '7800' });
    const traveller = (passengerId: string) =>
      passenger({ passengerId, contacts: { email: `${passengerId.toLowerCase()}@example.com` }, consents: [{ channel: 'email', granted: true }] });
    const booked = (type: 'booking.confirmed' | 'booking.changed', passengerIds: string[], time: string) => ({
      ...bookingSnapshot(type, { bookingReference: 'GCGONE', passengers: passengerIds.map(traveller), segments: [seg] }),
      time,
    });
    expect((await ingest([booked('booking.confirmed', ['P1', 'P2'], '2026-11-30T08:00:00Z')])).map((o) => o.kind)).toEqual(['applied']);
    const outcomes = await ingest([
      checkinCompleted({ bookingReference: 'GCGONE', passengerId: 'P2', segmentId: seg.segmentId, seat: '9F', sequenceNumber: 9, compartment: 'Y', checkedInAt: '2026-12-01T05:00:00Z' }),
      booked('booking.changed', ['P1'], '2026-11-30T09:00:00Z'),
    ]);
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied']);
    // One by one, the check-in would be stored and then go with its passenger (ON DELETE CASCADE): the same here.
    expect(await count(service.db, `SELECT 1 FROM checkins WHERE booking_reference = 'GCGONE'`)).toBe(0);
    expect(await count(service.db, `SELECT 1 FROM passengers WHERE booking_reference = 'GCGONE'`)).toBe(1);
  }, 120_000);
  it("reads a flight's status once for a batch's check-ins, and afresh after news of the flight in the same batch", async () => {
    const seg = segment({ flightNumber: '7900' });
    const refs = ['GCFS01', 'GCFS02', 'GCFS03'];
    const bookings = refs.map((reference) =>
      bookingSnapshot('booking.confirmed', {
        bookingReference: reference,
        passengers: [passenger({ passengerId: 'P1', contacts: { email: `${reference.toLowerCase()}@example.com` }, consents: [{ channel: 'email', granted: true }] })],
        segments: [seg],
      }),
    );
    expect((await ingest([...bookings, flightStatus(seg, 1, { departureGate: 'D1' })])).map((o) => o.kind)).toEqual(['applied', 'applied', 'applied', 'applied']);
    const checkin = (reference: string) =>
      checkinCompleted({ bookingReference: reference, passengerId: 'P1', segmentId: seg.segmentId, seat: '4C', sequenceNumber: 4, compartment: 'Y', checkedInAt: '2026-12-01T05:00:00Z' });

    const reads: string[] = [];
    const outcomes = await watchingStatements(
      (sql) => {
        if (/FROM flight_status\s+WHERE carrier/.test(sql)) reads.push(/FOR UPDATE/.test(sql) ? 'locked' : 'read');
      },
      () =>
        ingest([checkin('GCFS01'), checkin('GCFS02'), flightStatus(seg, 2, { departureGate: 'D9' }), checkin('GCFS03')]),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(['applied', 'applied', 'applied', 'applied']);
    // One read for the first two check-ins, the flight event's own locked read, one read again after it.
    expect(reads).toEqual(['read', 'locked', 'read']);
    const gates = await service.db.query(
      `SELECT context -> 'flight' ->> 'departureGate' AS gate FROM notifications JOIN notification_contexts USING (id)
        WHERE booking_reference = 'GCFS03' AND type = 'boarding-pass'`,
    );
    expect(gates).toEqual([{ gate: 'D9' }]);
  }, 120_000);
});
