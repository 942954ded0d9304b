import { Client } from 'pg';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { Dispatcher } from '../src/delivery/dispatcher.service';
import { ProviderStatusService } from '../src/notifications/provider-status.service';
import { MetricsService } from '../src/ops/metrics/metrics.service';
import { sample } from './support/prometheus-sample';
import { ScriptedAdapter } from './support/scripted-adapter';
import { count, waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';


describe('observability: /metrics, structured logs with correlation ids, liveness and readiness', () => {
  let whatsapp: ScriptedAdapter;
  const logged: string[] = [];
  let stdout: jest.SpyInstance;

  beforeAll(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
  });
  // The dispatcher is driven by hand here, so that pending work (and its lag) can be seen before it is sent.
  const service = useTestService({ DISPATCHER_ENABLED: 'false', LOG_LEVEL: 'debug', LOG_FORMAT: 'json', METRICS_REFRESH_SECONDS: '1' });
  beforeAll(() => {
    whatsapp = new ScriptedAdapter('local-whatsapp');
    service.app.get(ChannelRegistry).use('whatsapp', whatsapp);
  });
  afterAll(() => {
    stdout?.mockRestore();
  });

  /** A scrape after a fresh reading of the database and broker (scrapes alone serve the last background reading). */
  const scrape = async () => {
    await service.app.get(MetricsService).refresh();
    const res = await service.http('anonymous').get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };

  it('counts events, notifications, sends, provider errors, queue depth, lag and replays', async () => {
    const pax = [
      passenger({ passengerId: 'P1', contacts: { whatsapp: '+31612345678' } }),
      passenger({ passengerId: 'P2', contacts: { whatsapp: '+31612345679' } }),
    ];
    const booking = bookingSnapshot('booking.confirmed', { bookingReference: 'MET001', passengers: pax, segments: [segment({ flightNumber: '8001' })] });
    await service.publisher.publish(booking.type, booking);
    const bad = bookingSnapshot('booking.confirmed', { bookingReference: 'bad!', passengers: pax, segments: [segment({ flightNumber: '8002' })] });
    await service.publisher.publish(bad.type, bad);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM parked_events`)) === 1);
    await waitFor(async () => (await count(service.db, `SELECT 1 FROM notifications WHERE booking_reference = 'MET001'`)) === 2);
    await new Promise((r) => setTimeout(r, 1_100));

    const before = await scrape();
    expect(sample(before, 'notifier_events_consumed_total', { type: 'booking.confirmed', outcome: 'applied' })).toBe(1);
    expect(sample(before, 'notifier_events_consumed_total', { type: 'booking.confirmed', outcome: 'parked' })).toBe(1);
    expect(sample(before, 'notifier_events_parked_total', { type: 'booking.confirmed', reason_code: 'bad-data' })).toBe(1);
    expect(sample(before, 'notifier_notifications', { type: 'booking-confirmation', channel: 'whatsapp', status: 'pending' })).toBe(2);
    expect(sample(before, 'notifier_dispatch_lag_seconds')).toBeGreaterThanOrEqual(1);
    expect(sample(before, 'notifier_dead_letters_open')).toBe(1);
    expect(sample(before, 'notifier_queue_messages', { queue: service.env.AMQP_QUEUE })).toBe(0);
    expect(sample(before, 'notifier_queue_consumers', { queue: service.env.AMQP_QUEUE })).toBe(1);
    expect(sample(before, 'notifier_queue_messages', { queue: service.env.AMQP_DEAD_LETTER_QUEUE })).toBe(1);
    expect(sample(before, 'notifier_process_cpu_seconds_total')).toBeGreaterThan(0);

    whatsapp.answer({ outcome: 'permanent', code: '131026', message: 'Message undeliverable to +31612345679' });
    await service.app.get(Dispatcher).dispatchOnce('whatsapp');
    const sent: { id: string; status: string }[] = await service.db.query(
      `SELECT id, status FROM notifications WHERE booking_reference = 'MET001' ORDER BY status`,
    );
    expect(sent.map((n) => n.status)).toEqual(['failed', 'sent']);
    const [failed, ok] = sent;
    await service.app.get(ProviderStatusService).apply({ channel: 'whatsapp', providerMessageId: `pm-${ok.id}`, status: 'delivered', at: new Date() });
    await service.http().post(`/api/notifications/${failed.id}/replay`).send({}).expect(200);
    await service.http().post('/api/replays').send({ bookingReference: 'MET001', status: 'sent' }).expect(202);

    const after = await scrape();
    expect(sample(after, 'notifier_send_duration_seconds_count', { channel: 'whatsapp', outcome: 'accepted' })).toBe(1);
    expect(sample(after, 'notifier_send_duration_seconds_count', { channel: 'whatsapp', outcome: 'permanent' })).toBe(1);
    expect(sample(after, 'notifier_send_duration_seconds_bucket', { channel: 'whatsapp', outcome: 'accepted', le: '+Inf' })).toBe(1);
    expect(sample(after, 'notifier_provider_errors_total', { channel: 'whatsapp', code: '131026', source: 'send' })).toBe(1);
    expect(sample(after, 'notifier_provider_status_reports_total', { channel: 'whatsapp', status: 'delivered', outcome: 'applied' })).toBe(1);
    expect(sample(after, 'notifier_replays_total', { mode: 'single', outcome: 'replayed' })).toBe(1);
    expect(sample(after, 'notifier_replays_total', { mode: 'bulk', outcome: 'started' })).toBe(1);
    expect(sample(after, 'notifier_notifications', { type: 'booking-confirmation', channel: 'whatsapp', status: 'delivered' })).toBe(1);
    // The replayed one is due again.
    expect(sample(after, 'notifier_notifications', { type: 'booking-confirmation', channel: 'whatsapp', status: 'pending' })).toBe(1);
    expect(sample(after, 'notifier_notifications', { type: 'booking-confirmation', channel: 'whatsapp', status: 'failed' })).toBeUndefined();

    await service.app.get(Dispatcher).dispatchOnce('whatsapp');
    const drained = await scrape();
    expect(sample(drained, 'notifier_dispatch_lag_seconds')).toBe(0);
    expect(sample(drained, 'notifier_send_duration_seconds_count', { channel: 'whatsapp', outcome: 'accepted' })).toBe(2);

    // One JSON line per event with its CloudEvent id, one per send from correlation id to provider message id.
    const lines = logged.join('').split('\n').filter((l) => l.startsWith('{'));
    const entries = lines.map((l) => JSON.parse(l) as { level: string; context?: string; message: Record<string, unknown> | string });
    const consumed = entries.find((e) => e.context === 'EventConsumer' && typeof e.message === 'object' && e.message.eventId === booking.id);
    expect(consumed).toMatchObject({ level: 'debug', message: { msg: 'event consumed', type: 'booking.confirmed', outcome: 'applied', notifications: 2 } });
    const send = entries.find((e) => e.context === 'NotificationSender' && typeof e.message === 'object' && e.message.notificationId === ok.id);
    expect(send).toMatchObject({
      level: 'debug',
      message: { correlationId: `/booking#${booking.id}`, providerMessageId: `pm-${ok.id}`, outcome: 'accepted', recipient: expect.stringMatching(/^\+31\*{6}67[89]$/) },
    });
    const refused = entries.find((e) => e.context === 'NotificationSender' && typeof e.message === 'object' && e.message.notificationId === failed.id);
    expect(refused?.message).toMatchObject({ outcome: 'permanent', code: '131026', error: 'Message undeliverable to +31******679' });
    expect(logged.join('')).not.toContain('+31612345678');
    expect(logged.join('')).not.toContain('+31612345679');
  });

  it('answers twenty concurrent scrapes from the last reading with one aggregation at a time, and stays ready', async () => {
    const database = new URL(service.env.DATABASE_URL).pathname.slice(1);
    const locker = new Client({ connectionString: service.env.DATABASE_URL });
    const watcher = new Client({ connectionString: service.env.DATABASE_URL });
    await Promise.all([locker.connect(), watcher.connect()]);
    // The service's aggregations running now on this test's own database (a blocked one counts: it is active).
    const aggregations = async () => {
      const { rows } = await watcher.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%FROM notifications GROUP BY%'`,
        [database],
      );
      return rows[0].n;
    };
    let scraping = true;
    let sampling: Promise<void> = Promise.resolve();
    try {
      await service.app.get(MetricsService).refresh();
      await new Promise((r) => setTimeout(r, 1_100)); // past METRICS_REFRESH_SECONDS: the next scrape starts a reading
      // Every aggregation now blocks behind this lock, so each one that is started stays visible until it is released.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE');

      const seen: number[] = [];
      sampling = (async () => {
        while (scraping) {
          seen.push(await aggregations());
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const scrapes = await Promise.all(Array.from({ length: 20 }, () => service.http('anonymous').get('/metrics').timeout(20_000)));
      const ready = await service.http('anonymous').get('/health/ready').timeout(20_000);
      await waitFor(async () => (await aggregations()) >= 1, 10_000, 'the background reading to reach the database');
      scraping = false;
      await sampling;
      seen.push(await aggregations());

      // All answered while the reading was still blocked: served from the last reading, not waiting for it.
      expect(scrapes.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(scrapes.every((r) => r.text.includes('notifier_notifications{'))).toBe(true);
      expect(ready.status).toBe(200);
      expect(Math.max(...seen)).toBe(1);
    } finally {
      scraping = false;
      await sampling.catch(() => undefined);
      await locker.query('ROLLBACK').catch(() => undefined);
      await Promise.all([locker.end(), watcher.end()]);
    }
  });

  it('keeps /metrics, /health/live and /health/ready open, and /api closed', async () => {
    await service.http('anonymous').get('/metrics').expect(200);
    expect((await service.http('anonymous').get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    expect((await service.http('anonymous').get('/health/ready').expect(200)).body).toEqual({ status: 'ok', database: 'up', broker: 'up' });
    await service.http('anonymous').get('/api/stats').expect(401);
  });
});
