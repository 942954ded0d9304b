import { MigrationInterface, QueryRunner } from 'typeorm';
import { lz4Available } from './1764000019000-lz4-for-message-bodies';

/**
 * Issue 19 (docs/decisions/0052): the facts a notification is rendered from (`context`, ≈ 400–1,300 bytes) move to a
 * table of their own, written once when it is planned. Every claim, send write-back and provider report is a non-HOT
 * update of the notification, and each copied the whole row, context included, into a new row version and the
 * write-ahead log (decision 0051 measured the cost of that width). The dispatcher reads a claimed row's context by
 * primary key. A deleted or truncated notification takes its context with it, by trigger as its keys do: a foreign
 * key would lock the notification's row once more for every context written.
 */
export class NotificationContexts1764000023000 implements MigrationInterface {
  name = 'NotificationContexts1764000023000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notification_contexts (id uuid PRIMARY KEY, context jsonb NOT NULL)`);
    if (await lz4Available(q)) await q.query(`ALTER TABLE notification_contexts ALTER COLUMN context SET COMPRESSION lz4`);
    await q.query(`INSERT INTO notification_contexts (id, context) SELECT id, context FROM notifications`);
    await q.query(
      `CREATE FUNCTION notification_contexts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'TRUNCATE' THEN
           TRUNCATE notification_contexts;
         ELSE
           -- Planned anew each time (EXECUTE), as the keys' delete is (decision 0038).
           EXECUTE 'DELETE FROM notification_contexts c USING deleted_notifications d WHERE c.id = d.id';
         END IF;
         RETURN NULL;
       END $$`,
    );
    await q.query(
      `CREATE TRIGGER notification_contexts_delete AFTER DELETE ON notifications
         REFERENCING OLD TABLE AS deleted_notifications FOR EACH STATEMENT EXECUTE FUNCTION notification_contexts_delete()`,
    );
    await q.query(`CREATE TRIGGER notification_contexts_truncate AFTER TRUNCATE ON notifications FOR EACH STATEMENT EXECUTE FUNCTION notification_contexts_delete()`);
    await q.query(`ALTER TABLE notifications DROP COLUMN context`);
    await q.query(`ANALYZE notification_contexts`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN context jsonb`);
    await q.query(`UPDATE notifications n SET context = c.context FROM notification_contexts c WHERE c.id = n.id`);
    await q.query(`UPDATE notifications SET context = '{}'::jsonb WHERE context IS NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN context SET NOT NULL`);
    await q.query(`DROP TRIGGER IF EXISTS notification_contexts_delete ON notifications`);
    await q.query(`DROP TRIGGER IF EXISTS notification_contexts_truncate ON notifications`);
    await q.query(`DROP FUNCTION IF EXISTS notification_contexts_delete()`);
    await q.query(`DROP TABLE IF EXISTS notification_contexts`);
  }
}
