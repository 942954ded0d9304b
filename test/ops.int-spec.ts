import { ChannelRegistry } from '../src/channels/channel-registry';
import { bookingSnapshot, checkinCompleted, flightStatus, passenger, segment } from '../src/demo/sample-events';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

describe('operations: auth, replay, dead-letter re-drive, consent changes, audit', () => {
  let environment: TestEnvironment;
  let service: TestService;
  let whatsapp: ScriptedAdapter;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    service = await startService(environment.env);
    whatsapp = new ScriptedAdapter('local-whatsapp');
    service.app.get(ChannelRegistry).use('whatsapp', whatsapp);
  });

  afterAll(async () => {
    await service?.close();
    await environment?.dispose();
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
    expect(kinds).toEqual(['created', 'rendered', 'attempt', 'failed', 'replayed', 'rendered', 'attempt', 'sent']);
    expect(detail.timeline[4].detail).toMatchObject({ previousStatus: 'failed', by: expect.stringMatching(/^operator:/) });

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

  it('lets an operator withdraw a consent, cancelling what is pending, and audits every action', async () => {
    await service.http('viewer').put('/api/bookings/OPS001/passengers/P1/consents/whatsapp').send({ granted: false }).expect(403);
    await service.http().put('/api/bookings/OPS001/passengers/P1/consents/pigeon').send({ granted: false }).expect(400);
    await service.http().put('/api/bookings/OPS001/passengers/NOPE/consents/whatsapp').send({ granted: false }).expect(404);
    const res = await service.http().put('/api/bookings/OPS001/passengers/P1/consents/whatsapp').send({ granted: false }).expect(200);
    expect(res.body).toMatchObject({ channel: 'whatsapp', granted: false });

    const audit = (await service.http('viewer').get('/api/audit').expect(200)).body.items as { action: string; actor: string; affected: number }[];
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['replay.one', 'replay.bulk', 'dead-letter.redrive', 'consent.change']));
    expect(audit.every((a) => a.actor.startsWith('operator:'))).toBe(true);
    expect(audit.find((a) => a.action === 'replay.bulk')?.affected).toBe(5);
  });
});
