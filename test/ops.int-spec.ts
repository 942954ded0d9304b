import type { QueryRunner } from 'typeorm';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { ReplayJobService } from '../src/ops/replay/replay-job.service';
import { REPLAY_LOCK_STATEMENT } from '../src/ops/replay/replay.repository';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

describe('operations: auth, replay, dead-letter re-drive, consent changes, audit', () => {
  let whatsapp: ScriptedAdapter;

  const service = useTestService();

  beforeAll(async () => {
    whatsapp = new ScriptedAdapter('local-whatsapp');
    service.app.get(ChannelRegistry).use('whatsapp', whatsapp);
  });

  const notification = async (ref: string, type: string) => {
    const rows: { id: string; status: string }[] = await service.db.query(
      `SELECT id, status FROM notifications WHERE booking_reference = $1 AND type = $2 AND channel = 'whatsapp'`,
      [ref, type],
    );
    return rows[0];
  };

  it('refuses /api without a token (401) and a viewer acting (403); leaves health and webhooks open', async () => {
    await service.http('anonymous').get('/api/notifications').expect(401);
    await service.http('anonymous').get('/api/notifications').set('Authorization', 'Bearer wrong-token-0123456789').expect(401);
    await service.http('viewer').get('/api/notifications').expect(200);
    await service.http('viewer').post('/api/notifications/6f1c1d2e-1111-4222-8333-944455556666/replay').send({}).expect(403);
    await service.http('viewer').post('/api/replays').send({ dryRun: true }).expect(403);
    await service.http('anonymous').get('/health').expect(200);
  });

  it('replays a failed notification once, re-rendered with current data, keeping its history', async () => {
    const seg = segment({ flightNumber: '6001' });
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'OPS001', passengers: [passenger({ passengerId: 'P1' })], segments: [seg] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await notification('OPS001', 'booking-confirmation'))?.status === 'sent');
    const known = flightStatus(seg, 2);
    await service.publisher.publish(known.type, known);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [known.id])) === 1);

    whatsapp.answer({ outcome: 'permanent', code: '131026', message: 'Message undeliverable' });
    const gate = flightStatus(seg, 3, { departureGate: 'E7' });
    await service.publisher.publish(gate.type, gate);
    const failed = await waitFor(async () => {
      const n = await notification('OPS001', 'gate-change');
      return n?.status === 'failed' ? n : undefined;
    });
    // The gate moves again (same gate-change type would supersede only pending news; this one failed).
    await service.db.query(`UPDATE flight_status SET snapshot = jsonb_set(snapshot, '{departureGate}', '"E9"') WHERE flight_number = '6001'`);

    // Posted twice at once: one replay queues it, the other finds it queued already.
    const [a, b] = await Promise.all([
      service.http().post(`/api/notifications/${failed.id}/replay`).send({}),
      service.http().post(`/api/notifications/${failed.id}/replay`).send({}),
    ]);
    expect([a.body.outcome, b.body.outcome].sort()).toEqual(['replayed', 'skipped']);
    await waitFor(async () => (await notification('OPS001', 'gate-change'))?.status === 'sent');
    const sends = whatsapp.sent.filter((s) => s.message.notificationId === failed.id);
    expect(sends).toHaveLength(2); // the failed attempt, and exactly one replay
    expect(sends[1].message.content.text).toContain('E9');

    const detail = (await service.http().get(`/api/notifications/${failed.id}`).expect(200)).body;
    const kinds = detail.timeline.map((t: { kind: string }) => t.kind);
    expect(kinds).toEqual(['created', 'attempt', 'failed', 'replayed', 'attempt']);
    expect(detail.timeline[3].detail).toMatchObject({ previousStatus: 'failed', by: expect.stringMatching(/^operator:/) });

    // Delivered news is not sent again unless forced.
    const again = await service.http().post(`/api/notifications/${failed.id}/replay`).send({}).expect(200);
    expect(again.body).toEqual({ outcome: 'skipped', reason: 'status is sent (use force to send it again)' });
    const forced = await service.http().post(`/api/notifications/${failed.id}/replay`).send({ force: true }).expect(200);
    expect(forced.body).toEqual({ outcome: 'replayed', previousStatus: 'sent' });
  });

  it('never replays news that newer news about the flight has replaced', async () => {
    const seg = segment({ flightNumber: '6002' });
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'OPS002', passengers: [passenger({ passengerId: 'P1' })], segments: [seg] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await notification('OPS002', 'booking-confirmation'))?.status === 'sent');
    whatsapp.answer({ outcome: 'permanent', code: '131026', message: 'Message undeliverable' });
    const delay = flightStatus(seg, 2, { status: 'DELAYED', estimatedDeparture: '2026-12-01T09:00:00Z' });
    await service.publisher.publish(delay.type, delay);
    const failed = await waitFor(async () => {
      const n = await notification('OPS002', 'flight-delay');
      return n?.status === 'failed' ? n : undefined;
    });
    const cancel = flightStatus(seg, 3, { status: 'CANCELLED' });
    await service.publisher.publish(cancel.type, cancel);
    await waitFor(async () => (await notification('OPS002', 'flight-cancellation'))?.status === 'sent');
    const res = await service.http().post(`/api/notifications/${failed.id}/replay`).send({}).expect(200);
    expect(res.body).toEqual({ outcome: 'skipped', reason: 'newer news about this flight was already sent' });
  });

  it('replays by filter in the background with progress, counting first on a dry run', async () => {
    const seg = segment({ flightNumber: '6003' });
    const pax = Array.from({ length: 5 }, (_, i) => passenger({ passengerId: `P${i}`, contacts: { whatsapp: `+3164${String(i).padStart(7, '0')}` } }));
    for (let i = 0; i < 5; i++) whatsapp.answer({ outcome: 'permanent', code: '368', message: 'Temporarily blocked for policy violations' });
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'OPS003', passengers: pax, segments: [seg] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'OPS003' AND status = 'failed'`)) === 5);

    const dry = await service.http().post('/api/replays').send({ bookingReference: 'OPS003', errorCode: '368', dryRun: true }).expect(202);
    expect(dry.body).toEqual({ dryRun: true, matched: 5, needsConfirmation: false });
    await service.http().post('/api/replays').send({ bookingReference: 'lower', dryRun: true }).expect(400);
    const started = await service.http().post('/api/replays').send({ bookingReference: 'OPS003', errorCode: '368' }).expect(202);
    const again = await service.http().post('/api/replays').send({ bookingReference: 'OPS003', errorCode: '368' }).expect(202);
    const done = await waitFor(async () => {
      const p = (await service.http().get(`/api/replays/${started.body.id}`).expect(200)).body;
      return p.status === 'done' ? p : undefined;
    });
    const second = await waitFor(async () => {
      const p = (await service.http().get(`/api/replays/${again.body.id}`).expect(200)).body;
      return p.status === 'done' ? p : undefined;
    });
    expect(done.total).toBe(5);
    expect(done.replayed + second.replayed).toBe(5); // overlapping jobs: each notification queued once
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'OPS003' AND status = 'sent'`)) === 5);
    expect(await count(service.db, `SELECT 1 FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                                     WHERE n.booking_reference = 'OPS003' AND e.kind = 'replayed'`)).toBe(5);
  });

  it('re-drives dead letters: a fixed one is processed, a still-broken one comes back with its new reason', async () => {
    const checkin = checkinCompleted({
      bookingReference: 'OPS004', passengerId: 'P1', segmentId: 'SEG-1', seat: '3C', sequenceNumber: 7, compartment: 'Y', checkedInAt: '2026-11-30T09:12:00Z',
    });
    await service.publisher.publish(checkin.type, checkin);
    const parked = await waitFor(async () => {
      const r: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE event_id = $1`, [checkin.id]);
      return r[0];
    }, 20_000);
    const listed = (await service.http('viewer').get('/api/dead-letters').query({ open: true }).expect(200)).body.items;
    expect(listed.find((i: { id: string }) => i.id === parked.id)).toMatchObject({ reasonCode: 'unknown-reference', type: 'checkin.completed', source: '/check-in' });

    // Still broken: the booking is still unknown.
    const still = await service.http().post(`/api/dead-letters/${parked.id}/redrive`).send({}).expect(200);
    expect(still.body).toMatchObject({ kind: 'parked', reasonCode: 'unknown-reference' });
    await service.http().post(`/api/dead-letters/${parked.id}/redrive`).send({}).expect(409);

    // Fixed: the booking arrives; the newest parked copy is re-driven and applied.
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'OPS004', passengers: [passenger({ passengerId: 'P1' })], segments: [segment({ flightNumber: '6004' })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(async () => (await notification('OPS004', 'booking-confirmation'))?.status === 'sent');
    const [reparked] = await service.db.query(`SELECT id FROM parked_events WHERE event_id = $1 AND redriven_at IS NULL`, [checkin.id]);
    const fixed = await service.http().post(`/api/dead-letters/${reparked.id}/redrive`).send({}).expect(200);
    expect(fixed.body).toMatchObject({ kind: 'applied', type: 'checkin.completed' });
    await waitFor(async () => (await notification('OPS004', 'boarding-pass'))?.status === 'sent');

    // A malformed event corrected by the operator.
    const bad = bookingSnapshot('booking.confirmed', { bookingReference: 'bad!', passengers: [passenger({ passengerId: 'P1' })], segments: [segment({ flightNumber: '6005' })] });
    await service.publisher.publish(bad.type, bad);
    const badRow = await waitFor(async () => {
      const r: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE event_id = $1`, [bad.id]);
      return r[0];
    });
    const corrected = { ...bad, data: { ...bad.data, bookingReference: 'OPS005' } };
    const ok = await service.http().post(`/api/dead-letters/${badRow.id}/redrive`).send({ event: corrected }).expect(200);
    expect(ok.body.kind).toBe('applied');
  });

  /** A booking of `size` passengers on WhatsApp; the first `failing` of its messages fail for good. */
  const bookingOf = async (ref: string, size: number, flightNumber: string, failing = 0) => {
    // Scripted answers go to whatever is sent next: let what earlier tests queued go out first.
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE status IN ('pending', 'sending') AND due_at <= now()`)) === 0, 20_000, 'an idle dispatcher');
    for (let i = 0; i < failing; i++) whatsapp.answer({ outcome: 'permanent', code: '131026', message: 'Message undeliverable' });
    const pax = Array.from({ length: size }, (_, i) => passenger({ passengerId: `P${i}`, contacts: { whatsapp: `+3166${flightNumber}${String(i).padStart(3, '0')}` } }));
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: ref, passengers: pax, segments: [segment({ flightNumber })] });
    await service.publisher.publish(booking.type, booking);
    await waitFor(
      async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = $1 AND status IN ('sent', 'failed')`, [ref])) === size,
      20_000,
      `the ${size} messages of ${ref}`,
    );
    const rows: { id: string; status: string; flight_key: string }[] = await service.db.query(
      `SELECT id, status, flight_key FROM notifications WHERE booking_reference = $1 ORDER BY id`,
      [ref],
    );
    return rows;
  };

  const attempts = async (id: string) => count(service.db, `SELECT 1 FROM notification_events WHERE notification_id = $1 AND kind = 'attempt'`, [id]);

  /** Holds a row lock on a notification from the test's own connection, as a slow transaction would. */
  const lockNotification = async (id: string): Promise<QueryRunner> => {
    const runner = service.db.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE`, [id]);
    return runner;
  };
  const release = async (runner: QueryRunner) => {
    await runner.rollbackTransaction();
    await runner.release();
  };
  /** Waits until some session of this database waits for a lock in a statement starting with `sql`. */
  const waitingOnLock = (sql: string) =>
    waitFor(
      async () => (await count(service.db, `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`, [`${sql}%`])) > 0,
      15_000,
      `a statement waiting for a lock: ${sql}`,
    );
  const finished = (id: string) =>
    waitFor(async () => {
      const p = (await service.http().get(`/api/replays/${id}`).expect(200)).body;
      return p.status !== 'running' ? p : undefined;
    }, 20_000, `replay ${id} to finish`);

  it('replays only failed notifications when a bulk replay names no status, even forced', async () => {
    const rows = await bookingOf('OPS010', 3, '6010', 1);
    expect(rows.filter((r) => r.status === 'failed')).toHaveLength(1);
    const dry = await service.http().post('/api/replays').send({ bookingReference: 'OPS010', dryRun: true }).expect(202);
    expect(dry.body).toEqual({ dryRun: true, matched: 1, needsConfirmation: false });

    const started = await service.http().post('/api/replays').send({ bookingReference: 'OPS010', force: true }).expect(202);
    expect(started.body).toMatchObject({ total: 1, force: true, filter: { bookingReference: 'OPS010', status: 'failed' } });
    expect(await finished(started.body.id)).toMatchObject({ status: 'done', replayed: 1, skipped: 0 });
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'OPS010' AND status = 'sent'`)) === 3);
    // The failed one got its second attempt; the two delivered ones were not sent again.
    for (const r of rows) expect(await attempts(r.id)).toBe(r.status === 'failed' ? 2 : 1);
  });

  it('never sends one notification twice from two forced bulk replays running at once over overlapping sets', async () => {
    const first = await bookingOf('OPS011', 3, '6011');
    const second = await bookingOf('OPS012', 3, '6011');
    const flight = first[0].flight_key;
    const [early, middle, last] = first;

    // Replay A (booking OPS011) replays the first two, which go out again, and then waits on the third.
    const lock = await lockNotification(last.id);
    let a: { id: string };
    let doneA: { status: string; replayed: number; skipped: number };
    let doneB: typeof doneA;
    try {
      a = (await service.http().post('/api/replays').send({ bookingReference: 'OPS011', status: 'sent', force: true }).expect(202)).body;
      await waitFor(async () => (await attempts(early.id)) === 2 && (await attempts(middle.id)) === 2, 15_000, 'A to re-send two');
      await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE id = ANY($1) AND status = 'sent'`, [[early.id, middle.id]])) === 2);
      await waitingOnLock(REPLAY_LOCK_STATEMENT);
      // While A runs, replay B takes the whole flight (both bookings), forced, and sent ones included.
      const b = (await service.http().post('/api/replays').send({ flight, status: 'sent', force: true }).expect(202)).body;
      expect(b.total).toBe(6);
      await release(lock);
      [doneA, doneB] = [await finished(a.id), await finished(b.id)];
    } finally {
      if (!lock.isReleased) await release(lock);
    }
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE flight_key = $1 AND status = 'sent'`, [flight])) === 6, 20_000);
    // Counted in the database: every notification was attempted twice, the first send and one replay.
    const counted = await Promise.all([...first, ...second].map(async (n) => attempts(n.id)));
    expect(counted).toEqual([2, 2, 2, 2, 2, 2]);
    // B left OPS011's three to A, which held them, and replayed OPS012's.
    expect(doneA).toMatchObject({ status: 'done', replayed: 3 });
    expect(doneB).toMatchObject({ status: 'done', replayed: 3, skipped: 3 });
    expect(await count(service.db, `SELECT 1 FROM replay_items`)).toBe(0); // claims end with their replays
  });

  it('asks for the count back above 1,000 notifications, and cancels a running replay exactly', async () => {
    const [seed] = await bookingOf('OPS013', 1, '6013', 1);
    await service.db.query(
      `WITH copies AS (
         INSERT INTO notifications (dedupe_key, type, channel, status, booking_reference, passenger_id, flight_key, locale, recipient,
                                    event_source, event_id, attempts, last_error_code, last_error)
         SELECT dedupe_key || '#' || g, type, channel, status, booking_reference, passenger_id, flight_key, locale, recipient,
                event_source, event_id, attempts, last_error_code, last_error
           FROM notifications, generate_series(1, 1000) g WHERE id = $1
         RETURNING id)
       INSERT INTO notification_contexts (id, context) SELECT copies.id, c.context FROM copies, notification_contexts c WHERE c.id = $1`,
      [seed.id],
    );
    const selection = { bookingReference: 'OPS013' };
    const refused = await service.http().post('/api/replays').send(selection).expect(400);
    expect(refused.body).toMatchObject({ matched: 1001, field: 'confirm' });
    expect(refused.body.message).toBe('this would touch 1001 notifications, more than 1000 (BULK_CONFIRM_ABOVE); send confirm: 1001 to go ahead');
    const stale = await service.http().post('/api/replays').send({ ...selection, confirm: 1000 }).expect(400);
    expect(stale.body.message).toContain('confirm is 1000, but this would touch 1001 notifications now');
    await service.http().post('/api/replays').send({ ...selection, confirm: 'all' }).expect(400);
    expect(await count(service.db, `SELECT 1 FROM replays WHERE filter ->> 'bookingReference' = 'OPS013'`)).toBe(0);
    expect((await service.http().post('/api/replays').send({ ...selection, dryRun: true }).expect(202)).body).toEqual({
      dryRun: true,
      matched: 1001,
      needsConfirmation: true,
    });

    // Confirmed, it starts; its first notification is held by a slow transaction, and the operator cancels.
    const [firstId] = (await service.db.query(`SELECT min(id::text) AS id FROM notifications WHERE booking_reference = 'OPS013'`)).map((r: { id: string }) => r.id);
    const lock = await lockNotification(firstId);
    let cancelled;
    const started = (await service.http().post('/api/replays').send({ ...selection, confirm: 1001 }).expect(202)).body;
    try {
      expect(started).toMatchObject({ total: 1001, status: 'running' });
      await waitingOnLock(REPLAY_LOCK_STATEMENT);
      const cancelling = Promise.resolve(service.http().post(`/api/replays/${started.id}/cancel`).send());
      await waitingOnLock('WITH ended AS');
      await release(lock);
      cancelled = await cancelling;
    } finally {
      if (!lock.isReleased) await release(lock);
    }
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: started.id, status: 'cancelled', skipped: 0, cancelledBy: expect.stringMatching(/^operator:/) });
    // The one in flight when the cancellation came finished (and possibly the next, which may take the
    // job's lock first); what the cancellation answered is final: nothing was queued after it.
    const { replayed } = cancelled.body as { replayed: number };
    expect(replayed).toBeGreaterThanOrEqual(1);
    expect(replayed).toBeLessThan(1001);
    await service.app.get(ReplayJobService).settled(started.id);
    expect((await service.http().get(`/api/replays/${started.id}`).expect(200)).body).toMatchObject({ status: 'cancelled', replayed, skipped: 0 });
    expect(await count(service.db, `SELECT 1 FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                                     WHERE n.booking_reference = 'OPS013' AND e.kind = 'replayed'`)).toBe(replayed);
    expect(await count(service.db, `SELECT 1 FROM replay_items`)).toBe(0);
    // Cancelling again answers the same; a finished replay has nothing to cancel; an unknown one is 404.
    await service.http().post(`/api/replays/${started.id}/cancel`).send().expect(200);
    const done = (await service.db.query(`SELECT id FROM replays WHERE status = 'done' LIMIT 1`))[0].id;
    expect((await service.http().post(`/api/replays/${done}/cancel`).send().expect(409)).body.message).toContain('is done already');
    await service.http().post('/api/replays/6f1c1d2e-1111-4222-8333-944455556666/cancel').send().expect(404);
    await service.http('viewer').post(`/api/replays/${started.id}/cancel`).send().expect(403);
  });

  it('re-drives in bulk only with a filter or all: true, and reads open=false as false', async () => {
    const bad = bookingSnapshot('booking.confirmed', { bookingReference: 'bad!', passengers: [passenger({ passengerId: 'P1' })], segments: [segment({ flightNumber: '6014' })] });
    await service.publisher.publish(bad.type, bad);
    const parked = await waitFor(async () => {
      const r: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE event_id = $1`, [bad.id]);
      return r[0];
    });
    const open = await count(service.db, `SELECT 1 FROM parked_events WHERE redriven_at IS NULL`);
    const none = await service.http().post('/api/dead-letters/redrive').send({}).expect(400);
    expect(none.body.message).toBe('give reasonCode or type to choose the dead letters to re-drive, or all: true for every open one');
    await service.http().post('/api/dead-letters/redrive').send({ all: true, reasonCode: 'bad-data' }).expect(400);
    await service.http().post('/api/dead-letters/redrive').send({ all: 'yes' }).expect(400);
    expect(await count(service.db, `SELECT 1 FROM parked_events WHERE redriven_at IS NULL`)).toBe(open);
    expect((await service.http().post('/api/dead-letters/redrive').send({ all: true, dryRun: true }).expect(200)).body).toEqual({
      dryRun: true,
      matched: open,
      needsConfirmation: false,
    });

    await service.http().post(`/api/dead-letters/${parked.id}/redrive`).send({}).expect(200);
    const redriven = (await service.http('viewer').get('/api/dead-letters').query({ open: 'false' }).expect(200)).body.items as { id: string; redrivenAt: string | null }[];
    expect(redriven.map((d) => d.id)).toContain(parked.id);
    expect(redriven.every((d) => d.redrivenAt !== null)).toBe(true);
    const stillOpen = (await service.http('viewer').get('/api/dead-letters').query({ open: 'true' }).expect(200)).body.items as { id: string; redrivenAt: string | null }[];
    expect(stillOpen.map((d) => d.id)).not.toContain(parked.id);
    expect(stillOpen.every((d) => d.redrivenAt === null)).toBe(true);
    for (const value of ['1', 'yes', '', 'False']) {
      const res = await service.http('viewer').get('/api/dead-letters').query({ open: value }).expect(400);
      expect(res.body.message).toEqual(['open must be true or false']);
    }
  });

  it('re-drives atomically: a failure while applying leaves the dead letter open, and a retry applies it', async () => {
    await bookingOf('OPS015', 1, '6015');
    const bad = bookingSnapshot('booking.changed', { bookingReference: 'bad!', passengers: [passenger({ passengerId: 'P1', givenName: 'Lucie' })], segments: [segment({ flightNumber: '6015' })] });
    await service.publisher.publish(bad.type, bad);
    const parked = await waitFor(async () => {
      const r: { id: string }[] = await service.db.query(`SELECT id FROM parked_events WHERE event_id = $1`, [bad.id]);
      return r[0];
    });
    const corrected = { ...bad, data: { ...bad.data, bookingReference: 'OPS015' } };
    // The database refuses the event's inbox row once (a trigger in this test's own database).
    await service.db.query(`CREATE FUNCTION refuse_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
                              BEGIN RAISE EXCEPTION 'injected failure for %', NEW.event_id; END $$`);
    await service.db.query(`CREATE TRIGGER refuse_inbox BEFORE INSERT ON inbox_events FOR EACH ROW
                              WHEN (NEW.event_id = '${bad.id.replace(/'/g, '')}') EXECUTE FUNCTION refuse_inbox()`);
    try {
      await service.http().post(`/api/dead-letters/${parked.id}/redrive`).send({ event: corrected }).expect(500);
    } finally {
      await service.db.query(`DROP TRIGGER refuse_inbox ON inbox_events`);
      await service.db.query(`DROP FUNCTION refuse_inbox()`);
    }
    const [row] = await service.db.query(`SELECT redriven_at FROM parked_events WHERE id = $1`, [parked.id]);
    expect(row.redriven_at).toBeNull();
    expect(await count(service.db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [bad.id])).toBe(0);
    const failure = (await service.http('viewer').get('/api/audit').query({ action: 'dead-letter.redrive', outcome: 'failed' }).expect(200)).body.items;
    expect(failure[0]).toMatchObject({ target: parked.id, outcome: 'failed', affected: 0, reason: expect.stringContaining('injected failure') });

    const retry = await service.http().post(`/api/dead-letters/${parked.id}/redrive`).send({ event: corrected }).expect(200);
    expect(retry.body).toMatchObject({ kind: 'applied', type: 'booking.changed' });
    expect(await count(service.db, `SELECT 1 FROM parked_events WHERE id = $1 AND redriven_at IS NOT NULL`, [parked.id])).toBe(1);
    expect(await count(service.db, `SELECT 1 FROM passengers WHERE booking_reference = 'OPS015' AND given_name = 'Lucie'`)).toBe(1);
  });

  it('audits failed operator actions with the reason: replay, re-drive, consent change, erasure', async () => {
    const missing = '6f1c1d2e-1111-4222-8333-944455556666';
    await service.http().post(`/api/notifications/${missing}/replay`).send({}).expect(404);
    await service.http().post('/api/replays').send({ bookingReference: 'OPS013', confirm: 5 }).expect(400);
    await service.http().post(`/api/dead-letters/${missing}/redrive`).send({}).expect(404);
    await service.http().post('/api/dead-letters/redrive').send({}).expect(400);
    await service.http().put('/api/bookings/OPS010/passengers/NOPE/consents/whatsapp').send({ granted: false }).expect(404);
    await service.http().put('/api/bookings/OPS010/passengers/P0/consents/whatsapp').send({ granted: 'no' }).expect(400);
    await service.http().post('/api/bookings/ZZZ999/erase').send().expect(404);
    // A viewer never reaches the action: refused by the guard, nothing to audit.
    await service.http('viewer').post('/api/bookings/ZZZ998/erase').send().expect(403);

    const failed = (await service.http('viewer').get('/api/audit').query({ outcome: 'failed', limit: 50 }).expect(200)).body.items as {
      action: string; target: string | null; outcome: string; reason: string; affected: number; detail: { status: number };
    }[];
    const find = (action: string, status: number) => failed.find((f) => f.action === action && f.detail.status === status);
    expect(find('replay.one', 404)).toMatchObject({ target: missing, reason: `notification ${missing} not found` });
    expect(find('replay.bulk', 400)?.reason).toMatch(/^confirm is 5, but this would touch \d+ notifications now; count again \(dryRun\) and send confirm: \d+ to go ahead$/);
    expect(find('dead-letter.redrive', 404)).toMatchObject({ target: missing, reason: `dead letter ${missing} not found` });
    expect(find('dead-letter.redrive-bulk', 400)?.reason).toContain('all: true');
    expect(find('consent.change', 404)).toMatchObject({ target: 'OPS010/NOPE/whatsapp', reason: 'passenger NOPE is not on booking OPS010' });
    expect(find('consent.change', 400)?.reason).toBe('granted must be a boolean value');
    expect(find('booking.erase', 404)).toMatchObject({ target: 'ZZZ999', reason: 'booking ZZZ999 not found' });
    expect(failed.some((f) => f.target === 'ZZZ998')).toBe(false);
    expect(failed.every((f) => f.outcome === 'failed' && f.affected === 0)).toBe(true);
    // Succeeded actions say so.
    const succeeded = (await service.http('viewer').get('/api/audit').query({ outcome: 'succeeded' }).expect(200)).body.items as { outcome: string; reason: null }[];
    expect(succeeded.length).toBeGreaterThan(0);
    expect(succeeded.every((s) => s.outcome === 'succeeded' && s.reason === null)).toBe(true);
  });

  it('lets an operator withdraw a consent, cancelling what is pending, and audits every action', async () => {
    await service.http('viewer').put('/api/bookings/OPS001/passengers/P1/consents/whatsapp').send({ granted: false }).expect(403);
    await service.http().put('/api/bookings/OPS001/passengers/P1/consents/pigeon').send({ granted: false }).expect(400);
    await service.http().put('/api/bookings/OPS001/passengers/NOPE/consents/whatsapp').send({ granted: false }).expect(404);
    const res = await service.http().put('/api/bookings/OPS001/passengers/P1/consents/whatsapp').send({ granted: false }).expect(200);
    expect(res.body).toMatchObject({ channel: 'whatsapp', granted: false });

    const audit = (await service.http('viewer').get('/api/audit').expect(200)).body.items as { action: string; actor: string; affected: number; outcome: string }[];
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['replay.one', 'replay.bulk', 'dead-letter.redrive', 'consent.change']));
    expect(audit.every((a) => a.actor.startsWith('operator:'))).toBe(true);
    expect(audit.filter((a) => a.action === 'replay.bulk' && a.outcome === 'succeeded').map((a) => a.affected)).toContain(5);
    expect(actions).toContain('replay.cancel');
  });
});
