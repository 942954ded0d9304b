import amqplib, { ConsumeMessage } from 'amqplib';
import type { BenchContext } from '../support/context';
import type { BenchDatabase } from '../support/database';
import type { ScenarioResult } from '../support/figures';
import { CpuMeter, cpuMsPerUnit, machineWindow } from '../support/cpu-usage';
import { scaled } from '../support/settings';
import { sleep } from '../support/stats';
import { PASSENGERS_PER_FLIGHT, STORM_FLIGHTS } from './storm';

/**
 * The floor: the same number of messages as the storm pushed through the bare infrastructure, with no
 * logic at all — what RabbitMQ and PostgreSQL cost on this machine. Three measurements:
 *  - amqp:     publish with confirms → consume with acks (a quorum queue, persistent, like the service's);
 *  - pg:       batched INSERT of notification rows → claim with FOR UPDATE SKIP LOCKED → batched UPDATE to sent;
 *  - pipeline: both chained: each consumed message becomes a row (batched insert, then ack), rows are
 *              claimed and marked sent as above. This one is "the floor" every pipeline figure is divided by.
 */

const INSERT_BATCH = 500;
const CLAIM_BATCH = 200;
const PREFETCH = 1000;

/** A notification row as the planner would store it for a cancelled flight (same size of context). */
function row(i: number): Record<string, unknown> {
  return {
    dedupe_key: `/flight-operations|floor-${Math.floor(i / PASSENGERS_PER_FLIGHT)}|F${String(i).padStart(5, '0')}/P1|whatsapp|flight-cancellation`,
    type: 'flight-cancellation',
    channel: 'whatsapp',
    booking_reference: `F${String(i).padStart(5, '0')}`,
    passenger_id: 'P1',
    flight_key: `KL${1000 + Math.floor(i / PASSENGERS_PER_FLIGHT)}-2026-12-01`,
    locale: 'en',
    recipient: `+316${String(i).padStart(8, '0')}`,
    event_source: '/flight-operations',
    event_id: `floor-${Math.floor(i / PASSENGERS_PER_FLIGHT)}`,
    context: {
      flight: {
        code: 'KL1000',
        carrier: 'KL',
        flightNumber: '1000',
        origin: 'AMS',
        destination: 'CDG',
        departureDate: '2026-12-01',
        scheduledDeparture: '2026-12-01T06:00:00Z',
        scheduledArrival: '2026-12-01T08:00:00Z',
        status: 'CANCELLED',
        departureTerminal: '2',
      },
      reason: 'operational reasons',
      type: 'flight-cancellation',
      locale: 'en',
      passenger: { givenName: 'Luc', surname: 'Desmarais', title: 'MR' },
      booking: { reference: `F${String(i).padStart(5, '0')}` },
    },
  };
}

async function insertRows(db: BenchDatabase, rows: Record<string, unknown>[]): Promise<void> {
  // The context in a table of its own, written once, as the planner stores it (docs/decisions/0052).
  await db.query(
    `WITH x AS (
       SELECT time_ordered_uuid() AS id, x.* FROM jsonb_to_recordset($1::jsonb) AS x(dedupe_key text, type text, channel text,
              booking_reference text, passenger_id text, flight_key text, locale text, recipient text, context jsonb, event_source text,
              event_id text)),
     contexts AS (INSERT INTO notification_contexts (id, context) SELECT id, context FROM x)
     INSERT INTO notifications (id, dedupe_key, type, channel, booking_reference, passenger_id, flight_key, locale, recipient,
                                event_source, event_id)
     SELECT x.id, x.dedupe_key, x.type, x.channel, x.booking_reference, x.passenger_id, x.flight_key, x.locale, x.recipient,
            x.event_source, x.event_id
       FROM x`,
    [JSON.stringify(rows)],
  );
}

/** Claims and marks sent until `total` rows are sent; returns when the last one is. */
async function claimAndSend(db: BenchDatabase, total: number): Promise<void> {
  let sent = 0;
  let lastProgress = Date.now();
  while (sent < total) {
    if (Date.now() - lastProgress > 60_000) throw new Error(`floor stalled at ${sent} of ${total} rows sent`);
    const claimed = await db.query<{ id: string }>(
      `WITH due AS (SELECT id FROM notifications WHERE status = 'pending' AND channel = 'whatsapp' AND due_at <= now()
                     ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE notifications n SET status = 'sending', attempts = n.attempts + 1, updated_at = now()
         FROM due WHERE n.id = due.id RETURNING n.id`,
      [CLAIM_BATCH],
    );
    if (claimed.length === 0) {
      await sleep(2);
      continue;
    }
    await db.query(`UPDATE notifications SET status = 'sent', updated_at = now() WHERE id = ANY($1::uuid[])`, [claimed.map((c) => c.id)]);
    sent += claimed.length;
    lastProgress = Date.now();
  }
}

