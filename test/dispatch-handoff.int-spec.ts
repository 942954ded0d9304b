import { Client } from 'pg';
import { ChannelAdapter } from '../src/channels/channel-adapter';
import { ChannelRegistry } from '../src/channels/channel-registry.service';
import { bookingCancelled, bookingSnapshot, passenger, segment } from '../src/demo/sample-events';
import { bucketCapacity } from '../src/delivery/rate-limiter.service';
import { EventIngestor } from '../src/events/event-ingestor.service';
import { DispatchHandoff } from '../src/notifications/dispatch-handoff';
import { DispatchRepository } from '../src/notifications/notification-dispatch.repository';
import { listenForWakeups } from '../src/notifications/notification-wakeup.repository';
import { ScriptedAdapter } from './support/scripted-adapter';
import { waitFor } from './support/test-app';
import { useTestService } from './support/use-test-service';

/** One batch, one transaction, handed to the ingestor as the consumer hands it over (no tracing span). */
const noSpan = { within: <T>(work: () => Promise<T>) => work(), end: () => undefined, fail: () => undefined };

function confirmation(reference: string, channels: ('sms' | 'email')[] = ['sms']) {
  return bookingSnapshot('booking.confirmed', {
    bookingReference: reference,
    passengers: [
      passenger({
        passengerId: 'P1',
        contacts: { sms: '+31612345678', email: `${reference.toLowerCase()}@example.com` },
        consents: channels.map((channel) => ({ channel, granted: true })),
      }),
    ],
    segments: [segment({ flightNumber: '7700' })],
  });
}

interface Row {
  id: string;
  status: string;
  attempts: number;
  claimed_for_s: number | null;
  attempted: boolean;
}

/**
 * Decision 0048: plans due now that the dispatcher of this replica has room for are stored claimed (one write fewer
 * than a pending row and its claim) and handed to it in memory once the planning transaction commits.
 */
