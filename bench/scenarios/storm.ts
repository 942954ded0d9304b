import { flightStatus } from '../../src/demo/sample-events';
import { flightKey } from '../../src/vocabulary/booking-records';
import type { BenchContext } from '../support/context';
import { vsFloor } from '../support/context';
import type { ScenarioResult } from '../support/figures';
import { exactlyOnce, Pipeline, statusCounts, untilAllInStatus } from '../support/pipeline';
import { seedBookings, SeedChannel } from '../support/seed';
import { scaled } from '../support/settings';
import { latency, Latency, sleep } from '../support/stats';
import type { ProfileSummary } from '../support/cpu-profile';
import { logStatements, StatementStats, WalPerNotification, walNote } from '../support/statement-stats';
import { CpuMeter, cpuMsPerUnit } from '../support/cpu-usage';

export const PASSENGERS_PER_FLIGHT = 300;
export const STORM_FLIGHTS = 200;
/** 200 cancellations spread evenly over one minute. */
export const PACED_INTERVAL_MS = 60_000 / STORM_FLIGHTS;

export interface StormOptions {
  label: string;
  flights: number;
  replicas?: number;
  /** Publish one cancellation every `paceMs`; all at once when absent. */
  paceMs?: number;
  channels?: SeedChannel[];
  /** Service configuration on top of the bench's (e.g. a WhatsApp provider). */
  env?: Record<string, string>;
  /** The status a finished notification ends in: 'delivered' (sandbox, or a provider's report) or 'sent' (a provider accepted it). */
  finalStatus?: 'delivered' | 'sent';
  /** The messages go to the sandbox, whose outbox the bench watches: by default when they end 'delivered'. */
  sandbox?: boolean;
  /** Once the replicas are up, before the first event: e.g. a provider's status webhooks pointed at them. */
  onStarted?: (pipeline: Pipeline) => void;
}

export interface StormMeasurement {
  notifications: number;
  expected: number;
  /** First cancellation published → last notification in its final status. */
  seconds: number;
  perSecond: number;
  /** Per flight: its cancellation published → its last passenger's notification final. */
  flightLatency: Latency;
  /** The same flights' steps: when their planning began, when their last passenger was claimed, claim → done. */
  flightLatencyParts: { planned: Latency; claimed: Latency; sent: Latency };
  /** First cancellation published → every notification planned (inserted by the consumer). */
  plannedSeconds: number;
  /** First notification finished → last one finished. */
  finishingSeconds: number;
  /** Sustained rate between the 10th and 90th percentile of finishing times (rate-limit figures). */
  sustainedPerSecond: number;
  /** Most notifications finished within one calendar second. */
  peakSecond: number;
  exactlyOnce: Awaited<ReturnType<typeof exactlyOnce>>;
  cpuSeconds: number[];
  rssMiB: number[];
  unfinished: Record<string, number>;
  /** Cores used on average during the run: service, bench, postgres (this database), rabbitmq, machine. */
  cores: Record<string, number>;
  /** CPU milliseconds spent per finished notification by the service processes and by PostgreSQL. */
  cpuMsPerNotification: { service: number; mainThread: number; postgres: number };
  /** Attempts by adapter name (proves which adapter did the sending). */
  adapters: Record<string, number>;
  /** The write-ahead log of the service's statements per finished notification (with pg_stat_statements). */
  wal?: WalPerNotification;
  profiles: ProfileSummary[];
}

/**
 * The cancellation storm: `flights` flights of 300 opted-in passengers each are booked (seeded, not
 * timed), the service is started, and every flight gets a flight.status.changed CANCELLED event.
 */