async function resetTable(db: BenchDatabase): Promise<void> {
  await db.query(`TRUNCATE notifications CASCADE`); // its keys and contexts go with it, by trigger
  await db.query(`VACUUM ANALYZE notifications`);
}

async function connect(ctx: BenchContext) {
  const connection = await amqplib.connect(ctx.settings.amqpUrl);
  connection.on('error', () => undefined); // a broker restart fails this scenario, not the bench
  return connection;
}

async function amqpFloor(ctx: BenchContext, queue: string, n: number): Promise<number> {
  const producer = await connect(ctx);
  const consumer = await connect(ctx);
  try {
    const pub = await producer.createConfirmChannel();
    await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const sub = await consumer.createChannel();
    await sub.prefetch(PREFETCH);
    let acked = 0;
    let finish!: () => void;
    const allAcked = new Promise<void>((resolve) => (finish = resolve));
    await sub.consume(queue, (msg) => {
      if (!msg) return;
      sub.ack(msg);
      if (++acked === n) finish();
    });
    const body = Buffer.from(JSON.stringify(row(0)));
    const start = Date.now();
    for (let i = 0; i < n; i += INSERT_BATCH) {
      const window = Math.min(INSERT_BATCH, n - i);
      await Promise.all(
        Array.from({ length: window }, () => new Promise<void>((resolve, reject) => {
          pub.sendToQueue(queue, body, { persistent: true }, (error) => (error ? reject(error) : resolve()));
        })),
      );
    }
    await allAcked;
    const seconds = (Date.now() - start) / 1000;
    await pub.deleteQueue(queue);
    return seconds;
  } finally {
    await consumer.close().catch(() => undefined);
    await producer.close().catch(() => undefined);
  }
}

/** What PostgreSQL spends on the bare insert → claim → sent of one message: the least any storm notification costs it. */
export interface PgFloorCost {
  cpuMs: number;
  walBytes: number;
}

