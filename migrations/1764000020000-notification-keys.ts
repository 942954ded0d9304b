import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19 (docs/decisions/0039): a notification is written three times — planned, claimed, sent — and a
 * status change is never a HOT update, so each write added an entry to every index of the table. Four of
 * them serve only lookups by columns no write after the insert changes: the dedupe key's unique index,
 * booking and passenger, flight, type and channel. They move to `notification_keys`, one narrow row per
 * notification written once. The planner and the fallback claim a dedupe key there first and insert the
 * notifications that got one; a statement trigger copies the keys of any other insert (a test's fixture, an
 * operator's SQL), so no notification is left unfindable. Finds by those columns go through it
 * (src/notifications/notification-keys.ts). The copy of existing rows runs once, here, before the indexes.
 */
export class NotificationKeys1764000020000 implements MigrationInterface {
  name = 'NotificationKeys1764000020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE notification_keys (
         id uuid PRIMARY KEY,
         dedupe_key text NOT NULL,
         booking_reference text NOT NULL,
         passenger_id text NOT NULL,
         flight_key text,
         type text NOT NULL,
         channel text NOT NULL)`,
    );
    await q.query(
      `INSERT INTO notification_keys (id, dedupe_key, booking_reference, passenger_id, flight_key, type, channel)
       SELECT id, dedupe_key, booking_reference, passenger_id, flight_key, type, channel FROM notifications`,
    );
    await q.query(`ALTER TABLE notification_keys ADD CONSTRAINT notification_keys_dedupe_key UNIQUE (dedupe_key)`);
    await q.query(`CREATE INDEX notification_keys_booking ON notification_keys (booking_reference, passenger_id)`);
    await q.query(`CREATE INDEX notification_keys_flight ON notification_keys (flight_key) WHERE flight_key IS NOT NULL`);
    await q.query(`CREATE INDEX notification_keys_type_channel ON notification_keys (type, channel)`);
    // A statement trigger reads the inserted rows once, as a set: a row trigger would run an INSERT per row.
    // Its one statement has a single plan (read the transition table, append): no plan cached on an empty
    // table can turn into a scan (decision 0038).
    await q.query(
      `CREATE FUNCTION notification_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO notification_keys (id, dedupe_key, booking_reference, passenger_id, flight_key, type, channel)
         SELECT id, dedupe_key, booking_reference, passenger_id, flight_key, type, channel FROM inserted_notifications
         ON CONFLICT (id) DO NOTHING;
         RETURN NULL;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER notification_keys_insert AFTER INSERT ON notifications
         REFERENCING NEW TABLE AS inserted_notifications FOR EACH STATEMENT EXECUTE FUNCTION notification_keys_insert()`,
    );
    // Notifications are never deleted (retention scrubs them), but a deleted or truncated one must free its
    // dedupe key, as it did when the key's index was on notifications: its keys go with it.
    await q.query(
      `CREATE FUNCTION notification_keys_delete() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN
           TRUNCATE notification_keys;
         ELSE
           -- Planned anew each time (EXECUTE): a plan cached while the table was small would scan it whole (decision 0038).
           EXECUTE 'DELETE FROM notification_keys k USING deleted_notifications d WHERE k.id = d.id';
         END IF;
         RETURN NULL;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER notification_keys_delete AFTER DELETE ON notifications
         REFERENCING OLD TABLE AS deleted_notifications FOR EACH STATEMENT EXECUTE FUNCTION notification_keys_delete()`,
    );
    await q.query(`CREATE TRIGGER notification_keys_truncate AFTER TRUNCATE ON notifications FOR EACH STATEMENT EXECUTE FUNCTION notification_keys_delete()`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_dedupe_key_key`);
    await q.query(`DROP INDEX IF EXISTS notifications_booking`);
    await q.query(`DROP INDEX IF EXISTS notifications_flight`);
    await q.query(`DROP INDEX IF EXISTS notifications_type_channel`);
    await q.query(`ANALYZE notification_keys`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT notifications_dedupe_key_key UNIQUE (dedupe_key)`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_booking ON notifications (booking_reference, passenger_id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_flight ON notifications (flight_key) WHERE flight_key IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_type_channel ON notifications (type, channel)`);
    await q.query(`DROP TRIGGER IF EXISTS notification_keys_insert ON notifications`);
    await q.query(`DROP TRIGGER IF EXISTS notification_keys_delete ON notifications`);
    await q.query(`DROP TRIGGER IF EXISTS notification_keys_truncate ON notifications`);
    await q.query(`DROP FUNCTION IF EXISTS notification_keys_delete()`);
    await q.query(`DROP FUNCTION IF EXISTS notification_keys_insert()`);
    await q.query(`DROP TABLE IF EXISTS notification_keys`);
  }
}
