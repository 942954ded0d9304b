import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer writes per message. A notification is inserted and then updated twice (claimed, sent); a status
 * change is never a HOT update, so each of those writes lands in every index, and each of its four
 * timeline rows ran a foreign-key check. Measured on this schema with 60,000 rows (docs/decisions/0003):
 * each index costs 10–13% of the row's write time, the foreign key 7 µs per timeline row.
 */
export class LeanNotificationWrites1764000004000 implements MigrationInterface {
  name = 'LeanNotificationWrites1764000004000';

  async up(q: QueryRunner): Promise<void> {
    // Notifications are never deleted (retention scrubs them), and every timeline row is written in the
    // statement that writes its notification: the constraint checked what cannot happen, four times a message.
    await q.query(`ALTER TABLE notification_events DROP CONSTRAINT IF EXISTS notification_events_notification_id_fkey`);
    // The dispatcher claims per channel through notifications_due_by_channel; the lag metric does too now.
    await q.query(`DROP INDEX IF EXISTS notifications_due`);
    // Operators filter by status to find what went wrong; the common statuses are better served walking
    // notifications_newest, and no longer pay an index entry on every claim and every send.
    await q.query(`DROP INDEX IF EXISTS notifications_status`);
    await q.query(
      `CREATE INDEX notifications_unsent_newest ON notifications (created_at DESC, id DESC)
        WHERE status IN ('failed', 'superseded', 'cancelled')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS notifications_unsent_newest`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_status ON notifications (status, created_at DESC)`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_due ON notifications (due_at) WHERE status = 'pending'`);
    await q.query(
      `ALTER TABLE notification_events ADD CONSTRAINT notification_events_notification_id_fkey
         FOREIGN KEY (notification_id) REFERENCES notifications ON DELETE CASCADE NOT VALID`,
    );
  }
}