describe('dispatch handoff: plans stored claimed and handed to the lanes', () => {
  describe('the handoff itself (no dispatcher loops: the test opens the channel)', () => {
    const service = useTestService({ DISPATCHER_ENABLED: 'false' });
    const ingest = (events: { type: string }[]) =>
      service.app.get(EventIngestor).ingestBatch(events.map((event) => ({ body: Buffer.from(JSON.stringify(event)), routingKey: event.type, span: noSpan })));
    const rows = (reference: string, channel = 'sms'): Promise<Row[]> =>
      service.db.query(
        `SELECT id, status, attempts, extract(epoch FROM claimed_until - created_at)::int AS claimed_for_s, attempted_at IS NOT NULL AS attempted
           FROM notifications WHERE booking_reference = $1 AND channel = $2`,
        [reference, channel],
      );
    let woken = 0;
    const handoff = () => service.app.get(DispatchHandoff);
    const open = () => {
      handoff().open('sms', { capacity: 2, claimSeconds: 90, ready: () => woken++ });
      handoff().claimed('sms', false); // as the lanes' first claim, finding nothing due
    };
    beforeEach(open);
    afterEach(() => handoff().close('sms'));

    it('stores claimed what has a place and hands it over after the commit; the rest pending, as before', async () => {
      const before = woken;
      await ingest([confirmation('HND001', ['sms', 'email']), confirmation('HND002'), confirmation('HND003')]);
      // sms is open with room for two: the first two bookings' sms are claimed, the third's waits pending; e-mail is not open.
      expect(await rows('HND001')).toEqual([expect.objectContaining({ status: 'sending', attempts: 1, claimed_for_s: 90, attempted: true })]);
      expect(await rows('HND002')).toEqual([expect.objectContaining({ status: 'sending', attempts: 1 })]);
      expect(await rows('HND003')).toEqual([expect.objectContaining({ status: 'pending', attempts: 0, claimed_for_s: null, attempted: false })]);
      expect(await rows('HND001', 'email')).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);
      expect(woken).toBe(before + 1);

      const handed = await handoff().take('sms', 10);
      const [first] = await rows('HND001');
      expect(handed.map((r) => r.id)).toEqual([first.id, (await rows('HND002'))[0].id]);
      // What a claim would have read back: the record carries what the sender needs.
      expect(handed[0]).toEqual(
        expect.objectContaining({ status: 'sending', attempts: 1, channel: 'sms', recipient: '+31612345678', bookingReference: 'HND001', type: 'booking-confirmation' }),
      );
      expect(handed[0].context.booking.reference).toBe('HND001');
    });

    it("hands over only the batch's last store: a cancellation later in the batch finds the confirmation pending", async () => {
      const confirmed = confirmation('HND010');
      const cancelled = bookingCancelled({ bookingReference: 'HND010', reason: 'test' });
      await ingest([confirmed, cancelled, confirmation('HND011')]);
      const statuses = await service.db.query(`SELECT booking_reference, type, status FROM notifications WHERE booking_reference IN ('HND010', 'HND011') AND channel = 'sms' ORDER BY 1, 2`);
      expect(statuses).toEqual([
        { booking_reference: 'HND010', type: 'booking-cancellation', status: 'sending' },
        { booking_reference: 'HND010', type: 'booking-confirmation', status: 'cancelled' },
        { booking_reference: 'HND011', type: 'booking-confirmation', status: 'sending' },
      ]);
    });

    it('puts back in line, as never claimed, what waited when the channel closes and what waited past half its lease', async () => {
      await ingest([confirmation('HND020')]);
      expect((await rows('HND020'))[0].status).toBe('sending');
      const listener = new Client({ connectionString: service.env.DATABASE_URL });
      await listener.connect();
      const wakeups: (string | undefined)[] = [];
      listener.on('notification', (n) => wakeups.push(n.payload));
      try {
        await listenForWakeups(listener);
        await handoff().close('sms');
        // Any replica's lanes are woken for what went back in line.
        await waitFor(async () => wakeups.includes('sms') || undefined, 10_000, 'the wake-up for sms');
      } finally {
        await listener.end();
      }
      expect(await rows('HND020')).toEqual([expect.objectContaining({ status: 'pending', attempts: 0, claimed_for_s: null, attempted: false })]);

      open();
      await ingest([confirmation('HND021')]);
      expect(await handoff().take('sms', 10, Date.now() + 46_000)).toEqual([]);
      expect(await rows('HND021')).toEqual([expect.objectContaining({ status: 'pending', attempts: 0 })]);
    });

    it('leaves a row alone that is no longer in its first claim', async () => {
      await ingest([confirmation('HND030')]);
      const [row] = await rows('HND030');
      await service.db.query(`UPDATE notifications SET status = 'in_doubt' WHERE id = $1`, [row.id]);
      expect(await service.app.get(DispatchRepository).putBack([{ id: row.id, attempts: 1 }])).toBe(0);
      expect((await rows('HND030'))[0].status).toBe('in_doubt');
    });
  });

  describe('through the dispatcher', () => {
    const service = useTestService({ DISPATCH_IDLE_MS: '50' });
    afterEach(() => service.app.get(ChannelRegistry).use('sms', sandboxSms));
    let sandboxSms: ChannelAdapter;
    beforeAll(() => {
      sandboxSms = service.app.get(ChannelRegistry).adapterFor('sms');
    });

    it('sends what was handed over without claiming it, once', async () => {
      const claimed: string[] = [];
      const repository = service.app.get(DispatchRepository);
      const claimDue = repository.claimDue.bind(repository);
      const spy = jest.spyOn(repository, 'claimDue').mockImplementation(async (...args) => {
        const batch = await claimDue(...args);
        claimed.push(...batch.map((n) => n.id));
        return batch;
      });
      try {
        const events = [confirmation('HND100', ['sms', 'email']), confirmation('HND101', ['sms', 'email'])];
        for (const event of events) await service.publisher.publish(event.type, event);
        const done = async () => {
          const rows: { id: string; status: string; attempts: number }[] = await service.db.query(
            `SELECT id, status, attempts FROM notifications WHERE booking_reference IN ('HND100', 'HND101')`,
          );
          return rows.length === 4 && rows.every((r) => r.status === 'sent' || r.status === 'delivered') && rows;
        };
        const rows = await waitFor(done, 30_000, 'all four sent');
        expect(rows.map((r) => r.attempts)).toEqual([1, 1, 1, 1]);
        expect(rows.filter((r) => claimed.includes(r.id))).toEqual([]); // none of them went through a claim
        const timeline: { kind: string }[] = await service.db.query(
          `SELECT kind FROM notification_events WHERE notification_id = $1 ORDER BY id`,
          [rows[0].id],
        );
        expect(timeline.map((e) => e.kind)).toEqual(['attempt']);
      } finally {
        spy.mockRestore();
      }
    }, 60_000);

    it("waits for a rate-limited channel's tokens: handed-over sends keep the rate", async () => {
      const rate = 20;
      const limited = new ScriptedAdapter('limited-sms', rate);
      service.app.get(ChannelRegistry).use('sms', limited);
      const passengers = Array.from({ length: 40 }, (_, i) =>
        passenger({ passengerId: `P${i}`, contacts: { sms: `+3164${String(i).padStart(7, '0')}` }, consents: [{ channel: 'sms', granted: true }] }),
      );
      const event = bookingSnapshot('booking.confirmed', { bookingReference: 'HND200', passengers, segments: [segment({ flightNumber: '7701' })] });
      await service.app.get(EventIngestor).ingestBatch([{ body: Buffer.from(JSON.stringify(event)), routingKey: event.type, span: noSpan }]);
      const planned: { status: string }[] = await service.db.query(`SELECT status FROM notifications WHERE booking_reference = 'HND200'`);
      expect(planned.filter((r) => r.status === 'sending').length).toBeGreaterThan(0); // handed over, not pending
      await waitFor(async () => limited.sent.length === 40 || undefined, 30_000, 'all 40 sent');
      // The bucket holds a burst and refills at the rate: the last send comes no sooner than the rate allows (a slower
      // machine only spreads them more).
      const spread = limited.sent[39].at - limited.sent[0].at;
      expect(spread).toBeGreaterThanOrEqual(((40 - bucketCapacity(rate)) / rate) * 1000 * 0.9);
    }, 60_000);
  });
});
