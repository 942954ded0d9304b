import { Client } from 'pg';
import { keysMatch, keysMatchFew } from '../src/notifications/notification-keys';
import { createTestEnvironment, TestEnvironment } from './support/test-app';

/**
 * A flight's pending news, looked up through notification_keys (docs/decisions/0043). Statistics taken when
 * few notifications were pending — as after the last storm, before the next one is planned — make the
 * planner scan every pending notification and hash-join them with the flight's keys; in a storm that scan
 * met tens of thousands of pending rows at every flight. keysMatchFew reads the flight's ids first and finds
 * each by primary key whatever the statistics say.
 */
const FLIGHTS = 200;
const PASSENGERS = 300;

describe('finding a few notifications by their keys', () => {
  let environment: TestEnvironment;
  let db: Client;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    db = new Client({ connectionString: environment.env.DATABASE_URL });
    await db.connect();
    await db.query(
      `INSERT INTO notifications (dedupe_key, type, channel, status, booking_reference, passenger_id, flight_key, locale,
                                  recipient, event_source, event_id, created_at)
       SELECT 'seed-' || g, 'flight-cancellation', 'whatsapp', CASE WHEN g % 70 = 0 THEN 'pending' ELSE 'delivered' END,
              upper(substr(md5((g / 2)::text), 1, 6)), 'P' || (g % 2), 'KL' || (1000 + g / $2::int) || '-2026-12-11', 'en', 'x',
              '/flight', 'e' || g, timestamptz '2026-11-30 00:00Z' + g * interval '1 second'
         FROM generate_series(0, $1::int * $2::int - 1) AS g`,
      [FLIGHTS, PASSENGERS],
    );
    await db.query('ANALYZE notifications, notification_keys');
  });

  afterAll(async () => {
    await db?.end();
    await environment?.dispose();
  });

  /** The plan of the flight news lock's statement (FlightNewsRepository.lockPending) with this key lookup. */
  async function plan(match: (where: string) => string): Promise<string> {
    const rows: { 'QUERY PLAN': string }[] = (
      await db.query(
        `EXPLAIN SELECT id FROM notifications WHERE ${match('flight_key = $1 AND type = ANY($2)')} AND status = 'pending'
          ORDER BY created_at, id FOR UPDATE`,
        ['KL1100-2026-12-11', ['flight-cancellation', 'flight-delay']],
      )
    ).rows;
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  it('left to the planner, scans every pending notification (the trap)', async () => {
    expect(await plan(keysMatch)).toContain('notifications_due_by_channel');
  });

  it('with keysMatchFew, finds the flight’s keys and then each notification by its primary key', async () => {
    const text = await plan(keysMatchFew);
    expect(text).toContain('notification_keys_flight');
    expect(text).toContain('notifications_pkey');
    expect(text).not.toContain('notifications_due_by_channel');
    expect(text).not.toContain('Seq Scan');
  });
});
