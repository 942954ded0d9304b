import { DataSource } from 'typeorm';
import { DispatchRepository } from '../src/notifications/notification-dispatch.repository';
import { NotificationRepository } from '../src/notifications/notification.repository';
import type { NotificationPlan } from '../src/notifications/notification-plan';
import { useTestService } from './support/use-test-service';

/** The dispatcher's write-back of a batch (DispatchRepository.record) against PostgreSQL, without a dispatcher running. */
describe('write-back of a batch of attempts', () => {
  const service = useTestService({ DISPATCHER_ENABLED: 'false', CONSUMER_ENABLED: 'false' });

  const plan = (n: number): NotificationPlan => ({
    dedupeKey: `write-back:${n}`,
    type: 'booking-confirmation',
    channel: 'whatsapp',
    recipient: `+3161000000${n}`,
    locale: 'en',
    bookingReference: 'WB0001',
    passengerId: `P${n}`,
    eventSource: '/test',
    eventId: `write-back-${n}`,
    context: { type: 'booking-confirmation', locale: 'en', booking: { reference: 'WB0001' }, passenger: { givenName: 'Ada', surname: 'Lovelace' } },
  });
  const row = async (db: DataSource, passengerId: string) =>
    ((await db.query(`SELECT id, status, provider_message_id, attempts FROM notifications WHERE passenger_id = $1`, [passengerId])) as {
      id: string;
      status: string;
      provider_message_id: string | null;
      attempts: number;
    }[])[0];
  const kinds = async (db: DataSource, id: string) =>
    ((await db.query(`SELECT kind FROM notification_events WHERE notification_id = $1 ORDER BY id`, [id])) as { kind: string }[]).map((r) => r.kind);

  it('writes each result whole, and to a row whose status moved on mid-send only the provider answer', async () => {
    const db = service.db;
    await service.app.get(NotificationRepository).insertPlanned(db.manager, [plan(1), plan(2), plan(3)]);
    const claimed = await service.app.get(DispatchRepository).claimDue('whatsapp', 10, 120);
    expect(claimed).toHaveLength(3);
    const [a, b, c] = ['P1', 'P2', 'P3'].map((p) => claimed.find((n) => n.passengerId === p)!);
    // While b was being sent, its provider's delivery report arrived; c was cancelled by an operator.
    await db.query(`UPDATE notifications SET status = 'delivered' WHERE id = $1`, [b.id]);
    await db.query(`UPDATE notifications SET status = 'cancelled' WHERE id = $1`, [c.id]);

    const sent = (id: string, providerMessageId: string) => ({
      id,
      attempt: 1,
      status: 'sent' as const,
      providerMessageId,
      events: [{ kind: 'attempt', detail: { outcome: 'accepted', providerMessageId } }, { kind: 'sent' }],
    });
    await service.app.get(DispatchRepository).record([sent(a.id, 'wamid.A'), sent(b.id, 'wamid.B'), sent(c.id, 'wamid.C')]);

    expect(await row(db, 'P1')).toMatchObject({ status: 'sent', provider_message_id: 'wamid.A', attempts: 1 });
    expect(await row(db, 'P2')).toMatchObject({ status: 'delivered', provider_message_id: 'wamid.B' });
    expect(await row(db, 'P3')).toMatchObject({ status: 'cancelled', provider_message_id: 'wamid.C' });
    expect(await kinds(db, a.id)).toEqual(['attempt', 'sent']);
    expect(await kinds(db, b.id)).toEqual(['attempt']);
    expect(await kinds(db, c.id)).toEqual(['attempt']);
  });

  it('gives the provider answer to a row whose status moves on while the write-back waits for it', async () => {
    const db = service.db;
    await service.app.get(NotificationRepository).insertPlanned(db.manager, [plan(5)]);
    const [claimed] = await service.app.get(DispatchRepository).claimDue('whatsapp', 10, 120);
    const report = db.createQueryRunner();
    await report.connect();
    try {
      // A delivery report holds the row when the write-back comes, and settles it before letting go.
      await report.startTransaction();
      await report.query(`SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE`, [claimed.id]);
      const written = service.app.get(DispatchRepository).record([
        { id: claimed.id, attempt: 1, status: 'sent', providerMessageId: 'wamid.E', events: [{ kind: 'attempt', detail: { outcome: 'accepted' } }, { kind: 'sent' }] },
      ]);
      await waitForLockWait(db);
      await report.query(`UPDATE notifications SET status = 'delivered' WHERE id = $1`, [claimed.id]);
      await report.commitTransaction();
      await written;
    } finally {
      await report.release();
    }
    expect(await row(db, 'P5')).toMatchObject({ status: 'delivered', provider_message_id: 'wamid.E' });
    expect(await kinds(db, claimed.id)).toEqual(['attempt']);
  });

  it("takes its rows' locks in id order, as a status-report group does, so the two wait for each other rather than deadlock", async () => {
    const db = service.db;
    await service.app.get(NotificationRepository).insertPlanned(db.manager, [plan(8), plan(9)]);
    const [low, high] = (await service.app.get(DispatchRepository).claimDue('whatsapp', 10, 120)).sort((a, b) => (a.id < b.id ? -1 : 1));
    const report = db.createQueryRunner();
    await report.connect();
    try {
      // A report group holds the lower row; the batch's results come highest id first.
      await report.startTransaction();
      await report.query(`SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE`, [low.id]);
      const written = service.app.get(DispatchRepository).record(
        [high, low].map((n) => ({ id: n.id, attempt: 1, status: 'sent' as const, providerMessageId: `wamid.${n.passengerId}`, events: [{ kind: 'attempt' }, { kind: 'sent' }] })),
      );
      await waitForLockWait(db);
      // The group goes on to lock the higher row: free, since the write-back waits for the lower one holding nothing.
      // Taken highest first, the write-back would hold it, and the group would wait for it in a deadlock.
      await expect(report.query(`SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE NOWAIT`, [high.id])).resolves.toHaveLength(1);
      await report.commitTransaction();
      await written;
    } finally {
      if (report.isTransactionActive) await report.rollbackTransaction();
      await report.release();
    }
    expect(await row(db, 'P8')).toMatchObject({ status: 'sent', provider_message_id: 'wamid.P8' });
    expect(await row(db, 'P9')).toMatchObject({ status: 'sent', provider_message_id: 'wamid.P9' });
  });

  it('stores absent values as NULL, not as JSON null, and content as the object sent', async () => {
    const db = service.db;
    await service.app.get(NotificationRepository).insertPlanned(db.manager, [plan(6), plan(7)]);
    const claimed = await service.app.get(DispatchRepository).claimDue('whatsapp', 10, 120);
    const [withContent, without] = ['P6', 'P7'].map((p) => claimed.find((n) => n.passengerId === p)!);
    const content = { locale: 'en', text: 'Your booking WB0001 is confirmed, "Ada".' };
    await service.app.get(DispatchRepository).record([
      { id: withContent.id, attempt: 1, status: 'delivered', content, events: [{ kind: 'attempt', detail: { outcome: 'delivered' } }, { kind: 'delivered' }] },
      { id: without.id, attempt: 1, status: 'pending', retryInMs: 60_000, errorCode: 'timeout', events: [{ kind: 'retry-scheduled' }] },
    ]);
    const rows: { passenger_id: string; content: unknown; no_content: boolean; no_trace: boolean; retry_in_s: number }[] = await db.query(
      `SELECT passenger_id, content, content IS NULL AS no_content, trace_context IS NULL AS no_trace,
              round(extract(epoch FROM due_at - updated_at))::int AS retry_in_s
         FROM notifications WHERE passenger_id IN ('P6', 'P7') ORDER BY passenger_id`,
    );
    expect(rows).toEqual([
      { passenger_id: 'P6', content, no_content: false, no_trace: true, retry_in_s: expect.any(Number) },
      { passenger_id: 'P7', content: null, no_content: true, no_trace: true, retry_in_s: 60 },
    ]);
    const events: { kind: string; no_detail: boolean }[] = await db.query(
      `SELECT kind, detail IS NULL AS no_detail FROM notification_events
        WHERE notification_id IN ($1, $2) AND kind <> 'created' ORDER BY notification_id = $2, id`,
      [withContent.id, without.id],
    );
    expect(events).toEqual([
      { kind: 'attempt', no_detail: false },
      { kind: 'delivered', no_detail: true },
      { kind: 'retry-scheduled', no_detail: true },
    ]);
  });

  it('leaves a later attempt alone: a late result of attempt 1 does not overwrite attempt 2', async () => {
    const db = service.db;
    await service.app.get(NotificationRepository).insertPlanned(db.manager, [plan(4)]);
    const [first] = await service.app.get(DispatchRepository).claimDue('whatsapp', 10, 120);
    // Attempt 1 was given up on and the notification claimed again: attempt 2 is in flight.
    await db.query(`UPDATE notifications SET attempts = 2 WHERE id = $1`, [first.id]);
    await service.app.get(DispatchRepository).record([
      { id: first.id, attempt: 1, status: 'failed', errorCode: 'late', error: 'a late answer', events: [{ kind: 'attempt', detail: { outcome: 'failed' } }, { kind: 'failed' }] },
    ]);
    expect(await row(db, 'P4')).toMatchObject({ status: 'sending', attempts: 2 });
    expect(await kinds(db, first.id)).toEqual(['attempt']);
  });
});

/** Until the dispatcher's connection waits for a row lock. */
async function waitForLockWait(db: DataSource): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const waiting: unknown[] = await db.query(
      `SELECT 1 FROM pg_stat_activity WHERE application_name = 'flight-notifier-dispatcher' AND wait_event_type = 'Lock' AND datname = current_database()`,
    );
    if (waiting.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the write-back never waited for the row lock');
}
