#!/usr/bin/env node
/**
 * How much memory oversize events cost a running service: starts the built service (`npm run build` first;
 * or pass another build's main.js) on a fresh database and fresh queues, reads its resident memory, publishes
 * four 30 MB events, waits until all four are parked, and prints RSS before and after and the peak (VmHWM)
 * from /proc. Linux only. Usage: node scripts/oversize-rss.js [path/to/dist/src/main.js]
 */
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const amqplib = require('amqplib');
const { Client } = require('pg');

const MESSAGES = 4;
const MESSAGE_BYTES = 30 * 1024 * 1024;
const PG = process.env.RSS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432';
const AMQP = process.env.RSS_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

async function until(probe, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main() {
  const entry = resolve(process.argv[2] ?? 'dist/src/main.js');
  const suffix = randomBytes(4).toString('hex');
  const database = `notifier_rss_${suffix}`;
  const names = {
    AMQP_EXCHANGE: `rss.airline.events.${suffix}`,
    AMQP_QUEUE: `rss.notifier.events.${suffix}`,
    AMQP_DEAD_LETTER_EXCHANGE: `rss.notifier.dead-letter.${suffix}`,
    AMQP_DEAD_LETTER_QUEUE: `rss.notifier.dead-letter.${suffix}`,
  };
  const admin = new Client({ connectionString: `${PG}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      ...names,
      DATABASE_URL: `${PG}/${database}`,
      AMQP_URL: AMQP,
      PORT: String(port),
      OUTBOX_DIR: mkdtempSync(join(tmpdir(), 'rss-outbox-')),
      SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'error',
      LOG_FORMAT: 'text',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const db = new Client({ connectionString: `${PG}/${database}` });
  const connection = await amqplib.connect(AMQP);
  try {
    await until(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok, 60_000, 'the service');
    await sleep(3_000);
    const before = memory(child.pid);
    await db.connect();
    const channel = await connection.createConfirmChannel();
    for (let i = 0; i < MESSAGES; i++) {
      const body = Buffer.alloc(MESSAGE_BYTES, 0x20);
      body.write(`{"specversion":"1.0","id":"oversize-${i}","data":{"bookingReference":"RSS00${i}","notes":"`);
      channel.publish(names.AMQP_EXCHANGE, 'booking.confirmed', body, { persistent: true });
    }
    await channel.waitForConfirms();
    await until(async () => (await db.query(`SELECT count(*)::int AS n FROM parked_events`)).rows[0].n === MESSAGES, 300_000, 'four parked events');
    await sleep(1_000);
    const after = memory(child.pid);
    const { rows } = await db.query(`SELECT max(octet_length(body))::int AS kept, min(body_bytes) AS size FROM parked_events`).catch(() =>
      db.query(`SELECT max(octet_length(body))::int AS kept, NULL AS size FROM parked_events`),
    );
    console.log(`build: ${entry}`);
    console.log(`RSS before: ${mib(before.rss)} (peak so far ${mib(before.peak)})`);
    console.log(`after ${MESSAGES} × ${MESSAGE_BYTES / 1024 / 1024} MiB parked: RSS ${mib(after.rss)}, peak ${mib(after.peak)}`);
    console.log(`parked rows keep ${rows[0].kept} bytes of bodies of ${rows[0].size ?? 'unrecorded'} bytes`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await db.end().catch(() => undefined);
    const channel = await connection.createChannel();
    await channel.deleteQueue(names.AMQP_QUEUE);
    await channel.deleteQueue(names.AMQP_DEAD_LETTER_QUEUE);
    await channel.deleteExchange(names.AMQP_EXCHANGE);
    await channel.deleteExchange(names.AMQP_DEAD_LETTER_EXCHANGE);
    await connection.close();
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
