import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sends in doubt (docs/decisions/0015): when the current attempt started (the window a provider lookup
 * searches) and since when a notification waits to be settled; the settlement step walks only those.
 */
export class InDoubtSends1764000012000 implements MigrationInterface {
  name = 'InDoubtSends1764000012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN IF NOT EXISTS attempted_at timestamptz, ADD COLUMN IF NOT EXISTS in_doubt_since timestamptz`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_in_doubt ON notifications (channel, in_doubt_since) WHERE status = 'in_doubt'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to the statuses the older code knows: in doubt becomes pending, as its reclaim did.
    await q.query(`UPDATE notifications SET status = 'pending', due_at = now() WHERE status = 'in_doubt'`);
    await q.query(`DROP INDEX IF EXISTS notifications_in_doubt`);
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS in_doubt_since, DROP COLUMN IF EXISTS attempted_at`);
  }
}
