import { NotificationRepository, PLANNED_ROWS_PER_STATEMENT } from '../src/notifications/notification.repository';
import type { NotificationPlan } from '../src/notifications/notification-plan';
import { count } from './support/test-app';
import { useTestService } from './support/use-test-service';

/**
 * notification_keys holds what notifications are found by, and the dedupe key's uniqueness (migration
 * 1764000020000, decision 0039): every way a notification comes or goes keeps the two tables in step.
 */
describe('notification keys', () => {
  const service = useTestService({ DISPATCHER_ENABLED: 'false', CONSUMER_ENABLED: 'false' });

  const plan = (key: string, passengerId = 'P1'): NotificationPlan => ({
    dedupeKey: key,
    type: 'flight-delay',
    channel: 'sms',
    recipient: '+31612345678',
    locale: 'en',
    bookingReference: 'KEYS01',
    passengerId,
    flightKey: 'KL1234-2026-12-20',
    eventSource: '/test',
    eventId: key,
    context: { type: 'flight-delay', locale: 'en', booking: { reference: 'KEYS01' }, passenger: { givenName: 'Ada', surname: 'Lovelace' } },
  });
  const keysOf = (key: string) => count(service.db, `SELECT 1 FROM notification_keys WHERE dedupe_key = $1`, [key]);
  const notificationsOf = (key: string) => count(service.db, `SELECT 1 FROM notifications WHERE dedupe_key = $1`, [key]);
  const sameCreationTime = async (key: string) =>
    (await count(service.db, `SELECT 1 FROM notifications n JOIN notification_keys k USING (id) WHERE n.dedupe_key = $1 AND k.created_at = n.created_at`, [key])) === 1;

  it('plans a dedupe key once, also when a batch plans it twice: the first plan counts, for its own group', async () => {
    const repository = service.app.get(NotificationRepository);
    const counts = await repository.insertPlannedGroups(service.db.manager, [
      { plans: [plan('keys:a', 'P1'), plan('keys:b')], traceContext: null },
      { plans: [plan('keys:a', 'P2')], traceContext: null },
    ]);
    expect(counts).toEqual([2, 0]);
    expect(await repository.insertPlanned(service.db.manager, [plan('keys:a'), plan('keys:c')])).toBe(1);
    for (const key of ['keys:a', 'keys:b', 'keys:c']) {
      expect(await notificationsOf(key)).toBe(1);
      expect(await keysOf(key)).toBe(1);
      expect(await sameCreationTime(key)).toBe(true); // the read API lists newest first by the keys' time
    }
    const rows: { passenger_id: string; keyed: string }[] = await service.db.query(
      `SELECT n.passenger_id, k.passenger_id AS keyed FROM notifications n JOIN notification_keys k USING (id) WHERE n.dedupe_key = 'keys:a'`,
    );
    expect(rows).toEqual([{ passenger_id: 'P1', keyed: 'P1' }]);
  });

  it('plans a batch larger than one statement in several, in order: the first plan of a key counts, across statements', async () => {
    const repository = service.app.get(NotificationRepository);
    const size = PLANNED_ROWS_PER_STATEMENT;
    const many = (from: number, n: number, passengerId = 'P1') => Array.from({ length: n }, (_, i) => plan(`keys:many-${from + i}`, passengerId));
    // Group 0 fills the first statement and starts the second; group 1 repeats a key of each statement, then adds one.
    const counts = await repository.insertPlannedGroups(service.db.manager, [
      { plans: many(0, size + 10), traceContext: null },
      { plans: [plan('keys:many-3', 'P2'), plan(`keys:many-${size + 5}`, 'P2'), plan('keys:many-last', 'P2')], traceContext: null },
    ]);
    expect(counts).toEqual([size + 10, 1]);
    expect(await count(service.db, `SELECT 1 FROM notifications WHERE dedupe_key LIKE 'keys:many-%'`)).toBe(size + 11);
    expect(await count(service.db, `SELECT 1 FROM notification_keys WHERE dedupe_key LIKE 'keys:many-%'`)).toBe(size + 11);
    const kept: { dedupe_key: string; passenger_id: string }[] = await service.db.query(
      `SELECT dedupe_key, passenger_id FROM notifications WHERE dedupe_key IN ('keys:many-3', $1, 'keys:many-last')`,
      [`keys:many-${size + 5}`],
    );
    expect(Object.fromEntries(kept.map((k) => [k.dedupe_key, k.passenger_id]))).toEqual({
      'keys:many-3': 'P1',
      [`keys:many-${size + 5}`]: 'P1',
      'keys:many-last': 'P2',
    });
  });

  it('keys a notification inserted by any other statement, and refuses its dedupe key twice', async () => {
    const insert = (key: string) =>
      service.db.query(
        `INSERT INTO notifications (dedupe_key, type, channel, booking_reference, passenger_id, flight_key, locale, recipient, event_source, event_id)
         VALUES ($1, 'gate-change', 'email', 'KEYS02', 'P1', 'KL9-2026-12-20', 'en', 'x@example.com', '/test', $1)`,
        [key],
      );
    await insert('keys:direct');
    expect(await service.db.query(`SELECT booking_reference, flight_key, type, channel FROM notification_keys WHERE dedupe_key = 'keys:direct'`)).toEqual([
      { booking_reference: 'KEYS02', flight_key: 'KL9-2026-12-20', type: 'gate-change', channel: 'email' },
    ]);
    expect(await sameCreationTime('keys:direct')).toBe(true);
    await expect(insert('keys:direct')).rejects.toThrow(/notification_keys_dedupe_key/);
    // A creation time given by the statement (a fixture, an import) is the keys' too.
    await service.db.query(
      `INSERT INTO notifications (dedupe_key, type, channel, booking_reference, passenger_id, locale, recipient, event_source, event_id, created_at)
       VALUES ('keys:dated', 'gate-change', 'email', 'KEYS02', 'P1', 'en', 'x@example.com', '/test', 'dated', '2026-01-02T03:04:05Z')`,
    );
    expect(await sameCreationTime('keys:dated')).toBe(true);
    expect(await notificationsOf('keys:direct')).toBe(1);
  });

  it('frees the dedupe key of a deleted notification, and all of them on a truncate', async () => {
    const repository = service.app.get(NotificationRepository);
    await service.db.query(`DELETE FROM notifications WHERE dedupe_key = 'keys:b'`);
    expect(await keysOf('keys:b')).toBe(0);
    expect(await repository.insertPlanned(service.db.manager, [plan('keys:b')])).toBe(1);

    await service.db.query(`TRUNCATE notifications CASCADE`);
    expect(await count(service.db, `SELECT 1 FROM notification_keys`)).toBe(0);
  });
  it("cancels a flight's pending passes for many passengers in one statement, and says when each one's earliest was due", async () => {
    const repository = service.app.get(NotificationRepository);
    const pass = (key: string, bookingReference: string, passengerId: string, dueAt: Date, flightKey = 'KL77-2026-12-20'): NotificationPlan => ({
      ...plan(key, passengerId),
      type: 'boarding-pass',
      channel: 'email',
      recipient: 'a@example.com',
      bookingReference,
      flightKey,
      dueAt,
    });
    const at = (minutes: number) => new Date(Date.UTC(2026, 11, 20, 6, minutes));
    await repository.insertPlanned(service.db.manager, [
      pass('reissue:a1', 'REIS01', 'P1', at(10)),
      pass('reissue:a2', 'REIS01', 'P1', at(5)),
      pass('reissue:b', 'REIS01', 'P2', at(20)),
      pass('reissue:c', 'REIS02', 'P1', at(30)), // not asked for
      pass('reissue:d', 'REIS01', 'P2', at(1), 'KL78-2026-12-20'), // another flight
    ]);
    const replaced = await repository.cancelPendingReplacedOfPassengers(
      service.db.manager,
      { flightKey: 'KL77-2026-12-20', type: 'boarding-pass', channel: 'email' },
      [
        { bookingReference: 'REIS01', passengerId: 'P1' },
        { bookingReference: 'REIS01', passengerId: 'P2' },
        { bookingReference: 'REIS03', passengerId: 'P1' }, // has none
      ],
      'replaced in a test',
    );
    const byPassenger = Object.fromEntries(replaced.map((r) => [`${r.bookingReference}/${r.passengerId}`, r.earliestDue.toISOString()]));
    expect(byPassenger).toEqual({ 'REIS01/P1': at(5).toISOString(), 'REIS01/P2': at(20).toISOString() });
    const statuses: { dedupe_key: string; status: string; reasons: string[] | null }[] = await service.db.query(
      `SELECT n.dedupe_key, n.status,
              (SELECT array_agg(e.detail->>'reason') FROM notification_events e WHERE e.notification_id = n.id AND e.kind = 'cancelled') AS reasons
         FROM notifications n WHERE n.dedupe_key LIKE 'reissue:%' ORDER BY n.dedupe_key`,
    );
    expect(statuses).toEqual([
      { dedupe_key: 'reissue:a1', status: 'cancelled', reasons: ['replaced in a test'] },
      { dedupe_key: 'reissue:a2', status: 'cancelled', reasons: ['replaced in a test'] },
      { dedupe_key: 'reissue:b', status: 'cancelled', reasons: ['replaced in a test'] },
      { dedupe_key: 'reissue:c', status: 'pending', reasons: null },
      { dedupe_key: 'reissue:d', status: 'pending', reasons: null },
    ]);
  });
  it('gives notifications ids ordered by time (UUID version 7), planned or inserted by any other statement', async () => {
    const repository = service.app.get(NotificationRepository);
    await repository.insertPlanned(service.db.manager, [plan('keys:v7-a'), plan('keys:v7-b', 'P2')]);
    await new Promise((resolve) => setTimeout(resolve, 20)); // a later millisecond for the later ids
    await service.db.query(
      `INSERT INTO notifications (dedupe_key, type, channel, booking_reference, passenger_id, flight_key, locale, recipient, event_source, event_id)
       VALUES ('keys:v7-c', 'gate-change', 'email', 'KEYS03', 'P1', 'KL9-2026-12-20', 'en', 'x@example.com', '/test', 'keys:v7-c')`,
    );
    const rows: { dedupe_key: string; id: string; ms: string; created: string }[] = await service.db.query(
      `SELECT dedupe_key, id::text AS id, ('x' || lpad(replace(left(id::text, 13), '-', ''), 16, '0'))::bit(64)::bigint::text AS ms,
              (extract(epoch FROM created_at) * 1000)::bigint::text AS created
         FROM notifications WHERE dedupe_key LIKE 'keys:v7-%' ORDER BY dedupe_key`,
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // The first 48 bits are the Unix time in milliseconds when the row was written.
      expect(Math.abs(Number(row.ms) - Number(row.created))).toBeLessThan(60_000);
    }
    const [a, b, c] = rows;
    expect(c.id > a.id && c.id > b.id).toBe(true);
    expect(await keysOf('keys:v7-c')).toBe(1);
  });
});
