import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Safe bulk actions (docs/decisions/0006). A bulk replay claims its notifications when it starts: one row
 * per notification, keyed by the notification, so two replays running at once can never both hold (and
 * send) the same one. Claims live while their replay runs and are deleted when it ends or is cancelled.
 * The audit trail records failed operator actions too, with the reason.
 */
export class SafeBulkActions1764000007000 implements MigrationInterface {
  name = 'SafeBulkActions1764000007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE replay_items (
        notification_id uuid PRIMARY KEY,
        replay_id uuid NOT NULL REFERENCES replays (id) ON DELETE CASCADE,
        done boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX replay_items_to_do ON replay_items (replay_id, notification_id) WHERE NOT done`);
    await q.query(`ALTER TABLE replays ADD COLUMN cancelled_by text`);
    // A replay running during the upgrade walked a cursor this version no longer keeps; it is stopped,
    // visibly, rather than resumed without its set (an operator can start it again).
    await q.query(
      `UPDATE replays SET status = 'cancelled', cancelled_by = 'upgrade', finished_at = now() WHERE status = 'running'`,
    );
    await q.query(`ALTER TABLE replays DROP COLUMN cursor_id`);
    await q.query(`ALTER TABLE audit_log ADD COLUMN outcome text NOT NULL DEFAULT 'succeeded', ADD COLUMN reason text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log DROP COLUMN IF EXISTS reason, DROP COLUMN IF EXISTS outcome`);
    await q.query(`ALTER TABLE replays ADD COLUMN IF NOT EXISTS cursor_id uuid`);
    await q.query(`UPDATE replays SET status = 'done' WHERE status = 'cancelled'`);
    await q.query(`ALTER TABLE replays DROP COLUMN IF EXISTS cancelled_by`);
    await q.query(`DROP TABLE IF EXISTS replay_items`);
  }
}
