import { NotificationSender } from '../src/delivery/notification-sender.service';
import { DispatchRepository } from '../src/notifications/notification-dispatch.repository';
import { NotificationRepository, PLANNED_ROWS_PER_STATEMENT } from '../src/notifications/notification.repository';
import type { NotificationPlan } from '../src/notifications/notification-plan';
import type { RenderContext } from '../src/vocabulary/render-context';
import { count } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * A notification's context lives in notification_contexts, written once when it is planned, so that the updates of
 * its row (claim, write-back, provider reports) do not copy it (migration 1764000023000, docs/decisions/0052).
 */
describe('notification contexts', () => {
  const service = useTestService({ DISPATCHER_ENABLED: 'false', CONSUMER_ENABLED: 'false' });

  const plan = (key: string, surname: string): NotificationPlan => ({
    dedupeKey: key,
    type: 'booking-confirmation',
    channel: 'sms',
    recipient: '+31612345678',
    locale: 'en',
    bookingReference: 'CTX001',
    passengerId: key,
    eventSource: '/test',
    eventId: key,
    context: { type: 'booking-confirmation', locale: 'en', booking: { reference: 'CTX001' }, passenger: { givenName: 'Ada', surname } },
  });
  const contextsOf = (keyPrefix: string) =>
    count(service.db, `SELECT 1 FROM notification_contexts c JOIN notifications n ON n.id = c.id WHERE n.dedupe_key LIKE $1`, [`${keyPrefix}%`]);

  it("stores a plan's context once, outside the row the dispatcher updates, and the claim reads it back", async () => {
    const repository = service.app.get(NotificationRepository);
    expect(await repository.insertPlanned(service.db.manager, [plan('ctx:a', 'Lovelace'), plan('ctx:b', 'Hopper')])).toBe(2);
    // A redelivered event plans the same keys again: nothing new, the first context stays.
    expect(await repository.insertPlanned(service.db.manager, [plan('ctx:a', 'Changed')])).toBe(0);
    expect(await contextsOf('ctx:')).toBe(2);
    expect(await count(service.db, `SELECT 1 FROM information_schema.columns WHERE table_name = 'notifications' AND column_name = 'context'`)).toBe(0);

    const dispatch = service.app.get(DispatchRepository);
    const claimed = await dispatch.claimDue('sms', 10, 120);
    expect(Object.fromEntries(claimed.map((n) => [n.dedupeKey, n.context.passenger.surname]))).toEqual({ 'ctx:a': 'Lovelace', 'ctx:b': 'Hopper' });
    await dispatch.record(claimed.map((n) => ({ id: n.id, attempt: 1, status: 'sent' as const, providerMessageId: `SM-${n.dedupeKey}`, events: [] })));
    const kept: { surname: string }[] = await service.db.query(
      `SELECT c.context -> 'passenger' ->> 'surname' AS surname FROM notification_contexts c JOIN notifications n ON n.id = c.id
        WHERE n.dedupe_key LIKE 'ctx:%' AND n.status = 'sent' ORDER BY n.dedupe_key`,
    );
    expect(kept).toEqual([{ surname: 'Lovelace' }, { surname: 'Hopper' }]);
  });

  it('claims a notification stored without a context and fails it as unrenderable, rather than losing it', async () => {
    await service.db.query(
      `INSERT INTO notifications (dedupe_key, type, channel, booking_reference, passenger_id, locale, recipient, event_source, event_id)
       VALUES ('ctx:bare', 'booking-confirmation', 'email', 'CTX002', 'P1', 'en', 'ada@example.com', '/test', 'ctx:bare')`,
    );
    const [bare] = await service.app.get(DispatchRepository).claimDue('email', 10, 120);
    expect(bare).toMatchObject({ dedupeKey: 'ctx:bare', status: 'sending', context: null });
    const result = await service.app.get(NotificationSender).attempt(bare);
    expect(result).toMatchObject({ id: bare.id, status: 'failed', errorCode: 'render-error' });
  });

  it("stores each plan's whole context when an event's plans share part of it, across statements too", async () => {
    const flight = (destination: string) => ({
      code: 'KL1000', carrier: 'KL', flightNumber: '1000', departureDate: '2026-12-13', origin: 'AMS', destination, scheduledDeparture: '2026-12-13T06:00:00Z',
    });
    // The planner builds each passenger's flight afresh; the shared fields travel once per event (decision 0057).
    const onFlight = (key: string, givenName: string, locale: string, destination = 'CDG'): NotificationPlan => ({
      ...plan(key, 'Lovelace'),
      type: 'flight-cancellation',
      locale,
      context: {
        type: 'flight-cancellation',
        locale,
        booking: { reference: 'CTX001' },
        passenger: { givenName, surname: 'Lovelace', title: 'MS' },
        flight: flight(destination),
        reason: 'operational reasons',
      },
    });
    const groups = [
      { plans: [onFlight('ctx:s1', 'Ada', 'en'), onFlight('ctx:s2', 'Grace', 'nl'), onFlight('ctx:s3', 'Alan', 'en', 'NCE')], traceContext: null },
      { plans: [onFlight('ctx:s4', 'Edsger', 'nl')], traceContext: null },
      // More plans than one statement takes (PLANNED_ROWS_PER_STATEMENT): the second statement needs the shared part too.
      { plans: Array.from({ length: PLANNED_ROWS_PER_STATEMENT + 1 }, (_, i) => onFlight(`ctx:m${i}`, `P${i}`, i % 2 ? 'en' : 'ja')), traceContext: null },
    ];
    const counts = await service.app.get(NotificationRepository).insertPlannedGroups(service.db.manager, groups);
    expect(counts).toEqual([3, 1, PLANNED_ROWS_PER_STATEMENT + 1]);
    const stored: { dedupe_key: string; context: RenderContext }[] = await service.db.query(
      `SELECT n.dedupe_key, c.context FROM notifications n JOIN notification_contexts c ON c.id = n.id WHERE n.dedupe_key LIKE 'ctx:s%' OR n.dedupe_key LIKE 'ctx:m%'`,
    );
    const planned = new Map(groups.flatMap((g) => g.plans).map((p) => [p.dedupeKey, p.context]));
    expect(stored).toHaveLength(planned.size);
    for (const { dedupe_key, context } of stored) expect([dedupe_key, context]).toEqual([dedupe_key, planned.get(dedupe_key)]);
  });

  it('goes with its notification: a deleted one, and all of them on a truncate', async () => {
    const repository = service.app.get(NotificationRepository);
    await repository.insertPlanned(service.db.manager, [plan('ctx:gone-1', 'One'), plan('ctx:gone-2', 'Two')]);
    await service.db.query(`DELETE FROM notifications WHERE dedupe_key = 'ctx:gone-1'`);
    expect(await contextsOf('ctx:gone-')).toBe(1);
    expect(await count(service.db, `SELECT 1 FROM notification_contexts c WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.id = c.id)`)).toBe(0);

    await service.db.query(`TRUNCATE notifications CASCADE`);
    expect(await count(service.db, `SELECT 1 FROM notification_contexts`)).toBe(0);
  });
});
