import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { maskPhone } from '../../src/common/mask';
import { DEFAULT_AMQP_PREFETCH } from '../../src/config/app-config';
import { passenger } from '../../src/demo/sample-events';
import { findPersonalData } from '../support/log-scan';
import { PrivateServers } from '../support/private-servers';
import { BUILT_MAIN, ServiceProcess } from '../support/service-process';
import { createTestEnvironment, OPERATOR_TOKEN, TestEnvironment } from '../support/test-app';
import { TwilioContractServer } from '../support/twilio-contract-server';
import { WhatsAppContractServer } from '../support/whatsapp-contract-server';
import { EventStream } from './support/event-stream';
import { CountingProvider, ResendCounts } from './support/provider';
import { formatReconciliations, Reconciliation, reconcile } from './support/reconcile';
import { ServiceLogs } from './support/service-logs';

/** FAULT_SCALE shortens every phase (CI runs a short version; `npm run test:faults` the full one). */
const SCALE = Number(process.env.FAULT_SCALE ?? 1);
const RATE = Math.max(20, Math.round(100 * SCALE));
const phase = (seconds: number) => Math.max(1_000, seconds * 1000 * SCALE);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
jest.setTimeout(300_000);

/**
 * While events flow, each fault happens; afterwards every published event is reconciled against the
 * database: applied or parked, every planned notification sent once or failed with a reason. The servers
 * that are stopped, restarted and locked are the suite's own (test/support/private-servers.ts), never the
 * machine's. Every line the replicas write is scanned for phone numbers and e-mail addresses.
 */
