import type { BenchContext } from '../support/context';
import type { ScenarioResult } from '../support/figures';
import { bookingSnapshots, CHANNELS_PER_PASSENGER, PASSENGERS_PER_BOOKING } from '../support/booking-events';
import { CpuMeter, cpuMsPerUnit } from '../support/cpu-usage';
import { Pipeline, sandboxMessages, untilAllInStatus } from '../support/pipeline';
import { scaled } from '../support/settings';
import { logStatements, StatementStats, walNote } from '../support/statement-stats';

const BOOKINGS = 5_000;
const CHANGED = `type = 'itinerary-change'`;

/**
 * A schedule change: bookings stored by booking.confirmed (through the service, timed apart) each receive a
 * booking.changed whose flight leaves 40 minutes later. A booking system sends the whole booking again, so every
 * passenger, contact and consent comes back as it was; only the segment changed. Measures the changes' intake,
 * the itinerary-change messages they plan (two passengers × WhatsApp and e-mail each), and what PostgreSQL spent
 * and wrote per change (decision 0054).
 */
export async function scheduleChangeScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const bookings = scaled(ctx.settings, BOOKINGS, 10);
  const perBooking = PASSENGERS_PER_BOOKING * CHANNELS_PER_PASSENGER;
  const pipeline = await Pipeline.prepare(ctx, 'schedule-change');
  try {
    await pipeline.start();
    ctx.log(`schedule-change: ${bookings} bookings confirmed first (timed apart), then each one's schedule changed`);
    await pipeline.feed.publishAll(bookingSnapshots('booking.confirmed', 'S', bookings));
    const booked = await untilAllInStatus(pipeline, bookings * perBooking, 'delivered', { sandbox: true });
    if (!booked.done) ctx.log(`schedule-change: confirmations stalled at ${booked.progress} of ${bookings * perBooking}`);
    const writtenBefore = sandboxMessages(pipeline.outbox);
    const changes = bookingSnapshots('booking.changed', 'S', bookings, '08:15');

    const meter = new CpuMeter(pipeline.db, () => pipeline.services.map((s) => s.pid));
    const statements = new StatementStats(pipeline.db);
    await statements.begin();
    await meter.begin();
    const eventsBefore = await pipeline.db.one<{ n: number }>(`SELECT count(*)::int AS n FROM inbox_events`);
    const t0 = Date.now();
    await pipeline.feed.publishAll(changes);
    const published = (Date.now() - t0) / 1000;
    const done = await untilAllInStatus(pipeline, bookings * perBooking, 'delivered', { sandbox: true, where: CHANGED, writtenBefore });
    const cores = await meter.end();
    await statements.end();
    const meteredSeconds = (Date.now() - t0) / 1000;
    if (!done.done) ctx.log(`schedule-change: stalled at ${done.progress} of ${bookings * perBooking}`);
    ctx.log(`schedule-change: cores used on average — ${Object.entries(cores).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const m = await pipeline.db.one<{ events: number; ingested: Date; delivered: number; last: Date }>(
      `SELECT (SELECT count(*)::int FROM inbox_events) - $1::int AS events, (SELECT max(received_at) FROM inbox_events) AS ingested,
              count(*)::int AS delivered, max(updated_at) AS last
         FROM notifications WHERE ${CHANGED} AND status = 'delivered'`,
      [eventsBefore.n],
    );
    // Per change (event), not per notification: what a changed booking costs PostgreSQL.
    const statementCosts = await statements.top(m.events);
    const wal = await statements.wal(m.events);
    logStatements(ctx, 'schedule-change (per event)', statementCosts);
    const profiles = await pipeline.stop();
    const ingestSeconds = (m.ingested.getTime() - t0) / 1000;
    const deliverSeconds = (m.last.getTime() - t0) / 1000;
    const perEvent = (coresUsed: number) => cpuMsPerUnit(coresUsed, meteredSeconds, m.events);
    const cpuMsPerEvent = { service: perEvent(cores.service), postgres: perEvent(cores.postgres) };
    return {
      figures: [
        {
          scenario: 'schedule-change',
          what: 'booking.changed events ingested',
          count: m.events,
          seconds: ingestSeconds,
          rate: m.events / ingestSeconds,
          machineBusyCores: cores.machine,
          note:
            `the flight 40 min later, passengers and consents sent again unchanged; published in ${published.toFixed(1)} s; ` +
            `per event: CPU service ${cpuMsPerEvent.service} ms, postgres ${cpuMsPerEvent.postgres} ms${walNote(wal)}`,
        },
        {
          scenario: 'schedule-change',
          what: 'itinerary changes planned and delivered',
          count: m.delivered,
          seconds: deliverSeconds,
          rate: m.delivered / deliverSeconds,
          machineBusyCores: cores.machine,
          note: `${PASSENGERS_PER_BOOKING} passengers × WhatsApp and e-mail per booking`,
        },
      ],
      detail: { ...m, ingestSeconds, deliverSeconds, publishSeconds: published, cores, cpuMsPerEvent, statements: statementCosts, wal, profiles },
    };
  } finally {
    await pipeline.dispose();
  }
}