export async function runStorm(ctx: BenchContext, o: StormOptions): Promise<StormMeasurement> {
  const channels = o.channels ?? ['whatsapp'];
  const finalStatus = o.finalStatus ?? 'delivered';
  const sandbox = o.sandbox ?? finalStatus === 'delivered';
  const pipeline = await Pipeline.prepare(ctx, o.label);
  try {
    const seeded = await seedBookings(pipeline.db, {
      prefix: 'S',
      flights: o.flights,
      passengersPerFlight: PASSENGERS_PER_FLIGHT,
      passengersPerBooking: 2,
      channels,
    });
    const expected = seeded.passengers * channels.length;
    await pipeline.start(o.replicas ?? 1, o.env);
    o.onStarted?.(pipeline);
    const cpuBefore = pipeline.services.map((s) => s.cpuSeconds());
    ctx.log(`${o.label}: ${o.flights} flights × ${PASSENGERS_PER_FLIGHT} passengers booked; cancelling ${o.paceMs ? `one every ${o.paceMs} ms` : 'all at once'}`);

    const events = seeded.flights.map((f) =>
      flightStatus(f, 1, { status: 'CANCELLED', estimatedDeparture: null, departureGate: null, reason: 'operational reasons' }),
    );
    const publishedAt = new Map<string, number>();
    const confirms: Promise<void>[] = [];
    const meter = new CpuMeter(pipeline.db, () => pipeline.services.map((s) => s.pid));
    const statements = new StatementStats(pipeline.db);
    await statements.begin();
    await meter.begin();
    const t0 = Date.now();
    for (let i = 0; i < events.length; i++) {
      if (o.paceMs) await sleep(Math.max(0, t0 + i * o.paceMs - Date.now()));
      publishedAt.set(flightKey(seeded.flights[i]), Date.now());
      confirms.push(pipeline.feed.publish(events[i]));
      if (!o.paceMs && confirms.length % 500 === 0) await Promise.all(confirms);
    }
    await Promise.all(confirms);

    const done = await untilAllInStatus(pipeline, expected, finalStatus, { sandbox });
    if (!done.done) ctx.log(`${o.label}: stalled at ${done.progress} of ${expected}`);
    const cores = await meter.end();
    await statements.end();
    const meteredSeconds = (Date.now() - t0) / 1000;
    ctx.log(`${o.label}: cores used on average — ${Object.entries(cores).map(([k, v]) => `${k} ${v}`).join(', ')}`);

    const perFlight = await pipeline.db.query<{ flight_key: string; n: number; last: Date; planned: Date; claimed: Date }>(
      `SELECT flight_key, count(*)::int AS n, max(updated_at) AS last, max(created_at) AS planned, max(attempted_at) AS claimed FROM notifications
        WHERE type = 'flight-cancellation' AND status = $1 GROUP BY flight_key`,
      [finalStatus],
    );
    const spread = await pipeline.db.one<{ p10: Date; p90: Date; first: Date; last: Date; peak: number; planned: Date }>(
      `SELECT (SELECT max(created_at) FROM notifications) AS planned, min(updated_at) AS first, percentile_disc(0.1) WITHIN GROUP (ORDER BY updated_at) AS p10,
              percentile_disc(0.9) WITHIN GROUP (ORDER BY updated_at) AS p90,
              max(updated_at) AS last,
              (SELECT max(n)::int FROM (SELECT count(*) AS n FROM notifications WHERE status = $1
                 GROUP BY date_trunc('second', updated_at)) s) AS peak
         FROM notifications WHERE status = $1`,
      [finalStatus],
    );
    const finished = perFlight.reduce((sum, f) => sum + f.n, 0);
    const whole = perFlight.filter((f) => f.n === PASSENGERS_PER_FLIGHT * channels.length);
    const sincePublished = (f: { flight_key: string }, at: Date) => at.getTime() - (publishedAt.get(f.flight_key) ?? t0);
    const seconds = spread.last ? (spread.last.getTime() - t0) / 1000 : NaN;
    const middle = spread.p90 && spread.p10 ? (spread.p90.getTime() - spread.p10.getTime()) / 1000 : NaN;
    const measurement = {
      notifications: finished,
      expected,
      seconds,
      perSecond: finished / seconds,
      plannedSeconds: spread.planned ? (spread.planned.getTime() - t0) / 1000 : NaN,
      finishingSeconds: spread.first && spread.last ? (spread.last.getTime() - spread.first.getTime()) / 1000 : NaN,
      flightLatency: latency(
        whole.map((f) => sincePublished(f, f.last)),
        'cancellation published → last passenger of the flight done',
      ),
      // Where a flight's time goes, by PostgreSQL's clock at each step's statement: the planning transaction's
      // start (its plans' created_at), the last claim's start (attempted_at: for a notification handed over to the
      // lanes, decision 0048, its planning transaction's start), the last write-back (updated_at).
      flightLatencyParts: {
        planned: latency(whole.map((f) => sincePublished(f, f.planned)), 'published → its planning transaction began'),
        claimed: latency(whole.map((f) => sincePublished(f, f.claimed)), 'published → its last passenger claimed'),
        sent: latency(whole.map((f) => f.last.getTime() - f.claimed.getTime()), 'last claim → last passenger done'),
      },
      sustainedPerSecond: (0.8 * finished) / middle,
      peakSecond: spread.peak ?? 0,
      exactlyOnce: await exactlyOnce(pipeline.db, sandbox ? 'delivered' : 'accepted'),
      cpuSeconds: pipeline.services.map((s, i) => Math.round((s.cpuSeconds() - cpuBefore[i]) * 10) / 10),
      rssMiB: pipeline.services.map((s) => Math.round(s.rssBytes() / 1048576)),
      cores,
      cpuMsPerNotification: {
        service: cpuMsPerUnit(cores.service, meteredSeconds, finished),
        mainThread: cpuMsPerUnit(cores['service main thread'], meteredSeconds, finished),
        postgres: cpuMsPerUnit(cores.postgres, meteredSeconds, finished),
      },
      unfinished: Object.fromEntries(Object.entries(await statusCounts(pipeline.db)).filter(([s]) => s !== finalStatus)),
      adapters: Object.fromEntries(
        (
          await pipeline.db.query<{ adapter: string; n: number }>(
            `SELECT detail->>'adapter' AS adapter, count(*)::int AS n FROM notification_events WHERE kind = 'attempt' GROUP BY 1`,
          )
        ).map((r) => [r.adapter, r.n]),
      ),
      statements: await statements.top(finished),
      wal: await statements.wal(finished),
      profiles: [] as ProfileSummary[],
    };
    logStatements(ctx, o.label, measurement.statements);
    measurement.profiles = await pipeline.stop();
    return measurement;
  } finally {
    await pipeline.dispose();
  }
}

