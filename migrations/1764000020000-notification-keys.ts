import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19 (docs/decisions/0039): a notification is written three times — planned, claimed, sent — and a
 * status change is never a HOT update, so each write added an entry to every index of the table. Three of
 * them serve only lookups by columns no write after the insert changes (booking and passenger, flight, type
 * and channel). They move to `notification_keys`, one narrow row per notification written once, kept by a
 * statement trigger so that every insert into notifications (planner, fallback, a test's fixture) has its
 * keys in the same statement. Finds by those columns go through it (src/notifications/notification-keys.ts).
 * Replaying the storm's statements (60,000 notifications planned, claimed, sent) it took PostgreSQL's
 * time from 8.5 to 7.1–7.3 s. The copy of existing rows runs once, here, with the indexes built after it.
 */
export class NotificationKeys1764000020000 implements MigrationInterface {
  name = 'NotificationKeys1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE notification_keys (
         id uuid PRIMARY KEY,
         booking_reference text NOT NULL,
         passenger_id text NOT NULL,
         flight_key text,
         type text NOT NULL,
         channel text NOT NULL)`,
    );
    await q.query(
      `INSERT INTO notification_keys (id, booking_reference, passenger_id, flight_key, type, channel)
       SELECT id, booking_reference, passenger_id, flight_key, type, channel FROM notifications`,
    );
    await q.query(`CREATE INDEX notification_keys_booking ON notification_keys (booking_reference, passenger_id)`);
    await q.query(`CREATE INDEX notification_keys_flight ON notification_keys (flight_key) WHERE flight_key IS NOT NULL`);
    await q.query(`CREATE INDEX notification_keys_type_channel ON notification_keys (type, channel)`);
    // A statement trigger reads the inserted rows once, as a set: a row trigger would run an INSERT per row.
    // Its one statement has a single plan (read the transition table, append): no plan cached on an empty
    // table can turn into a scan (decision 0038).
    await q.query(
      `CREATE FUNCTION notification_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO notification_keys (id, booking_reference, passenger_id, flight_key, type, channel)
         SELECT id, booking_reference, passenger_id, flight_key, type, channel FROM inserted_notifications;
         RETURN NULL;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER notification_keys_insert AFTER INSERT ON notifications
         REFERENCING NEW TABLE AS inserted_notifications FOR EACH STATEMENT EXECUTE FUNCTION notification_keys_insert()`,
    );
    await q.query(`DROP INDEX IF EXISTS notifications_booking`);
    await q.query(`DROP INDEX IF EXISTS notifications_flight`);
    await q.query(`DROP INDEX IF EXISTS notifications_type_channel`);
    await q.query(`ANALYZE notification_keys`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_booking ON notifications (booking_reference, passenger_id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_flight ON notifications (flight_key) WHERE flight_key IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_type_channel ON notifications (type, channel)`);
    await q.query(`DROP TRIGGER IF EXISTS notification_keys_insert ON notifications`);
    await q.query(`DROP FUNCTION IF EXISTS notification_keys_insert()`);
    await q.query(`DROP TABLE IF EXISTS notification_keys`);
  }
}
