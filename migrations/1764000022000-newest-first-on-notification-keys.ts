import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19 (docs/decisions/0049): every claim and send write-back is a non-HOT update of a notification, so each
 * added an entry to `notifications_newest` (created_at DESC, id DESC), which only the read side uses — the
 * listing newest first, its created-time filters, the dashboard's counts. The creation time moves to
 * `notification_keys` (written once with the notification, never updated) with that index, as the find indexes
 * did (migration 1764000020000). Both tables take it from the same statement's now(); the trigger that keys a
 * notification inserted some other way copies it.
 */
export class NewestFirstOnNotificationKeys1764000022000 implements MigrationInterface {
  name = 'NewestFirstOnNotificationKeys1764000022000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_keys ADD COLUMN created_at timestamptz`);
    await q.query(`UPDATE notification_keys k SET created_at = n.created_at FROM notifications n WHERE n.id = k.id`);
    // A key without its notification (none is expected: both are written by one statement) counts as new.
    await q.query(`UPDATE notification_keys SET created_at = now() WHERE created_at IS NULL`);
    await q.query(`ALTER TABLE notification_keys ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN created_at SET NOT NULL`);
    await q.query(`CREATE INDEX notification_keys_newest ON notification_keys (created_at DESC, id DESC)`);
    await q.query(keysInsertFunction(true));
    await q.query(`DROP INDEX IF EXISTS notifications_newest`);
    await q.query(`ANALYZE notification_keys`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_newest ON notifications (created_at DESC, id DESC)`);
    await q.query(keysInsertFunction(false));
    await q.query(`DROP INDEX IF EXISTS notification_keys_newest`);
    await q.query(`ALTER TABLE notification_keys DROP COLUMN IF EXISTS created_at`);
  }
}

function keysInsertFunction(withCreatedAt: boolean): string {
  const created = withCreatedAt ? ', created_at' : '';
  return `CREATE OR REPLACE FUNCTION notification_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            INSERT INTO notification_keys (id, dedupe_key, booking_reference, passenger_id, flight_key, type, channel${created})
            SELECT id, dedupe_key, booking_reference, passenger_id, flight_key, type, channel${created} FROM inserted_notifications
            ON CONFLICT (id) DO NOTHING;
            RETURN NULL;
          END $$`;
}
