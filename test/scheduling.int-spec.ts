import { SchedulerRegistry } from '@nestjs/schedule';
import type { CloudEvent, Passenger, Segment } from '../src/events/event-types';
import { bookingSnapshot, checkinCompleted, passenger, segment } from '../src/demo/sample-events';
import { CheckinReminderJob } from '../src/checkins/checkin-reminder.job';
import { CheckinReminderRepository } from '../src/checkins/checkin-reminder.repository';
import { Clock } from '../src/scheduling/clock';
import { count, createTestEnvironment, startService, TestEnvironment, TestService, waitFor } from './support/test-app';

const HOUR = 3_600_000;
const minus = (iso: string, ms: number) => new Date(Date.parse(iso) - ms);

describe('scheduled jobs: check-in reminders with a controlled clock, once across replicas', () => {
  let environment: TestEnvironment;
  const services: TestService[] = [];
  const service = () => services[0];

  beforeAll(async () => {
    // The crons stay registered but idle (SCHEDULER_ENABLED=false from the test environment): the test fires the ticks.
    environment = await createTestEnvironment();
    services.push(await startService(environment.env));
  });

  afterAll(async () => {
    for (const s of services) await s.close();
    await environment?.dispose();
  });

  /** Sets the clock every replica's jobs go by. */
  const setClock = (at: Date) => {
    for (const s of services) jest.spyOn(s.app.get(Clock), 'now').mockReturnValue(at);
  };
  const reminders = (ref: string) =>
    service().db.query(
      `SELECT passenger_id, channel, status, dedupe_key FROM notifications WHERE booking_reference = $1 AND type = 'checkin-open'
        ORDER BY passenger_id, channel`,
      [ref],
    ) as Promise<{ passenger_id: string; channel: string; status: string; dedupe_key: string }[]>;
  const applied = (event: CloudEvent<unknown>) =>
    waitFor(async () => (await count(service().db, `SELECT 1 FROM inbox_events WHERE event_id = $1`, [event.id])) === 1, 15_000, `event ${event.id}`);

  async function book(ref: string, seg: Segment, pax: Passenger[] = [passenger({ passengerId: 'P1' })]): Promise<void> {
    const event = bookingSnapshot('booking.confirmed', { bookingReference: ref, passengers: pax, segments: [seg] });
    await service().publisher.publish(event.type, event);
    await applied(event);
  }

  it('registers its cron jobs', () => {
    const jobs = service().app.get(SchedulerRegistry).getCronJobs();
    expect([...jobs.keys()].sort()).toEqual(['checkin-reminders', 'retention-purge']);
  });

  it('reminds at T-30h, and at T-24h for a flight to the United States, once', async () => {
    const paris = segment({ flightNumber: '8001', departureDate: '2026-12-10', scheduledDeparture: '2026-12-10T09:00:00Z', scheduledArrival: '2026-12-10T10:15:00Z' });
    const newYork = segment({ flightNumber: '8002', destination: 'JFK', departureDate: '2026-12-10', scheduledDeparture: '2026-12-10T09:00:00Z', scheduledArrival: '2026-12-10T17:00:00Z' });
    const both: Passenger[] = [passenger({ passengerId: 'P1', contacts: { whatsapp: '+31611110001', email: 'p1@example.com' }, consents: [{ channel: 'whatsapp', granted: true }, { channel: 'email', granted: true }] })];
    await book('REMPAR', paris, both);
    await book('REMNYC', newYork);
    const job = service().app.get(CheckinReminderJob);

    setClock(minus(paris.scheduledDeparture, 30 * HOUR + 60_000));
    expect(await job.run()).toMatchObject({ ran: true, affected: 0 });
    setClock(minus(paris.scheduledDeparture, 30 * HOUR));
    expect(await job.run()).toMatchObject({ ran: true, affected: 2 });
    expect((await reminders('REMPAR')).map((r) => r.channel)).toEqual(['email', 'whatsapp']);
    expect(await reminders('REMNYC')).toEqual([]);
    await waitFor(async () => (await reminders('REMPAR')).every((r) => r.status === 'delivered'), 15_000, 'reminders delivered');
    const [{ text }] = await service().db.query(
      `SELECT content->>'text' AS text FROM notifications WHERE booking_reference = 'REMPAR' AND type = 'checkin-open' AND channel = 'whatsapp'`,
    );
    expect(text).toContain('Check-in is now open');
    expect(text).toContain('KL8001');

    setClock(minus(newYork.scheduledDeparture, 24 * HOUR + 60_000));
    expect(await job.run()).toMatchObject({ ran: true, affected: 0 });
    setClock(minus(newYork.scheduledDeparture, 24 * HOUR));
    expect(await job.run()).toMatchObject({ ran: true, affected: 1 });
    expect((await reminders('REMNYC')).map((r) => r.dedupe_key)).toEqual(['/scheduler/checkin-open|KL8002-2026-12-10|REMNYC/P1|whatsapp|checkin-open']);

    // Later ticks find nothing new; the same tick again does nothing at all.
    setClock(minus(newYork.scheduledDeparture, 20 * HOUR));
    expect(await job.run()).toMatchObject({ ran: true, affected: 0 });
    expect(await job.run()).toMatchObject({ ran: false, reason: 'already-run' });
    expect(await count(service().db, `SELECT 1 FROM notifications WHERE type = 'checkin-open' AND booking_reference IN ('REMPAR', 'REMNYC')`)).toBe(3);
  });

  it('reminds a booking made after check-in opened at the next tick, and nobody who checked in', async () => {
    const seg = segment({ flightNumber: '8003', departureDate: '2026-12-11', scheduledDeparture: '2026-12-11T12:00:00Z', scheduledArrival: '2026-12-11T13:15:00Z' });
    setClock(minus(seg.scheduledDeparture, 40 * HOUR));
    await book('REMLAT', seg, [
      passenger({ passengerId: 'EARLY', contacts: { whatsapp: '+31611110002' } }),
      passenger({ passengerId: 'LATE', contacts: { whatsapp: '+31611110003' } }),
    ]);
    const checkin = checkinCompleted({
      bookingReference: 'REMLAT', passengerId: 'EARLY', segmentId: 'SEG-1', seat: '3C', sequenceNumber: 7, compartment: 'Y', checkedInAt: '2026-12-10T08:00:00Z',
    });
    await service().publisher.publish(checkin.type, checkin);
    await applied(checkin);
    const job = service().app.get(CheckinReminderJob);
    setClock(minus(seg.scheduledDeparture, 6 * HOUR));
    expect(await job.run()).toMatchObject({ ran: true, affected: 1 });
    expect((await reminders('REMLAT')).map((r) => r.passenger_id)).toEqual(['LATE']);
  });

  it('cancels a reminder still waiting when the passenger checks in', async () => {
    const seg = segment({ flightNumber: '8004', departureDate: '2026-12-12', scheduledDeparture: '2026-12-12T12:00:00Z', scheduledArrival: '2026-12-12T13:15:00Z' });
    await book('REMCHK', seg, [passenger({ passengerId: 'P1', contacts: { whatsapp: '+31611110004' } })]);
    await service().db.query(`INSERT INTO channel_pauses (channel, reason) VALUES ('whatsapp', 'test: hold sends')`);
    await new Promise((r) => setTimeout(r, 1_100)); // replicas look at pauses once a second
    try {
      setClock(minus(seg.scheduledDeparture, 29 * HOUR));
      await service().app.get(CheckinReminderJob).run();
      expect((await reminders('REMCHK')).map((r) => r.status)).toEqual(['pending']);
      const checkin = checkinCompleted({
        bookingReference: 'REMCHK', passengerId: 'P1', segmentId: 'SEG-1', seat: '3C', sequenceNumber: 8, compartment: 'Y', checkedInAt: '2026-12-11T08:00:00Z',
      });
      await service().publisher.publish(checkin.type, checkin);
      await applied(checkin);
      expect((await reminders('REMCHK')).map((r) => r.status)).toEqual(['cancelled']);
    } finally {
      await service().db.query(`DELETE FROM channel_pauses`);
    }
  });

  it('runs once per tick across two replicas, and survives a replica dying mid-job', async () => {
    services.push(await startService(environment.env));
    const [a, b] = services.map((s) => s.app.get(CheckinReminderJob));
    const seg = segment({ flightNumber: '8005', departureDate: '2026-12-13', scheduledDeparture: '2026-12-13T12:00:00Z', scheduledArrival: '2026-12-13T13:15:00Z' });
    const pax = Array.from({ length: 5 }, (_, i) => passenger({ passengerId: `P${i}`, contacts: { whatsapp: `+3161112000${i}` } }));
    await book('REMDUO', seg, pax);

    // Replica A dies half-way through its tick (after planning, before recording): nothing it did stays.
    setClock(minus(seg.scheduledDeparture, 30 * HOUR));
    const spy = jest.spyOn(services[0].app.get(CheckinReminderRepository), 'recordPlanned').mockRejectedValueOnce(new Error('replica killed'));
    await expect(a.run()).rejects.toThrow('replica killed');
    spy.mockRestore();
    expect(await reminders('REMDUO')).toEqual([]);
    expect(await count(service().db, `SELECT 1 FROM scheduled_job_runs WHERE job = 'checkin-reminders' AND tick = $1`, [minus(seg.scheduledDeparture, 30 * HOUR)])).toBe(0);

    // Both replicas fire the same tick together: one does the work, the other skips.
    const outcomes = await Promise.all([a.run(), b.run()]);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect(outcomes.find((o) => o.ran)).toMatchObject({ affected: 5 });
    expect(outcomes.find((o) => !o.ran)).toMatchObject({ reason: expect.stringMatching(/^(locked|already-run)$/) });

    // And the next tick, together again: nothing new.
    setClock(minus(seg.scheduledDeparture, 29 * HOUR));
    const next = await Promise.all([a.run(), b.run()]);
    expect(next.filter((o) => o.ran).map((o) => o.ran && o.affected)).toEqual([0]);
    const rows = await reminders('REMDUO');
    expect(rows.map((r) => r.passenger_id)).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
    await waitFor(async () => (await reminders('REMDUO')).every((r) => r.status === 'delivered'), 15_000, 'reminders delivered');
    expect(await count(service().db, `SELECT 1 FROM notification_events e JOIN notifications n ON n.id = e.notification_id
                                       WHERE n.booking_reference = 'REMDUO' AND n.type = 'checkin-open' AND e.kind = 'attempt'`)).toBe(5);
  });
});