describe('fault suite: nothing lost, nothing sent twice', () => {
  let servers: PrivateServers | undefined;
  let environment: TestEnvironment;
  const provider = new CountingProvider();
  // WhatsApp and SMS go to servers that speak Meta's and Twilio's contracts: what a passenger would receive twice is counted there.
  const whatsapp = new WhatsAppContractServer();
  const twilio = new TwilioContractServer();
  const replicas: ServiceProcess[] = [];
  const results: Reconciliation[] = [];
  const logs = new ServiceLogs();
  let port = 3900 + (process.pid % 50) * 2;
  let env: Record<string, string>;

  beforeAll(async () => {
    const url = await provider.start();
    await whatsapp.start();
    await twilio.start();
    // Meta posts each accepted message's statuses (echoing biz_opaque_callback_data) to whichever replica is up.
    whatsapp.sendStatusWebhooks(() => {
      const live = replicas.find((r) => r.alive);
      return live ? `http://127.0.0.1:${live.port}` : undefined;
    });
    servers = await PrivateServers.start({ label: 'notifier-faults' });
    const databaseUrl = await servers.postgres.createMigratedDatabase('notifier_faults');
    environment = await createTestEnvironment({
      // debug logs every event and every send with its masked recipient: the log scan sees them all.
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      DISPATCH_CLAIM_TIMEOUT_S: '5',
      PROVIDER_TIMEOUT_MS: '800',
      SHUTDOWN_TIMEOUT_MS: '10000',
      AMQP_DELIVERY_LIMIT: '5',
      FLIGHT_NEWS_WINDOW_SECONDS: '0',
      PARTNER_WEBHOOKS: JSON.stringify([{ name: 'crm', url, secret: 'fault-suite-secret-0123456789' }]),
      CHANNEL_WHATSAPP: 'whatsapp-cloud',
      ...whatsapp.env(),
      WHATSAPP_PAIR_INTERVAL_MS: '0',
      WHATSAPP_RATE_PER_SECOND: '2000',
      CHANNEL_SMS: 'twilio',
      TWILIO_BASE_URL: twilio.baseUrl,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: '+3197010200300',
      SMS_RATE_PER_SECOND: '2000',
      // A WhatsApp send in doubt whose status webhook never comes is sent again after this long.
      IN_DOUBT_RESEND_AFTER_SECONDS: '15',
      // An SMS whose request timed out on the busy test process may reach the contract server seconds later.
      IN_DOUBT_LOOKUP_AFTER_SECONDS: '10',
    }, { databaseUrl, amqpUrl: servers.rabbitmq.url });
    env = environment.env;
  });

  afterAll(async () => {
    try {
      for (const replica of replicas) if (replica.alive) await replica.kill('SIGKILL');
      await provider.stop();
      await whatsapp.close();
      await twilio.close();
      if (env) rmSync(env.OUTBOX_DIR, { recursive: true, force: true });
    } finally {
      await servers?.stop(); // the private servers and their folder, whatever happened above
    }
    process.stdout.write(`\nFault suite (scale ${SCALE}, ${RATE} events/s):\n${formatReconciliations(results)}\n`);
    mkdirSync(join(__dirname, '../artifacts'), { recursive: true });
    writeFileSync(join(__dirname, '../artifacts/faults.json'), JSON.stringify(results, null, 2));
    writeFileSync(join(__dirname, '../artifacts/faults-service.log'), logs.text());
  });

  async function replica(): Promise<ServiceProcess> {
    const service = new ServiceProcess({ env, port: port++, main: BUILT_MAIN, onLine: (line) => logs.add(line) });
    await service.start();
    replicas.push(service);
    return service;
  }

  /** Seconds from `since` until the stream's newest notification was delivered after it. */
  async function recoveredAfter(since: number, prefix: string): Promise<number> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const client = new Client({ connectionString: env.DATABASE_URL });
      const done = await client
        .connect()
        .then(() =>
          client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM notifications WHERE booking_reference LIKE $1 AND status IN ('sent', 'delivered') AND updated_at > $2`,
            [`${prefix}%`, new Date(since)],
          ),
        )
        .then((r) => r.rows[0].n > 0)
        .catch(() => false)
        .finally(() => client.end().catch(() => undefined));
      if (done) return (Date.now() - since) / 1000;
      if (Date.now() > deadline) throw new Error(`no delivery after the fault on ${prefix}`);
      await sleep(100);
    }
  }

  /** From this moment on, copies of one notification reaching each provider. */
  function countResends(): () => ResendCounts {
    provider.received.clear();
    const fromRequest = whatsapp.requests.length;
    const fromMessage = twilio.messages.length;
    const copies = (keys: string[]) => {
      const seen = new Map<string, number>();
      for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
      return [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
    };
    return () => ({
      whatsapp: copies(whatsapp.requests.slice(fromRequest).flatMap((r) => (r.wamid && r.callbackData ? [r.callbackData] : []))),
      sms: copies(twilio.messages.slice(fromMessage).map((m) => `${m.to} ${m.body}`)),
      partner: provider.redelivered,
    });
  }

  async function withStream(prefix: string, fault: string, inject: () => Promise<number>): Promise<Reconciliation> {
    logs.during(fault);
    if (!replicas.some((r) => r.alive)) await replica();
    const resends = countResends();
    const stream = new EventStream(env.AMQP_URL, env.AMQP_EXCHANGE, prefix);
    stream.start(RATE);
    await sleep(phase(2));
    const recoveredFrom = await inject();
    const recovery = await recoveredAfter(recoveredFrom, prefix);
    await sleep(phase(2));
    await stream.stop();
    const result = await reconcile(env.DATABASE_URL, fault, prefix, stream.published, resends, recovery);
    await stream.close();
    const leaks = findPersonalData(logs.of(fault));
    Object.assign(result, { logLines: logs.of(fault).length, personalData: leaks.length });
    results.push(result);
    process.stdout.write(`${formatReconciliations([result])}\n`);
    expect(leaks).toEqual([]);
    expect(result.duplicates).toBe(0);
    expect(result.lost).toBe(0);
    // In doubt is settled (status webhook, Messages list), never a second message to the passenger.
    expect(result.resentWhatsApp).toBe(0);
    expect(result.resentSms).toBe(0);
    expect(whatsapp.violations).toEqual([]);
    expect(result.applied + result.parked).toBe(result.published);
    expect(result.published).toBeGreaterThan(0);
    return result;
  }

  it('a replica killed with SIGKILL mid-batch, and restarted', async () => {
    const a = await replica();
    await withStream('FK', 'SIGKILL + restart', async () => {
      await a.kill('SIGKILL');
      await sleep(phase(1));
      await a.start();
      return Date.now();
    });
  });

  it('a provider that times out, returns 5xx, rate-limits and then recovers', async () => {
    await withStream('FP', 'provider timeout/5xx/429', async () => {
      provider.mode = 'timeout';
      await sleep(phase(2));
      provider.mode = 'error';
      await sleep(phase(2));
      provider.mode = 'rate-limited';
      await sleep(phase(2));
      provider.mode = 'ok';
      return Date.now();
    });
  });

  it('two replicas consuming and dispatching at once, one of them killed', async () => {
    const b = await replica();
    await withStream('FR', 'replica killed (2 running)', async () => {
      await b.kill('SIGKILL');
      return Date.now();
    });
  });

  it('SIGTERM: stops taking work, finishes what is in flight, exits in time, loses nothing', async () => {
    const c = await replica();
    await withStream('FT', 'SIGTERM graceful stop', async () => {
      const started = Date.now();
      const ended = await c.kill('SIGTERM');
      // Nest closes the app, then re-raises the signal: a clean stop ends "by SIGTERM", or with 0.
      expect(ended.code === 0 || ended.signal === 'SIGTERM').toBe(true);
      expect(Date.now() - started).toBeLessThan(Number(env.SHUTDOWN_TIMEOUT_MS));
      return Date.now();
    });
  });

  it('PostgreSQL connections killed (pg_terminate_backend)', async () => {
    await withStream('FD', 'pg_terminate_backend', async () => {
      const admin = new Client({ connectionString: env.DATABASE_URL.replace(/\/[^/]+$/, '/postgres') });
      await admin.connect();
      const db = new URL(env.DATABASE_URL).pathname.slice(1);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db]);
      await admin.end();
      return Date.now();
    });
  });

  it('a poison message hits the delivery limit and is parked, not redelivered forever', async () => {
    logs.during('poison message');
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    // A trigger that makes one booking fail every time, as a bug or a bad row would.
    await db.query(`CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN
                      IF NEW.booking_reference LIKE 'PZ%' THEN RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.query(`CREATE TRIGGER poison BEFORE INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION poison()`);
    const stream = new EventStream(env.AMQP_URL, env.AMQP_EXCHANGE, 'PZ');
    stream.start(20);
    await sleep(1_000);
    await stream.stop();
    const deadline = Date.now() + 90_000;
    let parked = 0;
    while (Date.now() < deadline && parked < stream.published.length) {
      const r = await db.query<{ n: number }>(`SELECT count(DISTINCT event_id)::int AS n FROM parked_events WHERE event_id = ANY($1) AND reason_code = 'processing-failed'`, [stream.published]);
      parked = r.rows[0].n;
      await sleep(500);
    }
    await db.query(`DROP TRIGGER poison ON bookings`);
    await db.end();
    await stream.close();
    expect(parked).toBe(stream.published.length);
  });

  it('PostgreSQL slow: the consumer stops pulling (prefetch) and memory stays bounded, then catches up', async () => {
    logs.during('PostgreSQL slow (locked)');
    const service = replicas.find((r) => r.alive) ?? (await replica());
    const before = service.residentBytes() / 1024;
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    await db.query('BEGIN');
    await db.query('LOCK TABLE inbox_events IN ACCESS EXCLUSIVE MODE'); // every ingest now waits
    const resends = countResends();
    const stream = new EventStream(env.AMQP_URL, env.AMQP_EXCHANGE, 'FS');
    stream.start(RATE);
    // More than every live replica's prefetch can hold, whatever the scale.
    const prefetch = Number(env.AMQP_PREFETCH ?? DEFAULT_AMQP_PREFETCH) * replicas.filter((r) => r.alive).length;
    const deadline = Date.now() + 60_000;
    while (stream.published.length < prefetch + 50 && Date.now() < deadline) await sleep(100);
    await sleep(500);
    // The broker refreshes queue statistics every few seconds: read them until they show the backlog.
    let ready = 0;
    let unacked = 0;
    for (let i = 0; i < 40 && ready === 0; i++) {
      ({ ready, unacked } = servers!.rabbitmq.queueDepth(env.AMQP_QUEUE));
      if (ready === 0) await sleep(250);
    }
    const during = service.residentBytes() / 1024;
    await db.query('COMMIT');
    await db.end();
    await stream.stop();
    // In flight per replica never exceeds the prefetch; the rest waits in RabbitMQ, not in our memory.
    expect(unacked).toBeLessThanOrEqual(prefetch);
    expect(ready).toBeGreaterThan(0);
    expect(during).toBeLessThan(before * 1.5 + 50_000);
    const slow = await reconcile(env.DATABASE_URL, 'PostgreSQL slow (locked)', 'FS', stream.published, resends, 0);
    const leaks = findPersonalData(logs.of(slow.fault));
    results.push({ ...slow, logLines: logs.of(slow.fault).length, personalData: leaks.length });
    await stream.close();
    expect(leaks).toEqual([]);
  });

  it('RabbitMQ stopped and started again', async () => {
    await withStream('FQ', 'RabbitMQ stop/start', async () => {
      servers!.rabbitmq.stopApp();
      await sleep(phase(2));
      servers!.rabbitmq.startApp();
      return Date.now();
    });
  });

  it('PostgreSQL server restarted', async () => {
    await withStream('FG', 'PostgreSQL restart', async () => {
      const before = await servers!.postgres.startedAt();
      servers!.postgres.restart();
      expect((await servers!.postgres.startedAt()).getTime()).toBeGreaterThan(before.getTime()); // it did restart
      return Date.now();
    });
  });

  it('no phone number or e-mail address in any line a replica wrote, the database faults included', async () => {
    const contacts = passenger({ passengerId: 'P1' }).contacts; // what every event of the streams carries
    expect(findPersonalData(Object.values(contacts))).toHaveLength(2); // the scan would see them
    const all = logs.all();
    expect(findPersonalData(all)).toEqual([]);
    expect(all.some((line) => line.includes(maskPhone(contacts.whatsapp!)))).toBe(true); // masked, and the sends were logged
    for (const fault of ['pg_terminate_backend', 'PostgreSQL restart']) {
      // Lines written while the database went away mid-batch were collected, the service's complaints among them.
      expect(logs.of(fault).some((line) => /"level":"(error|warn)"/.test(line))).toBe(true);
    }
  });

  it('the operator API still answers afterwards', async () => {
    const live = replicas.find((r) => r.alive) ?? (await replica());
    const res = await fetch(`http://127.0.0.1:${live.port}/api/notifications?limit=1`, { headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(res.status).toBe(200);
  });
});
