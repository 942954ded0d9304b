import { MigrationInterface, QueryRunner } from 'typeorm';
import { lz4Available } from './1764000019000-lz4-for-message-bodies';

/**
 * Issue 19 (docs/decisions/0052): the facts a notification is rendered from (`context`, ≈ 400–1,300 bytes) move to a
 * table of their own, written once when it is planned. Every claim, send write-back and provider report is a non-HOT
 * update of the notification, and each copied the whole row, context included, into a new row version and the
 * write-ahead log (decision 0051 measured the cost of that width). The dispatcher reads a claimed row's context by
 * primary key. A deleted or truncated notification takes its context with it, by the same trigger as its keys: a
 * foreign key would lock the notification's row once more for every context written.
 */
export class NotificationContexts1764000023000 implements MigrationInterface {
  name = 'NotificationContexts1764000023000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notification_contexts (id uuid PRIMARY KEY, context jsonb NOT NULL)`);
    if (await lz4Available(q)) await q.query(`ALTER TABLE notification_contexts ALTER COLUMN context SET COMPRESSION lz4`);
    await q.query(`INSERT INTO notification_contexts (id, context) SELECT id, context FROM notifications`);
    // The keys' delete and truncate triggers (migration 1764000020000) now take every row written once beside a
    // notification: one function for both tables, renamed for what it does.
    await q.query(`ALTER FUNCTION notification_keys_delete() RENAME TO notification_companions_delete`);
    await q.query(`ALTER TRIGGER notification_keys_delete ON notifications RENAME TO notification_companions_delete`);
    await q.query(`ALTER TRIGGER notification_keys_truncate ON notifications RENAME TO notification_companions_truncate`);
    await q.query(companionsDelete(['notification_keys', 'notification_contexts']));
    await q.query(`ALTER TABLE notifications DROP COLUMN context`);
    await q.query(`ANALYZE notification_contexts`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN context jsonb`);
    await q.query(`UPDATE notifications n SET context = c.context FROM notification_contexts c WHERE c.id = n.id`);
    await q.query(`UPDATE notifications SET context = '{}'::jsonb WHERE context IS NULL`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN context SET NOT NULL`);
    await q.query(companionsDelete(['notification_keys']));
    await q.query(`ALTER TRIGGER notification_companions_truncate ON notifications RENAME TO notification_keys_truncate`);
    await q.query(`ALTER TRIGGER notification_companions_delete ON notifications RENAME TO notification_keys_delete`);
    await q.query(`ALTER FUNCTION notification_companions_delete() RENAME TO notification_keys_delete`);
    await q.query(`DROP TABLE IF EXISTS notification_contexts`);
  }
}

/** The body of the delete and truncate triggers' function: `tables` lose the rows of the notifications that went. */
function companionsDelete(tables: string[]): string {
  // Each delete planned anew (EXECUTE): a plan cached while a table was small would scan it whole (decision 0038).
  const deletes = tables.map((t) => `EXECUTE 'DELETE FROM ${t} x USING deleted_notifications d WHERE x.id = d.id';`).join('\n           ');
  return `CREATE OR REPLACE FUNCTION notification_companions_delete() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'TRUNCATE' THEN
              TRUNCATE ${tables.join(', ')};
            ELSE
              ${deletes}
            END IF;
            RETURN NULL;
          END $$`;
}
