import { NotificationQueryRepository } from '../src/notifications/notification-query.repository';
import { NotificationRepository } from '../src/notifications/notification.repository';
import type { NotificationPlan } from '../src/notifications/notification-plan';
import { count } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * A notification's timeline (docs/decisions/0049): a plan is stored without a timeline row, and its 'created'
 * entry is read off the notification's row; a stored 'created' row (a fallback copy's, or one written before
 * that decision) is shown in its place, never beside it.
 */
describe('notification timeline', () => {
  const service = useTestService({ DISPATCHER_ENABLED: 'false', CONSUMER_ENABLED: 'false' });

  const plan = (key: string): NotificationPlan => ({
    dedupeKey: key,
    type: 'flight-delay',
    channel: 'sms',
    recipient: '+31612345678',
    locale: 'en',
    bookingReference: 'TIME01',
    passengerId: 'P1',
    flightKey: 'KL1234-2026-12-20',
    eventSource: '/flights',
    eventId: `event-${key}`,
    context: { type: 'flight-delay', locale: 'en', booking: { reference: 'TIME01' }, passenger: { givenName: 'Ada', surname: 'Lovelace' } },
  });
  const idOf = async (key: string): Promise<string> =>
    ((await service.db.query(`SELECT id FROM notifications WHERE dedupe_key = $1`, [key])) as { id: string }[])[0].id;

  it('stores a plan without a timeline row and shows its creation from the row, first', async () => {
    await service.app.get(NotificationRepository).insertPlanned(service.db.manager, [plan('timeline:a')]);
    const id = await idOf('timeline:a');
    expect(await count(service.db, `SELECT 1 FROM notification_events WHERE notification_id = $1`, [id])).toBe(0);
    await service.db.query(`INSERT INTO notification_events (notification_id, kind, detail) VALUES ($1, 'attempt', '{"attempt": 1}')`, [id]);

    const timeline = await service.app.get(NotificationQueryRepository).timeline(id);
    const [created] = (await service.db.query(`SELECT created_at FROM notifications WHERE id = $1`, [id])) as { created_at: Date }[];
    expect(timeline.map((e) => e.kind)).toEqual(['created', 'attempt']);
    expect(timeline[0]).toEqual({ at: created.created_at, kind: 'created', detail: { eventSource: '/flights', eventId: 'event-timeline:a' } });
  });

  it("shows a stored 'created' row instead of the row's own", async () => {
    await service.app.get(NotificationRepository).insertPlanned(service.db.manager, [plan('timeline:b')]);
    const id = await idOf('timeline:b');
    await service.db.query(`INSERT INTO notification_events (notification_id, kind, detail) VALUES ($1, 'created', '{"fallbackOf": "x"}')`, [id]);

    const timeline = await service.app.get(NotificationQueryRepository).timeline(id);
    expect(timeline.map((e) => [e.kind, e.detail])).toEqual([['created', { fallbackOf: 'x' }]]);
  });

  it('has no timeline for a notification that does not exist', async () => {
    expect(await service.app.get(NotificationQueryRepository).timeline('00000000-0000-4000-8000-000000000000')).toEqual([]);
  });
});