/** Storm: all 200 cancellations at once — how fast the pipeline drains 60,000 notifications. */
export async function stormScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const m = await runStorm(ctx, { label: 'storm', flights: scaled(ctx.settings, STORM_FLIGHTS, 2) });
  return {
    figures: [
      {
        scenario: 'storm',
        what: 'notifications delivered, end to end',
        count: m.notifications,
        seconds: m.seconds,
        rate: m.perSecond,
        vsFloor: vsFloor(ctx, m.perSecond),
        latency: m.flightLatency,
        machineBusyCores: m.cores.machine,
        note:
          `all at once; all planned after ${m.plannedSeconds.toFixed(1)} s; latency = cancellation → last passenger delivered; CPU per notification: service ${m.cpuMsPerNotification.service} ms ` +
          `(main thread ${m.cpuMsPerNotification.mainThread}), ` +
          `postgres ${m.cpuMsPerNotification.postgres} ms${walNote(m.wal)}; cores busy: service ${m.cores.service}, postgres ${m.cores.postgres}, whole machine ${m.cores.machine}`,
      },
    ],
    detail: { ...m },
  };
}

/** Storm, paced: the 200 cancellations spread evenly over one minute — each flight's own latency. */
export async function stormPacedScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const m = await runStorm(ctx, { label: 'storm-paced', flights: scaled(ctx.settings, STORM_FLIGHTS, 2), paceMs: PACED_INTERVAL_MS });
  return {
    figures: [
      {
        scenario: 'storm-paced',
        what: 'notifications delivered, end to end',
        count: m.notifications,
        seconds: m.seconds,
        rate: m.perSecond,
        latency: m.flightLatency,
        machineBusyCores: m.cores.machine,
        note:
          `one cancellation every ${PACED_INTERVAL_MS} ms (rate bounded by arrivals); latency = cancellation → last of its ${PASSENGERS_PER_FLIGHT} passengers delivered; ` +
          `p50 / p99 ms from publishing to planning begun ${parts(m.flightLatencyParts.planned)}, to the last claim (or handoff) ${parts(m.flightLatencyParts.claimed)}; ` +
          `last claim → done ${parts(m.flightLatencyParts.sent)}`,
      },
    ],
    detail: { ...m },
  };
}

function parts(l: Latency): string {
  return `${Math.round(l.p50)} / ${Math.round(l.p99)}`;
}
