import type { BenchContext } from '../support/context';
import { vsFloor } from '../support/context';
import type { ScenarioResult } from '../support/figures';
import { Pipeline, untilAllInStatus } from '../support/pipeline';
import { bookingSnapshots, CHANNELS_PER_PASSENGER, PASSENGERS_PER_BOOKING } from '../support/booking-events';
import { CpuMeter, cpuMsPerUnit, machineWindow } from '../support/cpu-usage';
import { scaled } from '../support/settings';
import { logStatements, StatementStats, walNote } from '../support/statement-stats';

const BOOKINGS = 5_000;

/** booking.confirmed events, published as fast as the broker confirms them: ingestion, planning and sending. */
export async function bookingStreamScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const bookings = scaled(ctx.settings, BOOKINGS, 10);
  const expected = bookings * PASSENGERS_PER_BOOKING * CHANNELS_PER_PASSENGER;
  const pipeline = await Pipeline.prepare(ctx, 'booking-stream');
  try {
    await pipeline.start();
    const events = bookingSnapshots('booking.confirmed', 'B', bookings);
    ctx.log(`booking-stream: publishing ${bookings} booking.confirmed events`);
    const statements = new StatementStats(pipeline.db);
    await statements.begin();
    const machine = machineWindow();
    const meter = new CpuMeter(pipeline.db, () => pipeline.services.map((s) => s.pid));
    await meter.begin();
    const t0 = Date.now();
    await pipeline.feed.publishAll(events);
    const published = (Date.now() - t0) / 1000;
    const done = await untilAllInStatus(pipeline, expected, 'delivered', { sandbox: true });
    const machineBusyCores = machine.busyCores();
    const cores = await meter.end();
    const meteredSeconds = (Date.now() - t0) / 1000;
    await statements.end();
    if (!done.done) ctx.log(`booking-stream: stalled at ${done.progress} of ${expected}`);
    const m = await pipeline.db.one<{ events: number; ingested: Date; planned: number; delivered: number; last: Date }>(
      `SELECT (SELECT count(*)::int FROM inbox_events) AS events, (SELECT max(received_at) FROM inbox_events) AS ingested,
              (SELECT count(*)::int FROM notifications) AS planned,
              (SELECT count(*)::int FROM notifications WHERE status = 'delivered') AS delivered,
              (SELECT max(updated_at) FROM notifications WHERE status = 'delivered') AS last`,
    );
    const statementCosts = await statements.top(m.delivered);
    const wal = await statements.wal(m.delivered);
    logStatements(ctx, 'booking-stream', statementCosts);
    const cpu = pipeline.services[0].cpuSeconds();
    const profiles = await pipeline.stop();
    const perNotification = (who: string) => cpuMsPerUnit(cores[who] ?? 0, meteredSeconds, m.delivered);
    const cpuMsPerNotification = { service: perNotification('service'), mainThread: perNotification('service main thread'), postgres: perNotification('postgres') };
    const ingestSeconds = (m.ingested.getTime() - t0) / 1000;
    const deliverSeconds = (m.last.getTime() - t0) / 1000;
    return {
      figures: [
        {
          scenario: 'booking-stream',
          what: 'booking.confirmed events ingested',
          count: m.events,
          seconds: ingestSeconds,
          rate: m.events / ingestSeconds,
          machineBusyCores,
          note: `${PASSENGERS_PER_BOOKING} passengers each; published in ${published.toFixed(1)} s`,
        },
        {
          scenario: 'booking-stream',
          what: 'confirmations planned and delivered',
          count: m.delivered,
          seconds: deliverSeconds,
          rate: m.delivered / deliverSeconds,
          vsFloor: vsFloor(ctx, m.delivered / deliverSeconds),
          machineBusyCores,
          note:
            `${m.planned} planned (whatsapp + e-mail per passenger); per notification: CPU service ${cpuMsPerNotification.service} ms ` +
            `(main thread ${cpuMsPerNotification.mainThread}), postgres ${cpuMsPerNotification.postgres} ms${walNote(wal)}`,
        },
      ],
      detail: { ...m, ingestSeconds, deliverSeconds, publishSeconds: published, serviceCpuSeconds: cpu, cpuMsPerNotification, cores, statements: statementCosts, wal, profiles },
    };
  } finally {
    await pipeline.dispose();
  }
}