async function pgFloor(db: BenchDatabase, n: number): Promise<{ seconds: number; cost: PgFloorCost }> {
  // The bench's own connections run this stage; nothing else writes to the private cluster meanwhile.
  const meter = new CpuMeter(db, () => []);
  const [{ lsn }] = await db.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
  await meter.begin();
  const start = Date.now();
  const sending = claimAndSend(db, n);
  for (let i = 0; i < n; i += INSERT_BATCH) {
    await insertRows(db, Array.from({ length: Math.min(INSERT_BATCH, n - i) }, (_, k) => row(i + k)));
  }
  await sending;
  const seconds = (Date.now() - start) / 1000;
  const cores = await meter.end();
  const [{ wal }] = await db.query<{ wal: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS wal`, [lsn]);
  const cpuMs = cpuMsPerUnit(cores['postgres for the bench'], seconds, n);
  return { seconds, cost: { cpuMs, walBytes: Math.round(Number(wal) / n) } };
}

async function pipelineFloor(ctx: BenchContext, db: BenchDatabase, queue: string, n: number): Promise<number> {
  const producer = await connect(ctx);
  const consumer = await connect(ctx);
  try {
    const pub = await producer.createConfirmChannel();
    await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const sub = await consumer.createChannel();
    await sub.prefetch(PREFETCH);
    // Batch what arrives: insert up to INSERT_BATCH rows in one statement, then ack them all at once.
    let buffer: ConsumeMessage[] = [];
    let flushing = Promise.resolve();
    const flush = () => {
      const batch = buffer;
      buffer = [];
      flushing = flushing.then(async () => {
        await insertRows(db, batch.map((m) => JSON.parse(m.content.toString()) as Record<string, unknown>));
        sub.ack(batch[batch.length - 1], true);
      });
    };
    let timer: NodeJS.Timeout | undefined;
    await sub.consume(queue, (msg) => {
      if (!msg) return;
      buffer.push(msg);
      if (buffer.length >= INSERT_BATCH) {
        clearTimeout(timer);
        timer = undefined;
        flush();
      } else if (!timer) {
        timer = setTimeout(() => {
          timer = undefined;
          if (buffer.length) flush();
        }, 5);
      }
    });
    const start = Date.now();
    const sending = claimAndSend(db, n);
    for (let i = 0; i < n; i += INSERT_BATCH) {
      const window = Math.min(INSERT_BATCH, n - i);
      await Promise.all(
        Array.from({ length: window }, (_, k) => new Promise<void>((resolve, reject) => {
          pub.sendToQueue(queue, Buffer.from(JSON.stringify(row(i + k))), { persistent: true }, (e) => (e ? reject(e) : resolve()));
        })),
      );
    }
    await sending;
    const seconds = (Date.now() - start) / 1000;
    await flushing;
    await pub.deleteQueue(queue);
    return seconds;
  } finally {
    await consumer.close().catch(() => undefined);
    await producer.close().catch(() => undefined);
  }
}

export async function floorScenario(ctx: BenchContext): Promise<ScenarioResult> {
  const n = scaled(ctx.settings, STORM_FLIGHTS, 2) * PASSENGERS_PER_FLIGHT;
  const db = await ctx.databases.create('floor');
  const queue = `bench.${ctx.settings.runId}.floor`;
  try {
    ctx.log(`floor: ${n} messages through bare amqplib and pg`);
    const amqpMachine = machineWindow();
    const amqp = await amqpFloor(ctx, `${queue}.amqp`, n);
    const amqpBusyCores = amqpMachine.busyCores();
    const pgMachine = machineWindow();
    const { seconds: pg, cost } = await pgFloor(db, n);
    const pgBusyCores = pgMachine.busyCores();
    await resetTable(db);
    const pipelineMachine = machineWindow();
    const pipeline = await pipelineFloor(ctx, db, `${queue}.pipeline`, n);
    const pipelineBusyCores = pipelineMachine.busyCores();
    ctx.floor = { messages: n, perSecond: n / pipeline };
    return {
      figures: [
        { scenario: 'floor', what: 'amqp publish (confirms) → consume (acks)', count: n, seconds: amqp, rate: n / amqp, machineBusyCores: amqpBusyCores, note: 'quorum queue, persistent' },
        { scenario: 'floor', what: 'pg insert → claim SKIP LOCKED → sent', count: n, seconds: pg, rate: n / pg, machineBusyCores: pgBusyCores, note: `batches of ${INSERT_BATCH} in, ${CLAIM_BATCH} claimed; PostgreSQL CPU ${cost.cpuMs} ms and WAL ${cost.walBytes} B per message` },
        { scenario: 'floor', what: 'amqp → pg pipeline (THE floor)', count: n, seconds: pipeline, rate: n / pipeline, vsFloor: 1, machineBusyCores: pipelineBusyCores, note: 'every pipeline rate is divided by this' },
      ],
      detail: { messages: n, amqpSeconds: amqp, pgSeconds: pg, pipelineSeconds: pipeline, pgCost: cost },
    };
  } finally {
    await ctx.databases.drop(db);
  }
}

/**
 * The pipeline floor alone, measured again right before `scenario`, whose rates are then divided by this one: the
 * VMs this runs on swing by half within minutes (decision 0046: 11,556 → 4,832/s in three runs), so a ratio to a
 * floor taken ten minutes earlier said as much about the VM as about the service.
 */
export async function floorAgainScenario(ctx: BenchContext, scenario: string): Promise<ScenarioResult> {
  const n = scaled(ctx.settings, STORM_FLIGHTS, 2) * PASSENGERS_PER_FLIGHT;
  const db = await ctx.databases.create('floor');
  try {
    ctx.log(`floor again, before ${scenario}: ${n} messages`);
    const machine = machineWindow();
    const pipeline = await pipelineFloor(ctx, db, `bench.${ctx.settings.runId}.floor.${scenario}`, n);
    const machineBusyCores = machine.busyCores();
    ctx.floor = { messages: n, perSecond: n / pipeline };
    return {
      figures: [
        { scenario: 'floor', what: `amqp → pg pipeline again, before ${scenario}`, count: n, seconds: pipeline, rate: n / pipeline, vsFloor: 1, machineBusyCores, note: `${scenario} is divided by this` },
      ],
      detail: { before: scenario, messages: n, pipelineSeconds: pipeline },
    };
  } finally {
    await ctx.databases.drop(db);
  }
}
