import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messenger (issue 17, docs/decisions/0026): the utility templates Meta took out of use, shared by every replica
 * (as for WhatsApp), and the time each Messenger message left, by its message id. Meta reports delivery and
 * reading by a watermark — every message sent before it — so the send time of each message is what a
 * watermark is compared with; the PSID beside it finds a person's messages. Rows go with their notification.
 */
export class Messenger1764000017100 implements MigrationInterface {
  name = 'Messenger1764000017100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS messenger_template_pauses (
        name text NOT NULL,
        language text NOT NULL,
        event text NOT NULL,
        reason text,
        paused_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, language)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS messenger_sent_messages (
        message_id text PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications ON DELETE CASCADE,
        psid text NOT NULL,
        sent_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX IF NOT EXISTS messenger_sent_messages_by_psid ON messenger_sent_messages (psid, sent_at)`);
    await q.query(`CREATE INDEX IF NOT EXISTS messenger_sent_messages_by_notification ON messenger_sent_messages (notification_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS messenger_sent_messages`);
    await q.query(`DROP TABLE IF EXISTS messenger_template_pauses`);
  }
}
