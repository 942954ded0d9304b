import { MigrationInterface, QueryRunner } from 'typeorm';

/** What real providers need: their message ids, conversation windows, pauses, shared rate buckets, fallbacks. */
export class ProviderDelivery1764000001000 implements MigrationInterface {
  name = 'ProviderDelivery1764000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX notifications_provider_message ON notifications (channel, provider_message_id)
        WHERE provider_message_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE notifications ADD COLUMN fallback_of uuid REFERENCES notifications ON DELETE SET NULL`);
    await q.query(`ALTER TABLE notifications ADD COLUMN segments smallint`);
    await q.query(`
      CREATE TABLE customer_service_windows (
        channel text NOT NULL,
        contact text NOT NULL,
        last_inbound_at timestamptz NOT NULL,
        PRIMARY KEY (channel, contact)
      )`);
    await q.query(`
      CREATE TABLE channel_pauses (
        channel text PRIMARY KEY,
        paused_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE rate_limit_buckets (
        key text PRIMARY KEY,
        tokens double precision NOT NULL,
        refilled_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE recipient_last_sent (
        channel text NOT NULL,
        recipient text NOT NULL,
        sent_at timestamptz NOT NULL,
        PRIMARY KEY (channel, recipient)
      )`);
    await q.query(`CREATE INDEX consents_by_channel ON consents (channel)`);
    // Each channel's dispatcher loop claims only its own due rows.
    await q.query(`CREATE INDEX notifications_due_by_channel ON notifications (channel, due_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS notifications_due_by_channel`);
    await q.query(`DROP INDEX IF EXISTS consents_by_channel`);
    for (const table of ['recipient_last_sent', 'rate_limit_buckets', 'channel_pauses', 'customer_service_windows']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS segments`);
    await q.query(`ALTER TABLE notifications DROP COLUMN IF EXISTS fallback_of`);
    await q.query(`DROP INDEX IF EXISTS notifications_provider_message`);
  }
}
