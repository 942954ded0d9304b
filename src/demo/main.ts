import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../app.factory';
import { ChannelRegistry } from '../channels/channel-registry.service';
import { maskContact } from '../common/mask';
import { loadConfig } from '../config/app-config';
import { ensureDatabaseExists } from '../database/migrator';
import { EventPublisher } from '../messaging/event-publisher.service';
import { demoScenario } from './demo-scenario';
import { formatTable } from './format-table';
import { DemoRepository } from './demo.repository';
import { OutboxFiles } from './outbox-files';

/** Only for the demo; a deployment sets its own OPS_API_TOKENS. */
const DEMO_TOKENS = 'viewer:demo-viewer-token-2026,operator:demo-operator-token-2026';

/**
 * `npm run demo`: the service on the sandbox channel, fed a realistic morning of events, then a table
 * of who got what on which channel. It keeps serving (API on PORT) until stopped with Ctrl-C.
 */
async function main(): Promise<void> {
  const logger = new Logger('Demo');
  // A short news window, so the demo's delay and gate change (sent seconds apart) show as they happen.
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'text',
    OPS_API_TOKENS: DEMO_TOKENS,
    FLIGHT_NEWS_WINDOW_SECONDS: '0',
    ...process.env,
  });
  await ensureDatabaseExists(config.DATABASE_URL);
  const app = await createApp(config);
  await app.listen(config.PORT);
  const publisher = app.get(EventPublisher);
  const db = new DemoRepository(app.get(DataSource));

  const steps = demoScenario();
  for (const step of steps) {
    process.stdout.write(`→ ${step.note}\n`);
    await publisher.publish(step.routingKey, step.body);
    // Real producers are minutes apart; waiting for each event keeps the story in the order told.
    if (!Buffer.isBuffer(step.body)) await applied(db, step.body.id);
  }
  const eventIds = steps.flatMap((s) => (Buffer.isBuffer(s.body) ? [] : [s.body.id]));
  // Malformed events have no id to look for: they are found by their body, as the parked table keeps them
  // (one open row per body, so a second run the same day finds the row of the first).
  const malformed = steps.flatMap((s) => (Buffer.isBuffer(s.body) ? [createHash('sha256').update(s.body).digest('hex')] : []));
  await settle(db);
  const parked = await parkedRows(db, malformed);

  const rows = await db.whoGotWhat(eventIds);
  process.stdout.write(`\nWho got what (${rows.length} notifications):\n`);
  process.stdout.write(formatTable(rows.map((r) => ({ ...r, recipient: maskContact(r.recipient) }))) + '\n');
  process.stdout.write(`\nParked events (${parked.length}):\n${formatTable(parked)}\n`);

  const outbox = new OutboxFiles(db, app.get(ChannelRegistry));
  const sample = await outbox.sampleMessage(eventIds);
  process.stdout.write(`\nOne message as sent: ${sample ?? '(none written: no channel is on the sandbox)'}\n`);
  // The passengers reached on Messenger and on WeChat, as the sandbox wrote their messages.
  for (const [channel, name] of [['messenger', 'Messenger'], ['wechat', 'WeChat']] as const) {
    const sent = await outbox.sampleMessage(eventIds, channel);
    process.stdout.write(`\nOn ${name}: ${sent ?? '(none written: the channel is not on the sandbox)'}\n`);
  }
  const passes = await outbox.boardingPasses(eventIds);
  process.stdout.write(`\nBoarding pass files (PDF, QR):\n${passes.length ? passes.map((p) => `  ${p}`).join('\n') : '  (none written)'}\n`);

  const base = `http://localhost:${config.PORT}`;
  const viewer = config.OPS_API_TOKENS.find((t) => t.role === 'viewer')?.token ?? '<viewer token>';
  const flight = (await db.busiestFlight(eventIds)) ?? 'KL1234-<date>';
  process.stdout.write(
    `\nOne flight's notifications (API; on the dashboard: ${base}/dashboard/#/flight/${flight}):\n` +
      `  curl -H 'Authorization: Bearer ${viewer}' '${base}/api/notifications?flight=${flight}'\n` +
      `  curl -H 'Authorization: Bearer ${viewer}' '${base}/api/flights/${flight}'\n` +
      `Health: ${base}/health/ready\n` +
      `Dashboard: ${base}/dashboard (sign in with ` +
      `${config.OPS_API_TOKENS.find((t) => t.role === 'operator')?.token ?? 'an operator token'})\n` +
      `Serving until stopped (Ctrl-C).\n`,
  );
  logger.log('demo ready');
}

/** Waits until the event is in the inbox or parked (at most 15 s; a check-in may wait for its booking). */
async function applied(db: DemoRepository, eventId: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (await db.applied(eventId)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The parked rows of these bodies, once all are there (at most 15 s): the consumer parks a malformed event
 * on its own time, after the demo has published it.
 */
async function parkedRows(db: DemoRepository, bodySha256: string[]): Promise<Record<string, string>[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await db.parkedRows(bodySha256);
    if (rows.length >= bodySha256.length || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until nothing is still pending or being sent (at most 30 s). */
async function settle(db: DemoRepository): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await db.busy()) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

main().catch((error: Error) => {
  new Logger('Demo').error(error.stack ?? error.message);
  process.exit(1);
});
