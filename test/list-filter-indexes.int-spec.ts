import { Client } from 'pg';
import { findStatement, NotificationSelection } from '../src/notifications/notification-query.repository';
import { SESSION_OPTIONS } from '../src/database/session-options';
import { createTestEnvironment, TestEnvironment } from './support/test-app';

/**
 * Each list filter operators use is served by an index (docs/list-filter-plans.md has the full plans on
 * 300,000 rows). Here: 30,000 rows with the same kind of distribution and real statistics, and the plan
 * PostgreSQL chooses for the read API's statement, built by the repository's own selectionWhere.
 */
const ROWS = 30_000;

describe('list filters use indexes', () => {
  let environment: TestEnvironment;
  let db: Client;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // With the service's own session settings: the plans it gets (random_page_cost among them, decision 0043).
    db = new Client({ connectionString: environment.env.DATABASE_URL, options: SESSION_OPTIONS });
    await db.connect();
    await db.query(
      `INSERT INTO notifications (dedupe_key, type, channel, status, booking_reference, passenger_id, flight_key, locale,
                                  recipient, event_source, event_id, created_at)
       SELECT 'seed-' || g,
              CASE WHEN g % 2000 = 0 THEN 'flight-diversion' WHEN g % 3 = 0 THEN 'booking-confirmation' ELSE 'flight-delay' END,
              CASE WHEN g % 2 = 0 THEN 'whatsapp' ELSE 'email' END,
              CASE WHEN g % 33 = 0 THEN 'failed' WHEN g % 4 = 0 THEN 'read' ELSE 'delivered' END,
              upper(substr(md5((g / 3)::text), 1, 6)), 'P1', 'KL' || (1000 + g / 100) || '-2026-11-20', 'en', 'x',
              '/booking', 'e' || g, timestamptz '2026-11-30 00:00Z' - g * interval '1 minute'
         FROM generate_series(1, $1::int) AS g`,
      [ROWS],
    );
    await db.query('ANALYZE notifications, notification_keys');
  });

  afterAll(async () => {
    await db?.end();
    await environment?.dispose();
  });

  /** The plan of the list statement's first page for a selection (NotificationQueryRepository.find's statement). */
  async function plan(selection: NotificationSelection): Promise<string> {
    const { sql, params } = findStatement({ ...selection, limit: 50 });
    const rows: { 'QUERY PLAN': string }[] = (await db.query(`EXPLAIN ${sql}`, params)).rows;
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  it.each<[string, NotificationSelection, string | undefined]>([
    ['no filter', {}, 'notification_keys_newest'],
    ['a rare type', { type: 'flight-diversion' }, 'notification_keys_type_channel'],
    ['a common type', { type: 'flight-delay' }, undefined],
    ['a channel with no rows', { channel: 'webhook' }, 'notification_keys_type_channel'],
    ['a common channel', { channel: 'whatsapp' }, undefined],
    ['a rare type on a channel', { type: 'flight-diversion', channel: 'whatsapp' }, 'notification_keys_type_channel'],
    ['failed (one in 33)', { status: 'failed' }, undefined],
    ['a status no row has (cancelled)', { status: 'cancelled' }, 'notifications_unsent_newest'],
    ['a flight', { flight: 'KL1100-2026-11-20' }, 'notification_keys_flight'],
    ['a booking', { bookingReference: 'C4CA42' }, 'notification_keys_booking'],
    ['a time window', { createdFrom: new Date('2026-11-25T00:00:00Z'), createdTo: new Date('2026-11-25T01:00:00Z') }, 'notification_keys_newest'],
  ])('%s', async (_, selection, index) => {
    const text = await plan(selection);
    expect(text).not.toContain('Seq Scan');
    expect(text).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
    if (index) expect(text).toContain(index);
  });
});
